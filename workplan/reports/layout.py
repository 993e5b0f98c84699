"""What Word and PDF share about the look of a report: the typeface, and the width of each
table column measured from its content, so that no word is ever split inside a cell.

Both formats use Source Serif Pro (the ``font-source-serif-pro`` package ships it; it covers
French). The widths are measured with that font's own metrics through fpdf2, so a column is
as wide in Word as in the PDF. When the narrowest columns that keep every word whole do not
fit the page, the table's type is made smaller; a table that still does not fit (a very long
word) falls back to widths in proportion to its content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import font_source_serif_pro
from fpdf import FPDF

from workplan.reports.document import Table
from workplan.reports.language import cell_text
from workplan.reports.rich import Line, Rich, Span, normalise_newlines

FAMILY = "Source Serif Pro"  # the name Word and LibreOffice look the font up by
PDF_FAMILY = "SourceSerif"
FONT_DIR = Path(font_source_serif_pro.font_directory)
FONT_FILES = {
    "": "SourceSerifPro-Regular.ttf",
    "B": "SourceSerifPro-Bold.ttf",
    "I": "SourceSerifPro-It.ttf",
    "BI": "SourceSerifPro-BoldIt.ttf",
}
TABLE_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)  # points, the largest that fits wins
CELL_PAD = 1.2  # mm each side of a cell's text
SLACK = 0.6  # mm: what a renderer's rounding or hinting may add to a word
LONGEST_LINE = 70.0  # mm: a long text wraps rather than claim the whole page
HEADING_SIZES = {1: 13, 2: 11.5, 3: 10.5}  # points, by heading level
# The typeface has no narrow no-break space (U+202F, before a French colon or percent sign):
# the PDF prints a no-break space instead, which keeps "96 %" on one line all the same.
# (Word and LibreOffice take the glyph from another font.)
_PRINTABLE = str.maketrans({"\u202f": "\u00a0"})


class PrintPDF(FPDF):
    """fpdf2 with the report's typeface's missing glyphs replaced (see ``_PRINTABLE``)."""

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(text.translate(_PRINTABLE))


def font_files() -> dict[str, Path]:
    """The font files by style ("", "B", "I", "BI"); bold italic falls back to bold."""
    found = {}
    for style, name in FONT_FILES.items():
        path = FONT_DIR / name
        if not path.exists():
            path = FONT_DIR / FONT_FILES["B" if "B" in style else ""]
        found[style] = path
    return found


def as_rich(value: object, language: str) -> Rich:
    """A cell as styled text: styled text as it is, anything else as printed plainly."""
    if isinstance(value, Rich):
        return value
    value_text = normalise_newlines(cell_text(value, language))
    return Rich(tuple(Line((Span(line),) if line else ()) for line in value_text.split("\n")))


def table_cells(table: Table, language: str) -> tuple[list[Rich], list[list[Rich]]]:
    """The header and the rows of ``table`` as styled text, each row exactly as long as the
    header (short rows padded with empty cells)."""
    count = len(table.header)
    header = [as_rich(str(h), language) for h in table.header]
    rows = [
        [as_rich(v, language) for v in [*values, *[""] * (count - len(values))][:count]]
        for values in table.rows
    ]
    return header, rows


class Measure:
    """Widths of words in millimetres, measured once per word, style and size."""

    def __init__(self) -> None:
        self.pdf = PrintPDF(unit="mm")
        for style, path in font_files().items():
            self.pdf.add_font(PDF_FAMILY, style, str(path))
        self.cache: dict[tuple[str, str, float], float] = {}

    def word(self, word: str, style: str, size: float) -> float:
        key = (word, style, size)
        found = self.cache.get(key)
        if found is None:
            self.pdf.set_font(PDF_FAMILY, style, size)
            found = self.cache[key] = self.pdf.get_string_width(word)
        return found


@lru_cache(maxsize=1)
def measure() -> Measure:
    return Measure()


def span_style(span: Span, bold: bool = False) -> str:
    return ("B" if span.bold or bold else "") + ("I" if span.italic else "")


@dataclass(frozen=True)
class Columns:
    size: float  # points
    widths: list[float]  # mm


def _column_needs(
    cells: Sequence[Rich], header: str, size: float, m: Measure
) -> tuple[float, float]:
    """(the widest word, the longest line capped) of a column, in mm."""
    widest = 0.0
    longest = 0.0
    for word in header.split():
        widest = max(widest, m.word(word, "B", size))
    longest = m.word(header, "B", size) if header else 0.0
    space = m.word(" ", "", size)
    for rich in cells:
        for line in rich.lines:
            length = m.word(line.bullet, "", size) + space if line.bullet else 0.0
            for span in line.spans:
                style = span_style(span)
                for word in span.text.split(" "):
                    if word:
                        w = m.word(word, style, size)
                        widest = max(widest, w)
                        length += w + space
            longest = max(longest, length)
    return widest, min(max(longest, widest), LONGEST_LINE)


def columns(table: Table, cells: list[list[Rich]], total: float) -> Columns:
    """Column widths filling ``total`` mm with no word split, at the largest size that fits."""
    m = measure()
    count = len(table.header)
    by_column = [[row[i] for row in cells] for i in range(count)]
    extra = 2 * CELL_PAD + SLACK
    for size in TABLE_SIZES:
        needs = [_column_needs(by_column[i], str(table.header[i]), size, m) for i in range(count)]
        least = [w + extra for w, _ in needs]
        natural = [n + extra for _, n in needs]
        if sum(least) > total and size != TABLE_SIZES[-1]:
            continue
        if sum(least) > total:  # does not fit even small: keep the proportions
            return Columns(size, [total * w / sum(natural) for w in natural])
        if sum(natural) <= total:
            return Columns(size, [total * w / sum(natural) for w in natural])
        room = total - sum(least)
        wanted = sum(n - w for n, w in zip(natural, least, strict=True)) or 1.0
        return Columns(
            size,
            [w + room * (n - w) / wanted for n, w in zip(natural, least, strict=True)],
        )
    raise AssertionError("unreachable")  # pragma: no cover
