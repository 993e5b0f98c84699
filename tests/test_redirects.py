"""Redirect targets taken from a request (``next``, ``back``) never leave the site."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.fixtures_reports import finish_jobs
from workplan.extensions import db
from workplan.models import Assignment, Blocker
from workplan.redirects import safe_target

# Each of these, followed by a browser, would leave the site or break the response.
HOSTILE = [
    "/\t/evil.example/",  # "?next=/%09/evil.example/": browsers drop the tab
    "/\\evil.example",  # browsers read a backslash as a slash
    "\\\\evil.example",
    "//evil.example",
    "///evil.example",
    " //evil.example",
    "https://evil.example",
    "/\r\nSet-Cookie:x",  # "?next=/%0d%0aSet-Cookie:x": a header injection, or a 500
    "/\x00x",
    "javascript:alert(1)",
    "evil.example",
]
KEPT = "/plan/S4/ACHPR?x=1#y"


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_fall_back_to_the_default(target):
    assert safe_target(target, "/home") == "/home"


def test_a_path_on_the_site_is_kept_with_its_query_and_fragment():
    assert safe_target(KEPT, "/home") == KEPT
    assert safe_target(None, "/home") == "/home"
    assert safe_target("", "/home") == "/home"


# A NUL in any form field is refused before the view runs (workplan/request_guards.py).
HOSTILE_POSTABLE = [t for t in HOSTILE if "\x00" not in t]


def _location(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def _stays_home(location: str, path: str) -> bool:
    return location in (path, "http://localhost" + path)


@pytest.mark.parametrize(
    "query",
    ["/%09/evil.example/", "/%5Cevil.example", "https://evil.example", "/%0d%0aSet-Cookie:x"],
)
def test_sign_in_next_never_leaves_the_site(client, users, query):
    data = {"email": users.observer.email, "password": factories.PASSWORD}
    location = _location(client.post(f"/auth/sign-in?next={query}", data=data))
    assert _stays_home(location, "/"), location


def test_sign_in_next_on_the_site_is_followed(client, users):
    data = {"email": users.observer.email, "password": factories.PASSWORD}
    location = _location(client.post("/auth/sign-in?next=/plan/S4/ACHPR%3Fx%3D1%23y", data=data))
    assert location.endswith(KEPT)


def test_confirm_form_next_never_leaves_the_site(client, users, act_as, share, share_url):
    act_as(users.focal_point)
    for target, kept in [(t, False) for t in HOSTILE_POSTABLE] + [(KEPT, True)]:
        version = db.session.get(Assignment, share.id).version
        response = client.post(
            share_url + "/confirm", data={"confirm-version": str(version), "next": target}
        )
        location = _location(response)
        assert location.endswith(KEPT) if kept else _stays_home(location, share_url), target


def test_blocker_form_next_never_leaves_the_site(client, users, act_as, share, share_url):
    blocker = factories.blocker(share, users.focal_point)
    act_as(users.coordinator)
    for target in HOSTILE_POSTABLE:
        db.session.expire_all()
        blocker = db.session.scalar(select(Blocker))
        prefix = f"blocker-{blocker.id}-"
        response = client.post(
            f"/blockers/{blocker.id}",
            data={
                prefix + "action": "comment",
                prefix + "comment": "Seen.",
                prefix + "version": str(blocker.version),
                "next": target,
            },
        )
        assert _stays_home(_location(response), share_url + "#blockers"), target


@pytest.mark.parametrize(("back", "kept"), [("/\t/evil.example/", False), ("/meetings", True)])
def test_report_request_back_never_leaves_the_site(app, client, users, act_as, back, kept):
    act_as(users.coordinator)
    data = {"kind": "blockers", "format": "csv", "language": "en", "back": back}
    location = _location(client.post("/reports", data=data))
    finish_jobs(app)
    path = location.removeprefix("http://localhost").partition("#")[0]
    assert path == ("/meetings" if kept else "/reports"), location
    assert "#run-" in location
