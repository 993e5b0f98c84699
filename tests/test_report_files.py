"""Report files across hosts, on a local folder and on object storage: a file written by a
worker on one host is served by a web process on another that shares only the database and
the storage; a file that is recorded but gone ("missing", an error in words, logged) is not
one whose retention passed ("expired", 410)."""

from __future__ import annotations

import contextvars
import io
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from flask import Flask

from tests.fixtures_s3 import everything_stored
from tests.fixtures_worker import STORAGE_SETTINGS
from tests.services import app_settings
from workplan import create_app, storage
from workplan.extensions import db
from workplan.jobs import tasks
from workplan.models import ReportRun, RunStatus
from workplan.models.base import utcnow


def _worker_host(app: Flask, folder: Path, shared: bool) -> Flask:
    """Another app object, as on a worker host: the same database, an instance folder of its
    own, and the web app's storage settings when ``shared``."""
    settings = app_settings(app.config["SQLALCHEMY_DATABASE_URI"], folder)
    if shared:
        settings |= {name: app.config[name] for name in STORAGE_SETTINGS}
    return create_app(settings)


@pytest.fixture
def worker_host(app: Flask, tmp_path: Path) -> Iterator:  # type: ignore[type-arg]
    """``worker_host(shared=True)``: produce a report run with another app object."""
    made: list[Flask] = []

    def produce(run_id: int, *, shared: bool = True) -> Flask:
        other = _worker_host(app, tmp_path / f"worker-host-{len(made)}", shared)
        made.append(other)
        # In a context of its own, as in another process: not the test's app context.
        contextvars.Context().run(tasks.run_in_app, other, run_id)
        return other

    yield produce
    for other in made:
        with other.app_context():
            db.engine.dispose()


def _queued_run(history, users) -> int:  # type: ignore[no-untyped-def]
    run = ReportRun(
        kind="meeting",
        format="docx",
        language="en",
        meeting_id=history.meeting.id,
        requested_by_id=users.coordinator.id,
        status=RunStatus.QUEUED,
    )
    db.session.add(run)
    db.session.commit()
    return run.id


def _finished(run_id: int) -> ReportRun:
    db.session.expire_all()
    run = db.session.get(ReportRun, run_id)
    assert run is not None
    assert run.status == RunStatus.FINISHED, run.message
    return run


def test_a_report_written_on_the_worker_host_is_served_by_the_web_host(
    app, client, act_as, history, users, storage_backend, worker_host, tmp_path
):
    run_id = _queued_run(history, users)
    worker_host(run_id)
    run = _finished(run_id)
    assert everything_stored(app, storage.REPORTS) == [run.file_path]
    # Neither host kept it on its own disk.
    for folder in (app.config["REPORTS_FOLDER"], tmp_path / "worker-host-0" / "reports"):
        assert not Path(folder).exists() or not any(Path(folder).iterdir())
    act_as(users.coordinator)
    status = client.get(f"/reports/runs/{run_id}.json").get_json()
    assert status["status"] == "finished" and status["download_url"]
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download.headers["Content-Length"] == str(run.file_size)
    doc = Document(io.BytesIO(download.data))
    assert any("Fifth annual meeting" in p.text for p in doc.paragraphs)


def test_a_file_on_another_hosts_own_disk_is_missing_not_expired(
    app, client, act_as, history, users, worker_host, caplog
):
    """What issue 16 describes: without shared storage the web host cannot find the file;
    it says so, and logs it, instead of calling it expired."""
    run_id = _queued_run(history, users)
    other = worker_host(run_id, shared=False)
    run = _finished(run_id)
    assert (Path(other.config["REPORTS_FOLDER"]) / run.file_path).is_file()
    act_as(users.coordinator)
    with caplog.at_level(logging.ERROR, logger="workplan.downloads"):
        response = client.get(f"/reports/runs/{run_id}/file")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "The file is missing" in page and "retention period" not in page
    assert any(f"report run {run_id}" in r.getMessage() for r in caplog.records)


def test_missing_and_expired_are_different_answers(
    app, client, act_as, history, users, storage_backend, worker_host, caplog
):
    run_id = _queued_run(history, users)
    worker_host(run_id)
    run = _finished(run_id)
    act_as(users.coordinator)
    assert client.get(f"/reports/runs/{run_id}/file").status_code == 200

    storage.reports().delete(run.file_path)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="workplan.downloads"):
        missing = client.get(f"/reports/runs/{run_id}/file")
    assert missing.status_code == 500
    assert "The file is missing" in missing.get_data(as_text=True)
    assert any(r.levelno == logging.ERROR for r in caplog.records)

    run.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = client.get(f"/reports/runs/{run_id}/file")
    assert expired.status_code == 410
    assert "deleted at the end of its retention period" in expired.get_data(as_text=True)


def test_cleanup_keeps_the_file_when_its_transaction_rolls_back(
    app, history, users, storage_backend, worker_host
):
    from workplan.reports import services

    run_id = _queued_run(history, users)
    worker_host(run_id)
    run = _finished(run_id)
    name = run.file_path
    run.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert services.cleanup_expired(db.session) == 1
    db.session.rollback()
    assert everything_stored(app, storage.REPORTS) == [name]
    assert _finished(run_id).file_path == name
    assert services.cleanup_expired(db.session) == 1
    db.session.commit()
    assert everything_stored(app, storage.REPORTS) == []
    assert _finished(run_id).file_path is None


def test_a_report_that_cannot_be_stored_fails_in_words_and_leaves_nothing(
    app, history, users, worker_host, s3_settings
):
    app.config.update(s3_settings, S3_ENDPOINT_URL="http://127.0.0.1:1")  # nothing listens
    run_id = _queued_run(history, users)
    worker_host(run_id)
    db.session.expire_all()
    run = db.session.get(ReportRun, run_id)
    assert run is not None and run.status == RunStatus.FAILED
    assert "the file store is full or cannot be reached" in run.message
    assert run.file_path is None
    app.config.update(s3_settings)
    assert everything_stored(app, storage.REPORTS) == []
