"""``flask reports make``: the report files scripts and cron produce, the same as the web's."""

from __future__ import annotations

import io

from docx import Document

from tests import factories
from workplan.extensions import db
from workplan.models import ReportRun
from workplan.reports import kinds
from workplan.reports.formats import FORMATS


def make(runner, output, kind, fmt, *options):  # type: ignore[no-untyped-def]
    """``flask reports make --kind KIND --format FMT OPTIONS... --output OUTPUT``."""
    args = ["reports", "make", "--kind", kind, "--format", fmt, *options, "--output", str(output)]
    return runner.invoke(args=args)


def test_make_writes_the_same_meeting_report_as_the_web(app, runner, history, tmp_path):
    output = tmp_path / "report.csv"
    result = make(
        runner, output, "meeting", "csv", "--lang", "fr", "--meeting", str(history.meeting.id)
    )
    assert result.exit_code == 0, result.output
    web = kinds.meeting_report(db.session, history.meeting, language="fr", internal=False)
    assert output.read_bytes() == FORMATS["csv"].render(web)
    assert db.session.scalar(db.select(db.func.count(ReportRun.id))) == 0  # nothing recorded


def test_make_an_internal_organisation_report_in_word(app, runner, history, tmp_path):
    output = tmp_path / "achpr.docx"
    result = make(
        runner,
        output,
        "organisation",
        "docx",
        *("--org", "ACHPR", "--start", "2026-03-02", "--end", "2026-09-01", "--internal"),
    )
    assert result.exit_code == 0, result.output
    doc = Document(io.BytesIO(output.read_bytes()))
    assert "RESTRICTED — internal" in doc.sections[0].header.paragraphs[0].text
    cells = " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Joint workshop held in Banjul." in cells


def test_make_says_what_is_missing(app, runner, history, tmp_path):
    factories.organisation("ACHPR")
    result = make(runner, tmp_path / "x.pdf", "meeting", "pdf")
    assert result.exit_code != 0 and "--meeting is required" in result.output
    result = make(runner, tmp_path / "x.pdf", "organisation", "pdf", "--org", "NOPE")
    assert result.exit_code != 0 and "No organisation with code 'NOPE'" in result.output
