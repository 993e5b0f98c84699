"""Fixtures of the JSON API: a token for a person, and a client that sends it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient

from tests.services import served
from workplan.api import tokens
from workplan.extensions import db


def make_token(person: Any, name: str = "test") -> str:
    """A committed token for ``person``; returns its secret."""
    _, secret = tokens.create_token(db.session, None, person, name)
    db.session.commit()
    return secret


@dataclass
class Api:
    """Requests to ``/api/v1`` with a token (``token=None``: none sent)."""

    client: FlaskClient

    def _headers(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, token: str | None, **kwargs: Any) -> Any:
        g.pop("_login_user", None)
        return self.client.get("/api/v1" + path, headers=self._headers(token), **kwargs)

    def post(self, path: str, token: str | None, body: Any = None, **kwargs: Any) -> Any:
        g.pop("_login_user", None)
        return self.client.post("/api/v1" + path, headers=self._headers(token), json=body, **kwargs)


@pytest.fixture
def api(client: FlaskClient) -> Api:
    return Api(client)


@pytest.fixture
def token_of(users):  # type: ignore[no-untyped-def]
    """``token_of("focal_point")``: a token of one of the ``users`` fixture's people."""
    made: dict[str, str] = {}

    def do(role: str) -> str:
        if role not in made:
            made[role] = make_token(getattr(users, role), name=f"{role} script")
        return made[role]

    return do


@dataclass(frozen=True)
class LiveApi:
    url: str
    tokens: dict[str, str]  # role -> token


ROLES = ("coordinator", "focal_point", "other_focal_point", "observer", "admin")


def _populate_live() -> dict[str, str]:
    """The plan, one person of each role with a token, a meeting, and entries of each
    visibility (so that the fuzzer's reads return content, restricted or not)."""
    from datetime import timedelta

    from tests import factories
    from workplan.models import Meeting, Status, Visibility
    from workplan.models.base import utcnow
    from workplan.plan import seeding

    seeding.load_seed(db.session, seeding.read_seed())
    db.session.commit()
    people = factories.people()
    now = utcnow()
    db.session.add(
        Meeting(
            title="Fifth meeting of focal points",
            held_on=(now + timedelta(days=60)).date(),
            place="Banjul",
            cutoff_at=now + timedelta(days=45),
        )
    )
    share = factories.assignment("S4", "ACHPR")
    factories.progress_update(share, people.focal_point, Status.IN_PROGRESS, 30, "Network.")
    factories.progress_update(
        share, people.focal_point, Status.ON_HOLD, None, "Restricted.", Visibility.RESTRICTED
    )
    factories.blocker(share, people.focal_point, visibility=Visibility.RESTRICTED)
    factories.blocker(factories.assignment("S4", "CoE"), people.other_focal_point)
    return {role: make_token(getattr(people, role), name="fuzzer") for role in ROLES}


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def api_live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The application served on a free port of 127.0.0.1, on each database backend (reports
    in a thread of the process), with a token for each role."""
    from tests.services import empty_database

    instance = tmp_path_factory.mktemp("api-instance")
    with empty_database(request.param, instance) as url:
        yield from _serve_live(url, instance)


def _serve_live(database_url: str, instance: Path):  # type: ignore[no-untyped-def]

    from workplan import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "api-test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(instance / "uploads"),
            "REPORTS_FOLDER": str(instance / "reports"),
            "REDIS_URL": None,
            "API_RATE_LIMIT": "100000 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        role_tokens = _populate_live()
        db.session.remove()
    with served(app) as base:
        yield LiveApi(base, role_tokens)
