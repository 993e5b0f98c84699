"""Report runs: requesting one, producing its file, and the housekeeping around them.

A :class:`~workplan.models.ReportRun` row is the single record of a request: who asked, with
what parameters, how far the job got, and the file it produced. The job (``workplan.jobs``)
calls :func:`produce`; the web pages only read the row. Nothing here knows whether the job
ran on an RQ worker or in a thread of the web process.

Like every service, these functions flush and never commit: the job (``workplan.jobs.tasks``),
the request or the command that calls them is the transaction boundary.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from workplan import storage
from workplan.audit import record_audit
from workplan.models import Meeting, Organisation, ReportKind, ReportRun, RunStatus
from workplan.models.base import utcnow
from workplan.reports import kinds
from workplan.reports.document import Report
from workplan.reports.formats import FORMATS
from workplan.reports.parts import ReportError
from workplan.reports.wording import LANGUAGES

log = logging.getLogger(__name__)

KINDS = tuple(kind.value for kind in ReportKind)
STALE_MESSAGE = "The worker stopped while producing this report; request it again."
QUEUE_DOWN_MESSAGE = "The report queue was unavailable, so this report was never started."
UNEXPECTED_MESSAGE = (
    "An unexpected error stopped this report. It has been logged for the administrator "
    "(run {id}); request it again later."
)


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    format: str
    language: str = "en"
    internal: bool = False
    meeting_id: int | None = None
    organisation_id: int | None = None
    start: date | None = None
    end: date | None = None
    extra: dict[str, Any] | None = None  # test hooks, honoured only in testing


def request_report(session: Session, user: Any, req: ReportRequest) -> ReportRun:
    """Record a request for a report (status *queued*). The caller enqueues it."""
    if req.kind not in KINDS:
        raise ReportError(f"Unknown kind of report: {req.kind}")
    if req.format not in FORMATS:
        raise ReportError(f"Unknown format: {req.format}")
    if req.language not in LANGUAGES:
        raise ReportError(f"Unknown language: {req.language}")
    if req.kind == "meeting" and (
        req.meeting_id is None or session.get(Meeting, req.meeting_id) is None
    ):
        raise ReportError("Choose the meeting the report is for.")
    if req.kind == "organisation":
        if req.organisation_id is None or session.get(Organisation, req.organisation_id) is None:
            raise ReportError("Choose the organisation the report is for.")
        if req.start and req.end and req.start > req.end:
            raise ReportError("The period must start before it ends.")
    params: dict[str, Any] = {}
    if req.start:
        params["start"] = req.start.isoformat()
    if req.end:
        params["end"] = req.end.isoformat()
    if req.extra:
        params.update(req.extra)
    run = ReportRun(
        kind=req.kind,
        format=req.format,
        language=req.language,
        internal=req.internal,
        params=params,
        # Each kind keeps only what it uses, so a run is listed under the right meeting.
        meeting_id=req.meeting_id if req.kind != "organisation" else None,
        organisation_id=req.organisation_id if req.kind == "organisation" else None,
        requested_by_id=getattr(user, "id", None),
        status=RunStatus.QUEUED,
        progress=0,
        created_at=utcnow(),
    )
    session.add(run)
    session.flush()
    record_audit(session, user, "request_report", run, after=_describe(run))
    return run


def _describe(run: ReportRun) -> dict[str, Any]:
    return {
        "kind": run.kind,
        "format": run.format,
        "language": run.language,
        "internal": run.internal,
        "meeting_id": run.meeting_id,
        "organisation_id": run.organisation_id,
        "params": run.params,
    }


def _day_end(value: str | None, default: datetime) -> datetime:
    if not value:
        return default
    return datetime.combine(date.fromisoformat(value), day_time.max, tzinfo=UTC)


def _day_start(value: str | None, default: datetime) -> datetime:
    if not value:
        return default
    return datetime.combine(date.fromisoformat(value), day_time.min, tzinfo=UTC)


def build(session: Session, run: ReportRun, progress: Callable[[int], None]) -> Report:
    """The document a run asks for."""
    options = {"language": run.language, "internal": run.internal, "progress": progress}
    if run.kind == "meeting":
        if run.meeting is None:
            raise ReportError("The meeting of this report has been deleted.")
        return kinds.meeting_report(session, run.meeting, **options)
    if run.kind == "organisation":
        if run.organisation is None:
            raise ReportError("The organisation of this report no longer exists.")
        end = _day_end(run.params.get("end"), run.created_at)
        start = _day_start(run.params.get("start"), end - timedelta(days=365))
        return kinds.organisation_report(session, run.organisation, start, end, **options)
    if run.kind == "blockers":
        at = run.meeting.cutoff_at if run.meeting else run.created_at
        symbol = run.meeting.document_symbol if run.meeting else ""
        return kinds.blockers_report(session, at, symbol=symbol, **options)
    raise ReportError(f"Unknown kind of report: {run.kind}")


def _test_hooks(run: ReportRun) -> None:
    """Make a run slow or fail on purpose, for the tests of the job machinery only."""
    if not (current_app.testing or current_app.config.get("REPORT_TEST_HOOKS")):
        return
    if run.params.get("_test_fail"):
        raise RuntimeError(str(run.params["_test_fail"]))
    if run.params.get("_test_fail_with"):
        raise ReportError(str(run.params["_test_fail_with"]))
    delay = float(run.params.get("_test_sleep", 0))
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        time.sleep(0.1)


def set_progress(session: Session, run: ReportRun, value: int) -> None:
    run.progress = max(run.progress or 0, min(100, value))
    run.heartbeat_at = utcnow()
    session.flush()


def start(session: Session, run: ReportRun) -> None:
    run.status = RunStatus.RUNNING
    run.started_at = run.heartbeat_at = utcnow()
    run.attempts = (run.attempts or 0) + 1
    run.progress = 5
    run.message = ""
    session.flush()


def produce(session: Session, run: ReportRun, progress: Callable[[int], None]) -> None:
    """Build, render and store the run's file, then mark it finished.

    The file goes through :func:`workplan.storage.reports`: it appears only when the caller
    commits the finished run, so a run that fails never offers a partial file.
    """
    _test_hooks(run)
    report = build(session, run, progress)
    data = FORMATS[run.format].render(report)
    progress(90)
    name = storage.reports().save(
        session, data, FORMATS[run.format].extension, prefix=f"run-{run.id}-"
    )
    finished = utcnow()
    run.file_path = name
    run.file_size = len(data)
    run.params = {
        **run.params,
        "filename": f"{report.filename_stem}.{FORMATS[run.format].extension}",
    }
    run.status = RunStatus.FINISHED
    run.progress = 100
    run.message = ""
    run.finished_at = run.heartbeat_at = finished
    run.expires_at = finished + timedelta(days=current_app.config["REPORT_RETENTION_DAYS"])
    session.flush()


def _fail(run: ReportRun, message: str, now: datetime | None = None) -> None:
    """End ``run`` as failed with a message the coordinator can read, offering no file."""
    run.status = RunStatus.FAILED
    run.message = message
    run.finished_at = now or utcnow()
    run.file_path = None
    run.file_size = None


def _unfinished(session: Session, run_id: int) -> ReportRun | None:
    """The run, reloaded after whatever the failed attempt left in the session, unless it
    finished meanwhile."""
    session.rollback()
    run = session.get(ReportRun, run_id)
    return None if run is None or run.status == RunStatus.FINISHED else run


def mark_failed(session: Session, run_id: int, message: str) -> None:
    """End a run as failed with a message the coordinator can read (never a traceback)."""
    if run := _unfinished(session, run_id):
        _fail(run, message)
        session.flush()


def mark_retrying(session: Session, run_id: int, message: str) -> None:
    """Put a run back in the queue for another attempt, saying why."""
    if run := _unfinished(session, run_id):
        run.status = RunStatus.QUEUED
        run.message = message
        session.flush()


JobState = Callable[[str], str | None]  # job id -> RQ status, or None when the job is gone


def stale_limit(now: datetime | None = None) -> datetime:
    """Before this moment, a run without a sign of its job is taken for dead
    (``REPORT_STALE_AFTER`` seconds ago)."""
    return (now or utcnow()) - timedelta(seconds=current_app.config["REPORT_STALE_AFTER"])


def reap_stale_runs(
    session: Session,
    *,
    stale_after: timedelta | None = None,
    job_state: JobState | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Mark as failed the runs whose job can no longer finish: a running run whose heartbeat
    stopped (its worker was killed), a run whose RQ job failed or vanished, or an in-process
    run left queued by a web process that stopped. ``stale_after`` defaults to the
    ``REPORT_STALE_AFTER`` setting. Returns the ids marked."""
    now = now or utcnow()
    limit = now - stale_after if stale_after is not None else stale_limit(now)
    stmt = select(ReportRun).where(ReportRun.status.in_([RunStatus.QUEUED, RunStatus.RUNNING]))
    reaped = []
    for run in session.scalars(stmt):
        if is_dead(run, limit, job_state):
            _fail(run, STALE_MESSAGE, now)
            reaped.append(run.id)
            log.warning(
                "report run %s marked failed: no sign of its job since %s",
                run.id,
                run.heartbeat_at or run.created_at,
            )
    session.flush()
    return reaped


