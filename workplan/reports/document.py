"""One format-neutral model of a report, built once and rendered as Word, PDF, XLSX or CSV.

A :class:`Report` is a title, a heading block (the lines at the top of a UN document), a list
of blocks (headings, numbered paragraphs, tables) and the tables a spreadsheet gets as sheets.
The builders here (:mod:`workplan.reports.kinds`) decide *what* a report says; the renderers
only decide how it looks, so the four formats never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from workplan.exports.tabular import Cell


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: a numbered section ("I. ..."), 2: a sub-section


@dataclass
class Paragraph:
    text: str
    number: int | None = None  # UN documents number their paragraphs
    style: str = "body"  # body | note | item


@dataclass
class Table:
    title: str
    header: Sequence[str]
    rows: list[Sequence[Cell]]
    widths: Sequence[float] = ()  # relative column widths for Word and PDF
    sheet: str = ""  # the worksheet's name when the table is also a sheet


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | Table | PageBreak


@dataclass
class Report:
    """A report, ready to render."""

    title: str
    language: str
    restricted: bool
    heading_block: list[str]  # body, distribution, date, language, symbol
    filename_stem: str
    blocks: list[Block] = field(default_factory=list)
    sheets: list[Table] = field(default_factory=list)  # XLSX sheets, in order
    csv: Table | None = None  # the one table a CSV export holds
    summary: list[str] = field(default_factory=list)
    _paragraphs: int = 0

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append(Heading(text, level))

    def paragraph(self, text: str, *, numbered: bool = True, style: str = "body") -> None:
        number = None
        if numbered:
            self._paragraphs += 1
            number = self._paragraphs
        self.blocks.append(Paragraph(text, number, style))

    def table(self, table: Table) -> None:
        self.blocks.append(table)

    def page_break(self) -> None:
        self.blocks.append(PageBreak())

    def contents(self) -> list[Heading]:
        """The headings a table of contents lists."""
        return [b for b in self.blocks if isinstance(b, Heading)]


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def roman(n: int) -> str:
    return ROMAN[n - 1] if 0 < n <= len(ROMAN) else str(n)
