"""Who may see the dashboard (everyone signed in, read-only), and restricted entries never
reaching people who may not read them, on the dashboard or on any plan page."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.fixtures_dashboard import SECRET_BLOCKER, SECRET_NARRATIVE, page_text
from workplan.permissions import can

DASHBOARD_ROUTES = [
    "/dashboard",
    "/dashboard/matrix",
    "/dashboard/export.csv",
    "/dashboard/export.xlsx",
]


def test_every_dashboard_route_is_listed(app):
    routes = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("dashboard.")}
    assert routes == set(DASHBOARD_ROUTES)
    # Nothing on the dashboard writes.
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("dashboard."):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_anonymous_visitors_are_sent_to_sign_in(client, seeded):
    for path in DASHBOARD_ROUTES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/auth/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    "role", ["coordinator", "focal_point", "other_focal_point", "observer", "admin"]
)
def test_everyone_signed_in_may_read_it_and_nobody_writes(client, users, world, act_as, role):
    person = getattr(users, role)
    assert can(person, "view_dashboard")
    act_as(person)
    for path in DASHBOARD_ROUTES:
        assert client.get(path).status_code == 200, (role, path)
    for path in DASHBOARD_ROUTES[:2]:
        page = client.get(path).get_data(as_text=True)
        # The only forms that post anything are signing out and choosing the language (a
        # preference of the person's own, not a change to the plan).
        assert re.findall(r'<form[^>]*method="post"[^>]*>', page) == [
            '<form method="post" action="/auth/sign-out" class="inline">',
            '<form method="post" action="/language" class="inline language-switch">',
        ]
    deactivated = users.observer
    deactivated.active = False
    assert not can(deactivated, "view_dashboard")


def test_the_nav_links_to_the_dashboard(client, users, world, act_as):
    act_as(users.observer)
    page = client.get("/plan").get_data(as_text=True)
    assert '<a href="/dashboard">Dashboard</a>' in page
    act_as(users.coordinator)
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<a href="/dashboard" aria-current="page">Dashboard</a>' in page


def _status_of(page: str, org: str) -> str:
    """The status shown in the row of an organisation on /plan/S4."""
    row = page[page.index(f'<a href="/organisations/{org}">') :]
    return re.search(r'<span class="status status-(\w+)">', row).group(1)


@pytest.mark.parametrize("viewer", ["observer", "focal_point", "admin"])
def test_restricted_report_never_shows_to_others(client, users, world, act_as, viewer):
    """CoE's newest report on S4 is restricted: others see its previous, network report."""
    act_as(getattr(users, viewer))
    pages = {
        path: page_text(client, path) for path in ("/plan/S4", "/organisations/CoE", "/plan/S4/CoE")
    }
    for path, page in pages.items():
        assert SECRET_NARRATIVE not in page, path
    assert _status_of(pages["/plan/S4"], "CoE") == "in_progress"
    org_page = pages["/organisations/CoE"]
    s4 = org_page[org_page.index('<span class="code">S4</span>') :]
    assert re.search(r'<span class="status status-(\w+)">', s4).group(1) == "in_progress"
    state = pages["/plan/S4/CoE"]
    current = state[state.index('id="state-h"') : state.index('id="blockers-h"')]
    assert "In progress" in current and "40%" in current and "Completed" not in current
    matrix = page_text(client, "/dashboard/matrix?org=CoE")
    assert 'cell-in_progress"><a href="/plan/S4/CoE"' in matrix
    dashboard = page_text(client, "/dashboard")
    assert SECRET_NARRATIVE not in dashboard and SECRET_NARRATIVE not in matrix
    if viewer != "focal_point":  # ACHPR's focal point reads ACHPR's own restricted blocker
        for page in [*pages.values(), dashboard, matrix, page_text(client, "/plan/S4/ACHPR")]:
            assert SECRET_BLOCKER not in page


def test_the_coordinator_and_the_organisation_see_the_restricted_report(
    client, users, world, act_as
):
    coe_focal_point = factories.user("focal_point", "CoE")
    for person in (users.coordinator, coe_focal_point):
        act_as(person)
        assert _status_of(page_text(client, "/plan/S4"), "CoE") == "completed"
        assert SECRET_NARRATIVE in page_text(client, "/plan/S4/CoE")
        matrix = page_text(client, "/dashboard/matrix?org=CoE")
        assert 'cell-completed"><a href="/plan/S4/CoE"' in matrix
    act_as(users.coordinator)
    assert SECRET_BLOCKER in page_text(client, "/dashboard")
