"""Logs: every response carries a request id; with LOG_FORMAT=json every request and every
job is one JSON line on standard output, with the request id, the person, the route, the
status and the duration (tests/test_deploy_layout.py reads them from real processes)."""

from __future__ import annotations

import io
import json
import logging
import re
import sys

import pytest

from tests.services import app_settings
from workplan import create_app, logs

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_stdout():  # type: ignore[no-untyped-def]
    """JSON logging installed on the root logger for this test only; ``lines()`` parses the
    lines written so far. (pytest swaps ``sys.stdout`` between a test's phases, so the
    handler's stream is read here; the real processes' standard output is read by
    tests/test_deploy_layout.py.)"""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    logs.install_json_logging()
    (handler,) = [h for h in root.handlers if isinstance(h.formatter, logs.JsonLineFormatter)]
    assert handler.stream is sys.stdout
    buffer = io.StringIO()
    handler.setStream(buffer)

    def lines() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line]

    yield lines
    root.handlers[:] = handlers
    root.setLevel(level)


def _requests(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line.get("event") == "request"]


def test_every_response_carries_a_request_id(client):
    made = client.get("/healthz").headers["X-Request-ID"]
    again = client.get("/healthz").headers["X-Request-ID"]
    assert HEX_ID.fullmatch(made) and HEX_ID.fullmatch(again) and made != again
    # A proxy's id is kept, so that its log and ours can be joined...
    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-7f3a.1"})
    assert kept.headers["X-Request-ID"] == "nginx-7f3a.1"
    # ...but not one that is not an id.
    for bad in ("two words", "x" * 200, '"}{"injected": 1'):
        replaced = client.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert HEX_ID.fullmatch(replaced), bad


def test_a_request_is_one_json_line_naming_route_not_path(
    client, act_as, users, share_url, json_stdout
):
    act_as(users.focal_point)
    response = client.get(share_url, headers={"X-Request-ID": "req-42"})
    assert response.status_code == 200
    missing = client.get("/plan/S4/NOPE")
    assert missing.status_code == 404
    act_as(None)
    client.get("/auth/link/secret-one-time-token-value")
    lines = _requests(json_stdout())
    assert len(lines) == 3, lines
    page, not_found, link = lines
    assert page["request_id"] == "req-42"
    assert page["user_id"] == users.focal_point.id
    assert (page["method"], page["route"], page["endpoint"], page["status"]) == (
        "GET",
        "/plan/<code>/<org_code>",
        "reporting.assignment",
        200,
    )
    assert isinstance(page["duration_ms"], float) and page["duration_ms"] > 0
    assert page["level"] == "INFO" and page["logger"] == "workplan.requests"
    assert page["ts"].endswith("+00:00")
    assert (not_found["status"], not_found["user_id"]) == (404, users.focal_point.id)
    assert not_found["request_id"] == missing.headers["X-Request-ID"]
    # The token of a sign-in link never reaches the log: the route is logged, not the path.
    assert link["route"] == "/auth/link/<token>" and link["user_id"] is None
    assert "secret-one-time-token-value" not in json.dumps(lines)


def test_a_log_record_within_a_request_carries_its_id(app, client, json_stdout):
    @app.get("/boom-for-test")
    def boom() -> str:
        logging.getLogger("workplan.test").warning("about to fail")
        raise RuntimeError("kaboom")

    app.testing = False  # as in production: the error page, not the exception
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom-for-test", headers={"X-Request-ID": "req-boom"})
    assert response.status_code == 500
    lines = json_stdout()
    warning = next(line for line in lines if line["message"] == "about to fail")
    assert warning["request_id"] == "req-boom" and warning["level"] == "WARNING"
    error = next(line for line in lines if line["level"] == "ERROR")
    # The traceback stays on the error's one line, as a field.
    assert error["request_id"] == "req-boom"
    assert "RuntimeError: kaboom" in error["exc_info"]
    (request_line,) = _requests(lines)
    assert (request_line["status"], request_line["request_id"]) == (500, "req-boom")


def test_a_job_line(json_stdout):
    logs.log_job("report-run-7-abc", "workplan.jobs.tasks.generate_report", "failed", 1234.567)
    (line,) = json_stdout()
    assert line == {
        "ts": line["ts"],
        "level": "INFO",
        "logger": "workplan.jobs.log",
        "message": "job report-run-7-abc failed",
        "event": "job",
        "job_id": "report-run-7-abc",
        "function": "workplan.jobs.tasks.generate_report",
        "status": "failed",
        "duration_ms": 1234.6,
    }


def test_json_logging_is_installed_once(json_stdout):
    logs.install_json_logging()
    logs.install_json_logging()
    logging.getLogger("workplan.test").info("once")
    assert [line["message"] for line in json_stdout()] == ["once"]


def test_an_unknown_log_format_is_refused(tmp_path):
    settings = {**app_settings("sqlite://", tmp_path), "LOG_FORMAT": "xml"}
    with pytest.raises(ValueError, match="LOG_FORMAT must be one of text, json"):
        create_app(settings)
