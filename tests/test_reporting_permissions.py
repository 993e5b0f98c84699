"""The permission matrix: every route of the plan, reporting and history, tried as anonymous,
focal point of the organisation, focal point of another organisation, observer, admin and
coordinator. Refused requests must leave every reporting table and the assignment unchanged.

Signing in here sets the session directly (``act_as``; the real form is tested in
test_auth.py): the matrix makes many requests and password hashing is slow on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from tests import factories
from tests.fixtures_reporting import PDF, snapshot
from workplan.extensions import db
from workplan.models import Assignment, Blocker, Visibility
from workplan.reporting import services
from workplan.reporting.attachments import AcceptedFile

ROLES = ["anonymous", "observer", "other_focal_point", "admin", "focal_point", "coordinator"]
SIGN_IN = "/auth/sign-in"


@dataclass
class World:
    share: Assignment
    network_file: int
    restricted_file: int
    blocker: Blocker
    restricted_blocker: Blocker


@pytest.fixture
def world(users) -> World:  # type: ignore[no-untyped-def]
    share = factories.assignment("S4", "ACHPR")
    files = []
    for n, visibility in enumerate((Visibility.NETWORK, Visibility.RESTRICTED), start=1):
        entry = services.record_update(
            db.session,
            users.focal_point,
            share,
            services.UpdateInput(
                status="in_progress",
                narrative=f"entry {n}",
                visibility=visibility,
                files=[AcceptedFile(f"f{n}.pdf", "application/pdf", PDF, "0" * 64)],
            ),
            expected_version=n,
        )
        files.append(entry)
    blocker = services.raise_blocker(
        db.session, users.focal_point, share, category="resources", description="open one"
    )
    restricted = services.raise_blocker(
        db.session,
        users.focal_point,
        share,
        category="political",
        description="restricted one",
        visibility=Visibility.RESTRICTED,
    )
    db.session.commit()
    return World(share, files[0].attachments[0].id, files[1].attachments[0].id, blocker, restricted)


def _version(model: Any, ident: int) -> int:
    db.session.expire_all()
    return db.session.get(model, ident).version


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: Callable[[World], str]
    expected: dict[str, int]  # role -> status; "ok" roles change the database when writing
    data: Callable[[World], dict[str, str]] = field(default=lambda w: {})
    endpoint: str = ""


def _everyone(status: int, **overrides: int) -> dict[str, int]:
    return {"anonymous": 302, **{r: status for r in ROLES[1:]}, **overrides}


def _writers(refused: int = 403, **overrides: int) -> dict[str, int]:
    return {
        "anonymous": 302,
        "observer": refused,
        "other_focal_point": refused,
        "admin": refused,
        "focal_point": 302,
        "coordinator": 302,
        **overrides,
    }


ROUTES = [
    Route("home", "GET", lambda w: "/", _everyone(302), endpoint="plan.home"),
    Route("plan", "GET", lambda w: "/plan", _everyone(200), endpoint="plan.index"),
    Route(
        "recommendation",
        "GET",
        lambda w: "/plan/S4",
        _everyone(200),
        endpoint="plan.recommendation",
    ),
    Route(
        "organisations",
        "GET",
        lambda w: "/organisations",
        _everyone(200),
        endpoint="plan.organisations",
    ),
    Route(
        "organisation",
        "GET",
        lambda w: "/organisations/ACHPR",
        _everyone(200),
        endpoint="plan.organisation",
    ),
    Route(
        "my organisation",
        "GET",
        lambda w: "/my-organisation",
        _everyone(200, observer=302, admin=302),
        endpoint="reporting.my_organisation",
    ),
    Route("blockers", "GET", lambda w: "/blockers", _everyone(200), endpoint="reporting.blockers"),
    # Anyone signed in may stop the handover summary showing for themselves (their own row).
    Route(
        "dismiss handover",
        "POST",
        lambda w: "/my-organisation/handover/dismiss",
        _everyone(302),
        endpoint="reporting.dismiss_handover",
    ),
    Route(
        "assignment",
        "GET",
        lambda w: "/plan/S4/ACHPR",
        _everyone(200),
        endpoint="reporting.assignment",
    ),
    Route(
        "recommendation history",
        "GET",
        lambda w: "/plan/S4/history",
        _everyone(200),
        endpoint="history.recommendation",
    ),
    Route(
        "audit",
        "GET",
        lambda w: "/audit",
        _everyone(403, coordinator=200),
        endpoint="history.audit",
    ),
    Route(
        "network file",
        "GET",
        lambda w: f"/attachments/{w.network_file}",
        _everyone(200),
        endpoint="reporting.attachment",
    ),
    Route(
        "restricted file",
        "GET",
        lambda w: f"/attachments/{w.restricted_file}",
        _everyone(404, focal_point=200, coordinator=200),
        endpoint="reporting.attachment",
    ),
    Route(
        "record update",
        "POST",
        lambda w: "/plan/S4/ACHPR/updates",
        _writers(),
        data=lambda w: {
            "version": str(_version(Assignment, w.share.id)),
            "status": "completed",
            "narrative": "done",
            "visibility": "network",
        },
        endpoint="reporting.record_update",
    ),
    Route(
        "confirm no change",
        "POST",
        lambda w: "/plan/S4/ACHPR/confirm",
        _writers(),
        data=lambda w: {"confirm-version": str(_version(Assignment, w.share.id))},
        endpoint="reporting.confirm",
    ),
    Route(
        "raise blocker",
        "POST",
        lambda w: "/plan/S4/ACHPR/blockers",
        _writers(),
        data=lambda w: {
            "raise-category": "other",
            "raise-description": "stuck",
            "raise-help_organisation": "0",
            "raise-visibility": "network",
        },
        endpoint="reporting.raise_blocker",
    ),
    Route(
        "resolve blocker",
        "POST",
        lambda w: f"/blockers/{w.blocker.id}",
        # A focal point may only comment: "resolve" is not among its choices.
        _writers(focal_point=422),
        data=lambda w: {
            f"blocker-{w.blocker.id}-action": "resolve",
            f"blocker-{w.blocker.id}-version": str(_version(Blocker, w.blocker.id)),
        },
        endpoint="reporting.act_on_blocker",
    ),
    Route(
        "comment on blocker",
        "POST",
        lambda w: f"/blockers/{w.blocker.id}",
        _writers(),
        data=lambda w: {
            f"blocker-{w.blocker.id}-action": "comment",
            f"blocker-{w.blocker.id}-comment": "noted",
            f"blocker-{w.blocker.id}-version": str(_version(Blocker, w.blocker.id)),
        },
    ),
    Route(
        "comment on restricted blocker",
        "POST",
        lambda w: f"/blockers/{w.restricted_blocker.id}",
        _writers(refused=404),
        data=lambda w: {
            f"blocker-{w.restricted_blocker.id}-action": "comment",
            f"blocker-{w.restricted_blocker.id}-comment": "noted",
            f"blocker-{w.restricted_blocker.id}-version": "1",
        },
    ),
]


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_route_as_every_kind_of_person(client, users, world, route, act_as):
    for role in ROLES:
        act_as(None if role == "anonymous" else getattr(users, role))
        before = snapshot()
        data = route.data(world) if route.method == "POST" else None
        response = client.open(route.path(world), method=route.method, data=data)
        expected = route.expected[role]
        assert response.status_code == expected, (role, response.get_data(as_text=True)[:300])
        if role == "anonymous":
            assert SIGN_IN in response.headers["Location"]
        accepted_write = (
            route.method == "POST" and role != "anonymous" and response.status_code == 302
        )
        if accepted_write:
            assert snapshot() != before, f"{role}: an accepted write changed nothing"
        else:
            # Refused writes and every read leave the database as it was.
            assert snapshot() == before, f"{role}: the request changed the database"
        if route.method == "GET" and expected == 404:
            assert b"f2.pdf" not in response.data


def test_the_matrix_covers_every_route(app):
    covered = {r.endpoint for r in ROUTES if r.endpoint}
    # The blueprints this matrix is responsible for (other features keep their own matrix).
    routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in {"plan", "reporting", "history"}
    }
    assert len(routes) > 10
    assert routes - covered == set()


def test_focal_point_of_another_org_cannot_write_even_through_the_service(users, world):
    with pytest.raises(services.NotAllowed):
        services.confirm_no_change(
            db.session, users.other_focal_point, world.share, world.share.version
        )
    with pytest.raises(services.NotAllowed):
        services.act_on_blocker(
            db.session, users.observer, world.blocker, action="resolve", expected_version=1
        )
    db.session.rollback()
    assert db.session.scalars(select(Blocker.status)).all() == ["open", "open"]
