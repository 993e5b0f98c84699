"""Render a report's tables as an XLSX workbook or a CSV file, through the formula-safe
writers of :mod:`workplan.exports.tabular`."""

from __future__ import annotations

from workplan.exports.tabular import Sheet, csv_bytes, xlsx_bytes
from workplan.reports.document import Report
from workplan.reports.wording import text


def render_xlsx(report: Report) -> bytes:
    """One worksheet per table of the report (Summary, Matrix, Updates, Blockers...)."""
    sheets = []
    if report.restricted:
        # A workbook has no page header people see on screen: the marking is its first sheet.
        marking = text(report.language, "restricted_mark")
        sheets.append(Sheet(marking, [marking], [[report.title]], widths={0: 60}))
    for table in report.sheets:
        widths = {i: 14 for i in range(len(table.header))}
        widths[0] = 22
        sheets.append(
            Sheet(table.sheet or table.title or "Sheet", table.header, table.rows, widths)
        )
    return xlsx_bytes(sheets)


def render_csv(report: Report) -> bytes:
    """The report's main table (one row per assignment, or per blocker) as CSV."""
    table = report.csv
    if table is None:
        return csv_bytes([], [])
    return csv_bytes(table.header, table.rows)
