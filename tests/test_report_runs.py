"""Report runs without Redis (the embedded default): requested through the pages, produced in
a thread of the web process, followed through the JSON status, downloaded; failures, dead
runs and expired files."""

from __future__ import annotations

import io
from datetime import timedelta

from docx import Document
from sqlalchemy import select

from tests.fixtures_reports import finish_jobs
from tests.fixtures_s3 import everything_stored
from workplan import storage
from workplan.extensions import db
from workplan.models import ReportRun, RunStatus
from workplan.models.base import utcnow
from workplan.reports import services


def _request(client, history, **values):  # type: ignore[no-untyped-def]
    data = {
        "kind": "meeting",
        "meeting": history.meeting.id,
        "organisation": 0,
        "format": "docx",
        "language": "en",
        **values,
    }
    return client.post("/reports", data=data)


def _latest_run() -> ReportRun:
    db.session.expire_all()
    return db.session.scalar(select(ReportRun).order_by(ReportRun.id.desc()))


def test_coordinator_requests_a_word_report_and_downloads_it(app, client, act_as, history, users):
    act_as(users.coordinator)
    response = _request(client, history)
    assert response.status_code == 302
    run = _latest_run()
    assert response.headers["Location"].endswith(f"/reports#run-{run.id}")
    assert run.requested_by_id == users.coordinator.id and run.meeting_id == history.meeting.id
    finish_jobs(app)
    status = client.get(f"/reports/runs/{run.id}.json").get_json()
    assert status["status"] == "finished" and status["progress"] == 100 and status["done"]
    assert status["filename"] == "meeting-status-report-2026-09-20-en.docx"
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download.mimetype.endswith("wordprocessingml.document")
    assert "meeting-status-report-2026-09-20-en.docx" in download.headers["Content-Disposition"]
    doc = Document(io.BytesIO(download.data))
    assert any("Fifth annual meeting" in p.text for p in doc.paragraphs)
    run = _latest_run()
    assert run.attempts == 1 and run.file_size == len(download.data)
    assert run.started_at and run.finished_at and run.expires_at
    assert run.expires_at - run.finished_at == timedelta(days=app.config["REPORT_RETENTION_DAYS"])
    page = client.get("/reports").get_data(as_text=True)
    assert "Ready" in page and f"/reports/runs/{run.id}/file" in page


def test_run_in_progress_is_followed_by_the_page(app, client, act_as, history, users):
    act_as(users.coordinator)
    _request(client, history, format="pdf", _test_sleep="1.5")
    run = _latest_run()
    page = client.get(f"/meetings/{history.meeting.id}").get_data(as_text=True)
    assert f'data-run-url="/reports/runs/{run.id}.json"' in page
    assert "<progress" in page and 'aria-live="polite"' in page
    assert "js/report-runs.js" in page and 'http-equiv="refresh"' in page  # inside <noscript>
    status = client.get(f"/reports/runs/{run.id}.json").get_json()
    assert status["status"] in ("queued", "running") and status["download_url"] is None
    finish_jobs(app)
    assert client.get(f"/reports/runs/{run.id}.json").get_json()["status"] == "finished"


def test_every_format_and_language_is_produced(app, client, act_as, history, users):
    act_as(users.coordinator)
    for fmt in ("docx", "pdf", "xlsx", "csv"):
        _request(client, history, format=fmt, language="fr", internal="y")
    _request(client, history, kind="blockers", format="pdf")
    _request(
        client,
        history,
        kind="organisation",
        organisation=users.focal_point.organisation_id,
        meeting=0,
        start="2026-01-01",
        end="2026-09-01",
        format="xlsx",
    )
    finish_jobs(app)
    db.session.expire_all()
    runs = db.session.scalars(select(ReportRun)).all()
    assert [r.status for r in runs] == ["finished"] * 6, [r.message for r in runs]
    names = {r.params["filename"] for r in runs}
    assert "meeting-status-report-2026-09-20-fr-internal.pdf" in names
    assert "report-ACHPR-2026-09-01-en.xlsx" in names


def test_a_failing_job_ends_failed_with_a_readable_message_and_no_file(
    app, client, act_as, history, users, storage_backend
):
    act_as(users.coordinator)
    _request(client, history, _test_fail="KeyError: 'boom' in a renderer")
    finish_jobs(app)
    run = _latest_run()
    assert run.status == RunStatus.FAILED
    assert "unexpected error" in run.message and "Traceback" not in run.message
    assert "boom" not in run.message
    assert run.file_path is None and run.file_size is None
    assert everything_stored(app, storage.REPORTS) == []  # no partial file
    status = client.get(f"/reports/runs/{run.id}.json").get_json()
    assert status["status"] == "failed" and status["download_url"] is None
    response = client.get(f"/reports/runs/{run.id}/file")
    assert response.status_code == 404
    assert "This report failed" in response.get_data(as_text=True)
    assert "Failed" in client.get("/reports").get_data(as_text=True)


def test_a_report_error_is_shown_as_it_is(app, client, act_as, history, users):
    act_as(users.coordinator)
    _request(client, history, _test_fail_with="The meeting of this report has been deleted.")
    finish_jobs(app)
    run = _latest_run()
    assert run.status == RunStatus.FAILED
    assert run.message == "The meeting of this report has been deleted."


