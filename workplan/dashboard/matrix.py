"""The matrix Annex II asks for: recommendations (rows, by term) by organisations (columns,
regional mechanisms by region, then the OHCHR units)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from workplan.dashboard.queries import ShareRow, column_group
from workplan.dashboard.summary import RecSummary, Summary
from workplan.models import Organisation

# A cell where the organisation has a share that the filters leave out of the view.
OUTSIDE = "outside"


@dataclass(frozen=True)
class ColumnGroup:
    key: str  # a region, or "ohchr"
    organisations: list[Organisation]


@dataclass(frozen=True)
class MatrixRow:
    rec: RecSummary
    cells: list[ShareRow | str | None]  # a share in the view, OUTSIDE, or None (no share)


@dataclass(frozen=True)
class TermBlock:
    term: str
    rows: list[MatrixRow]


@dataclass(frozen=True)
class Matrix:
    groups: list[ColumnGroup]
    columns: list[Organisation]
    terms: list[TermBlock]


def build_matrix(summary: Summary) -> Matrix:
    """The matrix of the view: only the recommendations with a share in it, and the
    organisations the region and organisation filters keep."""
    columns = summary.columns
    groups = [ColumnGroup(key, list(orgs)) for key, orgs in groupby(columns, key=column_group)]
    every_share = {(r.rec.id, r.org.id) for r in summary.state.shares}
    in_view = {(r.rec.id, r.org.id): r for r in summary.rows}
    terms = []
    for term in summary.terms:
        rows = []
        for rec in term.recommendations:
            cells: list[ShareRow | str | None] = []
            for org in columns:
                key = (rec.rec.id, org.id)
                cells.append(in_view.get(key) or (OUTSIDE if key in every_share else None))
            rows.append(MatrixRow(rec, cells))
        terms.append(TermBlock(term.term, rows))
    return Matrix(groups, columns, terms)
