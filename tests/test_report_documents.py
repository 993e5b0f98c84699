"""The documents themselves: each format is produced and opened again (python-docx, openpyxl,
pypdf, csv), and read for what a meeting needs — and for what must not be circulated."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests import factories
from tests.fixtures_reports import SECRET, SECRET_BLOCKER
from workplan.extensions import db
from workplan.reports import kinds
from workplan.reports.formats import FORMATS

MARK = "RESTRICTED — internal"


def meeting_file(history, fmt: str, *, internal: bool = False, language: str = "en") -> bytes:  # type: ignore[no-untyped-def]
    report = kinds.meeting_report(db.session, history.meeting, language=language, internal=internal)
    return FORMATS[fmt].render(report)


def docx_text(data: bytes) -> tuple[str, object]:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts), doc


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def test_word_report_reads_like_a_meeting_document(app, history):
    text, doc = docx_text(meeting_file(history, "docx"))
    assert "Distr.: GENERAL" in text and "NIRMS/FP/2026/2" in text
    assert "Fifth annual meeting of focal points" in text
    for code in ("S1", "S4", "M1", "L1"):
        assert f"{code}. " in text
    assert "ACHPR*" in text and "Completed" in text
    assert "Joint workshop held in Banjul." in text
    assert "No interpretation budget for the survey." in text
    assert "Finished late." not in text and "Raised after the cut-off." not in text
    assert "1\u00a0September 2026" in text  # day and month kept on one line
    # Changes since the previous meeting: one row per change, "from → to", never a repeat.
    changes = next(t for t in doc.tables if t.rows[0].cells[-1].text == "From → to")
    rows = {tuple(c.text for c in row.cells) for row in changes.rows[1:]}
    assert ("Completed", "S4", "ACHPR", "In progress → Completed") in rows
    assert ("Blocked", "S5", "ACHPR", "no open blocker → Resources") in rows
    assert ("Unblocked", "S6", "ACHPR", "Administrative obstacles → no open blocker") in rows
    # Shares not reported since the previous cut-off: IACHR's, never the two reported on
    # between the cut-offs (S4 by ACHPR and by CoE), nor one reported only after (S8/ACHPR).
    silent = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Time since")
    silent_rows = {(row.cells[0].text, row.cells[1].text) for row in silent.rows[1:]}
    assert any(org == "IACHR" for org, _ in silent_rows)
    assert not {("ACHPR", "S4"), ("CoE", "S4")} & silent_rows
    assert ("ACHPR", "S8") in silent_rows
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3"} <= styles
    first_row = doc.tables[1].rows[0]._tr
    assert first_row.trPr is not None and "tblHeader" in first_row.trPr.xml
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_circulation_versions_leave_out_restricted_entries(app, history):
    text, doc = docx_text(meeting_file(history, "docx"))
    assert SECRET not in text and SECRET_BLOCKER not in text
    assert MARK not in doc.sections[0].header.paragraphs[0].text
    for page in pdf_pages(meeting_file(history, "pdf")):
        assert SECRET not in page and SECRET_BLOCKER not in page and MARK not in page
    workbook = load_workbook(io.BytesIO(meeting_file(history, "xlsx")), read_only=True)
    cells = [
        str(v)
        for ws in workbook.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    assert not any(SECRET in c or SECRET_BLOCKER in c for c in cells)
    data = meeting_file(history, "csv").decode("utf-8-sig")
    assert SECRET not in data and SECRET_BLOCKER not in data


def test_internal_word_version_includes_restricted_entries_and_marks_every_page(app, history):
    text, doc = docx_text(meeting_file(history, "docx", internal=True))
    assert SECRET in text and SECRET_BLOCKER in text
    assert "Distr.: RESTRICTED" in text
    for section in doc.sections:
        assert MARK in section.header.paragraphs[0].text
        assert not section.header.is_linked_to_previous


def test_internal_pdf_version_marks_every_page(app, history):
    pages = pdf_pages(meeting_file(history, "pdf", internal=True))
    assert len(pages) > 3
    assert all(MARK in page for page in pages)
    whole = "\n".join(pages)
    assert SECRET in whole.replace("\n", " ")


def test_pdf_report_has_codes_statuses_and_blockers(app, history):
    whole = " ".join(pdf_pages(meeting_file(history, "pdf"))).replace("\n", " ")
    for expected in (
        "S4.",
        "M1.",
        "ACHPR*",
        "Completed",
        "No interpretation budget",
        "Shares not reported since the previous cut-off",
        "Contents",
        "Page 2 of",
    ):
        assert expected in whole, expected


def test_pdf_prints_french_accents_and_quotes(app, history):
    pages = pdf_pages(meeting_file(history, "pdf", language="fr"))
    whole = " ".join(pages).replace("\n", " ")
    assert "Résumé" in whole and "État d’avancement" in whole
    assert "mise en œuvre" in whole
    assert "1er septembre 2026" in whole and "Achevé" in whole  # "1er", not "1"


def test_french_word_report_uses_the_un_terms(app, history):
    text, _ = docx_text(meeting_file(history, "docx", language="fr"))
    assert "Distr. GÉNÉRALE" in text
    assert "Recommandations à court terme" in text
    assert "coordonnateurs" in text
    assert "20\u00a0septembre 2026" in text


def test_workbook_has_one_sheet_per_section_and_the_update_log(app, history):
    workbook = load_workbook(io.BytesIO(meeting_file(history, "xlsx")))
    assert workbook.sheetnames == [
        "Summary",
        "Averages",
        "Changes",
        "Not reported",
        "Blockers",
        "Assignments",
        "Matrix",
        "Updates",
        "Focal points",
    ]
    # Row 1 is the report's title, row 2 the header.
    matrix = list(workbook["Matrix"].iter_rows(values_only=True))
    header = matrix[1]
    s4 = next(row for row in matrix if row[0] == "S4")
    assert s4[header.index("ACHPR")] == "Completed *"
    assert s4[header.index("CoE")] == "In progress *"
    updates = list(workbook["Updates"].iter_rows(values_only=True))
    assert any(row[5] == "Joint workshop held in Banjul." for row in updates[2:])
    assert all(row[5] != "Workshop planned in Banjul." for row in updates[2:])  # before
    blockers = [row[3] for row in workbook["Blockers"].iter_rows(values_only=True)]
    assert "Resources: No interpretation budget for the survey." in blockers


def test_workbook_sheets_can_be_filtered_printed_and_read(app, history):
    workbook = load_workbook(io.BytesIO(meeting_file(history, "xlsx", internal=True)))
    for ws in workbook.worksheets:
        assert ws["A1"].value.endswith(MARK), ws.title  # the marking on every sheet
        assert MARK in ws.oddHeader.center.text
        assert ws.print_title_rows == "$2:$2"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assignments = workbook["Assignments"]
    assert assignments.freeze_panes == "B3" and assignments.auto_filter.ref.startswith("A2:J")
    rows = list(assignments.iter_rows(min_row=3))
    s4 = next(r for r in rows if r[0].value == "S4" and r[3].value == "ACHPR")
    assert s4[6].value == 1 and s4[6].number_format == "0%"  # progress as a percentage
    assert isinstance(s4[7].value, datetime) and "yy" in s4[7].number_format
    widths = {k: d.width for k, d in assignments.column_dimensions.items()}
    assert widths["C"] > widths["A"]  # titles are wider than codes


def test_csv_has_one_row_per_assignment(app, history):
    rows = list(csv.reader(io.StringIO(meeting_file(history, "csv").decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Code", "Term", "Title", "Organisation"]
    s4 = {row[3]: row for row in body if row[0] == "S4"}
    assert s4["ACHPR"][5] == "Completed"
    assert s4["CoE"][5] == "In progress"
    assert len(body) == sum(1 for _ in db.session.scalars(db.select(factories.Assignment)))


def test_narrative_that_looks_like_a_formula_stays_text(app, history, users):
    factories.progress_update(
        factories.assignment("S5", "CoE"),
        users.other_focal_point,
        narrative="=HYPERLINK(1)",
        at=datetime(2026, 8, 1, tzinfo=UTC),
    )
    data = meeting_file(history, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in data
    workbook = load_workbook(io.BytesIO(meeting_file(history, "xlsx")))
    cell = next(
        c for row in workbook["Assignments"].iter_rows() for c in row if c.value == "=HYPERLINK(1)"
    )
    assert cell.data_type == "s"


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx", "csv"])
def test_organisation_report_covers_its_period(app, history, fmt):
    org = factories.organisation("ACHPR")
    report = kinds.organisation_report(
        db.session,
        org,
        datetime(2026, 3, 2, tzinfo=UTC),
        datetime(2026, 9, 1, tzinfo=UTC),
        language="en",
        internal=False,
    )
    data = FORMATS[fmt].render(report)
    if fmt == "docx":
        text = docx_text(data)[0]
    elif fmt == "pdf":
        text = " ".join(pdf_pages(data)).replace("\n", " ")
    elif fmt == "xlsx":
        wb = load_workbook(io.BytesIO(data))
        text = " ".join(
            str(v)
            for ws in wb.worksheets
            for r in ws.iter_rows(values_only=True)
            for v in r
            if v is not None
        )
    else:
        text = data.decode("utf-8-sig")
    assert "S4" in text and "Completed" in text
    if fmt != "csv":
        assert "Joint workshop held in Banjul." in text
    assert "CoE" not in text.replace("Council of Europe", "")  # another organisation's rows
    assert SECRET_BLOCKER not in text


def test_blockers_report_lists_the_blockers_open_at_the_cut_off(app, history):
    report = kinds.blockers_report(
        db.session, history.meeting.cutoff_at, language="en", internal=True
    )
    text, doc = docx_text(FORMATS["docx"].render(report))
    assert "No interpretation budget for the survey." in text and SECRET_BLOCKER in text
    assert "Visa delays" not in text  # resolved before the cut-off
    assert MARK in doc.sections[0].header.paragraphs[0].text
