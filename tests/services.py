"""Access to the real services the tests run against (PostgreSQL, Redis).

On a newcomer's machine a missing service skips the tests that need it, saying why; in CI
(``CI=true``) it fails them, so that a green CI always means the tests ran.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def unavailable(reason: str) -> None:
    """Skip (on a developer's machine) or fail (in CI) because a service is missing."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure)", pytrace=False)
    pytest.skip(reason)


def create_postgres_database() -> str:
    """Create a throwaway PostgreSQL database and return its URL.

    Each test run gets its own database, so runs on the same server never see each other.
    """
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"workplan_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error.orig}")
    finally:
        admin.dispose()
    return (
        sa.engine.make_url(POSTGRES_ADMIN_URL)
        .set(database=name)
        .render_as_string(hide_password=False)
    )


def drop_postgres_database(url: str) -> None:
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def empty_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a new, empty database of ``backend`` ("sqlite": a file in ``folder``;
    "postgresql": a throwaway database, dropped afterwards)."""
    if backend == "sqlite":
        yield "sqlite:///" + str(folder / "test.sqlite3")
        return
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


def app_settings(database_url: str, instance: Path) -> dict[str, object]:
    """The settings every test app starts from: ``database_url``, and files under
    ``instance``."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": "localhost",
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "REPORTS_FOLDER": str(instance / "reports"),
        # The two folders above, whatever the environment says (tests/fixtures_s3.py
        # switches a test to another storage).
        "STORAGE_URL": None,
        "REDIS_URL": None,
        # Most tests post forms directly; tests/test_csrf.py turns protection back on.
        "WTF_CSRF_ENABLED": False,
        # tests/test_auth.py::test_sign_in_attempts_are_limited turns it on.
        "RATELIMIT_ENABLED": False,
    }


@contextmanager
def served(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """``app`` served on a free port of 127.0.0.1 in a thread: yields its base URL; on the way
    out, stops the server, waits for the reports it ran in threads, and closes the pool."""
    from werkzeug.serving import make_server

    from workplan.extensions import db

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        for job in app.extensions.get("report_threads", []):
            job.join(timeout=60)
        with app.app_context():
            db.engine.dispose()
