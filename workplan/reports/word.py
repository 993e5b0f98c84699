"""Render a report as a Word document (.docx) with python-docx, laid out as a UN document.

The document defines its own styles (one typeface, black headings kept with what follows,
numbered paragraphs with a hanging indent) and proofing language, so it looks the same in
Word and LibreOffice whatever their defaults. The first page opens with the symbol block;
later pages repeat the symbol in the header; every page says "Page x of y" and, in an
internal version, carries the restricted marking. The contents are one real TOC field, whose
entries are already filled in (Word refreshes them and their page numbers on opening). The
matrix annex is a landscape section. Tables repeat their header row and take their column
widths from :mod:`workplan.reports.layout`, as the PDF does.
"""

from __future__ import annotations

import copy
import io

from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml.etree import SubElement

from workplan.reports.document import Figure, Heading, PageBreak, Paragraph, Report, Table
from workplan.reports.layout import FAMILY, HEADING_SIZES, columns, table_cells
from workplan.reports.rich import Rich, normalise_newlines

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TWIPS_PER_MM = 56.7
A4 = (11906, 16838)  # twips
MARGIN = 1134  # 2 cm
CELL_MARGIN = 68  # twips, 1.2 mm: layout.CELL_PAD


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _xml_safe(value: str) -> str:
    # XML 1.0 refuses control characters; a carriage return would split a table apart in
    # LibreOffice, so line endings are normalised first and none is left.
    return "".join(c for c in normalise_newlines(value) if c >= " " or c in "\t\n")


