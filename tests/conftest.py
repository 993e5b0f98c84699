"""Fixtures: an app on each database backend, a client, a CLI runner, and sign-in helpers.

Tests that use ``app`` run twice: on SQLite and on PostgreSQL. Tables are created once per
backend and emptied after each test.

The test body runs inside an application context (so it can use ``db.session`` to make and
check data), but every request of the test client runs in a context and database session of
its own, exactly as in production: a view that forgets to commit loses its writes here too.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from tests import factories
from tests.services import app_settings, empty_database
from workplan import create_app
from workplan.extensions import db
from workplan.plan import seeding

# Fixture modules of feature areas, e.g. "tests.fixtures_browser".
# A module another one imports comes first (pytest rewrites asserts only before import).
pytest_plugins: list[str] = [
    "tests.fixtures_templates",
    "tests.fixtures_mail",
    "tests.fixtures_reporting",
    "tests.fixtures_reporting_browser",
    "tests.fixtures_reports",
    "tests.fixtures_dashboard",
    "tests.fixtures_worker",
    "tests.fixtures_s3",
    "tests.fixtures_api",
]

BACKENDS = ["sqlite", "postgresql"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the translation catalogues that are missing or older than their ``.po`` (as
    ``make test`` does), so that a test run by hand reads the French being written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (
        Path(__file__).resolve().parent.parent.glob("workplan/translations/*/LC_MESSAGES/*.po")
    ):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalogue = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalogue)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A database URL per backend, with the schema created once."""
    with empty_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def _schema(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    app = create_app(app_settings(database_url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return database_url


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in a fresh application context.

    Flask reuses an application context that is already pushed, and Flask-SQLAlchemy keys its
    session by that context: without this, a request would share the test's session, and a
    write the view never committed would still be seen. Running the request in an empty
    ``contextvars`` context makes Flask push (and tear down) a context of its own.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = contextvars.Context().run(super().open, *args, **kwargs)
        # What the request committed must be read afresh by the test's own session (a
        # redirect followed inside the request's own context has no test session to refresh).
        if has_app_context() and not (db.session.new or db.session.dirty or db.session.deleted):
            db.session.expire_all()
        return response


@pytest.fixture
def app(_schema: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(app_settings(_schema, tmp_path))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def seeded(app: Flask) -> Flask:
    """The app with the committed plan loaded."""
    seeding.load_seed(db.session, seeding.read_seed())
    db.session.commit()
    return app


@pytest.fixture
def users(seeded: Flask) -> factories.People:
    """One person of each kind: coordinator, focal points of two organisations, observer."""
    return factories.people()


@pytest.fixture
def sign_in(client: FlaskClient):  # type: ignore[no-untyped-def]
    """Sign in through the real form: ``sign_in(user)``."""

    def do(user, password: str = factories.PASSWORD):  # type: ignore[no-untyped-def]
        client.post("/auth/sign-out")
        response = client.post(
            "/auth/sign-in",
            data={"email": user.email, "password": password},
            follow_redirects=False,
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do
