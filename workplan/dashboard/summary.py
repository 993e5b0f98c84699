"""The dashboard's figures, computed from the shares a viewer may see (no database access).

The page, the matrix and the exports all take their numbers from here, so that a spreadsheet
opened from an export shows what the page showed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from flask_babel import gettext as _

from workplan.dashboard.filters import OHCHR_REGION, Filters
from workplan.dashboard.queries import (
    Cutoff,
    OpenBlocker,
    PlanState,
    RecRef,
    ShareRow,
    column_group,
)
from workplan.localised import region_name
from workplan.models import Organisation, Status
from workplan.models.plan import TERM_ORDER
from workplan.state.rollup import Rollup, Share, rollup, round_half_up

# Statuses in the order of the plan's life, for tables and charts.
STATUS_SEQUENCE = [
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.ON_HOLD,
    Status.ONGOING,
    Status.COMPLETED,
]


def reported_since(row: ShareRow, cutoff: datetime | None) -> bool:
    """Whether the share has a (visible) report after the cut-off; with no cut-off, whether
    it was ever reported."""
    at = row.state.last_update_at
    return at is not None and (cutoff is None or at >= cutoff)


def matches(row: ShareRow, filters: Filters, cutoff: datetime | None, now: datetime) -> bool:
    """Whether a share is in the view the filters describe."""
    if filters.term and row.rec.term != filters.term:
        return False
    if filters.region and column_group(row.org) != filters.region:
        return False
    if filters.org and row.org.code != filters.org:
        return False
    if filters.status and row.state.status != filters.status:
        return False
    if filters.lead and not row.is_lead:
        return False
    if filters.blocked and not row.open_blockers:
        return False
    stale_before = filters.stale_before(now)
    if stale_before is not None:
        at = row.state.last_update_at
        if at is not None and at >= stale_before:
            return False
    return not (filters.not_reported and reported_since(row, cutoff))


def column_matches(org: Organisation, filters: Filters) -> bool:
    """Whether an organisation's column belongs in the view (region and organisation filters)."""
    if filters.region and column_group(org) != filters.region:
        return False
    return not (filters.org and org.code != filters.org)


def rollup_of(rows: list[ShareRow]) -> Rollup:
    return rollup(Share(r.state.status, r.state.progress) for r in rows)


@dataclass(frozen=True)
class RecSummary:
    rec: RecRef
    shares: list[ShareRow]
    rollup: Rollup


@dataclass
class TermSummary:
    term: str
    count: int  # recommendations
    progress_total: int  # the sum of the recommendations' progress
    by_status: dict[str, int]  # recommendations by rolled-up status
    shares_by_status: dict[str, int]  # shares by status

    @property
    def share_count(self) -> int:
        return sum(self.shares_by_status.values())

    @property
    def progress(self) -> int:
        """The average of the recommendations' progress, rounded half up."""
        return round_half_up(self.progress_total, self.count)

    def percent(self, status: str) -> int:
        """The share of the term's recommendations with that rolled-up status."""
        return round_half_up(100 * self.by_status.get(status, 0), self.count)


@dataclass
class OrgSummary:
    org: Organisation
    shares: int = 0
    updated: int = 0  # shares with a report after the cut-off
    blockers: int = 0
    last_update_at: datetime | None = None

    @property
    def not_updated(self) -> int:
        return self.shares - self.updated

    @property
    def percent_updated(self) -> int:
        return round_half_up(100 * self.updated, self.shares)


@dataclass
class Summary:
    """Everything the dashboard shows, for one viewer and one set of filters."""

    filters: Filters
    state: PlanState
    rows: list[ShareRow]  # the shares in the view
    recommendations: list[RecSummary]
    terms: list[TermSummary]
    organisations: list[OrgSummary]
    blockers: list[OpenBlocker]  # open blockers of the shares in the view, oldest first
    columns: list[Organisation] = field(default_factory=list)

    @property
    def cutoff(self) -> Cutoff:
        return self.state.cutoff

    @property
    def not_reported(self) -> list[OrgSummary]:
        """Organisations with shares in the view and no report on any since the cut-off."""
        return [o for o in self.organisations if o.shares and not o.updated]

    @property
    def totals(self) -> TermSummary:
        """All terms together."""
        return total_of(self.terms)


def total_of(terms: list[TermSummary]) -> TermSummary:
    """All terms together."""
    return TermSummary(
        "all",
        sum(t.count for t in terms),
        sum(t.progress_total for t in terms),
        _add(t.by_status for t in terms),
        _add(t.shares_by_status for t in terms),
    )


def _add(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for item in counts:
        for key, value in item.items():
            total[key] = total.get(key, 0) + value
    return total


def summarise(state: PlanState, filters: Filters) -> Summary:
    """The figures of a view: its shares, recommendations rolled up from the shares in the
    view, counts by term and status, reporting per organisation, and the blocker queue."""
    cutoff = state.cutoff.at
    rows = [r for r in state.shares if matches(r, filters, cutoff, state.now)]
    recommendations = [
        RecSummary(rec, items, rollup_of(items))
        for rec, group in groupby(rows, key=lambda r: r.rec)
        for items in [list(group)]
    ]
    terms = []
    for term in TERM_ORDER:
        recs = [r for r in recommendations if r.rec.term == term]
        if not recs:
            continue
        by_status: dict[str, int] = {}
        shares_by_status: dict[str, int] = {}
        for rec in recs:
            by_status[rec.rollup.status] = by_status.get(rec.rollup.status, 0) + 1
            for share in rec.shares:
                status = share.state.status
                shares_by_status[status] = shares_by_status.get(status, 0) + 1
        total = sum(r.rollup.progress for r in recs)
        terms.append(TermSummary(term, len(recs), total, by_status, shares_by_status))
    columns = [o for o in state.organisations if column_matches(o, filters)]
    per_org = {o.id: OrgSummary(o) for o in columns}
    for row in rows:
        item = per_org.get(row.org.id)
        if item is None:
            continue
        item.shares += 1
        item.updated += reported_since(row, cutoff)
        item.blockers += row.open_blockers
        at = row.state.last_update_at
        if at is not None and (item.last_update_at is None or at > item.last_update_at):
            item.last_update_at = at
    in_view = {r.assignment_id for r in rows}
    blockers = [b for b in state.blockers if b.assignment_id in in_view]
    return Summary(
        filters,
        state,
        rows,
        recommendations,
        terms,
        [o for o in per_org.values() if o.shares],
        blockers,
        columns,
    )


def region_label(group: str) -> str:
    """The heading of a group of columns."""
    return _("OHCHR units") if group == OHCHR_REGION else region_name(group)
