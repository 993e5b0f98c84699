"""In a real browser: the coordinator invites a focal point; the focal point opens the link
from the captured invitation, presses the button, sets a password and reports on a share."""

from __future__ import annotations

import re
import time

import pytest

from tests.fixtures_mail import Mailbox
from tests.fixtures_reporting_browser import ARTEFACTS, serious_accessibility_problems

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://[^/\s]+(/auth/link/[A-Za-z0-9_\-]+)")


def _invitation_text(live_app, email: str) -> str:  # type: ignore[no-untyped-def]
    """The invitation as the focal point's mail server received it (it is sent by a thread
    that the invitation's request starts)."""
    deadline = time.monotonic() + 20
    while not live_app.mailbox.to(email) and time.monotonic() < deadline:
        time.sleep(0.2)
    messages = live_app.mailbox.to(email)
    assert len(messages) == 1, [m["Subject"] for m in messages]
    return Mailbox.text(messages[0])


def test_coordinator_invites_a_focal_point_who_signs_in_and_reports(open_page, live_app):
    coordinator = open_page("coordinator")
    coordinator.get_by_role("link", name="People", exact=True).click()
    coordinator.get_by_role("link", name="Invite a person").click()
    coordinator.get_by_label("Name", exact=True).fill("Lucía Fernández")
    coordinator.get_by_label("E-mail").fill("lucia@iachr.example.org")
    coordinator.get_by_label("Role", exact=True).select_option("focal_point")
    coordinator.get_by_label("Organisation", exact=True).select_option("IACHR")
    coordinator.get_by_label("Focal point", exact=True).select_option("main")
    coordinator.get_by_label("Title (optional)").fill("Human Rights Specialist")
    coordinator.get_by_role("button", name="Invite").click()
    assert "Lucía Fernández is invited" in coordinator.inner_text(".flashes")
    assert "Invited (never signed in)" in coordinator.inner_text("main")

    path = LINK.search(_invitation_text(live_app, "lucia@iachr.example.org")).group(1)
    focal = open_page()
    focal.goto(path)
    assert "Lucía Fernández" in focal.inner_text("main")
    focal.get_by_role("button", name="Sign in").click()
    focal.get_by_label("New password", exact=True).fill("a long and private passphrase")
    focal.get_by_label("Repeat the new password").fill("a long and private passphrase")
    focal.get_by_role("button", name="Save password").click()
    assert "Your password is saved." in focal.inner_text(".flashes")
    assert focal.url.endswith("/my-organisation")

    report = focal.get_by_role("link", name=re.compile(r"^Report on ")).first
    code = report.inner_text().removeprefix("Report on ").strip()
    report.click()
    focal.get_by_label("Status").select_option("in_progress")
    focal.get_by_label("What has been done").fill("Focal point designated and introduced.")
    focal.get_by_role("button", name="Save this report").click()
    assert "Your report is saved." in focal.inner_text(".flashes")
    assert "Focal point designated and introduced." in focal.inner_text("#history")

    # The new focal point is in the directory, and the coordinator sees them active.
    focal.get_by_role("link", name="Directory", exact=True).click()
    assert "Human Rights Specialist" in focal.inner_text("#org-IACHR")
    coordinator.goto("/people?org=IACHR")
    assert "Active" in coordinator.inner_text("table.people")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    coordinator.screenshot(path=str(ARTEFACTS / "people.png"), full_page=True)
    assert code


def test_people_pages_pass_axe(open_page):
    page = open_page("coordinator")
    problems = serious_accessibility_problems(
        page, ["/people", "/people/invite", "/directory", "/profile", "/auth/forgot"]
    )
    assert problems == []
