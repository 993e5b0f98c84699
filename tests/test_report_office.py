"""Every Word and Excel report opened with a real client: LibreOffice lays each one out and
prints it to PDF, and the test reads what a person would see — every header and status word
whole (never split across lines inside a cell), the matrix on landscape pages, "Page 1 of",
no Markdown or carriage return left — and saves the first page under tests/artefacts/.

LibreOffice is slow to start, so each document is converted once, on the SQLite run only
(the documents are the same on PostgreSQL, whose run of these tests says so and skips).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests import factories, office
from workplan.extensions import db
from workplan.models import Status
from workplan.reports import kinds
from workplan.reports.document import Report, Table
from workplan.reports.formats import FORMATS
from workplan.reports.language import code_label, report_locale

pytestmark = pytest.mark.office

MARKDOWN = "Report **submitted** to the [bureau](https://example.org/b)\r\n- first step\r\n- second"


@pytest.fixture
def documents(app, history, users, tmp_path):  # type: ignore[no-untyped-def]
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the documents are the same on every database: LibreOffice opens them once")
    office.soffice()
    factories.progress_update(
        factories.assignment("S5", "CoE"),
        users.other_focal_point,
        Status.IN_PROGRESS,
        40,
        MARKDOWN,
        at=datetime(2026, 6, 1, tzinfo=UTC),
    )
    return history


def _words(report: Report, lang: str, *, statuses: bool = True) -> set[str]:
    """The header words of every table, and every status label's words."""
    found: set[str] = set()
    tables = [b for b in report.blocks if isinstance(b, Table)]
    for table in tables:
        for title in table.header:
            found.update(str(title).split())
    with report_locale(lang):
        for status in Status if statuses else ():
            found.update(code_label("status", status).split())
    return {re.sub(r"[():,]", "", w) for w in found if len(re.sub(r"\W", "", w)) > 3}


def _assert_readable(pages: list[str], words: set[str]) -> None:
    whole = "\n".join(pages)
    assert "**" not in whole and "](" not in whole and "\r" not in whole
    flat = " ".join(whole.split())
    for word in words:
        assert word in flat, f"{word!r} missing"
        for cut in range(2, len(word) - 1):
            split = f"{word[:cut]}\n{word[cut:]}"
            assert split not in whole, f"{word!r} split inside a cell as {split!r}"


@pytest.mark.parametrize(
    ("lang", "internal"), [("en", False), ("fr", False), ("en", True)], ids=["en", "fr", "internal"]
)
def test_word_meeting_report_opens_whole_in_libreoffice(documents, tmp_path, lang, internal):
    report = kinds.meeting_report(db.session, documents.meeting, language=lang, internal=internal)
    data = FORMATS["docx"].render(report)
    pdf = office.to_pdf(data, ".docx", tmp_path)
    name = f"meeting-{lang}" + ("-internal" if internal else "") + "-docx"
    office.save_first_page(pdf, name)
    pages = office.pdf_text(pdf)
    _assert_readable(pages, _words(report, lang))
    assert report.words.page_of.format(page=1, total=len(pages)) in pages[0]
    matrix_title = next(b.title for b in report.blocks if isinstance(b, Table) and b.legend)
    sizes = office.page_sizes(pdf)
    matrix_pages = [i for i, page in enumerate(pages) if matrix_title in page]
    assert matrix_pages, "the matrix annex is missing"
    for i in matrix_pages:
        width, height = sizes[i]
        assert width > height, f"matrix page {i + 1} is not landscape"
    assert sizes[0][0] < sizes[0][1]  # the body is portrait
    if internal:
        assert all(report.words.restricted_mark in page for page in pages)
    assert "NIRMS/FP/2026/2" in pages[1]  # the running header


def test_pdf_meeting_report_matches_what_libreoffice_shows(documents, tmp_path):
    report = kinds.meeting_report(db.session, documents.meeting, language="en", internal=False)
    data = FORMATS["pdf"].render(report)
    office.save_first_page(data, "meeting-en-pdf")
    pages = office.pdf_text(data)
    _assert_readable(pages, _words(report, "en"))
    assert "Page 1 of" in pages[0]
    sizes = office.page_sizes(data)
    assert any(w > h for w, h in sizes) and sizes[0][0] < sizes[0][1]


def test_organisation_report_with_narratives_opens_whole(documents, tmp_path):
    report = kinds.organisation_report(
        db.session,
        factories.organisation("CoE"),
        datetime(2026, 3, 2, tzinfo=UTC),
        documents.meeting.cutoff_at,
        language="en",
        internal=False,
    )
    pdf = office.to_pdf(FORMATS["docx"].render(report), ".docx", tmp_path)
    office.save_first_page(pdf, "organisation-en-docx")
    pages = office.pdf_text(pdf)
    _assert_readable(pages, _words(report, "en", statuses=False))
    flat = " ".join(" ".join(pages).split())
    assert "Report submitted to the bureau" in flat and "first step" in flat


def test_internal_workbook_prints_marked_with_no_cut_cells(documents, tmp_path):
    report = kinds.meeting_report(db.session, documents.meeting, language="en", internal=True)
    pdf = office.to_pdf(FORMATS["xlsx"].render(report), ".xlsx", tmp_path)
    office.save_first_page(pdf, "meeting-en-internal-xlsx")
    pages = office.pdf_text(pdf)
    assert all("RESTRICTED — internal" in page for page in pages)
    whole = "\n".join(pages)
    assert "###" not in whole  # no column too narrow for its dates or numbers
    assert "\r" not in whole and "**" not in whole
