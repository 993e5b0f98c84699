"""The job functions RQ runs. They take ids, never objects, and run inside an app context.

Nothing here builds an application at import time: a worker started with ``flask jobs
worker`` already has one (its app context is inherited by the forked work horse), and a
worker started otherwise gets one built when the first job runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext as _n
from sqlalchemy import update
from sqlalchemy.orm import Session

from workplan.extensions import db
from workplan.i18n import DEFAULT_LANGUAGE, LOCALES
from workplan.models import ReportRun, RunStatus
from workplan.models.base import utcnow
from workplan.reports import services
from workplan.reports.parts import ReportError
from workplan.state import meeting_states
from workplan.storage import StorageError

log = logging.getLogger(__name__)

CLEANUP_JOB = "workplan.jobs.tasks.cleanup_reports"
# Expired files are deleted within this many seconds, by one worker however many there are.
CLEANUP_EVERY = 3600


@contextmanager
def job_app() -> Iterator[Flask]:
    """The worker's app (or one built now), in a context whose database connections are this
    forked work horse's own (every job function runs in one)."""
    if has_app_context():
        app = current_app._get_current_object()  # type: ignore[attr-defined]
    else:
        from workplan import create_app

        app = create_app()
    with app.app_context():
        # The forked work horse must not share the parent's pooled database connections.
        db.engine.dispose(close=False)
        yield app


def generate_report(run_id: int) -> str:
    """The RQ job: produce report run ``run_id``'s file."""
    with job_app() as app:
        return _run(app, run_id)


def cleanup_reports() -> int:
    """The RQ job: delete the files of runs past their retention period (``flask reports
    cleanup``). Safe to run twice."""
    with job_app():
        count = services.cleanup_expired(db.session)
        db.session.commit()
        return count


def schedule_cleanup(app: Flask) -> None:
    """The worker's maintenance: queue :func:`cleanup_reports` at most every
    ``CLEANUP_EVERY`` seconds across all workers (the first to ask takes the turn)."""
    from workplan.jobs.queue import redis_connection, report_queue

    queue, connection = report_queue(app), redis_connection(app)
    if queue is None or connection is None:
        return
    if connection.set(f"{queue.name}:reports-cleanup", "1", nx=True, ex=CLEANUP_EVERY):
        queue.enqueue(CLEANUP_JOB, result_ttl=24 * 3600)


def run_in_app(app: Flask, run_id: int) -> None:
    """The in-process path: the same job, in a thread of the web process, with its own app
    context. It never raises: the outcome is on the run."""
    with app.app_context():
        try:
            _run(app, run_id)
        except Exception:  # nosec B110 # already recorded on the run and logged by _run
            pass
        finally:
            db.session.remove()


class _Heartbeat(threading.Thread):
    """Records every few seconds that the job is alive, even during one long rendering step.

    When the worker is killed the heartbeat stops with it, and the reaper (``flask reports
    reap``, the RQ worker's maintenance, or the next report request) ends the run as failed.
    """

    def __init__(self, app: Flask, run_id: int) -> None:
        super().__init__(name=f"heartbeat-{run_id}", daemon=True)
        self.app, self.run_id = app, run_id
        self.interval = float(app.config["REPORT_HEARTBEAT_INTERVAL"])
        self.stopped = threading.Event()

    def run(self) -> None:
        with self.app.app_context():
            while not self.stopped.wait(self.interval):
                try:
                    with db.engine.begin() as connection:
                        connection.execute(
                            update(ReportRun)
                            .where(ReportRun.id == self.run_id, ReportRun.status == "running")
                            .values(heartbeat_at=utcnow())
                        )
                except Exception:  # a missed beat is not worth failing the report
                    log.warning("heartbeat of report run %s failed", self.run_id, exc_info=True)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def _run(app: Flask, run_id: int) -> str:
    from rq import get_current_job

    job = get_current_job()
    session = db.session
    run = session.get(ReportRun, run_id)
    if run is None:
        log.warning("report run %s no longer exists", run_id)
        return "missing"
    if run.status == RunStatus.FINISHED:
        return "finished"  # safe to run twice: a finished run is left as it is
    services.start(session, run)
    session.commit()  # the job is the transaction boundary: each step is seen at once
    if run.meeting is not None:
        # Keep the meeting's state at its cut-off if it has passed, for this report and every
        # later view (see workplan.state.meeting_states).
        meeting_states.freeze(session, run.meeting)
        session.commit()

    def progress(value: int) -> None:
        services.set_progress(session, run, value)
        session.commit()
        if job is not None:
            job.meta["progress"] = run.progress
            job.meta["run_id"] = run_id
            job.save_meta()

    progress(5)
    heartbeat = _Heartbeat(app, run_id)
    heartbeat.start()
    try:
        services.produce(session, run, progress)
        session.commit()
    except ReportError as error:
        # A reason the coordinator can act on: trying again would not help.
        services.mark_failed(session, run_id, str(error))
        session.commit()
        return "failed"
    except Exception as error:
        log.exception("report run %s failed", run_id)
        retries_left = getattr(job, "retries_left", None) or 0
        # What the failed attempt left in the session goes (mark_* would drop it too) before
        # the requester is read.
        session.rollback()
        with force_locale(_requester_locale(session, run_id)):
            if retries_left:
                services.mark_retrying(
                    session, run_id, _("The first attempt failed; the report is being tried again.")
                )
            else:
                services.mark_failed(session, run_id, _readable(error, app, run_id))
        session.commit()
        raise
    finally:
        heartbeat.stop()
    return "finished"


def _requester_locale(session: Session, run_id: int) -> str:
    """The interface language of the person who asked for the run: the run's page shows them
    its messages, which are stored as written."""
    run = session.get(ReportRun, run_id)
    requester = run.requested_by if run is not None else None
    language = getattr(requester, "language", None) or DEFAULT_LANGUAGE
    return LOCALES.get(language, LOCALES[DEFAULT_LANGUAGE])


def _readable(error: Exception, app: Flask, run_id: int) -> str:
    from rq.timeouts import JobTimeoutException

    if isinstance(error, JobTimeoutException):
        minutes = max(1, round(app.config["REPORT_JOB_TIMEOUT"] / 60))
        return _n(
            "The report took longer than the %(num)d-minute limit and was stopped. Try a "
            "smaller report, or ask the administrator to raise REPORT_JOB_TIMEOUT.",
            "The report took longer than the %(num)d-minute limit and was stopped. Try a "
            "smaller report, or ask the administrator to raise REPORT_JOB_TIMEOUT.",
            minutes,
        )
    if isinstance(error, StorageError):
        return (
            "The report was produced but could not be kept: the file store is full or "
            "cannot be reached. Try again later, and tell the administrator if it lasts."
        )
    return services.UNEXPECTED_MESSAGE.format(id=run_id)
