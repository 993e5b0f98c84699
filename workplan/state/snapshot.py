"""The state of the plan at a moment (a meeting's reporting cut-off), from history or kept.

Progress updates are append-only and every change to a blocker leaves a ``BlockerEvent``, so
the state at any past cut-off can be computed again later and always gives the same answer:
data added after the cut-off never changes it. :func:`snapshot_at` reads it in four
statements whatever the size of the plan; :func:`compare` says what changed between two
snapshots (what the meeting discusses).

A *circulation* snapshot (``internal=False``) ignores restricted updates and blockers
entirely: an assignment whose only reports are restricted shows as not reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from workplan.models import (
    OPEN_BLOCKER_STATUSES,
    Assignment,
    Blocker,
    BlockerEvent,
    BlockerStatus,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Status,
    Visibility,
)
from workplan.models.plan import TERM_ORDER
from workplan.state.rollup import Rollup, Share, rollup
from workplan.state.scope import current_assignment_clause


@dataclass(frozen=True)
class OrgRef:
    id: int
    code: str
    name: str
    name_fr: str | None
    position: int


@dataclass
class AssignmentState:
    """One organisation's share of a recommendation, as it stood at the cut-off."""

    assignment_id: int
    organisation: OrgRef
    is_lead: bool
    status: str = Status.NOT_STARTED
    progress: int | None = None
    narrative: str = ""
    reported_at: datetime | None = None
    restricted: bool = False  # the latest update shown is a restricted one
    blockers: list[BlockerState] = field(default_factory=list)

    @property
    def open_blockers(self) -> list[BlockerState]:
        return [b for b in self.blockers if b.is_open]


@dataclass
class RecommendationState:
    id: int
    code: str
    term: str
    title: str
    text: str
    shares: list[AssignmentState]

    @property
    def rollup(self) -> Rollup:
        return rollup(Share(s.status, s.progress) for s in self.shares)


@dataclass
class BlockerState:
    id: int
    assignment_id: int
    recommendation_code: str
    organisation: OrgRef
    category: str
    description: str
    raised_at: datetime
    status: str  # at the cut-off
    restricted: bool
    last_comment: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_BLOCKER_STATUSES


@dataclass
class Snapshot:
    at: datetime | None  # None: the empty plan before any meeting
    internal: bool
    recommendations: list[RecommendationState]
    organisations: list[OrgRef]

    def shares(self) -> list[tuple[RecommendationState, AssignmentState]]:
        return [(r, s) for r in self.recommendations for s in r.shares]

    def by_assignment(self) -> dict[int, AssignmentState]:
        return {s.assignment_id: s for r in self.recommendations for s in r.shares}

    def open_blockers(self) -> list[BlockerState]:
        found = [b for _, s in self.shares() for b in s.open_blockers]
        return sorted(found, key=lambda b: (b.raised_at, b.id))

    def by_term(self) -> list[tuple[str, list[RecommendationState]]]:
        groups = [(t, [r for r in self.recommendations if r.term == t]) for t in TERM_ORDER]
        return [(t, recs) for t, recs in groups if recs]


