"""What the API reads of the plan, as each caller may see it.

This is the one module of the API that knows how a share's state is found for a viewer
(:func:`workplan.state.visibility.visible_states`) and rolled up into a task's
(:mod:`workplan.state.rollup`): the pages read it the same way, so a restricted report never
shows here to someone the pages would not show it to.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from workplan.models import Assignment, Blocker, Meeting, ProgressUpdate, Recommendation
from workplan.permissions import can
from workplan.plan import queries as plan_queries
from workplan.reporting import queries as reporting_queries
from workplan.state.rollup import Share, rollup
from workplan.state.visibility import VisibleState, visible_states


def organisation_json(org: Any) -> dict[str, Any]:
    return {
        "code": org.code,
        "name": org.name,
        "name_fr": org.name_fr,
        "kind": org.kind,
        "region": org.region,
    }


def blocker_json(blocker: Blocker) -> dict[str, Any]:
    assignment = blocker.assignment
    return {
        "id": blocker.id,
        "task": assignment.recommendation.code,
        "org": assignment.organisation.code,
        "category": blocker.category,
        "description": blocker.description,
        "visibility": blocker.visibility,
        "status": blocker.status,
        "raised_at": blocker.raised_at.isoformat(),
        "raised_by": blocker.raised_by.name if blocker.raised_by else None,
        "help_from": blocker.help_organisation.code if blocker.help_organisation else None,
        "version": blocker.version,
    }


def update_json(update: ProgressUpdate) -> dict[str, Any]:
    return {
        "id": update.id,
        "status": update.status,
        "progress": update.progress,
        "narrative": update.narrative,
        "visibility": update.visibility,
        "author": update.author.name if update.author else None,
        "created_at": update.created_at.isoformat(),
        "evidence_links": list(update.evidence_links or []),
        "confirmation": update.is_confirmation,
    }


def meeting_json(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "title": meeting.title,
        "date": meeting.held_on.isoformat(),
        "cutoff": meeting.cutoff_at.isoformat(),
        "place": meeting.place,
        "document_symbol": meeting.document_symbol,
    }


def _visible_open_blockers(session: Session, viewer: Any, **where: int) -> list[Blocker]:
    return [
        b for b in plan_queries.open_blockers_for(session, **where) if can(viewer, "view_entry", b)
    ]


def _share_json(
    viewer: Any, assignment: Assignment, state: VisibleState, blocked: set[int]
) -> dict[str, Any]:
    # The version moves with every write, restricted ones included: only those who may
    # write to the share (and so read all of it) are told it.
    writable = can(viewer, "write_assignment", assignment)
    return {
        "org": assignment.organisation.code,
        "lead": assignment.is_lead,
        "status": state.status,
        "progress": state.progress,
        "blocked": assignment.id in blocked,
        "updated_at": state.last_update_at.isoformat() if state.last_update_at else None,
        "version": assignment.version if writable else None,
    }


def _task_json(
    viewer: Any,
    rec: Recommendation,
    states: dict[int, VisibleState],
    blocked: set[int],
) -> dict[str, Any]:
    shares = plan_queries.sorted_assignments(rec)
    visible = [states[a.id] for a in shares]
    overall = rollup(Share(s.status, s.progress) for s in visible)
    return {
        "code": rec.code,
        "term": rec.term,
        "title": rec.title,
        "status": overall.status,
        "progress": overall.progress,
        "responsible": [
            _share_json(viewer, a, state, blocked) for a, state in zip(shares, visible, strict=True)
        ],
    }


def tasks(
    session: Session,
    viewer: Any,
    *,
    term: str | None = None,
    org: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Every task in plan order as ``viewer`` may see it, filtered by term, by an
    organisation having a share in it, and by overall status; in a fixed number of
    statements."""
    recs = [r for group in plan_queries.plan_by_term(session) for r in group.recommendations]
    if term:
        recs = [r for r in recs if r.term == term]
    if org:
        wanted = org.strip().lower()
        recs = [
            r for r in recs if any(a.organisation.code.lower() == wanted for a in r.assignments)
        ]
    ids = [a.id for r in recs for a in r.assignments]
    states = visible_states(session, viewer, ids)
    blocked = {b.assignment_id for b in _visible_open_blockers(session, viewer)}
    items = [_task_json(viewer, r, states, blocked) for r in recs]
    return [t for t in items if not status or t["status"] == status]


def task(session: Session, viewer: Any, code: str) -> dict[str, Any] | None:
    """One task as ``viewer`` may see it, with its text and its open blockers."""
    rec = plan_queries.get_recommendation(session, code)
    if rec is None:
        return None
    states = visible_states(session, viewer, [a.id for a in rec.assignments])
    blockers = _visible_open_blockers(session, viewer, recommendation_id=rec.id)
    item = _task_json(viewer, rec, states, {b.assignment_id for b in blockers})
    return item | {"text": rec.text, "blockers": [blocker_json(b) for b in blockers]}


def updates(session: Session, viewer: Any, assignment: Assignment) -> list[dict[str, Any]]:
    """A share's updates ``viewer`` may read, newest first."""
    return [
        update_json(u)
        for u in reporting_queries.updates_of(session, [assignment.id])
        if can(viewer, "view_entry", u)
    ]


def open_blockers(session: Session, viewer: Any) -> list[dict[str, Any]]:
    """Every open blocker ``viewer`` may see, oldest first."""
    return [blocker_json(b) for b in _visible_open_blockers(session, viewer)]
