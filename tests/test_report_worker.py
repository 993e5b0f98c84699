"""Report jobs on real Redis with a real RQ worker process (``flask jobs worker``), as in
production: end to end, a failing job with retries, and a worker killed in the middle of a
job. Skipped on a machine without Redis, failed in CI (``CI=true``)."""

from __future__ import annotations

import io
import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from tests.fixtures_reports import wait_for_run
from tests.fixtures_s3 import everything_stored
from tests.fixtures_worker import REDIS_URL
from tests.layout_processes import children
from workplan import storage
from workplan.extensions import db
from workplan.models import ReportRun, RunStatus
from workplan.reports import services

pytestmark = pytest.mark.redis


def _worker_log(tmp_path: Path) -> str:
    return "\n".join(p.read_text(errors="replace")[-3000:] for p in tmp_path.glob("worker-*.log"))


def _request(client, history, **values):  # type: ignore[no-untyped-def]
    data = {
        "kind": "meeting",
        "meeting": history.meeting.id,
        "organisation": 0,
        "format": "docx",
        "language": "en",
        **values,
    }
    response = client.post("/reports", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    return db.session.scalar(select(ReportRun).order_by(ReportRun.id.desc()))


def test_a_worker_process_produces_the_report(
    rq_app, client, act_as, history, users, worker, tmp_path, storage_backend
):
    """The file the worker process writes is served by the web app, through the storage
    they share (a folder, or object storage)."""
    act_as(users.coordinator)
    run = _request(client, history)
    assert run.status == RunStatus.QUEUED and run.job_id
    from redis import Redis
    from rq.job import Job

    job = Job.fetch(run.job_id, connection=Redis.from_url(REDIS_URL))
    assert job.args == [run.id] or list(job.args) == [run.id]  # the job takes the id only
    process = worker(burst=True)
    assert process.wait(120) == 0, _worker_log(tmp_path)
    run = wait_for_run(run.id, timeout=10)
    assert run.status == RunStatus.FINISHED, (run.message, _worker_log(tmp_path))
    job.refresh()
    assert job.meta.get("progress") == 100 or job.meta.get("progress", 0) >= 90
    status = client.get(f"/reports/runs/{run.id}.json").get_json()
    assert status["status"] == "finished"
    download = client.get(status["download_url"])
    assert everything_stored(rq_app, storage.REPORTS) == [run.file_path]
    doc = Document(io.BytesIO(download.data))
    assert any("Fifth annual meeting" in p.text for p in doc.paragraphs)


def test_a_failing_job_is_retried_then_ends_failed(
    rq_app, client, act_as, history, users, worker, tmp_path
):
    act_as(users.coordinator)
    run = _request(client, history, _test_fail="boom")
    process = worker(burst=True)
    assert process.wait(120) == 0, _worker_log(tmp_path)
    run = wait_for_run(run.id, timeout=10)
    assert run.status == RunStatus.FAILED, _worker_log(tmp_path)
    assert run.attempts == 2  # one retry
    assert "unexpected error" in run.message and "Traceback" not in run.message
    assert run.file_path is None
    assert everything_stored(rq_app, storage.REPORTS) == []


def test_a_killed_worker_does_not_leave_the_run_running(
    rq_app, client, act_as, history, users, worker, tmp_path
):
    act_as(users.coordinator)
    run = _request(client, history, _test_sleep="60")
    process = worker(burst=False)
    run = wait_for_run(run.id, timeout=60, states=("running",))
    time.sleep(1.2)  # a heartbeat or two
    # The machine goes away: the worker and its work horse (which RQ puts in a session of
    # its own) are killed without warning.
    horses = children(process.pid)
    assert horses, _worker_log(tmp_path)
    os.killpg(process.pid, signal.SIGKILL)
    for pid in horses:
        os.kill(pid, signal.SIGKILL)
    process.wait(10)
    deadline = time.monotonic() + 30
    status = {}
    while time.monotonic() < deadline:
        status = client.get(f"/reports/runs/{run.id}.json").get_json()
        if status["done"]:
            break
        time.sleep(0.5)
    assert status["status"] == "failed", status
    assert status["message"] == services.STALE_MESSAGE
    assert status["download_url"] is None
    # The poll only shows it; the next worker's maintenance records it.
    db.session.expire_all()
    assert db.session.get(ReportRun, run.id).status == RunStatus.RUNNING
    worker(burst=True).wait(60)
    db.session.expire_all()
    dead = db.session.get(ReportRun, run.id)
    assert (dead.status, dead.message) == (RunStatus.FAILED, services.STALE_MESSAGE)
    assert dead.file_path is None


def test_worker_command_needs_redis(runner, app):
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_reaper_asks_rq_about_jobs_that_vanished(rq_app, history):
    run = ReportRun(
        kind="meeting",
        format="pdf",
        meeting_id=history.meeting.id,
        status=RunStatus.QUEUED,
        job_id="report-run-that-never-was",
    )
    db.session.add(run)
    db.session.commit()
    from workplan.jobs.queue import job_state

    reaped = services.reap_stale_runs(
        db.session, stale_after=timedelta(minutes=5), job_state=job_state(rq_app)
    )
    assert reaped == [run.id]
