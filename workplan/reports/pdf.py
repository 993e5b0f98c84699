"""Render a report as PDF with fpdf2, laid out as a UN document.

The first page opens with the symbol block (the body on the left; the symbol, distribution,
date and original language on the right); every later page repeats the symbol in a running
header, every page says "Page x of y" and, in an internal version, carries the restricted
marking. Headings become bookmarks and are never left at the foot of a page; tables repeat
their header row and size their columns from their content (:mod:`workplan.reports.layout`);
narratives print styled, never as raw Markdown. The matrix annex is on landscape pages.
"""

from __future__ import annotations

import io

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image

from workplan.reports.document import Figure, Heading, PageBreak, Paragraph, Report, Table
from workplan.reports.layout import (
    CELL_PAD,
    HEADING_SIZES,
    PDF_FAMILY,
    Measure,
    PrintPDF,
    columns,
    font_files,
    measure,
    span_style,
    table_cells,
)
from workplan.reports.rich import Rich, normalise_newlines

FONT = PDF_FAMILY
KEEP_WITH_HEADING = 28  # mm: a heading needs this much room below it, or it starts a page
BODY = 10


class _Document(PrintPDF):
    def __init__(self, report: Report) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report = report
        for style, path in font_files().items():
            self.add_font(FONT, style, str(path))
        self.set_margins(20, 24, 20)
        self.set_auto_page_break(True, margin=20)
        self.set_title(report.title)
        self.set_lang("fr-FR" if report.language == "fr" else "en-GB")
        self.set_creator("workplan")
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_y(10)
        if self.report.restricted:
            self.set_font(FONT, "B", 9)
            self.cell(0, 5, self.report.words.restricted_mark, align="C")
            self.set_x(self.l_margin)
        symbol = self.report.heading_block.symbol
        if self.page_no() > 1 and symbol:
            self.set_font(FONT, "B", 9)
            self.cell(0, 5, symbol, align="R")
        if self.page_no() > 1:
            self.set_draw_color(0)
            self.line(self.l_margin, 16, self.w - self.r_margin, 16)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8.5)
        label = self.report.words.page_of.format(page=self.page_no(), total="{nb}")
        self.cell(0, 5, label, align="C")