def snapshot_at(
    session: Session, at: datetime | None, *, internal: bool, latest: Select[Any] | None = None
) -> Snapshot:
    """The plan as it stood at ``at`` (``None``: before anything was reported).

    ``latest`` selects each share's newest update at ``at`` (the columns of
    :func:`newest_updates`, which is the default: a search of the history); a kept state or
    the current one gives the same rows without the search (:mod:`.meeting_states`)."""
    # Columns, not entities: at a hundred times the plan, loading 27,000 assignments as
    # ORM objects (twice per meeting report) took longer than everything else it reads.
    org_columns = (
        Organisation.id,
        Organisation.code,
        Organisation.name,
        Organisation.name_fr,
        Organisation.position,
    )
    rows = session.execute(
        select(
            Assignment.id,
            Assignment.is_lead,
            Recommendation.id,
            Recommendation.code,
            Recommendation.term,
            Recommendation.title,
            Recommendation.text,
            *org_columns,
        )
        .join(Assignment.recommendation)
        .join(Assignment.organisation)
        .where(current_assignment_clause(at))
        .order_by(
            Recommendation.position,
            Assignment.is_lead.desc(),
            Organisation.position,
            Organisation.code,
        )
    ).all()
    organisations: dict[int, OrgRef] = {}
    recommendations: dict[int, RecommendationState] = {}
    shares: dict[int, AssignmentState] = {}
    codes: dict[int, str] = {}
    for assignment_id, is_lead, rec_id, code, term, title, text, *org in rows:
        ref = organisations.get(org[0])
        if ref is None:
            ref = organisations[org[0]] = OrgRef(*org)
        state = recommendations.get(rec_id)
        if state is None:
            state = recommendations[rec_id] = RecommendationState(
                rec_id, code, term, title, text, []
            )
        share = AssignmentState(assignment_id, ref, is_lead)
        state.shares.append(share)
        shares[assignment_id] = share
        codes[assignment_id] = code
    if at is not None:
        if latest is None:
            latest = newest_updates(at, internal)
        _apply_latest_updates(session, latest, shares)
        _apply_blockers(session, at, internal, shares, codes)
    return Snapshot(
        at,
        internal,
        list(recommendations.values()),
        sorted(organisations.values(), key=lambda o: (o.position, o.code)),
    )


def newest_updates(at: datetime, internal: bool, *conditions: Any) -> Select[Any]:
    """Each assignment's newest progress update written by ``at`` (network ones only unless
    ``internal``) among those meeting ``conditions``: one statement, a window function."""
    rank = (
        func.row_number()
        .over(
            partition_by=ProgressUpdate.assignment_id,
            order_by=(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()),
        )
        .label("rank")
    )
    inner = select(*update_columns(), rank).where(ProgressUpdate.created_at <= at, *conditions)
    if not internal:
        inner = inner.where(ProgressUpdate.visibility == Visibility.NETWORK)
    latest = inner.subquery()
    return select(latest).where(latest.c.rank == 1)


def update_columns() -> tuple[Any, ...]:
    """The columns of an update that a snapshot reads (those :func:`newest_updates` gives)."""
    return (
        ProgressUpdate.id,
        ProgressUpdate.assignment_id,
        ProgressUpdate.status,
        ProgressUpdate.progress,
        ProgressUpdate.narrative,
        ProgressUpdate.created_at,
        ProgressUpdate.visibility,
    )


def _apply_latest_updates(
    session: Session, latest: Select[Any], shares: dict[int, AssignmentState]
) -> None:
    """Each assignment's latest update, as ``latest`` selects them."""
    for row in session.execute(latest):
        share = shares.get(row.assignment_id)
        if share is None:
            continue
        share.status = row.status
        share.progress = row.progress
        share.narrative = row.narrative or ""
        share.reported_at = row.created_at
        share.restricted = row.visibility != Visibility.NETWORK


