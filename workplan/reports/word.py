"""Render a report as a Word document (.docx) with python-docx.

The document is meant to be amended by a UN office: real Heading styles (so the navigation
pane and the table of contents work), real tables whose header row repeats on every page, a
page number in the footer, and for an internal version the restricted marking in the header of
every page.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Cm, Pt
from lxml.etree import SubElement

from workplan.reports.document import Heading, PageBreak, Paragraph, Report, Table
from workplan.reports.wording import cell_text, text


def _field(paragraph, instruction: str, placeholder: str = "") -> None:  # type: ignore[no-untyped-def]
    """A Word field (page number, table of contents) that Word computes when it opens."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, shown, end):
        run._r.append(element)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIPS_PER_CM = 567
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _append_row(tbl, values: list[str], widths: list[int], header: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Append a row as raw WordprocessingML.

    python-docx's ``add_row()`` and ``cell.text`` re-read the whole table for every cell,
    which made a long annex take minutes; building the XML directly is linear and writes the
    same markup Word itself writes.
    """
    tr = SubElement(tbl, _w("tr"))
    if header:
        tr_pr = SubElement(tr, _w("trPr"))
        SubElement(tr_pr, _w("tblHeader"), {_w("val"): "true"})
    for value, width in zip(values, widths, strict=False):
        tc = SubElement(tr, _w("tc"))
        tc_pr = SubElement(tc, _w("tcPr"))
        SubElement(tc_pr, _w("tcW"), {_w("w"): str(width), _w("type"): "dxa"})
        lines = value.split("\n") if value else [""]
        for line in lines:
            p = SubElement(tc, _w("p"))
            if not line:
                continue
            r = SubElement(p, _w("r"))
            if header:
                r_pr = SubElement(r, _w("rPr"))
                SubElement(r_pr, _w("b"))
            t = SubElement(r, _w("t"), {XML_SPACE: "preserve"})
            t.text = _xml_safe(line)


def _xml_safe(value: str) -> str:
    # XML 1.0 refuses control characters other than tab, newline and carriage return.
    return "".join(c for c in value if c >= " " or c in "\t\n\r")


class _Writer:
    """Appends paragraphs and tables at the end of the body in constant time.

    python-docx's ``add_paragraph`` and ``add_table`` find the body's section properties by
    scanning all its children, so n blocks cost n² (minutes for a plan a hundred times the
    seed). Here each element is inserted just before the section properties, which are found
    once; elements are attached first and filled in place, so lxml never has to move a large
    subtree between documents.
    """

    def __init__(self, doc) -> None:  # type: ignore[no-untyped-def]
        self.doc = doc
        self.section = doc.element.body.find(qn("w:sectPr"))
        self.styles = {
            name: doc.styles[name].style_id
            for name in ("Heading 1", "Heading 2", "Heading 3", "List Bullet", "Caption")
        }
        self.styles["Table Grid"] = doc.styles["Table Grid"].style_id

    def _attach(self, element):  # type: ignore[no-untyped-def]
        self.section.addprevious(element)
        return self.section.getprevious()

    def paragraph(self, value: str = "", style: str | None = None) -> None:
        p = self._attach(OxmlElement("w:p"))
        if style:
            p_pr = SubElement(p, _w("pPr"))
            SubElement(p_pr, _w("pStyle"), {_w("val"): self.styles[style]})
        if value:
            r = SubElement(p, _w("r"))
            t = SubElement(r, _w("t"), {XML_SPACE: "preserve"})
            t.text = _xml_safe(value)

    def page_break(self) -> None:
        p = self._attach(OxmlElement("w:p"))
        r = SubElement(p, _w("r"))
        SubElement(r, _w("br"), {_w("type"): "page"})

    def table(self, table: Table, language: str, width_cm: float) -> None:
        if table.title:
            self.paragraph(table.title, "Caption")
        columns = len(table.header)
        weights = list(table.widths) if table.widths else [1.0] * columns
        weights += [1.0] * (columns - len(weights))
        total = sum(weights[:columns])
        widths = [int(width_cm * TWIPS_PER_CM * w / total) for w in weights[:columns]]
        tbl = self._attach(CT_Tbl.new_tbl(0, columns, Cm(width_cm)))
        tbl_pr = tbl.find(_w("tblPr"))
        tbl_pr.insert(0, tbl_pr.makeelement(_w("tblStyle"), {_w("val"): self.styles["Table Grid"]}))
        for col, width in zip(tbl.find(_w("tblGrid")).findall(_w("gridCol")), widths, strict=False):
            col.set(_w("w"), str(width))
        _append_row(tbl, [str(h) for h in table.header], widths, header=True)
        for values in table.rows:
            cells = [cell_text(v, language) for v in values]
            cells += [""] * (columns - len(cells))
            _append_row(tbl, cells[:columns], widths)
        self.paragraph()


def render_docx(report: Report) -> bytes:
    """The report as .docx bytes."""
    lang = report.language
    doc = new_document()
    doc.core_properties.title = report.title
    doc.core_properties.language = "fr-FR" if lang == "fr" else "en-GB"
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    width_cm = 17.0

    if report.restricted:
        marking = section.header.paragraphs[0]
        marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = marking.add_run(text(lang, "restricted_mark"))
        run.bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(text(lang, "page") + " ")
    _field(footer, "PAGE", "1")

    for line in report.heading_block:
        p = doc.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(report.title, style="Title")
    doc.add_heading(text(lang, "summary"), level=1)
    for line in report.summary:
        doc.add_paragraph(line)
    doc.add_heading(text(lang, "contents"), level=1)
    _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', text(lang, "toc_hint"))
    for block in report.contents():
        if block.level <= 2:
            doc.add_paragraph(("    " if block.level == 2 else "") + block.text)

    writer = _Writer(doc)
    for block in report.blocks:
        if isinstance(block, Heading):
            writer.paragraph(block.text, f"Heading {min(block.level, 3)}")
        elif isinstance(block, Paragraph):
            if block.style == "item":
                writer.paragraph(block.text, "List Bullet")
            elif block.number is not None:
                writer.paragraph(f"{block.number}.\t{block.text}")
            else:
                writer.paragraph(block.text)
        elif isinstance(block, Table):
            writer.table(block, lang, width_cm)
        elif isinstance(block, PageBreak):
            writer.page_break()
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
