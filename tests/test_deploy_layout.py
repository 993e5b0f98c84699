"""The production layout of deploy/, end to end, on this machine: the commands of the systemd
units (migrations, then gunicorn with 2 workers and deploy/gunicorn.conf.py; a separate
``flask jobs worker``), against a fresh PostgreSQL database, Redis and shared file storage,
used over HTTP only, as people would:

a focal point reports with an attachment and raises a blocker; the coordinator records a
meeting, requests its report, which the worker process produces and the web processes
serve, and downloads it and the attachment; a worker killed in the middle of a job leaves a
run that ends failed (another worker's maintenance records it), and the report requested
again succeeds; after the web processes restart, everything is still there, sessions too.
Every line the processes write on standard output is JSON (LOG_FORMAT=json).
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from docx import Document

from tests import services
from tests.layout_processes import Layout, free_port, unit_commands, wait_for
from tests.services import unavailable
from tests.web_forms import Browser
from workplan.reports.services import STALE_MESSAGE

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "layout test pass phrase 7"
NARRATIVE = "Joint workshop with the Commission held in Banjul; report circulated."
BLOCKER = "The interpretation budget for the regional survey was cut."
ATTACHMENT = ("evidence.csv", ("date,event\n2026-11-30,workshop " + uuid.uuid4().hex).encode())


@pytest.fixture
def layout_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (the migrations build it, as on a first install)."""
    url = services.create_postgres_database()
    yield url
    services.drop_postgres_database(url)


@pytest.fixture
def layout_redis() -> Iterator[tuple[str, str]]:
    """Redis, and a queue name of this run's own (other runs may share the server)."""
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisError as error:
        unavailable(f"Redis is not reachable at {REDIS_URL}: {error}")
    queue = f"layout-test-{uuid.uuid4().hex[:10]}"
    yield REDIS_URL, queue
    Queue(queue, connection=connection).delete(delete_jobs=True)
    connection.delete(f"{queue}:mail-daily-jobs", f"{queue}:reports-cleanup")
    connection.close()


@pytest.fixture
def storage_settings(s3_settings: dict[str, str]) -> dict[str, str]:
    """The file storage every process of the layout shares: the S3-compatible server (moto)
    that tests/fixtures_s3.py starts, under a prefix of this test's own."""
    return s3_settings


