"""The current view of the dashboard as CSV or XLSX, with the page's numbers.

Written through :mod:`workplan.exports.tabular`, so a narrative starting with ``=`` stays
text in every spreadsheet program.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask_babel import gettext as _

from workplan.dashboard.queries import column_group
from workplan.dashboard.summary import STATUS_SEQUENCE, Summary, region_label, reported_since
from workplan.display import STATUS_LABELS, TERM_SHORT_LABELS, label
from workplan.exports.tabular import Cell, Sheet, csv_bytes, xlsx_bytes
from workplan.models import Blocker
from workplan.reporting.labels import BLOCKER_STATUS_LABELS, CATEGORY_LABELS


def _shares_header() -> list[str]:
    return [
        _("Term"),
        _("Recommendation"),
        _("Title"),
        _("Organisation"),
        _("Region"),
        _("Lead"),
        _("Status"),
        _("Progress (%)"),
        _("Last update"),
        _("Reported since the cut-off"),
        _("Open blockers"),
        _("Latest narrative"),
        _("Recommendation status"),
        _("Recommendation progress (%)"),
    ]


def _share_rows(summary: Summary) -> Iterator[list[Cell]]:
    cutoff = summary.state.cutoff.at
    # Labels are translated once, not once per line (an export may have thousands).
    statuses = {code: str(name) for code, name in STATUS_LABELS.items()}
    terms = {code: str(name) for code, name in TERM_SHORT_LABELS.items()}
    regions = {o.id: region_label(column_group(o)) for o in summary.state.organisations}
    for rec in summary.recommendations:
        for row in rec.shares:
            yield [
                terms.get(rec.rec.term, rec.rec.term),
                rec.rec.code,
                rec.rec.title,
                row.org.code,
                regions[row.org.id],
                row.is_lead,
                statuses.get(row.state.status, row.state.status),
                row.state.progress,
                row.state.last_update_at,
                reported_since(row, cutoff),
                row.open_blockers,
                row.state.narrative,
                statuses.get(rec.rollup.status, rec.rollup.status),
                rec.rollup.progress,
            ]


def _terms_sheet(summary: Summary) -> Sheet:
    header = [_("Term"), _("Recommendations")]
    for status in STATUS_SEQUENCE:
        header += [str(STATUS_LABELS[status]), _("%(status)s (%%)", status=STATUS_LABELS[status])]
    header += [_("Shares"), _("Progress (%)")]
    rows = []
    for term in [*summary.terms, summary.totals]:
        name = _("All terms") if term.term == "all" else label(TERM_SHORT_LABELS, term.term)
        row: list[Cell] = [name, term.count]
        for status in STATUS_SEQUENCE:
            row += [term.by_status.get(status, 0), term.percent(status)]
        rows.append([*row, term.share_count, term.progress])
    return Sheet(_("By term"), header, rows, widths={0: 16})


def _organisations_sheet(summary: Summary) -> Sheet:
    return Sheet(
        _("Organisations"),
        [
            _("Organisation"),
            _("Region"),
            _("Shares"),
            _("Updated since the cut-off"),
            _("Not updated"),
            _("Updated (%)"),
            _("Open blockers"),
            _("Last update"),
        ],
        [
            [
                o.org.code,
                region_label(column_group(o.org)),
                o.shares,
                o.updated,
                o.not_updated,
                o.percent_updated,
                o.blockers,
                o.last_update_at,
            ]
            for o in summary.organisations
        ],
        widths={1: 20, 7: 18},
    )


def _blockers_sheet(blockers: list[Blocker]) -> Sheet:
    return Sheet(
        _("Blockers"),
        [
            _("Raised"),
            _("Recommendation"),
            _("Organisation"),
            _("Category"),
            _("Status"),
            _("Description"),
        ],
        [
            [
                b.raised_at,
                b.assignment.recommendation.code,
                b.assignment.organisation.code,
                label(CATEGORY_LABELS, b.category),
                label(BLOCKER_STATUS_LABELS, b.status),
                b.description,
            ]
            for b in blockers
        ],
        widths={0: 18, 5: 60},
    )


def export_csv(summary: Summary) -> bytes:
    """One line per share in the view."""
    return csv_bytes(_shares_header(), _share_rows(summary))


def export_xlsx(summary: Summary, blockers: list[Blocker]) -> bytes:
    """The shares of the view, then the figures by term, by organisation, and the view's
    open ``blockers`` (loaded by the caller)."""
    return xlsx_bytes(
        [
            Sheet(_("Shares"), _shares_header(), _share_rows(summary), widths={2: 40, 11: 60}),
            _terms_sheet(summary),
            _organisations_sheet(summary),
            _blockers_sheet(blockers),
        ]
    )


def export_name(extension: str, now: datetime) -> str:
    return f"workplan-dashboard-{now:%Y-%m-%d}.{extension}"
