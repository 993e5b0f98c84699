"""The RQ worker is the scheduler: while idle it reaps the runs of dead workers every
``REPORT_REAP_INTERVAL`` seconds and queues the deletion of expired report files, and each
job it runs is one JSON line in its log (LOG_FORMAT=json). Real Redis, real worker processes."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import pytest

from workplan.extensions import db
from workplan.models import ReportRun, RunStatus
from workplan.models.base import utcnow
from workplan.reports import services

pytestmark = pytest.mark.redis


def _log_lines(tmp_path: Path) -> list[dict]:
    """The JSON lines the worker wrote so far (anything else it wrote is left out)."""
    lines = []
    for path in sorted(tmp_path.glob("worker-*.log")):
        for text in path.read_text(errors="replace").splitlines():
            if text.startswith("{"):
                lines.append(json.loads(text))
    return lines


def _wait_for(predicate, timeout: float, tmp_path: Path):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.2)
    logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in tmp_path.glob("worker-*.log"))
    raise AssertionError(f"timed out; worker log:\n{logs}")


def _jobs(tmp_path: Path, function: str) -> list[dict]:
    return [
        line
        for line in _log_lines(tmp_path)
        if line.get("event") == "job" and line.get("function") == function
    ]


@pytest.fixture
def json_worker(worker, monkeypatch):  # type: ignore[no-untyped-def]
    """``worker()`` logging JSON, with maintenance every second."""
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("REPORT_REAP_INTERVAL", "1")
    return worker


def test_the_worker_deletes_expired_report_files(rq_app, history, json_worker, tmp_path):
    folder = Path(rq_app.config["REPORTS_FOLDER"])
    folder.mkdir(parents=True)
    (folder / "run-old.csv").write_text("old report")
    (folder / "run-kept.csv").write_text("kept report")
    expired, kept = (
        ReportRun(
            kind="meeting",
            format="csv",
            meeting_id=history.meeting.id,
            status=RunStatus.FINISHED,
            file_path=name,
            expires_at=utcnow() + timedelta(days=days),
        )
        for name, days in (("run-old.csv", -1), ("run-kept.csv", 30))
    )
    db.session.add_all([expired, kept])
    db.session.commit()
    json_worker(burst=False)
    (line,) = _wait_for(
        lambda: _jobs(tmp_path, "workplan.jobs.tasks.cleanup_reports"), 30, tmp_path
    )
    assert line["status"] == "finished" and line["duration_ms"] >= 0
    assert line["queue"] == rq_app.config["REPORT_QUEUE"]
    assert not (folder / "run-old.csv").exists()
    assert (folder / "run-kept.csv").read_text() == "kept report"
    db.session.expire_all()
    assert db.session.get(ReportRun, expired.id).file_path is None
    assert db.session.get(ReportRun, kept.id).file_path == "run-kept.csv"
    # Queued once per CLEANUP_EVERY, however often the maintenance runs.
    time.sleep(2.5)
    assert len(_jobs(tmp_path, "workplan.jobs.tasks.cleanup_reports")) == 1


def test_an_idle_worker_reaps_dead_runs_every_interval(rq_app, history, json_worker, tmp_path):
    json_worker(burst=False)
    # The worker has done its first maintenance (which queued the cleanup) and is idle.
    _wait_for(lambda: _jobs(tmp_path, "workplan.jobs.tasks.cleanup_reports"), 30, tmp_path)
    time.sleep(1)
    # Only now does a run's worker die (it stopped beating an hour ago).
    run = ReportRun(
        kind="meeting",
        format="pdf",
        meeting_id=history.meeting.id,
        status=RunStatus.RUNNING,
        heartbeat_at=utcnow() - timedelta(hours=1),
    )
    db.session.add(run)
    db.session.commit()

    def reaped() -> bool:
        db.session.expire_all()
        return db.session.get(ReportRun, run.id).status == RunStatus.FAILED

    # RQ alone would look again only after its 405-second wait for a job.
    _wait_for(reaped, 15, tmp_path)
    assert db.session.get(ReportRun, run.id).message == services.STALE_MESSAGE


def test_a_report_job_is_one_json_line(
    rq_app, client, act_as, history, users, json_worker, tmp_path
):
    act_as(users.coordinator)
    response = client.post(
        "/reports",
        data={
            "kind": "meeting",
            "meeting": history.meeting.id,
            "organisation": 0,
            "format": "csv",
            "language": "en",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    run = db.session.query(ReportRun).one()
    process = json_worker(burst=True)
    assert process.wait(120) == 0
    lines = _jobs(tmp_path, "workplan.jobs.tasks.generate_report")
    assert [(line["job_id"], line["status"]) for line in lines] == [(run.job_id, "finished")]
    assert lines[0]["duration_ms"] > 0