def _render_toc(pdf: _Document, outline: list) -> None:  # type: ignore[type-arg]
    report = pdf.report
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, "B", HEADING_SIZES[1])
    pdf.multi_cell(0, 8, report.words.contents, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    for section in outline:
        if section.level > 1:
            continue
        indent = 8 * section.level
        pdf.set_x(pdf.l_margin + indent)
        link = pdf.add_link(page=section.page_number)
        y = pdf.get_y()
        pdf.multi_cell(
            pdf.epw - indent - 14,
            5.5,
            section.name,
            link=link,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        end = pdf.get_y()
        pdf.set_xy(pdf.w - pdf.r_margin - 14, end - 5.5 if end > y else y)
        pdf.cell(14, 5.5, str(section.page_number), align="R")
        pdf.set_xy(pdf.l_margin, max(end, y + 5.5))


def _words(rich: Rich, bold: bool) -> list[list[tuple[str, str, str | None]]]:
    """Each line of ``rich`` as (word, style, link) triples; a bullet is its own word."""
    lines = []
    for line in rich.lines:
        words: list[tuple[str, str, str | None]] = []
        if line.bullet:
            words.append((line.bullet, "B" if bold else "", None))
        for span in line.spans:
            style = span_style(span, bold)
            for word in span.text.split(" "):
                if word:
                    words.append((word, style, span.url))
        lines.append(words)
    return lines or [[]]


def _wrap(
    m: Measure, rich: Rich, width: float, size: float, bold: bool
) -> list[list[tuple[str, str, str | None, float]]]:
    """Lines of (text, style, link, x offset), words never split: a column is at least as
    wide as its widest word (see :func:`workplan.reports.layout.columns`)."""
    space = m.word(" ", "", size)
    out: list[list[tuple[str, str, str | None, float]]] = []
    for words in _words(rich, bold):
        line: list[tuple[str, str, str | None, float]] = []
        x = 0.0
        for word, style, link in words:
            w = m.word(word, style, size)
            if line and x + w > width:
                out.append(line)
                line, x = [], 0.0
            line.append((word, style, link, x))
            x += w + space
        out.append(line)
    return out


def _table(pdf: _Document, table: Table, language: str) -> None:
    m = measure()
    header, rows = table_cells(table, language)
    if table.title:
        _keep_room(pdf, 30)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 5.5, table.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    layout = columns(table, rows, pdf.epw)
    size, widths = layout.size, layout.widths
    line_height = size * 0.45
    bottom = pdf.h - pdf.b_margin

    def draw(cells: list[Rich], bold: bool) -> None:
        wrapped = [
            _wrap(m, c, w - 2 * CELL_PAD, size, bold) for c, w in zip(cells, widths, strict=False)
        ]
        height = max(len(lines) for lines in wrapped) * line_height + 2 * CELL_PAD
        if pdf.get_y() + height > bottom and not bold:
            pdf.add_page(same=True)
            draw(header, True)
        x, y = pdf.l_margin, pdf.get_y()
        for lines, w in zip(wrapped, widths, strict=False):
            if bold:
                pdf.set_fill_color(225, 225, 225)
                pdf.rect(x, y, w, height, style="DF")
            else:
                pdf.rect(x, y, w, height)
            for i, line in enumerate(lines):
                baseline = y + CELL_PAD + (i + 0.8) * line_height
                for word, style, link, dx in line:
                    pdf.set_font(FONT, style, size)
                    if link:
                        pdf.set_text_color(0, 51, 153)
                    pdf.text(x + CELL_PAD + dx, baseline, word)
                    if link:
                        pdf.set_text_color(0)
                        width = m.word(word, style, size)
                        pdf.link(
                            x + CELL_PAD + dx, baseline - line_height, width, line_height, link
                        )
            x += w
        pdf.set_xy(pdf.l_margin, y + height)

    if pdf.get_y() + 4 * line_height + 4 * CELL_PAD > bottom:
        pdf.add_page(same=True)
    draw(header, True)
    for cells in rows:
        draw(cells, False)
    pdf.ln(2)
    if table.legend:
        pdf.set_font(FONT, "", 8.5)
        pdf.multi_cell(0, 4.2, table.legend, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _keep_room(pdf: FPDF, needed: float) -> None:
    """Start a new page unless ``needed`` mm are left (a heading with what follows it)."""
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page(same=True)


def _symbol_block(pdf: _Document, report: Report) -> None:
    block = report.heading_block
    top = pdf.get_y()
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(105, 5.2, block.body, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    below_body = pdf.get_y()
    if block.symbol:
        pdf.set_xy(pdf.l_margin + 110, top)
        pdf.set_font(FONT, "B", 14)
        pdf.cell(pdf.epw - 110, 7, block.symbol, align="R")
    y = max(below_body, top + 8) + 2
    pdf.set_draw_color(0)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.2)
    pdf.set_font(FONT, "", 9.5)
    pdf.set_y(y + 3)
    for line in (block.distribution, block.date, block.original):
        pdf.set_x(pdf.l_margin + 120)
        pdf.cell(pdf.epw - 120, 4.8, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(5)
    if block.meeting:
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 5.5, block.meeting, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    lang = report.language
    pdf = _Document(report)
    pdf.add_page()
    _symbol_block(pdf, report)
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, report.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font(FONT, "B", HEADING_SIZES[1])
    pdf.cell(0, 7, report.words.summary, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", BODY)
    for line in report.summary:
        pdf.multi_cell(0, 5.2, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    pdf.ln(2)
    pdf.insert_toc_placeholder(_render_toc, pages=1, allow_extra_pages=True)
    level_open = 0
    for block in report.blocks:
        if isinstance(block, Heading):
            level = min(block.level, 3)
            _keep_room(pdf, KEEP_WITH_HEADING)
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
            _paragraph(pdf, block)
        elif isinstance(block, Table):
            _table(pdf, block, lang)
        elif isinstance(block, PageBreak):
            pdf.add_page(orientation="L" if block.landscape else "P")
        elif isinstance(block, Figure):
            _figure(pdf, block)
    return bytes(pdf.output())


def _figure(pdf: FPDF, block: Figure) -> None:
    """The caption and the picture, kept on one page."""
    with Image.open(io.BytesIO(block.png)) as image:
        height = block.width_mm * image.height / image.width
    _keep_room(pdf, height + 12)
    pdf.set_font(FONT, "B", 9)
    pdf.multi_cell(0, 5, block.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.image(io.BytesIO(block.png), w=block.width_mm, h=height)
    pdf.ln(3)


def _paragraph(pdf: FPDF, block: Paragraph) -> None:
    value = normalise_newlines(block.text)
    pdf.set_font(FONT, "", BODY)
    if block.style == "item":
        pdf.set_x(pdf.l_margin + 10)
        pdf.cell(5, 5.2, "•")
        pdf.multi_cell(0, 5.2, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif block.style == "note":
        pdf.set_font(FONT, "I", BODY - 0.5)
        pdf.set_x(pdf.l_margin + 10)
        pdf.multi_cell(0, 5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif block.number is not None:
        # A hanging indent: the number in the margin column, the text aligned after it.
        pdf.cell(10, 5.2, f"{block.number}.")
        pdf.multi_cell(0, 5.2, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.multi_cell(0, 5.2, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)
