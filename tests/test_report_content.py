"""What the meeting report says, on a known history: regressions first, the shares not
reported, the last real narrative after "No change", honest percentages, narratives rendered
rather than printed as Markdown, and line endings normalised."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from docx import Document
from pypdf import PdfReader

from tests import factories
from workplan.extensions import db
from workplan.models import ProgressUpdate, Status, Visibility
from workplan.reporting import services as reporting
from workplan.reports import kinds
from workplan.reports.document import Table
from workplan.reports.figures import honest_percent, recommendation_progress
from workplan.reports.formats import FORMATS
from workplan.state.snapshot import AssignmentState, OrgRef, RecommendationState


def _at(days: int) -> datetime:
    return datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(days=days)


def _report(history, *, internal: bool = False, language: str = "en"):  # type: ignore[no-untyped-def]
    return kinds.meeting_report(db.session, history.meeting, language=language, internal=internal)


def _sheet(report, name: str) -> Table:  # type: ignore[no-untyped-def]
    return next(t for t in report.sheets if t.sheet == name)


def test_regressions_come_first_and_every_change_reads_from_to(app, history, users):
    share = factories.assignment("S8", "CoE")
    factories.progress_update(share, users.other_focal_point, Status.COMPLETED, 100, at=_at(30))
    factories.progress_update(share, users.other_focal_point, Status.ON_HOLD, 40, at=_at(100))
    rows = _sheet(_report(history), "Changes").rows
    assert rows[0] == ["Moved back", "S8", "CoE", "Completed → On hold"]
    assert ["Completed", "S4", "ACHPR", "In progress → Completed"] in rows
    for row in rows:
        before, after = row[3].split(" → ")
        assert before != after  # never "Completed → completed"


def test_a_share_not_reported_is_listed_even_when_its_organisation_reported_on_others(
    app, history, users
):
    # ACHPR reported on S4 between the cut-offs, but on S3 only before the previous one.
    factories.progress_update(
        factories.assignment("S3", "ACHPR"), users.focal_point, Status.IN_PROGRESS, 20, at=_at(5)
    )
    rows = _sheet(_report(history), "Not reported").rows
    listed = {(r[0], r[1]) for r in rows}
    assert ("ACHPR", "S3") in listed and ("ACHPR", "S4") not in listed
    s3 = next(r for r in rows if r[:2] == ["ACHPR", "S3"])
    assert s3[2] == _at(5) and s3[3] == "7 months"
    never = next(r for r in rows if r[:2] == ["ACHPR", "S9"])
    assert never[2] is None and never[3] == "never reported"


def test_after_no_change_the_last_real_narrative_is_shown(app, history, users):
    share = factories.assignment("S9", "ACHPR")
    factories.progress_update(
        share, users.focal_point, Status.IN_PROGRESS, 60, "Survey sent to members.", at=_at(90)
    )
    db.session.add(
        ProgressUpdate(
            assignment=share,
            author=users.focal_point,
            created_at=_at(200),
            status=Status.IN_PROGRESS,
            progress=60,
            narrative="",
            visibility=Visibility.NETWORK,
            is_confirmation=True,
        )
    )
    db.session.commit()
    report = _report(history)
    s9 = next(r for r in _sheet(report, "Assignments").rows if r[0] == "S9" and r[3] == "ACHPR")
    assert str(s9[8]) == "Survey sent to members."
    assert s9[7] == _at(200)  # the confirmation is still the latest report
    doc = Document(io.BytesIO(FORMATS["docx"].render(report)))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Survey sent to members." in cells


def test_percentages_truncate_and_never_claim_what_is_not_done():
    assert honest_percent(996, 1000) == 99
    assert honest_percent(1, 1000) == 1  # a little is not nothing
    assert honest_percent(0, 10) == 0 and honest_percent(10, 10) == 100
    org = OrgRef(1, "X", "X", None, 1)
    shares = [AssignmentState(i, org, False, Status.COMPLETED) for i in range(279)]
    shares.append(AssignmentState(999, org, False, Status.IN_PROGRESS, 0))
    rec = RecommendationState(1, "M2", "mid", "", "", shares)
    assert rec.rollup.progress == 100  # the dashboard's rounding
    assert recommendation_progress(rec) == 99  # the report's honest figure


def test_implemented_counts_completed_and_ongoing_shares_apart_from_averages(app, history, users):
    factories.progress_update(
        factories.assignment("S6", "CoE"), users.other_focal_point, Status.ONGOING, at=_at(100)
    )
    report = _report(history)
    counts = _sheet(report, "Summary")
    short = next(r for r in counts.rows if r[0] == "Short-term recommendations")
    assert short[-2].startswith("2 (")  # S4/ACHPR completed and S6/CoE ongoing
    assert "Average" not in " ".join(counts.header)  # counts only
    averages = _sheet(report, "Averages")
    assert all("Average" in h for h in averages.header[1:])
    assert "2 of" in report.summary[1] and "implemented" in report.summary[1]


def test_narratives_print_styled_not_as_markdown(app, history, users):
    factories.progress_update(
        factories.assignment("S5", "CoE"),
        users.other_focal_point,
        Status.IN_PROGRESS,
        40,
        "Report **submitted** to the *bureau*, see [the page](https://example.org/p)\r\n"
        "- first step\r\n- second step",
        at=_at(100),
    )
    org = factories.organisation("CoE")
    report = kinds.organisation_report(
        db.session, org, _at(60), history.meeting.cutoff_at, language="en", internal=False
    )
    doc = Document(io.BytesIO(FORMATS["docx"].render(report)))
    runs = [
        r
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    ]
    assert any(r.text == "submitted" and r.bold for r in runs)
    assert any(r.text == "bureau" and r.italic for r in runs)
    xml = doc.element.xml
    assert "w:hyperlink" in xml and "**" not in xml and "](" not in xml and "\r" not in xml
    assert "https://example.org/p" in {
        r.target_ref for r in doc.part.rels.values() if r.is_external
    }
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(FORMATS["pdf"].render(report))).pages
    )
    assert "submitted" in text and "first step" in text
    assert "**" not in text and "](" not in text and "\r" not in text


def test_line_endings_typed_in_the_form_are_stored_as_newlines(app, users):
    share = factories.assignment("S4", "ACHPR")
    entry = reporting.record_update(
        db.session,
        users.focal_point,
        share,
        reporting.UpdateInput(status="in_progress", narrative="First line\r\nSecond\rThird"),
        expected_version=share.version,
    )
    assert entry.narrative == "First line\nSecond\nThird"


def test_the_summary_reads_right_whatever_the_counts(app, history):
    """No "1 shares were completed": the counts follow a colon in both languages."""
    for language in ("en", "fr"):
        sentence = _report(history, language=language).summary[2]
        assert "1 shares" not in sentence and "1 blockers" not in sentence
        assert "1 parts" not in sentence and "1 obstacles" not in sentence
        assert ", 1;" in sentence.replace("\u202f;", ";")