def test_a_run_whose_worker_stopped_is_ended_as_failed(app, client, act_as, history, users):
    act_as(users.coordinator)
    dead = ReportRun(
        kind="meeting",
        format="pdf",
        meeting_id=history.meeting.id,
        status=RunStatus.RUNNING,
        started_at=utcnow() - timedelta(hours=1),
        heartbeat_at=utcnow() - timedelta(hours=1),
        job_id="report-run-x",
    )
    alive = ReportRun(
        kind="meeting",
        format="pdf",
        meeting_id=history.meeting.id,
        status=RunStatus.RUNNING,
        heartbeat_at=utcnow(),
    )
    orphan = ReportRun(
        kind="meeting",
        format="pdf",
        meeting_id=history.meeting.id,
        status=RunStatus.QUEUED,
        created_at=utcnow() - timedelta(hours=1),
    )
    db.session.add_all([dead, alive, orphan])
    db.session.commit()
    status = client.get(f"/reports/runs/{dead.id}.json").get_json()
    assert status["status"] == "failed" and status["message"] == services.STALE_MESSAGE
    db.session.expire_all()
    assert db.session.get(ReportRun, alive.id).status == RunStatus.RUNNING
    # Each poll checks its own run; the orphan is shown failed when it is polled in turn.
    status = client.get(f"/reports/runs/{orphan.id}.json").get_json()
    assert status["status"] == "failed" and status["message"] == services.STALE_MESSAGE
    # A GET writes nothing: the rows change when the next report is requested (or the
    # worker's maintenance, or `flask reports reap`, runs).
    db.session.expire_all()
    assert db.session.get(ReportRun, orphan.id).status == RunStatus.QUEUED
    assert db.session.get(ReportRun, dead.id).status == RunStatus.RUNNING
    client.post("/reports", data={"kind": "blockers", "format": "csv", "language": "en"})
    db.session.expire_all()
    assert db.session.get(ReportRun, orphan.id).status == RunStatus.FAILED
    assert db.session.get(ReportRun, dead.id).status == RunStatus.FAILED
    assert db.session.get(ReportRun, alive.id).status == RunStatus.RUNNING


def test_reap_command(app, runner, history):
    db.session.add(
        ReportRun(
            kind="meeting",
            format="pdf",
            status=RunStatus.RUNNING,
            heartbeat_at=utcnow() - timedelta(hours=2),
        )
    )
    db.session.commit()
    result = runner.invoke(args=["reports", "reap"])
    assert "1 run(s) marked failed" in result.output


def test_expired_files_are_deleted_and_the_run_stays_listed(
    app, client, act_as, runner, history, users, storage_backend
):
    act_as(users.coordinator)
    _request(client, history, format="csv")
    finish_jobs(app)
    run = _latest_run()
    assert everything_stored(app, storage.REPORTS) == [run.file_path]
    run.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/reports/runs/{run.id}/file").status_code == 410
    result = runner.invoke(args=["reports", "cleanup"])
    assert "1 expired file(s) deleted." in result.output
    assert everything_stored(app, storage.REPORTS) == []
    run = _latest_run()
    assert run.status == RunStatus.FINISHED and run.file_path is None
    assert "retention period" in client.get("/reports").get_data(as_text=True)


def test_report_form_errors_are_shown(app, client, act_as, history, users):
    act_as(users.coordinator)
    response = _request(client, history, meeting=0)
    assert response.status_code == 400
    assert "Choose the meeting." in response.get_data(as_text=True)
    response = _request(client, history, kind="organisation", organisation=0)
    assert "Choose the organisation." in response.get_data(as_text=True)
    assert db.session.scalar(select(ReportRun)) is None


def test_only_the_coordinator_downloads_reports(app, client, act_as, history, users):
    act_as(users.coordinator)
    _request(client, history, format="csv")
    finish_jobs(app)
    run = _latest_run()
    for person in (users.focal_point, users.observer):
        act_as(person)
        assert client.get(f"/reports/runs/{run.id}/file").status_code == 403
        assert client.get(f"/reports/runs/{run.id}.json").status_code == 403
        assert (
            client.post("/reports", data={"kind": "blockers", "format": "csv"}).status_code == 403
        )


def test_nav_shows_meetings_and_reports_to_the_coordinator_only(client, act_as, users):
    act_as(users.coordinator)
    page = client.get("/plan").get_data(as_text=True)
    assert 'href="/meetings"' in page and 'href="/reports"' in page
    act_as(users.focal_point)
    page = client.get("/plan").get_data(as_text=True)
    assert 'href="/meetings"' not in page and 'href="/reports"' not in page


def test_with_redis_down_a_report_request_fails_clearly_and_no_page_breaks(
    app, client, act_as, history, users
):
    """Nothing listens on port 1: the queue is unreachable."""
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    act_as(users.coordinator)
    response = client.post(
        "/reports",
        data={"kind": "meeting", "meeting": str(history.meeting.id), "format": "pdf"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "The report queue is unavailable" in response.get_data(as_text=True)
    run = db.session.scalar(select(ReportRun))
    assert run.status == RunStatus.FAILED and run.message == services.QUEUE_DOWN_MESSAGE
    for url in ("/reports", f"/meetings/{history.meeting.id}", f"/reports/runs/{run.id}.json"):
        page = client.get(url)
        assert page.status_code == 200, url
    status = client.get(f"/reports/runs/{run.id}.json").get_json()
    assert (status["status"], status["done"]) == ("failed", True)
    assert status["message"] == services.QUEUE_DOWN_MESSAGE and status["download_url"] is None
    assert services.QUEUE_DOWN_MESSAGE in client.get("/reports").get_data(as_text=True)
