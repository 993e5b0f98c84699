"""The French reports, every kind in every format: no English outside the plan's own texts,
counts that agree ("1 obstacle était ouvert", never "1 ont"), French typography (a no-break
space before every ``%``, ``:`` and ``;``), "1er" for the first of the month, the meeting's
French title and place, the organisation's French name with its article, and the proofing
language of the Word file."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from tests import factories
from workplan.extensions import db
from workplan.models import Blocker, BlockerEvent, ProgressUpdate, Recommendation, User
from workplan.reports import kinds
from workplan.reports.formats import FORMATS

FORMAT_CODES = ("docx", "pdf", "xlsx", "csv")
KINDS = ("meeting", "organisation", "blockers")

# Words the report machinery could leave in English (labels, sentences, units, marks, the
# meeting's data). A word that also occurs in the plan's own texts cannot be checked, since
# those stay in English; CHECKABLE below makes sure the list keeps its teeth.
ENGLISH_TEXT = """
    the and of was were has have is are which since from report Report reports Reports
    blocker Blocker blockers Blockers share Share shares Shares Status Progress Summary
    Contents Annex Meeting meeting Changes Updates Assignments Averages Matrix
    Recommendation Recommendations Implemented Completed completed Lead lead Term Title Name
    Narrative Moved Unblocked Blocked cut-off focal Focal points none never days months yes
    no Geneva General GENERAL RESTRICTED English Original: Distr.: Open Resources Escalated
    Acknowledged Resolved progress Not started hold Ongoing practice Short-term Mid-term
    Long-term Raised Latest comment Time Help asked Age Symbols asterisk marks Overall
    average During period Annual annual Fifth
"""
ENGLISH = set(ENGLISH_TEXT.split())
CHECKABLE_AT_LEAST_TEXT = """
    was were blocker blockers Blockers Summary Contents Geneva yes Fifth Overall
    RESTRICTED Distr.: Original:
"""
CHECKABLE_AT_LEAST = set(CHECKABLE_AT_LEAST_TEXT.split())


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w’'.:-]+", text)) | set(re.findall(r"\w+(?:-\w+)*", text))


def _plan_vocabulary() -> set[str]:
    """Every word of the plan's own texts, which stay as typed: recommendations, narratives,
    blockers and their comments, people's names."""
    texts: list[str] = []
    for rec in db.session.scalars(select(Recommendation)):
        texts += [rec.title, rec.text or ""]
    texts += list(db.session.scalars(select(ProgressUpdate.narrative)))
    texts += list(db.session.scalars(select(Blocker.description)))
    texts += [c or "" for c in db.session.scalars(select(BlockerEvent.comment))]
    texts += list(db.session.scalars(select(User.name)))
    return set().union(*(_words(t) for t in texts))


def _text(data: bytes, fmt: str) -> str:
    """Everything a reader of the file sees, as text."""
    if fmt == "docx":
        doc = Document(io.BytesIO(data))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        for section in doc.sections:
            for part in (section.header, section.first_page_header, section.footer):
                parts += [p.text for p in part.paragraphs]
        return "\n".join(parts)
    if fmt == "pdf":
        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        parts = []
        for ws in book.worksheets:
            parts += [ws.title, ws.oddHeader.center.text or ""]
            parts += [str(v) for row in ws.iter_rows(values_only=True) for v in row if v]
        return "\n".join(parts)
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    return "\n".join(" | ".join(row) for row in rows)


def _build(kind: str, history, language: str = "fr"):  # type: ignore[no-untyped-def]
    if kind == "meeting":
        return kinds.meeting_report(db.session, history.meeting, language=language, internal=True)
    if kind == "organisation":
        return kinds.organisation_report(
            db.session,
            factories.organisation("ACHPR"),
            datetime(2026, 3, 1, tzinfo=UTC),
            history.meeting.cutoff_at,
            language=language,
            internal=True,
        )
    return kinds.blockers_report(
        db.session, history.meeting.cutoff_at, language=language, internal=True
    )


@pytest.fixture
def french_meeting(history):  # type: ignore[no-untyped-def]
    """The history's meeting with its title and place in French, held in Geneva."""
    history.meeting.place = "Geneva"
    history.meeting.place_fr = "Genève"
    history.meeting.title_fr = "Cinquième réunion annuelle des coordonnateurs"
    db.session.commit()
    return history


@pytest.mark.parametrize("kind", KINDS)
def test_french_reports_have_no_english_outside_the_plans_texts(app, french_meeting, kind):
    report = _build(kind, french_meeting)
    checkable = ENGLISH - _plan_vocabulary()
    assert checkable >= CHECKABLE_AT_LEAST, CHECKABLE_AT_LEAST - checkable
    for fmt in FORMAT_CODES:
        text = _text(FORMATS[fmt].render(report), fmt)
        left = sorted(_words(text) & checkable)
        assert left == [], f"{kind} {fmt}: English left: {left}"
        assert not re.search(r"\b1 (ont|sont|étaient|parts|obstacles)\b", text), (kind, fmt)


