"""The matrix Annex II asks for: recommendations (rows, by term) by organisations (columns,
regional mechanisms by region, then the OHCHR units).

A plan of a few dozen recommendations fits on one page; a much larger one (the benchmarks go
to thousands) is shown :data:`ROWS_PER_PAGE` recommendations at a time, so that a page stays
something a browser can render. The exports always hold the whole view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from workplan.dashboard.queries import ShareRow, column_group
from workplan.dashboard.summary import RecSummary, Summary
from workplan.models import Organisation

ROWS_PER_PAGE = 100
# A cell where the organisation has a share that the filters leave out of the view.
OUTSIDE = "outside"


@dataclass(frozen=True)
class Cell:
    """A share in the view, with what its cell shows beyond the share itself."""

    share: ShareRow
    url: str  # the share's page
    age: str  # time since the last report, "" when never reported


@dataclass(frozen=True)
class ColumnGroup:
    key: str  # a region, or "ohchr"
    organisations: list[Organisation]


@dataclass(frozen=True)
class MatrixRow:
    rec: RecSummary
    cells: list[Cell | str | None]  # a share in the view, OUTSIDE, or None (no share)


@dataclass(frozen=True)
class TermBlock:
    term: str
    rows: list[MatrixRow]


@dataclass(frozen=True)
class Matrix:
    groups: list[ColumnGroup]
    columns: list[Organisation]
    terms: list[TermBlock]
    page: int
    pages: int
    first: int  # 1-based position of the page's first recommendation in the view
    last: int
    total: int  # recommendations in the view


def build_matrix(
    summary: Summary,
    page: int,
    share_url: Callable[[str, str], str],
    age: Callable[[datetime | None], str],
) -> Matrix:
    """One page of the matrix of the view: the recommendations with a share in it, and the
    organisations the region and organisation filters keep. ``share_url(rec_code,
    org_code)`` and ``age(moment)`` give each cell's link and age."""
    columns = summary.columns
    groups = [ColumnGroup(key, list(orgs)) for key, orgs in groupby(columns, key=column_group)]
    total = len(summary.recommendations)
    pages = max(1, -(-total // ROWS_PER_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * ROWS_PER_PAGE
    shown = summary.recommendations[start : start + ROWS_PER_PAGE]
    every_share = {(r.rec.id, r.org.id) for r in summary.state.shares}
    in_view = {(r.rec.id, r.org.id): r for r in summary.rows}
    ages: dict[int, str] = {}  # many cells share an age in days: format each once

    def cell(share: ShareRow) -> Cell:
        at = share.state.last_update_at
        key = -1 if at is None else (summary.state.now - at).days
        if key not in ages:
            ages[key] = age(at)
        return Cell(share, share_url(share.rec.code, share.org.code), ages[key])

    terms = []
    for term, recs in groupby(shown, key=lambda r: r.rec.term):
        rows = []
        for rec in recs:
            cells: list[Cell | str | None] = []
            for org in columns:
                key = (rec.rec.id, org.id)
                share = in_view.get(key)
                if share is not None:
                    cells.append(cell(share))
                else:
                    cells.append(OUTSIDE if key in every_share else None)
            rows.append(MatrixRow(rec, cells))
        terms.append(TermBlock(term, rows))
    return Matrix(groups, columns, terms, page, pages, start + 1, start + len(shown), total)
