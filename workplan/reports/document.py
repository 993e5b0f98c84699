"""One format-neutral model of a report, built once and rendered as Word, PDF, XLSX or CSV.

A :class:`Report` is a title, a heading block (the lines at the top of a UN document), a list
of blocks (headings, numbered paragraphs, tables) and the tables a spreadsheet gets as sheets.
The builders here (:mod:`workplan.reports.kinds`) decide *what* a report says; the renderers
only decide how it looks, so the four formats never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, overload

from workplan.exports.tabular import Cell
from workplan.i18n import language_of, typeset
from workplan.reports.rich import Line, Rich


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: a numbered section ("I. ..."), 2: a sub-section


@dataclass
class Paragraph:
    text: str
    number: int | None = None  # UN documents number their paragraphs
    style: str = "body"  # body | note | item


Row = Sequence[Any]


class DeferredRows(Sequence[Row]):
    """A table's rows, built the first time they are read.

    For the meeting report's update log: a hundred thousand rows at scale, which only the
    workbook prints; Word, PDF and CSV never read them, so they never pay for them."""

    def __init__(self, build: Callable[[], list[Row]]) -> None:
        self._build: Callable[[], list[Row]] | None = build
        self._rows: list[Row] = []

    def _get(self) -> list[Row]:
        if self._build is not None:
            self._rows, self._build = self._build(), None
        return self._rows

    def then(self, step: Callable[[list[Row]], list[Row]]) -> DeferredRows:
        """The rows passed through ``step``, still deferred."""
        return DeferredRows(lambda: step(self._get()))

    def __len__(self) -> int:
        return len(self._get())

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        return self._get()[index]

    def __iter__(self) -> Iterator[Row]:
        return iter(self._get())


@dataclass
class Table:
    """A table; a cell is a value (text, number, date) or styled text (:class:`Rich`).

    Word and PDF size the columns from their content (no word is ever split inside a cell);
    ``kinds`` tells the spreadsheet how to format a column (``date``, ``percent``, ``code``).
    """

    title: str
    header: Sequence[str]
    rows: list[Sequence[Cell | Rich]]
    sheet: str = ""  # the worksheet's name when the table is also a sheet
    kinds: Sequence[str] = ()  # per column: "" | "date" | "percent" | "code"
    legend: str = ""  # printed under the table (the matrix's symbols)


@dataclass
class PageBreak:
    """A new page; the pages that follow are landscape or portrait (the matrix annex)."""

    landscape: bool = False


@dataclass
class HeadingBlock:
    """The top of the first page of a UN document: the body on the left, the symbol and the
    distribution, date and original language on the right."""

    body: str
    meeting: str
    symbol: str
    distribution: str  # in capitals: "GENERAL" / "RESTRICTED"
    date: str  # written out
    original: str


@dataclass
class Figure:
    """A picture (PNG) printed ``width_mm`` wide, with its caption above it."""

    caption: str
    png: bytes
    width_mm: float


Block = Heading | Paragraph | Table | PageBreak | Figure


@dataclass
class Words:
    """The words the renderers print around the content (page footer, marks), translated by
    the builder so that no renderer needs the catalogue."""

    summary: str = "Summary"
    contents: str = "Contents"
    restricted_mark: str = "RESTRICTED — internal"
    restricted_flag: str = "RESTRICTED"
    page_of: str = "Page {page} of {total}"  # {page} and {total} are filled in by renderers
    yes: str = "yes"  # a true value in a spreadsheet cell (Word and PDF print a tick)
    no: str = "no"


def _set(value: object, language: str) -> object:
    """``value`` in the typography of ``language``: text and styled text; numbers, dates and
    booleans as they are."""
    if isinstance(value, str):
        return typeset(value, language)
    if isinstance(value, Rich):
        return Rich(
            tuple(
                Line(
                    tuple(replace(s, text=typeset(s.text, language)) for s in line.spans),
                    line.bullet,
                )
                for line in value.lines
            )
        )
    return value


def _set_table(table: Table, language: str) -> None:
    table.title = typeset(table.title, language)
    table.header = [typeset(str(h), language) for h in table.header]

    def set_rows(rows: Sequence[Row]) -> list[Row]:
        return [[_set(v, language) for v in row] for row in rows]

    if isinstance(table.rows, DeferredRows):
        table.rows = table.rows.then(set_rows)  # type: ignore[assignment]
    else:
        table.rows = set_rows(table.rows)  # type: ignore[assignment]
    table.sheet = typeset(table.sheet, language)
    table.legend = typeset(table.legend, language)


@dataclass
class Report:
    """A report, ready to render."""

    title: str
    language: str
    restricted: bool
    heading_block: HeadingBlock
    filename_stem: str
    blocks: list[Block] = field(default_factory=list)
    sheets: list[Table] = field(default_factory=list)  # XLSX sheets, in order
    csv: Table | None = None  # the one table a CSV export holds
    summary: list[str] = field(default_factory=list)
    words: Words = field(default_factory=Words)
    _paragraphs: int = 0
    _typeset: bool = False

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

    def figure(self, figure: Figure) -> None:
        self.blocks.append(figure)

    def page_break(self, *, landscape: bool = False) -> None:
        self.blocks.append(PageBreak(landscape))

    def typeset(self) -> None:
        """Set every text the report writes in its language's typography (French: narrow
        no-break spaces before ``: ; ! ? %``, typographic apostrophes): the catalogue's
        words, the values put into them and the focal points' own texts alike. Once."""
        if self._typeset:
            return
        self._typeset = True
        lang = self.language
        if language_of(lang) != "fr":
            return  # typeset() changes French text only: nothing to walk through
        self.title = typeset(self.title, lang)
        self.summary = [typeset(line, lang) for line in self.summary]
        for name in [f.name for f in fields(self.words)]:
            setattr(self.words, name, typeset(getattr(self.words, name), lang))
        block = self.heading_block
        for name in ("body", "meeting", "distribution", "date", "original"):
            setattr(block, name, typeset(getattr(block, name), lang))
        done: set[int] = set()  # a table may be both a block and a sheet
        for item in [*self.blocks, *self.sheets, *([self.csv] if self.csv else [])]:
            if isinstance(item, (Heading, Paragraph)):
                item.text = typeset(item.text, lang)
            elif isinstance(item, Figure):
                item.caption = typeset(item.caption, lang)
            elif isinstance(item, Table) and id(item) not in done:
                done.add(id(item))
                _set_table(item, lang)

    def contents(self) -> list[Heading]:
        """The headings a table of contents lists."""
        return [b for b in self.blocks if isinstance(b, Heading)]


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def roman(n: int) -> str:
    return ROMAN[n - 1] if 0 < n <= len(ROMAN) else str(n)