@pytest.mark.parametrize("kind", KINDS)
def test_french_reports_set_a_no_break_space_before_every_percent_colon_and_semicolon(
    app, french_meeting, kind
):
    report = _build(kind, french_meeting)
    for fmt in ("docx", "xlsx", "csv"):
        text = _text(FORMATS[fmt].render(report), fmt)
        # Addresses (https://) and times (10:30) are not punctuation.
        text = re.sub(r"\w+://\S+|\d+(:\d+)+", "", text)
        bare = re.findall(r".{0,20}[^\u202f\u00a0(][%:;]", text)  # "(%)" needs none
        assert bare == [], f"{kind} {fmt}: {bare[:5]}"
    # PDF text extraction turns no-break spaces into spaces: no mark is ever glued to a word.
    text = _text(FORMATS["pdf"].render(report), "pdf")
    text = re.sub(r"\w+://\S+|\d+(:\d+)+", "", text)
    assert re.findall(r".{0,20}[^\s(][%:;]", text) == []


def test_the_french_meeting_report_uses_the_french_title_place_and_dates(app, french_meeting):
    report = _build("meeting", french_meeting)
    text = _text(FORMATS["docx"].render(report), "docx")
    assert "Cinquième réunion annuelle des coordonnateurs, Genève, 20\u00a0septembre 2026" in text
    assert "au 1er\u00a0septembre 2026, date limite" in text
    assert "Fifth annual meeting" not in text and "Geneva" not in text
    assert "État d’avancement du plan de travail" in report.title
    # The English report keeps the English ones.
    english = _text(FORMATS["docx"].render(_build("meeting", french_meeting, "en")), "docx")
    assert "Fifth annual meeting of focal points, Geneva, 20\u00a0September 2026" in english


def test_the_french_organisation_report_names_the_organisation_with_its_article(app, history):
    report = _build("organisation", history)
    assert report.title.startswith(
        "Rapport de la Commission africaine des droits de l’homme et des peuples sur"
    )
    english = _build("organisation", history, "en")
    assert english.title.startswith("Report of the African Commission on Human")
    coe = kinds.organisation_report(
        db.session,
        factories.organisation("CoE"),
        datetime(2026, 3, 1, tzinfo=UTC),
        history.meeting.cutoff_at,
        language="fr",
        internal=False,
    )
    assert coe.title.startswith("Rapport du Conseil de l’Europe")


def test_french_counts_agree_with_their_verbs(app, history):
    blockers = _build("blockers", history)
    # One network blocker (S5) and one restricted (S2) were open at the cut-off.
    assert blockers.summary[0].startswith("2 obstacles étaient ouverts au 1er\u00a0septembre")
    public = kinds.blockers_report(
        db.session, history.meeting.cutoff_at, language="fr", internal=False
    )
    assert public.summary[0].startswith("1 obstacle était ouvert au 1er\u00a0septembre")
    meeting = _build("meeting", history)
    changes = next(b.text for b in meeting.blocks if getattr(b, "text", "").startswith("Depuis"))
    assert re.search(r"\b1 a été achevée\b", changes), changes
    assert re.search(r"\b0 part a reculé\b", changes), changes


@pytest.mark.parametrize(("language", "tag"), [("fr", "fr-FR"), ("en", "en-GB")])
def test_the_word_file_carries_its_proofing_language(app, history, language, tag):
    data = FORMATS["docx"].render(_build("meeting", history, language))
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        styles = docx.read("word/styles.xml").decode()
        core = docx.read("docProps/core.xml").decode()
    langs = set(re.findall(r'<w:lang [^>]*w:val="([^"]+)"', styles))
    assert langs == {tag}
    assert f"<dc:language>{tag}</dc:language>" in core


def test_french_sheet_names_and_headers_are_french(app, history):
    report = _build("meeting", history)
    book = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report)))
    assert {"Résumé", "Modifications", "Sans compte rendu", "Obstacles", "Parts"} <= set(
        book.sheetnames
    )
    header = next(csv.reader(io.StringIO(FORMATS["csv"].render(report).decode("utf-8-sig"))))
    assert header[:4] == ["Code", "Échéance", "Titre", "Organisation"]
    assert "Chef de file" in header and "Avancement" in header


def test_a_report_is_translated_without_a_request_as_in_a_worker(app, history):
    """The worker has an application context and no request: the report's language is
    forced all the same, and outside any application context the builder refuses rather
    than fall back to English silently."""
    from flask import has_request_context

    from workplan.reports.language import report_locale

    assert not has_request_context()
    assert _build("blockers", history).title == "Obstacles à la mise en œuvre du plan de travail"
    import threading  # a bare thread has no application context

    errors: list[BaseException] = []

    def outside() -> None:
        try:
            with report_locale("fr"):
                pass
        except RuntimeError as error:
            errors.append(error)

    thread = threading.Thread(target=outside)
    thread.start()
    thread.join()
    assert len(errors) == 1
