"""In a real browser: the coordinator records a meeting, asks for its status report in Word,
watches it progress without reloading the page, and downloads a document that opens."""

from __future__ import annotations

import re

import pytest
from docx import Document

from tests.fixtures_reporting_browser import ARTEFACTS
from tests.services import unavailable

pytestmark = pytest.mark.browser


def test_coordinator_creates_a_meeting_and_downloads_its_word_report(open_page):
    page = open_page("coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Title", exact=True).fill("Sixth annual meeting of focal points")
    page.get_by_label("Title (French)").fill("Sixième réunion annuelle des coordonnateurs")
    page.get_by_label("Date of the meeting").fill("2027-12-14")
    page.get_by_label("Place", exact=True).fill("Addis Ababa")
    page.get_by_label("Place (French)").fill("Addis-Abeba")
    page.get_by_label("Reporting cut-off date").fill("2027-11-01")
    page.get_by_label("Cut-off time (UTC)").fill("12:00")
    page.get_by_role("button", name="Save the meeting").click()
    assert "The meeting is recorded." in page.inner_text(".flashes")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Sixth annual meeting of focal points"
    assert "14\u00a0December 2027" in page.inner_text("main")

    # Slow the job down a little (a hook only a testing app honours) to watch it progress.
    page.evaluate(
        "document.querySelector('.report-form').insertAdjacentHTML('beforeend',"
        ' \'<input type="hidden" name="_test_sleep" value="2">\')'
    )
    page.get_by_label("Word (.docx), editable").check()
    page.get_by_role("button", name="Produce the report").click()
    assert re.search(r"/meetings/\d+#run-\d+$", page.url)
    assert "The report is being produced." in page.inner_text(".flashes")
    page.evaluate("window.__notReloaded = true")
    row = page.locator("tr.run").first
    assert row.locator("progress").count() == 1
    link = row.get_by_role("link", name=re.compile("^Download"))
    link.wait_for(timeout=30_000)
    assert page.evaluate("window.__notReloaded === true")  # updated in place
    assert "Ready" in row.inner_text()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "meeting-report-ready.png"), full_page=True)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "meeting-status-report-2027-12-14-en.docx"
    doc = Document(download.path())
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Sixth annual meeting of focal points" in text and "Distr.: GENERAL" in text


def test_meeting_and_report_pages_have_no_serious_accessibility_violations(open_page):
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        unavailable("axe-playwright-python is not installed (pip install -e '.[test]')")
    axe = Axe()
    page = open_page("coordinator")
    problems = []
    for path in ["/meetings", "/meetings/new", "/meetings/1", "/meetings/1/edit", "/reports"]:
        page.goto(path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"]][:3]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    assert problems == []
