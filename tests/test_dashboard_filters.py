"""Dashboard filters: each one, combined, invalid values, and views as shareable links."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from tests.fixtures_dashboard import page_text, table_rows
from workplan.dashboard.filters import Filters, parse_filters
from workplan.dashboard.queries import network_order
from workplan.extensions import db
from workplan.models import Organisation
from workplan.models.base import utcnow


def _cells(page: str) -> list[str]:
    """The shares shown in the matrix, as "S4/ACHPR"."""
    return [
        m.replace("%20", " ")
        for m in re.findall(r'<td class="cell [^"]+"><a href="/plan/([^"#]+)">', page)
    ]


def _columns(page: str) -> list[str]:
    return re.findall(
        r'<th scope="col" class="org-h"><a href="/organisations/[^"]+" title="[^"]*">([^<]+)</a>',
        page,
    )


def _rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row" class="rec-h"><a href="/plan/([^"]+)">', page)


@pytest.fixture
def coordinator(client, users, world, act_as):  # type: ignore[no-untyped-def]
    act_as(users.coordinator)
    return client


def test_term_filter(coordinator):
    page = page_text(coordinator, "/dashboard/matrix?term=mid")
    assert _rows(page) and all(code.startswith("M") for code in _rows(page))
    assert len(_rows(page)) == 13
    terms = [r[0] for r in table_rows(page_text(coordinator, "/dashboard?term=mid"), "terms-table")]
    assert terms == ["Term", "Mid term", "All terms"]


def test_region_and_organisation_filters(coordinator):
    page = page_text(coordinator, "/dashboard/matrix?region=Europe")
    assert _columns(page) == ["CoE", "ODIHR"]
    page = page_text(coordinator, "/dashboard/matrix?region=ohchr")
    assert _columns(page) == ["NIRMS", "FOTCD", "SPB", "UPR", "HRTD", "RDD"]
    # Codes in any letter case, as in the plan's addresses; the form shows the canonical one.
    page = page_text(coordinator, "/dashboard/matrix?org=achpr")
    assert _columns(page) == ["ACHPR"]
    assert '<option selected value="ACHPR">' in page
    assert {c.split("/")[1] for c in _cells(page)} == {"ACHPR"}


def test_status_lead_and_blocked_filters(coordinator):
    assert sorted(_cells(page_text(coordinator, "/dashboard/matrix?status=completed"))) == [
        "S1/NIRMS", "S4/ACHPR", "S4/CoE"
    ]  # fmt: skip
    leads = _cells(page_text(coordinator, "/dashboard/matrix?lead=1&term=short"))
    assert "S4/ACHPR" in leads and "S4/AfHPR" not in leads
    assert sorted(_cells(page_text(coordinator, "/dashboard/matrix?blocked=1"))) == [
        "S4/ACHPR", "S4/IACHR", "S6/CoE"
    ]  # fmt: skip


def test_stale_and_not_reported_filters(coordinator):
    # No update for 30 days: every share except those reported 2, 3, 5 and 10 days ago.
    stale = _cells(page_text(coordinator, "/dashboard/matrix?stale=30"))
    assert len(stale) == 276 - 4
    assert "S7/NIRMS" in stale and "S1/NIRMS" not in stale
    # Not reported since the last meeting's cut-off (30 days ago): the same shares.
    assert sorted(_cells(page_text(coordinator, "/dashboard/matrix?not_reported=1"))) == sorted(
        stale
    )
    # Since a chosen date 4 days ago: only the reports of 2 and 3 days ago count.
    since = (utcnow() - timedelta(days=4)).date().isoformat()
    page = page_text(coordinator, f"/dashboard/matrix?not_reported=1&since={since}")
    assert len(_cells(page)) == 276 - 2
    assert "the date chosen above" in page


def test_filters_combine(coordinator):
    page = page_text(coordinator, "/dashboard/matrix?term=short&region=Africa&lead=1&blocked=1")
    assert _cells(page) == ["S4/ACHPR"]
    page = page_text(coordinator, "/dashboard?term=short&region=Africa&lead=1&blocked=1")
    assert "Blocker queue (1)" in page


def test_invalid_values_are_kept_explained_and_ignored(coordinator):
    response = coordinator.get(
        "/dashboard?term=someday&stale=soon&since=2026-13-45&org=NOPE&status=done&region=Mars"
        "&blocked=1"
    )
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "Some filters were not understood and are not applied" in page
    for message in (
        "“someday” is not a term: showing every term.",
        "“NOPE” is not an organisation",
        "“done” is not a status",
        "“Mars” is not a region",
        "Give a number of days from 1 to 3650.",
        "Give a date like 2026-01-31.",
    ):
        assert message in page
    assert 'value="soon"' in page and 'value="2026-13-45"' in page
    # The valid filter still applies.
    assert "Blocker queue (3)" in page
    assert len(_cells(page_text(coordinator, "/dashboard/matrix?stale=-3&blocked=1"))) == 3


def test_a_view_is_a_shareable_link(coordinator, app):
    url = "/dashboard?org=achpr&lead=1&stale=10&term=short"
    page = page_text(coordinator, url)
    link = re.search(r'<a href="([^"]+)" class="share-link">', page).group(1)
    assert link == "/dashboard?term=short&org=ACHPR&lead=1&stale=10"
    # The link shows the same view.
    again = page_text(coordinator, link)
    assert table_rows(again, "terms-table") == table_rows(page, "terms-table")
    # The matrix and the exports carry the same filters.
    assert 'href="/dashboard/matrix?term=short&org=ACHPR&lead=1&stale=10"' in page
    assert 'href="/dashboard/export.csv?term=short&org=ACHPR&lead=1&stale=10"' in page


def test_clear_filters_leads_to_the_same_page_without_filters(coordinator):
    pattern = r'<a href="([^"]*)" class="clear-filters">Clear filters</a>'
    for url, unfiltered in (
        ("/dashboard?org=achpr&lead=1", "/dashboard"),
        ("/dashboard/matrix?term=short", "/dashboard/matrix"),
        ("/dashboard?stale=nonsense", "/dashboard"),
    ):
        assert re.findall(pattern, page_text(coordinator, url)) == [unfiltered], url
    refused = coordinator.get("/dashboard/export.csv?stale=nonsense")
    assert refused.status_code == 400
    assert re.findall(pattern, html.unescape(refused.get_data(as_text=True))) == ["/dashboard"]
    assert "Clear filters" not in page_text(coordinator, "/dashboard")


def test_filters_round_trip(app, users):
    organisations = network_order(list(db.session.scalars(db.select(Organisation))))
    filters = Filters(
        term="long", region="Americas", org="IACHR", status="on_hold", lead=True,
        blocked=True, stale=7, not_reported=True, since=utcnow().date(),
    )  # fmt: skip
    query = urlsplit("/?" + "&".join(f"{k}={v}" for k, v in filters.query_args().items())).query
    parsed, form = parse_filters(MultiDict(parse_qsl(query)), organisations)
    assert parsed == filters
    assert not any(field.errors for field in form)
    assert Filters().query_args() == {} and not Filters().active


def test_focal_point_uses_the_same_views_read_only(client, users, world, act_as):
    act_as(users.focal_point)
    for url in ("/dashboard?org=CoE", "/dashboard/matrix?blocked=1"):
        page = page_text(client, url)
        # The only forms that post are signing out and choosing the language.
        posts = re.findall(r'<form[^>]+method="post"[^>]*action="([^"]+)"', page)
        assert posts == ["/auth/sign-out", "/language"]


def test_a_large_matrix_is_shown_page_by_page(coordinator, monkeypatch):
    monkeypatch.setattr("workplan.dashboard.matrix.ROWS_PER_PAGE", 10)
    page = page_text(coordinator, "/dashboard/matrix?stale=1")
    assert len(_rows(page)) == 10
    assert "Recommendations 1 to 10 of" in page
    assert 'href="/dashboard/matrix?stale=1&page=2" rel="next"' in page
    last = page_text(coordinator, "/dashboard/matrix?stale=1&page=99")
    assert 'rel="next"' not in last and 'rel="prev"' in last
    third = page_text(coordinator, "/dashboard/matrix?page=3")
    assert _rows(third) == ["M12", "M13", "L1", "L2", "L3", "L4"]
    assert "Recommendations 21 to 26 of 26" in third
    assert len(_rows(page_text(coordinator, "/dashboard/matrix?page=nonsense"))) == 10