def is_dead(run: ReportRun, limit: datetime, job_state: JobState | None = None) -> bool:
    """Whether an unfinished run can no longer finish: running with no heartbeat since
    ``limit`` (its worker was killed), its RQ job failed or gone, or an in-process run still
    queued since before ``limit`` (its web process stopped). Reads only: pages use it to
    show a dead run as such before the reaper records it."""
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return False
    if run.status == RunStatus.RUNNING and (run.heartbeat_at or run.created_at) < limit:
        return True
    if run.job_id and job_state is not None:
        state = job_state(run.job_id)
        return state is None or state in {"failed", "stopped", "canceled"}
    return run.job_id is None and run.status == RunStatus.QUEUED and run.created_at < limit


def cleanup_expired(session: Session, now: datetime | None = None) -> int:
    """Delete the files of runs past their retention period; the rows stay, marked expired."""
    now = now or utcnow()
    files = storage.reports()
    runs = session.scalars(
        select(ReportRun).where(ReportRun.expires_at <= now, ReportRun.file_path.is_not(None))
    ).all()
    for run in runs:
        files.delete(run.file_path)  # type: ignore[arg-type]
        run.file_path = None
        run.message = "The file was deleted at the end of its retention period."
    session.flush()
    return len(runs)


def has_file(run: ReportRun) -> bool:
    """Whether the run's file can be downloaded: finished, not expired and still there."""
    if run.status != RunStatus.FINISHED or not run.file_path:
        return False
    if run.expires_at is not None and run.expires_at <= utcnow():
        return False
    return storage.reports().exists(run.file_path)


def open_file(run: ReportRun) -> BinaryIO | None:
    """The run's file for reading, when :func:`has_file`."""
    if not has_file(run):
        return None
    try:
        return storage.reports().open(run.file_path)  # type: ignore[arg-type]
    except FileNotFoundError:
        return None  # deleted between the two looks
