"""Render a report's tables as an XLSX workbook people can work with, or as a CSV file.

One sheet per section, each with the report's title (and, in an internal version, the
restricted marking) above a bold header row; the header and the code column stay frozen, an
autofilter sits on the header, columns are as wide as their content, dates are dates (shown in
the reader's locale), progress is a percentage, and printing repeats the header on every page
and fits the width to the paper. User text stays text (no formula is ever evaluated), as in
:mod:`workplan.exports.tabular`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import copy
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from workplan.exports.tabular import csv_bytes, is_formula_like
from workplan.reports.document import Report, Table, Words
from workplan.reports.rich import Rich, normalise_newlines

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=12)
MARK = Font(bold=True, color="C00000")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
RESTRICTED_FILL = PatternFill("solid", fgColor="FCE4D6")
# Built-in formats 14 and 22: Excel and LibreOffice show them in the reader's own locale.
DATE_FORMAT = "mm-dd-yy"
DATETIME_FORMAT = "m/d/yy h:mm"
PERCENT_FORMAT = "0%"
WIDEST = 60  # characters: longer text wraps
SAMPLE = 2000  # rows measured for the widths


def _plain(value: object, words: Words | None = None) -> object:
    if isinstance(value, bool) and words is not None:
        return words.yes if value else words.no
    if isinstance(value, Rich):
        return str(value)
    if isinstance(value, str):
        return normalise_newlines(value)
    return value


def _is_restricted(value: object, flag: str) -> bool:
    return isinstance(value, Rich) and str(value).startswith(flag)


def _widths(table: Table) -> list[float]:
    widths = []
    for index, title in enumerate(table.header):
        # The header is not wrapped (a write-only sheet cannot grow its row to fit).
        longest = len(str(title))
        for row in table.rows[:SAMPLE]:
            value = row[index] if index < len(row) else None
            if isinstance(value, datetime):
                length = 16
            elif isinstance(value, date):
                length = 11
            else:
                value_text = str(_plain(value) if value is not None else "")
                length = max((len(line) for line in value_text.split("\n")), default=0)
            longest = max(longest, length)
        widths.append(min(WIDEST, longest + 2))
    return widths


# Each distinct cell style, registered once per workbook: openpyxl hashes a style object on
# every assignment, which was a fifth of the time of a workbook with a hundred thousand rows.
_Style = tuple[str, Alignment | None, bool]


def _styled(ws, cell: WriteOnlyCell, style: _Style) -> WriteOnlyCell:  # type: ignore[no-untyped-def]
    cache = ws.parent.__dict__.setdefault("_report_styles", {})
    found = cache.get(style)
    if found is None:
        number_format, alignment, restricted = style
        if number_format:
            cell.number_format = number_format
        if alignment is not None:
            cell.alignment = alignment
        if restricted:
            cell.fill = RESTRICTED_FILL
        cache[style] = copy(cell._style)
    else:
        cell._style = copy(found)
    return cell


def _cell(ws, value: object, kind: str, restricted: bool, words: Words) -> WriteOnlyCell:  # type: ignore[no-untyped-def]
    value = _plain(value, words)
    if kind == "percent" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _styled(ws, WriteOnlyCell(ws, value=value / 100), (PERCENT_FORMAT, None, False))
    if isinstance(value, datetime):
        # Spreadsheet programs know no time zones: UTC wall-clock time.
        cell = WriteOnlyCell(ws, value=value.replace(tzinfo=None))
        return _styled(ws, cell, (DATETIME_FORMAT, None, False))
    cell = WriteOnlyCell(ws, value=value)
    if is_formula_like(cell.value) or cell.data_type == "f":
        cell.data_type = "s"  # stored as text, shown exactly as typed
    alignment = None
    if isinstance(value, str):
        alignment = WRAP if len(value) > WIDEST or "\n" in value else TOP
    number_format = DATE_FORMAT if isinstance(value, date) else ""
    if not (number_format or alignment or restricted):
        return cell
    return _styled(ws, cell, (number_format, alignment, restricted))


def _sheet(workbook: Workbook, report: Report, table: Table, name: str) -> None:
    flag = f"[{report.words.restricted_flag}]"
    ws = workbook.create_sheet(title=name[:31])
    columns = len(table.header)
    last = get_column_letter(max(columns, 1))
    header_row = 2
    end_row = header_row + len(table.rows)
    kinds = list(table.kinds) + [""] * (columns - len(table.kinds))
    # Everything about the sheet's layout is written before its rows (write-only mode).
    ws.freeze_panes = f"{'B' if kinds[0] == 'code' else 'A'}{header_row + 1}"
    for index, width in enumerate(_widths(table)):
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    if table.rows:
        ws.auto_filter.ref = f"A{header_row}:{last}{end_row}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    mark = report.words.restricted_mark if report.restricted else ""
    ws.oddHeader.center.text = mark or report.title
    ws.oddHeader.right.text = report.heading_block.symbol
    ws.oddFooter.center.text = "&P / &N"
    title = WriteOnlyCell(ws, value=report.title + (f" — {mark}" if mark else ""))
    title.font = MARK if mark else TITLE
    ws.append([title])
    header = []
    for value in table.header:
        cell = WriteOnlyCell(ws, value=str(value))
        cell.font = BOLD
        header.append(cell)
    ws.append(header)
    for row in table.rows:
        restricted = report.restricted and any(_is_restricted(v, flag) for v in row)
        ws.append(
            [_cell(ws, v, k, restricted, report.words) for v, k in zip(row, kinds, strict=False)]
        )
    if table.legend:
        ws.append([])
        ws.append([table.legend])


def render_xlsx(report: Report) -> bytes:
    """One worksheet per section of the report (its tables, the update log included)."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in report.sheets:
        name = (table.sheet or table.title or "Sheet")[:31]
        while name in used:
            name = name[:28] + f" {len(used)}"
        used.add(name)
        _sheet(workbook, report, table, name)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_rows(rows: Sequence[Sequence[object]], words: Words) -> list[list[object]]:
    return [[_plain(v, words) for v in row] for row in rows]


def render_csv(report: Report) -> bytes:
    """The report's main table (one row per assignment, or per blocker) as CSV."""
    table = report.csv
    if table is None:
        return csv_bytes([], [])
    return csv_bytes(table.header, _csv_rows(table.rows, report.words))  # type: ignore[arg-type]
