"""Reads for the reporting pages, each in a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from workplan.models import (
    OPEN_BLOCKER_STATUSES,
    Assignment,
    Blocker,
    BlockerEvent,
    Meeting,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Status,
)
from workplan.models.base import utcnow
from workplan.models.plan import TERM_ORDER
from workplan.state.calendar import last_meeting, next_meeting
from workplan.state.scope import current_assignment_clause
from workplan.state.visibility import VisibleState, visible_state

STATUS_ORDER = [
    Status.ON_HOLD,
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.ONGOING,
    Status.COMPLETED,
]
# Resolved blockers stay on "my organisation" this long, so the raiser sees the outcome.
RECENTLY_RESOLVED = timedelta(days=90)


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    state: VisibleState  # as the person looking may see it
    stale: bool  # no report since the last meeting's cut-off


@dataclass(frozen=True)
class StatusGroup:
    status: str
    rows: list[AssignmentRow]


@dataclass(frozen=True)
class TermSection:
    term: str
    groups: list[StatusGroup]

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


@dataclass
class MyOrganisation:
    organisation: Organisation
    sections: list[TermSection]
    next_meeting: Meeting | None
    last_meeting: Meeting | None
    blockers: list[Blocker] = field(default_factory=list)
    # Open blockers of other organisations that ask this one for help.
    help_asked: list[Blocker] = field(default_factory=list)

    @property
    def rows(self) -> list[AssignmentRow]:
        return [row for s in self.sections for g in s.groups for row in g.rows]

    @property
    def stale_count(self) -> int:
        return sum(1 for row in self.rows if row.stale)


def _blocker_options():  # type: ignore[no-untyped-def]
    return (
        joinedload(Blocker.raised_by),
        joinedload(Blocker.help_organisation),
        joinedload(Blocker.assignment).joinedload(Assignment.recommendation),
        joinedload(Blocker.assignment).joinedload(Assignment.organisation),
        selectinload(Blocker.events).joinedload(BlockerEvent.actor),
    )


def is_stale(assignment: Assignment, cutoff: datetime | None) -> bool:
    """Not reported since ``cutoff`` (or never, when there is no cut-off yet)."""
    if assignment.last_update_at is None:
        return True
    return cutoff is not None and assignment.last_update_at < cutoff


def my_organisation(
    session: Session, organisation: Organisation, viewer: Any, now: datetime | None = None
) -> MyOrganisation:
    """What an organisation owes, grouped by term then status (as ``viewer`` may see them),
    with its blockers and the meeting dates that frame the reporting period."""
    now = now or utcnow()
    upcoming = next_meeting(session, now)
    last = last_meeting(session, now)
    cutoff = last.cutoff_at if last else None
    assignments = session.scalars(
        select(Assignment)
        .join(Assignment.recommendation)
        .where(Assignment.organisation_id == organisation.id, current_assignment_clause())
        .options(joinedload(Assignment.recommendation), joinedload(Assignment.organisation))
        .order_by(Recommendation.position)
    ).all()
    sections = []
    by_term = {
        t: list(items) for t, items in groupby(assignments, key=lambda a: a.recommendation.term)
    }
    for term in TERM_ORDER:
        items = by_term.get(term, [])
        if not items:
            continue
        groups = []
        states = {a.id: visible_state(viewer, a) for a in items}
        for status in STATUS_ORDER:
            rows = [
                AssignmentRow(a, states[a.id], is_stale(a, cutoff))
                for a in items
                if states[a.id].status == status
            ]
            if rows:
                groups.append(StatusGroup(status, rows))
        sections.append(TermSection(term, groups))
    blockers = (
        session.scalars(
            select(Blocker)
            .join(Blocker.assignment)
            .where(
                Assignment.organisation_id == organisation.id,
                or_(
                    Blocker.status.in_(OPEN_BLOCKER_STATUSES),
                    Blocker.resolved_at >= now - RECENTLY_RESOLVED,
                ),
            )
            .options(*_blocker_options())
            .order_by(Blocker.raised_at.desc())
        )
        .unique()
        .all()
    )
    help_asked = (
        session.scalars(
            select(Blocker)
            .where(
                Blocker.help_organisation_id == organisation.id,
                Blocker.status.in_(OPEN_BLOCKER_STATUSES),
            )
            .options(*_blocker_options())
            .order_by(Blocker.raised_at.desc())
        )
        .unique()
        .all()
    )
    return MyOrganisation(organisation, sections, upcoming, last, list(blockers), list(help_asked))


def get_assignment(session: Session, rec_code: str, org_code: str) -> Assignment | None:
    """One assignment by its recommendation's and organisation's codes (any letter case)."""
    return session.scalar(
        select(Assignment)
        .join(Assignment.recommendation)
        .join(Assignment.organisation)
        .where(
            func.upper(Recommendation.code) == rec_code.strip().upper(),
            func.lower(Organisation.code) == org_code.strip().lower(),
        )
        .options(joinedload(Assignment.recommendation), joinedload(Assignment.organisation))
    )


def updates_of(session: Session, assignment_ids: list[int]) -> list[ProgressUpdate]:
    """Progress updates of some assignments, newest first, with authors and files."""
    if not assignment_ids:
        return []
    return list(
        session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.assignment_id.in_(assignment_ids))
            .options(
                joinedload(ProgressUpdate.author),
                joinedload(ProgressUpdate.assignment).joinedload(Assignment.organisation),
                joinedload(ProgressUpdate.assignment).joinedload(Assignment.recommendation),
                selectinload(ProgressUpdate.attachments),
            )
            .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        ).unique()
    )


def blockers_of(session: Session, assignment_ids: list[int]) -> list[Blocker]:
    """Every blocker of some assignments, newest first, with their events."""
    if not assignment_ids:
        return []
    return list(
        session.scalars(
            select(Blocker)
            .where(Blocker.assignment_id.in_(assignment_ids))
            .options(*_blocker_options())
            .order_by(Blocker.raised_at.desc(), Blocker.id.desc())
        ).unique()
    )


def get_blocker(session: Session, blocker_id: int) -> Blocker | None:
    return session.scalar(
        select(Blocker).where(Blocker.id == blocker_id).options(*_blocker_options())
    )


def open_blockers(session: Session) -> list[Blocker]:
    """Every open blocker of the plan, oldest first (the coordinator's list)."""
    return list(
        session.scalars(
            select(Blocker)
            .where(Blocker.status.in_(OPEN_BLOCKER_STATUSES))
            .options(*_blocker_options())
            .order_by(Blocker.raised_at)
        ).unique()
    )
