"""CSV and XLSX writing that is safe against spreadsheet formula injection.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken
for a formula by spreadsheet programs. Text written by users (a narrative, a blocker) must stay
text: in CSV such a cell is prefixed with an apostrophe (the convention spreadsheet programs
hide); in XLSX the cell is stored as a string, so it shows exactly what was typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | bool | date | datetime | None
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_cell(value: Cell, yes_no: tuple[str, str] = ("yes", "no")) -> str | int | float:
    """A value for a CSV cell: dates in ISO form, formula-like text neutralised, a truth
    value as ``yes_no`` says it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    if is_formula_like(value):
        return "'" + str(value)
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A CSV file in UTF-8 with a byte-order mark, so spreadsheet programs read accents right;
    truth values in the current (possibly forced) language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    # Translated once per file, not once per cell.
    yes_no = (_("yes"), _("no"))
    writer.writerow([csv_cell(h, yes_no) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v, yes_no) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@dataclass
class Sheet:
    """One worksheet: a title (31 characters at most), a header row and data rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    widths: dict[int, int] = field(default_factory=dict)  # column index -> width in characters


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, datetime):
        # Spreadsheet programs know no time zones: write UTC wall-clock time.
        return value.replace(tzinfo=None)
    return value


def _xlsx_cell(ws: object, value: Cell) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=_xlsx_value(value))
    if is_formula_like(cell.value) or cell.data_type == "f":
        cell.data_type = "s"  # stored as text, shown exactly as typed
    if isinstance(cell.value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(cell.value, date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(cell.value, str) and len(cell.value) > 60:
        cell.alignment = WRAP
    return cell


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook with one worksheet per sheet; header row bold and frozen.

    The workbook is written row by row (openpyxl's write-only mode), so time and memory grow
    linearly with the number of rows.
    """
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.title[:31])
        # Panes and widths belong to the sheet's header in the file: set before any row.
        ws.freeze_panes = "A2"
        for index, width in sheet.widths.items():
            ws.column_dimensions[get_column_letter(index + 1)].width = width
        header = []
        for title in sheet.header:
            cell = WriteOnlyCell(ws, value=title)
            cell.font = BOLD
            header.append(cell)
        ws.append(header)
        for row in sheet.rows:
            ws.append([_xlsx_cell(ws, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
