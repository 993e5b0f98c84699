"""In a real browser: the coordinator reads the dashboard, filters it, shares the view's
address, and the dashboard and the matrix pass axe-core."""

from __future__ import annotations

import re

import pytest

from tests.fixtures_reporting_browser import ARTEFACTS, serious_accessibility_problems

pytestmark = pytest.mark.browser


def test_coordinator_filters_the_dashboard_and_shares_the_view(open_page):
    page = open_page("coordinator")
    # The coordinator lands on the dashboard.
    assert page.url.endswith("/dashboard")
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    assert "Not reported since the cut-off" in page.inner_text("#not-reported")
    assert "Blocker queue" in page.inner_text("#blocker-queue")
    terms = page.locator("#terms-table")
    assert "Short term" in terms.inner_text() and "All terms" in terms.inner_text()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "dashboard.png"), full_page=True)

    page.get_by_label("Term", exact=True).select_option("short")
    page.get_by_label("Organisation", exact=True).select_option("ACHPR")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/dashboard\?.*term=short"))
    assert "org=ACHPR" in page.url
    filtered = page.inner_text("#terms-table")
    assert "Mid term" not in filtered
    shared = page.locator("a.share-link").inner_text()
    assert shared == "/dashboard?term=short&org=ACHPR"

    # Someone else opens the shared address: the same view.
    other = open_page("coordinator")
    other.goto(shared)
    assert other.inner_text("#terms-table") == filtered
    assert other.get_by_label("Term", exact=True).input_value() == "short"
    page.reload()
    assert page.inner_text("#terms-table") == filtered

    # The matrix of the same view, then a cell leads to the share's page.
    page.get_by_role("link", name="See the matrix of recommendations by organisation").click()
    page.wait_for_url(re.compile(r"/dashboard/matrix\?term=short&org=ACHPR$"))
    page.locator('a[href="/plan/S2/ACHPR"]').click()
    page.wait_for_url(re.compile(r"/plan/S2/ACHPR$"))
    assert "share of ACHPR" in page.get_by_role("heading", level=1).inner_text()
    page.goto("/dashboard/matrix")
    page.screenshot(path=str(ARTEFACTS / "matrix.png"), full_page=False)


def test_dashboard_and_matrix_have_no_serious_accessibility_violations(open_page):
    for role in ("coordinator", "observer"):
        page = open_page(role)
        paths = ["/dashboard", "/dashboard/matrix", "/dashboard?term=zz&stale=soon"]
        assert serious_accessibility_problems(page, paths) == []
