"""The dashboard's figures, aggregated by the database over each share's kept state.

The dashboard page shows counts (by term and status, by organisation, not reported since
the cut-off) and the oldest open blockers: none of it needs the shares one by one, so the
database groups them (GROUP BY over the state kept on each assignment, read through
:func:`workplan.state.visibility.visible_columns`) and the page reads a few rows per term and
per organisation whatever the size of the plan. The filters are the same as the matrix's
(:func:`workplan.dashboard.summary.matches`, here in SQL), and so is the roll-up
(:mod:`workplan.state.rollup`, both forms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from workplan.dashboard.filters import OHCHR_REGION, Filters
from workplan.dashboard.queries import Cutoff, cutoff_for
from workplan.dashboard.summary import OrgSummary, TermSummary, column_matches, total_of
from workplan.models import (
    OPEN_BLOCKER_STATUSES,
    Assignment,
    Blocker,
    Organisation,
    OrgKind,
    Recommendation,
    Status,
)
from workplan.models.base import utcnow
from workplan.models.plan import TERM_ORDER
from workplan.state.rollup import rollup_status_sql, round_half_up_sql, share_progress_sql
from workplan.state.scope import current_assignment_clause
from workplan.state.visibility import visible_clause, visible_columns


@dataclass
class Figures:
    """What the dashboard page shows, for one viewer and one set of filters."""

    filters: Filters
    cutoff: Cutoff
    now: datetime
    terms: list[TermSummary]
    organisations: list[OrgSummary]  # in the view, with shares, in the network's order
    blocker_count: int  # open blockers of the shares in the view
    oldest_blocker_ids: list[int]  # the first of them, oldest first

    @property
    def totals(self) -> TermSummary:
        return total_of(self.terms)

    @property
    def not_reported(self) -> list[OrgSummary]:
        """Organisations with shares in the view and no report on any since the cut-off."""
        return [o for o in self.organisations if o.shares and not o.updated]


def _open_blockers(viewer: Any) -> Any:
    """Per assignment, how many open blockers ``viewer`` may see (a derived table)."""
    return (
        select(Blocker.assignment_id, func.count(Blocker.id).label("count"))
        .join(Assignment, Blocker.assignment_id == Assignment.id)
        .where(
            Blocker.status.in_(OPEN_BLOCKER_STATUSES),
            visible_clause(Blocker.visibility, Assignment.organisation_id, viewer),
        )
        .group_by(Blocker.assignment_id)
        .subquery("open_blockers")
    )


def _reported_since(at: Any, cutoff: datetime | None) -> ColumnElement[bool]:
    """:func:`workplan.dashboard.summary.reported_since` in SQL."""
    if cutoff is None:
        return at.is_not(None)
    return and_(at.is_not(None), at >= cutoff)


def _conditions(
    filters: Filters, status: Any, at: Any, blockers: Any, cutoff: datetime | None, now: datetime
) -> list[ColumnElement[bool]]:
    """:func:`workplan.dashboard.summary.matches` in SQL, over the shares of the current plan."""
    found: list[ColumnElement[bool]] = [current_assignment_clause()]
    if filters.term:
        found.append(Recommendation.term == filters.term)
    if filters.region == OHCHR_REGION:
        found.append(Organisation.kind == OrgKind.OHCHR)
    elif filters.region:
        found.append(
            and_(
                Organisation.kind != OrgKind.OHCHR,
                func.coalesce(Organisation.region, "") == filters.region,
            )
        )
    if filters.org:
        found.append(Organisation.code == filters.org)
    if filters.status:
        found.append(status == filters.status)
    if filters.lead:
        found.append(Assignment.is_lead.is_(True))
    if filters.blocked:
        found.append(blockers > 0)
    stale_before = filters.stale_before(now)
    if stale_before is not None:
        found.append(or_(at.is_(None), at < stale_before))
    if filters.not_reported:
        found.append(~_reported_since(at, cutoff))
    return found


def dashboard_figures(
    session: Session,
    viewer: Any,
    filters: Filters,
    organisations: list[Organisation],
    now: datetime | None = None,
    *,
    queue_length: int = 50,
) -> Figures:
    """The figures of the dashboard as ``viewer`` may see them: the last meeting, then one
    grouped statement each for the terms (recommendations by rolled-up status, shares by
    status), the organisations and the oldest open blockers, whatever the plan's size.
    ``organisations`` are every organisation in the network's order."""
    now = now or utcnow()
    cutoff = cutoff_for(session, filters, now)
    status, progress, at, _update_id = visible_columns(viewer)
    open_blockers = _open_blockers(viewer)
    blocker_count = func.coalesce(open_blockers.c.count, 0)
    shares = (
        select(
            Assignment.id.label("assignment_id"),
            Assignment.recommendation_id.label("rec_id"),
            Assignment.organisation_id.label("org_id"),
            Recommendation.term.label("term"),
            status.label("status"),
            share_progress_sql(status, progress).label("progress"),
            at.label("at"),
            blocker_count.label("blockers"),
        )
        .join(Recommendation, Assignment.recommendation_id == Recommendation.id)
        .join(Organisation, Assignment.organisation_id == Organisation.id)
        .outerjoin(open_blockers, open_blockers.c.assignment_id == Assignment.id)
        .where(*_conditions(filters, status, at, blocker_count, cutoff.at, now))
        .subquery("shares")
    )

    counts = {s: func.sum(case((shares.c.status == s.value, 1), else_=0)) for s in Status}
    per_rec = (
        select(
            shares.c.term,
            func.count().label("n"),
            func.sum(shares.c.progress).label("total"),
            *[c.label(f"n_{s.value}") for s, c in counts.items()],
        )
        .group_by(shares.c.rec_id, shares.c.term)
        .subquery("per_recommendation")
    )
    by_status = {s: per_rec.c[f"n_{s.value}"] for s in Status}
    rolled = select(
        per_rec.c.term,
        rollup_status_sql(per_rec.c.n, by_status).label("status"),
        round_half_up_sql(per_rec.c.total, per_rec.c.n).label("progress"),
        *by_status.values(),
    ).subquery("rolled_up")
    # Per term and rolled-up status: recommendations, their progress, and their shares by
    # status (summed per term below: a few rows per term).
    by_term: dict[str, TermSummary] = {}
    for term, state, count, total, *share_counts in session.execute(
        select(
            rolled.c.term,
            rolled.c.status,
            func.count(),
            func.sum(rolled.c.progress),
            *[func.sum(rolled.c[f"n_{s.value}"]) for s in Status],
        ).group_by(rolled.c.term, rolled.c.status)
    ):
        item = by_term.setdefault(term, TermSummary(term, 0, 0, {}, {}))
        item.count += count
        item.progress_total += int(total or 0)
        item.by_status[state] = count
        for s, n in zip(Status, share_counts, strict=True):
            if n:
                item.shares_by_status[s.value] = item.shares_by_status.get(s.value, 0) + int(n)
    terms = [by_term[term] for term in TERM_ORDER if term in by_term]

    reported = func.sum(case((_reported_since(shares.c.at, cutoff.at), 1), else_=0))
    per_org = {
        org_id: (count, int(updated or 0), int(blockers or 0), last)
        for org_id, count, updated, blockers, last in session.execute(
            select(
                shares.c.org_id,
                func.count(),
                reported,
                func.sum(shares.c.blockers),
                func.max(shares.c.at),
            ).group_by(shares.c.org_id)
        )
    }
    summaries = [
        OrgSummary(org, *per_org[org.id])
        for org in organisations
        if column_matches(org, filters) and org.id in per_org
    ]
    oldest = list(
        session.scalars(
            select(Blocker.id)
            .join(shares, shares.c.assignment_id == Blocker.assignment_id)
            .join(Assignment, Blocker.assignment_id == Assignment.id)
            .where(
                Blocker.status.in_(OPEN_BLOCKER_STATUSES),
                visible_clause(Blocker.visibility, Assignment.organisation_id, viewer),
            )
            .order_by(Blocker.raised_at, Blocker.id)
            .limit(queue_length)
        )
    )
    return Figures(
        filters,
        cutoff,
        now,
        terms,
        summaries,
        sum(o.blockers for o in summaries),
        oldest,
    )
