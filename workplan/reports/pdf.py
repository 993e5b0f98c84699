"""Render a report as PDF with fpdf2.

The text font is Source Serif Pro, embedded from the ``font-source-serif-pro`` package, so
French accents, "œ" and typographic quotes print correctly whatever the reader has installed.
Headings become PDF bookmarks and the table of contents gives their pages; every page carries
its number and, in an internal version, the restricted marking in the header.
"""

from __future__ import annotations

from pathlib import Path

import font_source_serif_pro
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from workplan.reports.document import Heading, PageBreak, Paragraph, Report, Table
from workplan.reports.wording import cell_text, text

FONT = "SourceSerif"
FONT_DIR = Path(font_source_serif_pro.font_directory)
FONT_FILES = {
    "": "SourceSerifPro-Regular.ttf",
    "B": "SourceSerifPro-Bold.ttf",
    "I": "SourceSerifPro-It.ttf",
}
HEADING_SIZES = {1: 13, 2: 11.5, 3: 10.5}


class _Document(FPDF):
    def __init__(self, report: Report) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report = report
        for style, name in FONT_FILES.items():
            self.add_font(FONT, style, str(FONT_DIR / name))
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(True, margin=20)
        self.set_title(report.title)
        self.set_lang("fr-FR" if report.language == "fr" else "en-GB")
        self.set_creator("workplan")

    def header(self) -> None:
        if self.report.restricted:
            self.set_font(FONT, "B", 9)
            self.set_y(10)
            self.cell(0, 5, text(self.report.language, "restricted_mark"), align="C")
            self.set_y(22)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8.5)
        self.cell(0, 5, f"{text(self.report.language, 'page')} {self.page_no()}", align="C")


def _render_toc(pdf: FPDF, outline: list) -> None:  # type: ignore[type-arg]
    report = pdf.report  # type: ignore[attr-defined]
    pdf.set_font(FONT, "B", HEADING_SIZES[1])
    pdf.cell(0, 8, text(report.language, "contents"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    for section in outline:
        if section.level > 1:
            continue
        indent = 6 * section.level
        pdf.set_x(pdf.l_margin + indent)
        label = section.name
        width = pdf.epw - indent - 12
        pdf.cell(
            width,
            6,
            label[:120],
            new_x=XPos.RIGHT,
            new_y=YPos.TOP,
            link=pdf.add_link(page=section.page_number),
        )
        pdf.cell(12, 6, str(section.page_number), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


class _Wrapper:
    """Word wrapping with a cache of word widths.

    fpdf2's own table measures every character of every cell again (about 1.5 ms a cell),
    which made a long annex take minutes; words repeat a lot in a report, so their widths are
    measured once per font size.
    """

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.cache: dict[tuple[str, str, float], float] = {}

    def width(self, word: str) -> float:
        key = (self.pdf.font_style, word, self.pdf.font_size_pt)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self.pdf.get_string_width(word)
        return found

    def lines(self, value: str, width: float) -> list[str]:
        result: list[str] = []
        space = self.width(" ")
        for paragraph in value.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                w = self.width(word)
                while w > width and len(word) > 1:  # a word longer than the column: cut it
                    cut = max(1, int(len(word) * width / w) - 1)
                    if line:
                        result.append(line)
                        line, used = "", 0.0
                    result.append(word[:cut])
                    word = word[cut:]
                    w = self.width(word)
                if line and used + space + w > width:
                    result.append(line)
                    line, used = word, w
                else:
                    line, used = (
                        (f"{line} {word}" if line else word),
                        used + (space if line else 0) + w,
                    )
            result.append(line)
        return result or [""]


def _table(pdf: _Document, table: Table, language: str) -> None:
    if table.title:
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 5.5, table.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    columns = len(table.header)
    size = 8.5 if columns <= 7 else 7
    line_height = size * 0.45
    pad = 1.0
    weights = list(table.widths) if table.widths else [1.0] * columns
    weights += [1.0] * (columns - len(weights))
    total = sum(weights[:columns])
    widths = [pdf.epw * w / total for w in weights[:columns]]
    wrapper = _Wrapper(pdf)
    bottom = pdf.h - pdf.b_margin

    def draw(cells: list[str], style: str) -> None:
        pdf.set_font(FONT, style, size)
        wrapped = [wrapper.lines(c, w - 2 * pad) for c, w in zip(cells, widths, strict=False)]
        height = max(len(lines) for lines in wrapped) * line_height + 2 * pad
        if pdf.get_y() + height > bottom and style != "B":
            pdf.add_page()
            draw(header, "B")
            pdf.set_font(FONT, style, size)
        x, y = pdf.l_margin, pdf.get_y()
        for lines, w in zip(wrapped, widths, strict=False):
            if style == "B":
                pdf.set_fill_color(230, 230, 230)
                pdf.rect(x, y, w, height, style="DF")
            else:
                pdf.rect(x, y, w, height)
            for i, line in enumerate(lines):
                if line:
                    pdf.text(x + pad, y + pad + (i + 0.8) * line_height, line)
            x += w
        pdf.set_xy(pdf.l_margin, y + height)

    header = [str(h) for h in table.header]
    if pdf.get_y() + 4 * line_height > bottom:
        pdf.add_page()
    draw(header, "B")
    for values in table.rows:
        cells = [cell_text(v, language) for v in values]
        cells += [""] * (columns - len(cells))
        draw(cells[:columns], "")
    pdf.ln(3)


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    lang = report.language
    pdf = _Document(report)
    pdf.add_page()
    pdf.set_font(FONT, "", 9.5)
    for line in report.heading_block:
        pdf.multi_cell(0, 5, line, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, report.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font(FONT, "B", HEADING_SIZES[1])
    pdf.cell(0, 7, text(lang, "summary"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    for line in report.summary:
        pdf.multi_cell(0, 5.2, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    pdf.insert_toc_placeholder(_render_toc, pages=1, allow_extra_pages=True)
    level_open = 0
    for block in report.blocks:
        if isinstance(block, Heading):
            level = min(block.level, 3)
            # Bookmarks may not skip a level; a level-3 heading after a level-1 one is nested
            # one step down.
            outline_level = min(level - 1, level_open)
            level_open = outline_level + 1
            pdf.start_section(block.text[:200], level=outline_level, strict=False)
            pdf.ln(2)
            pdf.set_font(FONT, "B", HEADING_SIZES[level])
            pdf.multi_cell(0, 6, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            pdf.set_font(FONT, "", 10)
            if block.style == "item":
                pdf.set_x(pdf.l_margin + 8)
                pdf.multi_cell(0, 5.2, "•  " + block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            elif block.number is not None:
                pdf.cell(10, 5.2, f"{block.number}.")
                pdf.multi_cell(0, 5.2, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            else:
                pdf.multi_cell(0, 5.2, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
        elif isinstance(block, Table):
            _table(pdf, block, lang)
        elif isinstance(block, PageBreak):
            pdf.add_page()
    return bytes(pdf.output())
