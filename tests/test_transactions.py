"""One transaction rule: services flush, the request (or job, or command) commits, and a GET
writes nothing. The test client runs each request in its own context, as production does, so
a view that forgets to commit is caught."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from workplan.extensions import db
from workplan.models import AuditEntry, ReportRun, RunStatus
from workplan.models.base import utcnow


def _count_audit() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_a_view_that_forgets_to_commit_loses_its_write(app, client):
    """The guard itself: without a commit, nothing a view wrote survives the request."""

    @app.post("/_test/write-without-commit")
    def forgets() -> str:
        db.session.add(AuditEntry(action="test.forgot", object_type="Test"))
        db.session.flush()
        return "flushed"

    @app.post("/_test/write-and-commit")
    def commits() -> str:
        db.session.add(AuditEntry(action="test.kept", object_type="Test"))
        db.session.commit()
        return "committed"

    assert client.post("/_test/write-without-commit").get_data(as_text=True) == "flushed"
    assert _count_audit() == 0
    assert client.post("/_test/write-and-commit").get_data(as_text=True) == "committed"
    assert db.session.scalars(select(AuditEntry.action)).all() == ["test.kept"]


def test_each_request_gets_its_own_session(app, client):
    seen: list[int] = []

    @app.get("/_test/session-id")
    def session_id() -> str:
        seen.append(id(db.session()))
        return "ok"

    client.get("/_test/session-id")
    client.get("/_test/session-id")
    assert len(seen) == 2
    assert id(db.session()) not in seen


@pytest.fixture
def writes(app):  # type: ignore[no-untyped-def]
    """Every INSERT, UPDATE or DELETE sent to the database while the fixture is active."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield statements
    event.remove(db.engine, "before_cursor_execute", record)


def test_pages_that_used_to_reap_dead_runs_write_nothing(
    app, client, users, act_as, history, writes
):
    """A run left queued by a web process that stopped is shown as failed by the page that
    follows it, and recorded as failed by the reaper, never by a GET."""
    stale = utcnow() - timedelta(seconds=app.config["REPORT_STALE_AFTER"] + 60)
    run = ReportRun(
        kind="meeting",
        format="pdf",
        meeting_id=history.meeting.id,
        status=RunStatus.QUEUED,
        created_at=stale,
    )
    db.session.add(run)
    db.session.commit()
    act_as(users.coordinator)
    writes.clear()
    for url in ("/reports", f"/meetings/{history.meeting.id}", f"/reports/runs/{run.id}.json"):
        assert client.get(url).status_code == 200, url
    assert writes == []
    status = client.get(f"/reports/runs/{run.id}.json").get_json()
    assert status["status"] == "failed" and status["done"] is True
    db.session.expire_all()
    assert db.session.get(ReportRun, run.id).status == RunStatus.QUEUED

    result = app.test_cli_runner().invoke(args=["reports", "reap"])
    assert result.exit_code == 0 and f"[{run.id}]" in result.output
    db.session.expire_all()
    assert db.session.get(ReportRun, run.id).status == RunStatus.FAILED
