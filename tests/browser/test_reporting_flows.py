"""In a real browser: a focal point reports and raises a blocker, the coordinator resolves it,
the report form works with the keyboard alone, and the main pages pass axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures_reporting_browser import ARTEFACTS, serious_accessibility_problems

pytestmark = pytest.mark.browser


def test_focal_point_reports_raises_a_blocker_and_the_coordinator_resolves_it(
    open_page, live_app, tmp_path
):
    focal = open_page("focal_point")
    # First visit: the organisation's page, with what needs a report.
    assert focal.url.endswith("/my-organisation")
    heading = focal.get_by_role("heading", level=1)
    assert "African Commission on Human and Peoples' Rights" in heading.inner_text()
    assert "Next reporting cut-off" in focal.inner_text(".period")
    assert focal.locator(".owed-item.stale").count() > 0
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    focal.screenshot(path=str(ARTEFACTS / "first-visit.png"), full_page=True)

    focal.get_by_role("link", name="Report on S4").click()
    assert re.search(r"/plan/S4/ACHPR#report$", focal.url)
    evidence = tmp_path / "Workshop report.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% a workshop report\n%%EOF\n")
    focal.get_by_label("Status").select_option("in_progress")
    focal.get_by_label("Progress (%) (optional)").fill("30")
    focal.get_by_label("What has been done").fill("Held a **regional workshop** in Banjul.")
    focal.get_by_label("Files (optional)").set_input_files(str(evidence))
    focal.get_by_role("button", name="Save this report").click()
    assert "Your report is saved." in focal.inner_text(".flashes")
    # The page opens at the history: the confirmation is there, in view.
    expect(focal.locator("#history .flashes")).to_be_in_viewport()
    history = focal.locator("#history")
    assert "Workshop report.pdf" in history.inner_text()
    assert history.locator("strong", has_text="regional workshop").count() == 1

    focal.get_by_label("What kind of obstacle").select_option("resources")
    focal.get_by_label("Describe the obstacle").fill("No interpretation budget for the survey.")
    focal.get_by_role("button", name="Raise this blocker").click()
    assert "The blocker is raised." in focal.inner_text(".flashes")
    expect(focal.locator("#blockers .flashes")).to_be_in_viewport()
    assert "No interpretation budget" in focal.inner_text("#blockers")

    coordinator = open_page("coordinator")
    coordinator.get_by_role("link", name="Blockers").click()
    item = coordinator.locator(".blocker", has_text="No interpretation budget")
    assert "S4" in item.inner_text() and "Open" in item.inner_text()
    item.get_by_label("Action").select_option("resolve")
    item.get_by_label("Comment").fill("NIRMS will cover interpretation.")
    item.get_by_role("button", name="Record").click()
    assert "Recorded on the blocker." in coordinator.inner_text(".flashes")
    assert "No interpretation budget" not in coordinator.inner_text("main")

    focal.goto("/my-organisation")
    mine = focal.locator(".blocker", has_text="No interpretation budget").inner_text()
    assert "Resolved" in mine and "NIRMS will cover interpretation." in mine

    # Resolved too soon: the coordinator reopens it from the assignment page.
    coordinator.goto("/plan/S4/ACHPR")
    coordinator.get_by_text("Resolved blockers (1)").click()
    item = coordinator.locator(".resolved-blockers .blocker", has_text="No interpretation budget")
    assert item.get_by_label("Action").input_value() == ""  # nothing chosen in advance
    item.get_by_label("Action").select_option("reopen")
    item.get_by_role("button", name="Record").click()
    assert "Open blockers (1)" in coordinator.inner_text("#blockers")
    coordinator.goto("/audit")
    coordinator.screenshot(path=str(ARTEFACTS / "audit-trail.png"), full_page=True)
    assert "Blocker reopened" in coordinator.inner_text("table.audit")


def test_report_form_with_the_keyboard_only(open_page):
    page = open_page("focal_point")
    page.goto("/plan/S6/ACHPR")
    expected = ["status", "progress", "narrative", "evidence_links", "attachments"]
    visited: list[str] = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.name")
        visited.append(focused)
        if focused == "progress":
            page.keyboard.type("15")
        elif focused == "narrative":
            page.keyboard.type("Reported with the keyboard only.")
        elif focused == "visibility-0":
            page.keyboard.press("Space")
        elif focused == "submit":
            break
    assert visited[-1] == "submit", visited
    order = [visited.index(name) for name in [*expected, "visibility-0", "submit"]]
    assert order == sorted(order), visited
    # Back one step and forward again, then send with Enter.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "visibility-0"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/plan/S6/ACHPR#history$"))
    assert "Your report is saved." in page.inner_text(".flashes")
    assert "Reported with the keyboard only." in page.inner_text("#history")
    assert "15%" in page.inner_text("#history")


@pytest.mark.parametrize(
    ("role", "paths"),
    [
        (None, ["/auth/sign-in"]),
        (
            "focal_point",
            ["/plan", "/plan/S4", "/organisations/ACHPR", "/my-organisation", "/plan/S5/ACHPR"],
        ),
        ("coordinator", ["/blockers", "/audit", "/plan/S4/history"]),
    ],
    ids=["anonymous", "focal_point", "coordinator"],
)
def test_main_pages_have_no_serious_accessibility_violations(open_page, role, paths):
    assert serious_accessibility_problems(open_page(role), paths) == []