def _field_char(run, kind: str) -> None:  # type: ignore[no-untyped-def]
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _field_start(run, instruction: str) -> None:  # type: ignore[no-untyped-def]
    """Open a field in ``run``: what follows, up to its "end" mark, is the field's result."""
    _field_char(run, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run._r.append(instr)
    _field_char(run, "separate")


def _field(paragraph, instruction: str, placeholder: str = "") -> None:  # type: ignore[no-untyped-def]
    """A Word field (page number, page count) that Word and LibreOffice compute."""
    run = paragraph.add_run()
    _field_start(run, instruction)
    shown = OxmlElement("w:t")
    shown.text = placeholder
    run._r.append(shown)
    _field_char(run, "end")


def _define_styles(doc, lang: str) -> None:  # type: ignore[no-untyped-def]
    """One typeface everywhere, black headings kept with the next paragraph, the proofing
    language on everything: the template's blue Calibri headings and theme fonts go."""
    language = "fr-FR" if lang == "fr" else "en-GB"
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(r_pr):
        if child.tag in (qn("w:rFonts"), qn("w:lang")):
            r_pr.remove(child)
    r_pr.insert(0, _fonts())
    SubElement(
        r_pr, _w("lang"), {_w("val"): language, _w("eastAsia"): language, _w("bidi"): "ar-SA"}
    )
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(_w(attr), None)
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(_w(attr), FAMILY)
    for color in list(styles.iter(qn("w:color"))):
        color.getparent().remove(color)

    normal = doc.styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    title = doc.styles["Title"]
    title.font.size, title.font.bold = Pt(16), True
    title.paragraph_format.space_after = Pt(8)
    _no_border(title)
    for level, size in HEADING_SIZES.items():
        style = doc.styles[f"Heading {level}"]
        style.font.size, style.font.bold, style.font.italic = Pt(size), True, False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(10 if level == 1 else 8)
        style.paragraph_format.space_after = Pt(4)
    caption = doc.styles["Caption"]
    caption.font.size, caption.font.bold, caption.font.italic = Pt(10), True, False
    caption.font.color.rgb = RGBColor(0, 0, 0)
    caption.paragraph_format.keep_with_next = True
    numbered = doc.styles.add_style("Numbered paragraph", WD_STYLE_TYPE.PARAGRAPH)
    numbered.base_style = normal
    numbered.paragraph_format.left_indent = Cm(1)
    numbered.paragraph_format.first_line_indent = Cm(-1)
    numbered.paragraph_format.tab_stops.add_tab_stop(Cm(1))
    note = doc.styles.add_style("Recommendation text", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.italic = True
    note.paragraph_format.left_indent = Cm(1)
    note.paragraph_format.keep_with_next = True
    cell = doc.styles.add_style("Table text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.paragraph_format.space_after = Pt(0)
    for level in (1, 2):
        toc = doc.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = normal
        toc.paragraph_format.left_indent = Cm(0.8 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)


def _no_border(style) -> None:  # type: ignore[no-untyped-def]
    p_pr = style.element.find(qn("w:pPr"))
    if p_pr is not None:
        for border in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(border)


def _fonts():  # type: ignore[no-untyped-def]
    fonts = OxmlElement("w:rFonts")
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attr}"), FAMILY)
    return fonts


def _run(parent, value: str, *, bold=False, italic=False, size: float | None = None):  # type: ignore[no-untyped-def]
    r = SubElement(parent, _w("r"))
    if bold or italic or size:
        r_pr = SubElement(r, _w("rPr"))
        if bold:
            SubElement(r_pr, _w("b"))
        if italic:
            SubElement(r_pr, _w("i"))
        if size:
            SubElement(r_pr, _w("sz"), {_w("val"): str(round(size * 2))})
    t = SubElement(r, _w("t"), {XML_SPACE: "preserve"})
    t.text = _xml_safe(value)
    return r


class _Writer:
    """Appends paragraphs, tables and section breaks at the end of the body in constant time.

    python-docx's ``add_paragraph`` and ``add_table`` find the body's section properties by
    scanning all its children, so n blocks cost n² (minutes for a plan a hundred times the
    seed). Here each element is inserted just before the section properties, found once.
    """

    def __init__(self, doc) -> None:  # type: ignore[no-untyped-def]
        self.doc = doc
        self.section = doc.element.body.find(qn("w:sectPr"))
        self.landscape = False
        self.links: dict[str, str] = {}
        self.style_ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        """A style's id, looked up once: python-docx searches the styles part with XPath on
        every look-up, which was most of the time of a large report (one per cell)."""
        found = self.style_ids.get(name)
        if found is None:
            found = self.style_ids[name] = self.doc.styles[name].style_id
        return found

    @property
    def width_mm(self) -> float:
        page = A4[1] if self.landscape else A4[0]
        return (page - 2 * MARGIN) / TWIPS_PER_MM

    def _attach(self, element):  # type: ignore[no-untyped-def]
        self.section.addprevious(element)
        return self.section.getprevious()

    def paragraph(self, value: str = "", style: str | None = None):  # type: ignore[no-untyped-def]
        p = self._attach(OxmlElement("w:p"))
        if style:
            p_pr = SubElement(p, _w("pPr"))
            SubElement(p_pr, _w("pStyle"), {_w("val"): self.style_id(style)})
        if value:
            _run(p, value)
        return p

    def page_break(self, landscape: bool) -> None:
        if landscape == self.landscape:
            p = self._attach(OxmlElement("w:p"))
            SubElement(SubElement(p, _w("r")), _w("br"), {_w("type"): "page"})
            return
        # A section break: the section that ends keeps the current settings; the body's
        # final section properties then describe the pages that follow.
        p = self._attach(OxmlElement("w:p"))
        SubElement(p, _w("pPr")).append(copy.deepcopy(self.section))
        self.landscape = landscape
        size = self.section.find(qn("w:pgSz"))
        width, height = (A4[1], A4[0]) if landscape else A4
        size.set(_w("w"), str(width))
        size.set(_w("h"), str(height))
        if landscape:
            size.set(_w("orient"), "landscape")
        else:
            size.attrib.pop(_w("orient"), None)
        for first in self.section.findall(qn("w:titlePg")):
            self.section.remove(first)

    def _link(self, url: str) -> str:
        if url not in self.links:
            self.links[url] = self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
        return self.links[url]

    def _cell(self, tr, rich: Rich, width: int, size: float, header: bool) -> None:  # type: ignore[no-untyped-def]
        tc = SubElement(tr, _w("tc"))
        tc_pr = SubElement(tc, _w("tcPr"))
        SubElement(tc_pr, _w("tcW"), {_w("w"): str(width), _w("type"): "dxa"})
        if header:
            SubElement(
                tc_pr, _w("shd"), {_w("val"): "clear", _w("color"): "auto", _w("fill"): "E1E1E1"}
            )
        style = self.style_id("Table text")
        for line in rich.lines or (None,):
            p = SubElement(tc, _w("p"))
            SubElement(SubElement(p, _w("pPr")), _w("pStyle"), {_w("val"): style})
            if line is None:
                continue
            if line.bullet:
                _run(p, line.bullet + " ", bold=header, size=size)
            for span in line.spans:
                parent = p
                if span.url:
                    parent = SubElement(p, _w("hyperlink"), {R_ID: self._link(span.url)})
                r = _run(parent, span.text, bold=span.bold or header, italic=span.italic, size=size)
                if span.url:
                    r_pr = r.find(_w("rPr"))
                    SubElement(r_pr, _w("u"), {_w("val"): "single"})

    def table(self, table: Table, language: str) -> None:
        if table.title:
            self.paragraph(table.title, "Caption")
        header, rows = table_cells(table, language)
        layout = columns(table, rows, self.width_mm)
        widths = [int(w * TWIPS_PER_MM) for w in layout.widths]
        tbl = self._attach(OxmlElement("w:tbl"))
        tbl_pr = SubElement(tbl, _w("tblPr"))
        SubElement(tbl_pr, _w("tblW"), {_w("w"): str(sum(widths)), _w("type"): "dxa"})
        borders = SubElement(tbl_pr, _w("tblBorders"))
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            SubElement(
                borders, _w(side), {_w("val"): "single", _w("sz"): "4", _w("color"): "000000"}
            )
        SubElement(tbl_pr, _w("tblLayout"), {_w("type"): "fixed"})
        margins = SubElement(tbl_pr, _w("tblCellMar"))
        for side in ("left", "right"):
            SubElement(margins, _w(side), {_w("w"): str(CELL_MARGIN), _w("type"): "dxa"})
        grid = SubElement(tbl, _w("tblGrid"))
        for width in widths:
            SubElement(grid, _w("gridCol"), {_w("w"): str(width)})
        for index, cells in enumerate([header, *rows]):
            tr = SubElement(tbl, _w("tr"))
            tr_pr = SubElement(tr, _w("trPr"))
            SubElement(tr_pr, _w("cantSplit"))
            if index == 0:
                SubElement(tr_pr, _w("tblHeader"))
            for rich, width in zip(cells, widths, strict=False):
                self._cell(tr, rich, width, layout.size, header=index == 0)
        if table.legend:
            self.paragraph(table.legend)
        else:
            self.paragraph()


def _header_footer(section, report: Report) -> None:  # type: ignore[no-untyped-def]
    """The restricted marking on every page, the symbol on every page but the first (which
    has the symbol block), and "Page x of y" at the foot of every page."""
    section.different_first_page_header_footer = True
    for header, symbol in (
        (section.first_page_header, ""),
        (section.header, report.heading_block.symbol),
    ):
        paragraphs = header.paragraphs
        first = paragraphs[0]
        if report.restricted:
            first.alignment = WD_ALIGN_PARAGRAPH.CENTER
            first.add_run(report.words.restricted_mark).bold = True
        if symbol:
            p = header.add_paragraph() if report.restricted else first
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.add_run(symbol).bold = True
    for footer in (section.first_page_footer, section.footer):
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        before, _, rest = report.words.page_of.format(page="\0", total="\1").partition("\0")
        middle, _, after = rest.partition("\1")
        p.add_run(before)
        _field(p, "PAGE", "1")
        p.add_run(middle)
        _field(p, "NUMPAGES", "1")
        p.add_run(after)


def _symbol_block(doc, report: Report) -> None:  # type: ignore[no-untyped-def]
    block = report.heading_block
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(11), Cm(6)
    left.paragraphs[0].add_run(block.body).bold = True
    left.paragraphs[0].runs[0].font.size = Pt(11)
    symbol = right.paragraphs[0]
    symbol.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if block.symbol:
        run = symbol.add_run(block.symbol)
        run.bold, run.font.size = True, Pt(14)
    for cell in (left, right):
        borders = SubElement(cell._tc.get_or_add_tcPr(), _w("tcBorders"))
        SubElement(
            borders, _w("bottom"), {_w("val"): "single", _w("sz"): "12", _w("color"): "000000"}
        )
    for line in (block.distribution, block.date, block.original):
        p = doc.add_paragraph(line)
        p.paragraph_format.left_indent = Cm(12)
        p.paragraph_format.space_after = Pt(0)
    if block.meeting:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(12)
        p.add_run(block.meeting).bold = True


def _contents(doc, report: Report) -> None:  # type: ignore[no-untyped-def]
    """One TOC field whose result already lists the headings (without page numbers, which
    Word fills in when it refreshes the field on opening)."""
    doc.add_heading(report.words.contents, level=1)
    entries = [h for h in report.contents() if h.level <= 2] or [Heading("")]
    for index, heading in enumerate(entries):
        p = doc.add_paragraph(style=f"TOC {heading.level}")
        if index == 0:
            _field_start(p.add_run(), 'TOC \\o "1-2" \\h \\z \\u')
        p.add_run(heading.text)
        if index == len(entries) - 1:
            _field_char(p.add_run(), "end")
    settings = doc.settings.element
    SubElement(settings, _w("updateFields"), {_w("val"): "true"})


def render_docx(report: Report) -> bytes:
    """The report as .docx bytes."""
    lang = report.language
    doc = new_document()
    doc.core_properties.title = report.title
    doc.core_properties.language = "fr-FR" if lang == "fr" else "en-GB"
    _define_styles(doc, lang)
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(A4[0]), Twips(A4[1])
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Twips(MARGIN))
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2)
    section.header_distance, section.footer_distance = Cm(1), Cm(1)
    _header_footer(section, report)
    _symbol_block(doc, report)
    doc.add_paragraph(report.title, style="Title")
    doc.add_heading(report.words.summary, level=1)
    for line in report.summary:
        doc.add_paragraph(normalise_newlines(line))
    _contents(doc, report)

    writer = _Writer(doc)
    for block in report.blocks:
        if isinstance(block, Heading):
            writer.paragraph(block.text, f"Heading {min(block.level, 3)}")
        elif isinstance(block, Paragraph):
            if block.style == "item":
                writer.paragraph(block.text, "List Bullet")
            elif block.style == "note":
                writer.paragraph(block.text, "Recommendation text")
            elif block.number is not None:
                writer.paragraph(f"{block.number}.\t{block.text}", "Numbered paragraph")
            else:
                writer.paragraph(block.text)
        elif isinstance(block, Table):
            writer.table(block, lang)
        elif isinstance(block, PageBreak):
            writer.page_break(block.landscape)
        elif isinstance(block, Figure):
            writer.paragraph(block.caption, "Caption")
            picture = DocxParagraph(writer.paragraph(), doc._body)
            picture.paragraph_format.keep_together = True
            picture.add_run().add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
