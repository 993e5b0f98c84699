"""When the database (or Redis) is down: signed-in people get a readable 503 page, /healthz
still answers (the process lives), /readyz says what is missing, and the CLI prints one line.
Also: a signed-in person's pages are never stored by a browser or proxy."""

from __future__ import annotations

import io
import os
import subprocess  # nosec B404 # runs the application's own CLI
import sys
from pathlib import Path

import pytest
from flask import Flask

from tests.fixtures_reporting import PDF, post_update
from tests.services import app_settings
from workplan import create_app

CLOSED = "postgresql+psycopg://postgres@127.0.0.1:1/x"  # nothing listens on port 1
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def down_app(tmp_path: Path) -> Flask:
    """The application with its database server unreachable."""
    return create_app(app_settings(CLOSED, tmp_path))


def _signed_in_client(app: Flask):  # type: ignore[no-untyped-def]
    """A client carrying the session cookie of a signed-in person (written without the
    database, as a cookie from before the outage would be)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"
        session["_fresh"] = True
    return client


@pytest.mark.parametrize("path", ["/plan", "/my-organisation", "/dashboard", "/plan/S4/ACHPR"])
def test_a_signed_in_person_gets_a_readable_page_when_the_database_is_down(down_app, path):
    response = _signed_in_client(down_app).get(path)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "The database cannot be reached, so this page cannot be shown." in page
    assert "<html" in page and "Traceback" not in page
    assert response.headers["Retry-After"] == "30"


def test_other_error_pages_render_without_the_database(down_app):
    response = _signed_in_client(down_app).get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_form_posted_while_the_database_is_down_gets_the_same_page(down_app):
    # The refused CSRF token's own error page needs the database too: that second failure
    # reaches the 500 handler, as in production (a testing app would raise it instead).
    down_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = _signed_in_client(down_app).post(
        "/plan/S4/ACHPR/updates", data={"status": "in_progress", "narrative": "x"}
    )
    assert response.status_code == 503
    assert "The database cannot be reached" in response.get_data(as_text=True)


def test_healthz_lives_and_readyz_names_the_database_when_it_is_down(down_app):
    client = down_app.test_client()
    assert client.get("/healthz").get_data(as_text=True) == "ok\n"
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_data(as_text=True) == "not ready: database unreachable\n"
    assert "Set-Cookie" not in ready.headers


def test_the_cli_prints_one_line_when_the_database_is_down(down_app):
    result = down_app.test_cli_runner().invoke(args=["users", "list"])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: the database cannot be reached (")
    assert "Check DATABASE_URL" in lines[0]


def test_the_flask_command_prints_one_line_when_the_database_is_down(tmp_path):
    env = {
        **os.environ,
        "FLASK_APP": "wsgi:app",
        "DATABASE_URL": CLOSED,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "REPORTS_FOLDER": str(tmp_path / "reports"),
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(  # nosec B603 # fixed arguments
        [sys.executable, "-m", "flask", "users", "list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        line for line in done.stderr.strip().splitlines() if line.startswith("Error: the database")
    ]
    assert done.stderr.startswith("Error: the database cannot be reached")


def test_readyz_names_redis_when_it_is_down(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "not ready: Redis unreachable\n"


def test_readyz_is_ready_when_the_database_and_redis_answer(app, client):
    app.config["REDIS_URL"] = REDIS_URL
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ready\n"
    assert "Set-Cookie" not in response.headers


def test_signed_in_pages_are_not_stored_but_downloads_keep_their_own_rule(
    client, users, act_as, share, share_url
):
    act_as(users.focal_point)
    report = post_update(client, share_url, attachments=[(io.BytesIO(PDF), "a.pdf")])
    assert report.status_code == 302, report.get_data(as_text=True)[:300]
    for path in ("/plan", share_url, "/my-organisation", "/no-such-page"):
        response = client.get(path)
        assert response.mimetype == "text/html"
        assert response.headers["Cache-Control"] == "no-store", path
    download = client.get("/attachments/1")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "private, no-store"
    export = client.get("/dashboard/export.csv")
    assert export.headers["Cache-Control"] == "private, no-store"


def test_pages_for_signed_out_visitors_may_be_stored(client, users, act_as):
    act_as(None)
    response = client.get("/auth/sign-in")
    assert response.status_code == 200
    assert "Cache-Control" not in response.headers
