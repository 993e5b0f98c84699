"""Reads of the dashboard, in a fixed number of statements whatever the size of the plan.

Everything the dashboard, the matrix and the exports show comes from :func:`load_plan_state`:
the organisations, every assignment with the state its viewer may see (kept on the
assignment: one statement, see :mod:`workplan.state.visibility`), the open blockers the
viewer may see, and the reporting cut-off. Filters and figures are then computed in Python
(:mod:`workplan.dashboard.summary`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from workplan.dashboard.filters import OHCHR_REGION, Filters
from workplan.models import (
    OPEN_BLOCKER_STATUSES,
    Assignment,
    Blocker,
    Meeting,
    Organisation,
    OrgKind,
    ProgressUpdate,
    Recommendation,
    Role,
    User,
)
from workplan.models.base import utcnow
from workplan.state.calendar import last_meeting
from workplan.state.scope import current_assignment_clause
from workplan.state.visibility import (
    VisibleState,
    latest_visible_narrative,
    visible_clause,
    visible_columns,
)


@dataclass(frozen=True)
class RecRef:
    """What the dashboard shows of a recommendation."""

    id: int
    code: str
    title: str
    term: str
    position: int


@dataclass(frozen=True)
class ShareRow:
    """One assignment as its viewer may see it."""

    assignment_id: int
    rec: RecRef
    org: Organisation
    is_lead: bool
    state: VisibleState
    open_blockers: int


@dataclass(frozen=True)
class OpenBlocker:
    """What the figures need of an open blocker; the queue loads the blockers it shows."""

    id: int
    assignment_id: int
    raised_at: datetime


@dataclass(frozen=True)
class Cutoff:
    """The moment "not reported since" counts from: a chosen date, or the last meeting's
    reporting cut-off, or none (then it means "never reported")."""

    at: datetime | None
    meeting: Meeting | None
    chosen: bool


@dataclass
class PlanState:
    organisations: list[Organisation]
    shares: list[ShareRow]
    blockers: list[OpenBlocker]  # open, visible to the viewer, oldest first
    cutoff: Cutoff
    now: datetime


def organisations_and_reach(session: Session) -> tuple[list[Organisation], set[int]]:
    """Every organisation, and the ids of those with an active focal point (who can report
    for it), in one statement: the dashboard flags the others."""
    has_focal_point = (
        select(User.id)
        .where(
            User.organisation_id == Organisation.id,
            User.active.is_(True),
            User.role == Role.FOCAL_POINT,
        )
        .exists()
    )
    rows = session.execute(select(Organisation, has_focal_point)).all()
    return [org for org, _reach in rows], {org.id for org, reach in rows if reach}


def network_order(organisations: list[Organisation]) -> list[Organisation]:
    """Regional mechanisms grouped by region (regions in the network's order), then the
    OHCHR units."""
    regions: list[str | None] = []
    for org in organisations:
        if org.kind == OrgKind.RHRM and org.region not in regions:
            regions.append(org.region)

    def key(org: Organisation) -> tuple[int, int, int, str]:
        if org.kind == OrgKind.RHRM:
            return (0, regions.index(org.region), org.position, org.code)
        return (1, 0, org.position, org.code)

    return sorted(organisations, key=key)


def column_group(org: Organisation) -> str:
    """The group an organisation's column belongs to: its region, or the OHCHR units."""
    return OHCHR_REGION if org.kind == OrgKind.OHCHR else (org.region or "")


def cutoff_for(session: Session, filters: Filters, now: datetime) -> Cutoff:
    meeting = last_meeting(session, now)
    if filters.since is not None:
        return Cutoff(filters.since_at(), meeting, True)
    return Cutoff(meeting.cutoff_at if meeting else None, meeting, False)


def load_plan_state(
    session: Session,
    viewer: Any,
    filters: Filters,
    organisations: list[Organisation],
    now: datetime | None = None,
    *,
    narratives: bool = False,
) -> PlanState:
    """Everything the dashboard needs, as ``viewer`` may see it.

    ``organisations`` are every organisation of the network, in :func:`network_order` (the
    caller has them already, to check the filters). Statements: the last meeting, the
    assignments with their visible state, and the open blockers: the same count for any
    size of plan. ``narratives`` adds each assignment's newest visible
    narrative (for the exports).
    """
    now = now or utcnow()
    cutoff = cutoff_for(session, filters, now)
    by_id = {org.id: org for org in organisations}
    blockers = visible_open_blockers(session, viewer)
    blocker_counts: dict[int, int] = {}
    for blocker in blockers:
        blocker_counts[blocker.assignment_id] = blocker_counts.get(blocker.assignment_id, 0) + 1

    status, progress, at, _update_id = visible_columns(viewer)
    columns: list[Any] = [
        Assignment.id,
        Assignment.organisation_id,
        Assignment.is_lead,
        Recommendation.id,
        Recommendation.code,
        Recommendation.title,
        Recommendation.term,
        Recommendation.position,
        status,
        progress,
        at,
    ]
    if narratives:
        columns.append(latest_visible_narrative(viewer))
    rows = session.execute(
        select(*columns)
        .join(Recommendation, Assignment.recommendation_id == Recommendation.id)
        .where(current_assignment_clause())
        .order_by(Recommendation.position, Assignment.id)
    ).all()
    recs: dict[int, RecRef] = {}
    shares = []
    for row in rows:
        aid, org_id, lead, rid, code, title, term, position, status, progress, at = row[:11]
        rec = recs.get(rid)
        if rec is None:
            rec = recs[rid] = RecRef(rid, code, title, term, position)
        state = VisibleState.from_row(status, progress, at, row[11] if narratives else "")
        shares.append(ShareRow(aid, rec, by_id[org_id], lead, state, blocker_counts.get(aid, 0)))
    return PlanState(organisations, shares, blockers, cutoff, now)


def visible_open_blockers(session: Session, viewer: Any) -> list[OpenBlocker]:
    """Every open blocker ``viewer`` may see, oldest first (one statement)."""
    rows = session.execute(
        select(Blocker.id, Blocker.assignment_id, Blocker.raised_at)
        .join(Assignment, Blocker.assignment_id == Assignment.id)
        .where(
            Blocker.status.in_(OPEN_BLOCKER_STATUSES),
            visible_clause(Blocker.visibility, Assignment.organisation_id, viewer),
            current_assignment_clause(),
        )
        .order_by(Blocker.raised_at, Blocker.id)
    ).all()
    return [OpenBlocker(*row) for row in rows]


def blockers_by_id(session: Session, ids: list[int]) -> list[Blocker]:
    """Some blockers with their recommendation and organisation, oldest first (one
    statement, also when ``ids`` is empty, so that a page's count of statements is fixed)."""
    return list(
        session.scalars(
            select(Blocker)
            .where(Blocker.id.in_(ids))
            .options(
                joinedload(Blocker.assignment).joinedload(Assignment.recommendation),
                joinedload(Blocker.assignment).joinedload(Assignment.organisation),
            )
            .order_by(Blocker.raised_at, Blocker.id)
        ).unique()
    )


def recent_activity(
    session: Session, viewer: Any, filters: Filters, limit: int = 12
) -> list[ProgressUpdate]:
    """The newest progress updates ``viewer`` may see, narrowed by the term, region,
    organisation and lead filters (one statement)."""
    stmt = (
        select(ProgressUpdate)
        .join(Assignment, ProgressUpdate.assignment_id == Assignment.id)
        .join(Recommendation, Assignment.recommendation_id == Recommendation.id)
        .join(Organisation, Assignment.organisation_id == Organisation.id)
        .where(visible_clause(ProgressUpdate.visibility, Assignment.organisation_id, viewer))
        .options(
            joinedload(ProgressUpdate.author),
            joinedload(ProgressUpdate.assignment).joinedload(Assignment.organisation),
            joinedload(ProgressUpdate.assignment).joinedload(Assignment.recommendation),
        )
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(limit)
    )
    if filters.term:
        stmt = stmt.where(Recommendation.term == filters.term)
    if filters.region == OHCHR_REGION:
        stmt = stmt.where(Organisation.kind == OrgKind.OHCHR)
    elif filters.region:
        stmt = stmt.where(Organisation.region == filters.region)
    if filters.org:
        stmt = stmt.where(Organisation.code == filters.org)
    if filters.lead:
        stmt = stmt.where(Assignment.is_lead.is_(True))
    return list(session.scalars(stmt).unique())