@pytest.fixture
def layout(layout_database, layout_redis, storage_settings, tmp_path) -> Iterator[Layout]:  # type: ignore[no-untyped-def]
    redis_url, queue = layout_redis
    port = free_port()
    settings = {
        # What deploy/workplan.env.example sets for production...
        "DATABASE_URL": layout_database,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "LOG_FORMAT": "json",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "REPORT_QUEUE": queue,
        **storage_settings,
        # ...and what this test needs: many sign-ins from one address, a slow job on
        # request, and a dead worker noticed in seconds rather than minutes.
        "SIGN_IN_RATE_LIMIT": "1000 per minute",
        "REPORT_TEST_HOOKS": "1",
        "REPORT_HEARTBEAT_INTERVAL": "0.5",
        "REPORT_STALE_AFTER": "3",
        "REPORT_REAP_INTERVAL": "1",
    }
    inherited = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env = {
        **inherited,
        **unit_commands("workplan-web.service")["Environment"],  # type: ignore[dict-item]
        **settings,
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    running = Layout(env=env, folder=logs, base=f"http://127.0.0.1:{port}")
    try:
        yield running
    finally:
        running.stop_all()


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(texts)


def _request_report(coordinator: Browser, meeting_id: int, **more: str) -> int:
    response = coordinator.submit(
        "/reports",
        "/reports",
        {"kind": "meeting", "meeting": str(meeting_id), "format": "docx", **more},
    )
    assert response.status_code == 302, response.text[:500]
    return int(re.search(r"#run-(\d+)$", response.headers["Location"]).group(1))  # type: ignore[union-attr]


def _run_status(coordinator: Browser, run_id: int) -> dict:
    response = coordinator.get(f"/reports/runs/{run_id}.json")
    assert response.status_code == 200
    return response.json()


def _download_report(coordinator: Browser, run_id: int) -> str:
    status = _run_status(coordinator, run_id)
    assert status["status"] == "finished" and status["download_url"], status
    response = coordinator.get(status["download_url"])
    assert response.status_code == 200
    return _docx_text(response.content)


def test_the_production_layout_end_to_end(layout: Layout, layout_database: str):
    # First install (deploy/RUNBOOK.md): the web unit applies the migrations before serving;
    # then the plan and two accounts, from the command line.
    layout.start_web()
    worker = layout.start_worker()
    layout.flask(["plan", "seed"])
    layout.flask(
        *(
            ["users", "create", email, "--name", email, "--role", role, "--org", org,
             "--password-stdin"]
            for email, role, org in (
                ("coordinator@layout.test", "coordinator", "NIRMS"),
                ("amina@layout.test", "focal_point", "ACHPR"),
            )
        ),
        stdin=PASSWORD + "\n",
    )  # fmt: skip

    # The focal point reports on ACHPR's share of S4, with a file, and raises a blocker.
    focal_point = Browser(layout.base)
    focal_point.sign_in("amina@layout.test", PASSWORD)
    share = "/plan/S4/ACHPR"
    reported = focal_point.submit(
        share,
        f"{share}/updates",
        {"status": "in_progress", "progress": "40", "narrative": NARRATIVE},
        files={"attachments": (ATTACHMENT[0], ATTACHMENT[1], "text/csv")},
    )
    assert reported.status_code == 302, reported.text[:1000]
    raised = focal_point.submit(
        share, f"{share}/blockers", {"raise-category": "resources", "raise-description": BLOCKER}
    )
    assert raised.status_code == 302, raised.text[:1000]

    # The coordinator records a meeting and asks for its report; the worker produces it.
    coordinator = Browser(layout.base)
    coordinator.sign_in("coordinator@layout.test", PASSWORD)
    today = date.today()
    recorded = coordinator.submit(
        "/meetings/new",
        fields={
            "title": "Layout test meeting of focal points",
            "held_on": (today + timedelta(days=30)).isoformat(),
            "place": "Banjul",
            "cutoff_date": (today + timedelta(days=1)).isoformat(),
        },
    )
    assert recorded.status_code == 302, recorded.text[:1000]
    meeting_id = int(recorded.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    first_run = _request_report(coordinator, meeting_id)
    wait_for("the report", lambda: _run_status(coordinator, first_run)["done"], 60, layout.logs)
    report = _download_report(coordinator, first_run)
    assert "Layout test meeting of focal points" in report and NARRATIVE in report

    # The attachment, written by one web process, comes back byte for byte.
    page = coordinator.get(share).text
    assert NARRATIVE in page and BLOCKER in page
    attachment_url = re.search(r'href="(/attachments/\d+)"', page).group(1)  # type: ignore[union-attr]
    download = coordinator.get(attachment_url, headers={"X-Request-ID": "layout-attachment"})
    assert download.status_code == 200 and download.content == ATTACHMENT[1]
    assert download.headers["X-Request-ID"] == "layout-attachment"
    assert BLOCKER in coordinator.get("/blockers").text

    # A worker dies in the middle of a job: the run ends failed, recorded by the next worker.
    slow_run = _request_report(coordinator, meeting_id, _test_sleep="60")
    wait_for(
        "the slow job to run",
        lambda: _run_status(coordinator, slow_run)["status"] == "running",
        60,
        layout.logs,
    )
    time.sleep(1.2)  # a heartbeat or two
    layout.kill_worker(worker)
    failed = wait_for(
        "the run to show as failed",
        lambda: (s := _run_status(coordinator, slow_run))["done"] and s,
        30,
        layout.logs,
    )
    assert (failed["status"], failed["message"]) == ("failed", STALE_MESSAGE)
    assert failed["download_url"] is None
    layout.start_worker()
    engine = sa.create_engine(layout_database)
    try:

        def recorded_status() -> str | None:
            with engine.connect() as conn:
                return conn.execute(
                    sa.text("SELECT status FROM report_runs WHERE id = :id"), {"id": slow_run}
                ).scalar()

        wait_for("the reaper", lambda: recorded_status() == "failed", 30, layout.logs)
    finally:
        engine.dispose()
    # Requested again, it succeeds.
    retried = _request_report(coordinator, meeting_id)
    wait_for("the retry", lambda: _run_status(coordinator, retried)["done"], 60, layout.logs)
    assert NARRATIVE in _download_report(coordinator, retried)

    # The web processes restart (a release): sessions, reports, files and entries remain.
    layout.stop_web()
    layout.start_web()
    assert NARRATIVE in _download_report(coordinator, first_run)  # the same session cookie
    assert coordinator.get(attachment_url).content == ATTACHMENT[1]
    assert _run_status(coordinator, slow_run)["status"] == "failed"
    runs_page = coordinator.get("/reports").text
    assert all(f"run-{run}" in runs_page for run in (first_run, slow_run, retried))
    returning = Browser(layout.base)
    returning.sign_in("amina@layout.test", PASSWORD)
    mine = returning.get(share).text
    assert NARRATIVE in mine and BLOCKER in mine and ATTACHMENT[0] in mine

    # Logs: JSON lines only, one per request and per job.
    web_lines = [json.loads(line) for line in layout.stdout_lines("web")]
    requests_logged = [line for line in web_lines if line.get("event") == "request"]
    (attachment_line,) = [
        line for line in requests_logged if line["request_id"] == "layout-attachment"
    ]
    assert attachment_line["endpoint"] == "reporting.attachment"
    assert attachment_line["route"] == "/attachments/<int:attachment_id>"
    assert attachment_line["status"] == 200 and isinstance(attachment_line["user_id"], int)
    assert any(line["route"] == "/reports" and line["method"] == "POST" for line in requests_logged)
    assert any(line["logger"] == "gunicorn.error" for line in web_lines)  # gunicorn's own, too
    worker_lines = [
        json.loads(line) for name in ("worker-0", "worker-1") for line in layout.stdout_lines(name)
    ]
    job_lines = [line for line in worker_lines if line.get("event") == "job"]
    reports = {
        (line["job_id"].split("-")[2], line["status"])
        for line in job_lines
        if line["function"] == "workplan.jobs.tasks.generate_report"
    }
    assert reports == {(str(first_run), "finished"), (str(retried), "finished")}, job_lines