def _apply_blockers(
    session: Session,
    at: datetime,
    internal: bool,
    shares: dict[int, AssignmentState],
    codes: dict[int, str],
) -> None:
    """Blockers raised by ``at`` with their status at ``at``, from their events (two
    statements)."""
    stmt = select(Blocker).where(Blocker.raised_at <= at).order_by(Blocker.raised_at, Blocker.id)
    if not internal:
        stmt = stmt.where(Blocker.visibility == Visibility.NETWORK)
    blockers = list(session.scalars(stmt))
    if not blockers:
        return
    events: dict[int, list[BlockerEvent]] = {}
    ids = [b.id for b in blockers]
    for start in range(0, len(ids), 5000):
        for event in session.scalars(
            select(BlockerEvent)
            .where(BlockerEvent.blocker_id.in_(ids[start : start + 5000]))
            .where(BlockerEvent.created_at <= at)
            .order_by(BlockerEvent.created_at, BlockerEvent.id)
        ):
            events.setdefault(event.blocker_id, []).append(event)
    for blocker in blockers:
        share = shares.get(blocker.assignment_id)
        if share is None:
            continue
        history = events.get(blocker.id, [])
        status = history[-1].status_after if history else BlockerStatus.OPEN
        last_event_at = history[-1].created_at if history else None
        # Older data resolved a blocker without an event: its resolution time still counts.
        if (
            blocker.resolved_at is not None
            and blocker.resolved_at <= at
            and (last_event_at is None or last_event_at <= blocker.resolved_at)
        ):
            status = BlockerStatus.RESOLVED
        comments = [e.comment for e in history if e.comment]
        share.blockers.append(
            BlockerState(
                blocker.id,
                blocker.assignment_id,
                codes[blocker.assignment_id],
                share.organisation,
                blocker.category,
                blocker.description,
                blocker.raised_at,
                status,
                blocker.visibility != Visibility.NETWORK,
                comments[-1] if comments else "",
            )
        )


def reporting_organisations(session: Session, since: datetime | None, until: datetime) -> set[int]:
    """Ids of the organisations that sent any update in (since, until] — restricted ones
    included: that an organisation reported is not confidential, only what it said."""
    stmt = (
        select(Assignment.organisation_id)
        .join(ProgressUpdate, ProgressUpdate.assignment_id == Assignment.id)
        .where(ProgressUpdate.created_at <= until)
        .distinct()
    )
    if since is not None:
        stmt = stmt.where(ProgressUpdate.created_at > since)
    return set(session.scalars(stmt))


@dataclass
class Change:
    recommendation: RecommendationState
    share: AssignmentState
    before: AssignmentState


# Per term: (term, progress at the previous cut-off, progress now, count of each status now).
TermProgress = tuple[str, int, int, Counter[str]]


@dataclass
class Comparison:
    """What changed between the previous meeting's cut-off and this one's."""

    current: Snapshot
    previous: Snapshot
    moved: list[Change]
    newly_completed: list[Change]
    newly_blocked: list[Change]
    unblocked: list[Change]
    not_reported: list[OrgRef]

    def term_progress(self) -> list[TermProgress]:
        """Per term: average progress before and now, and the count of each status now."""
        result = []
        before = {r.id: r for r in self.previous.recommendations}
        for term, recs in self.current.by_term():
            now_avg = round(sum(r.rollup.progress for r in recs) / len(recs))
            prev = [before[r.id] for r in recs if r.id in before]
            prev_avg = round(sum(r.rollup.progress for r in prev) / len(prev)) if prev else 0
            statuses = Counter(s.status for r in recs for s in r.shares)
            result.append((term, prev_avg, now_avg, statuses))
        return result


def compare(session: Session, current: Snapshot, previous: Snapshot) -> Comparison:
    """Compare two snapshots of the same kind (both internal, or both for circulation)."""
    before = previous.by_assignment()
    moved, completed, blocked, unblocked = [], [], [], []
    for rec, share in current.shares():
        old = before.get(share.assignment_id) or AssignmentState(
            share.assignment_id, share.organisation, share.is_lead
        )
        change = Change(rec, share, old)
        if share.status != old.status:
            moved.append(change)
            if share.status == Status.COMPLETED:
                completed.append(change)
        if share.open_blockers and not old.open_blockers:
            blocked.append(change)
        if old.open_blockers and not share.open_blockers:
            unblocked.append(change)
    not_reported: list[OrgRef] = []
    if current.at is not None:
        reported = reporting_organisations(session, previous.at, current.at)
        not_reported = [o for o in current.organisations if o.id not in reported]
    return Comparison(current, previous, moved, completed, blocked, unblocked, not_reported)
