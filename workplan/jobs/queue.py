"""Where report jobs go: an RQ queue on Redis when ``REDIS_URL`` is set, otherwise a thread
of the web process (the embedded default), which runs the same job function and records the
same report run, so the pages behave the same either way."""

from __future__ import annotations

import logging
import threading
import uuid

from flask import Flask, current_app

from workplan.models import ReportRun

log = logging.getLogger(__name__)


class QueueUnavailable(RuntimeError):
    """Redis could not be reached: the job was not queued."""


JOB_FUNCTION = "workplan.jobs.tasks.generate_report"
UNKNOWN_STATE = "unknown"


def redis_connection(app: Flask | None = None):  # type: ignore[no-untyped-def]
    """A Redis connection for ``REDIS_URL``, or None when none is configured."""
    from redis import Redis

    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    # One client (and its connection pool) per application, not one per request.
    clients = app.extensions.setdefault("workplan_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(url)
    return clients[url]


def report_queue(app: Flask | None = None):  # type: ignore[no-untyped-def]
    from rq import Queue

    app = app or current_app
    connection = redis_connection(app)
    if connection is None:
        return None
    return Queue(
        app.config["REPORT_QUEUE"],
        connection=connection,
        default_timeout=app.config["REPORT_JOB_TIMEOUT"],
    )


def enqueue_report(run: ReportRun) -> None:
    """Start producing ``run``'s file in the background. The run must be committed; the
    job id this sets on it is the caller's to commit.

    Raises :class:`QueueUnavailable` when Redis cannot be reached (nothing was queued).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    queue = report_queue(app)
    if queue is None:
        _start_thread(app, run.id)
        return
    from redis.exceptions import RedisError
    from rq import Retry

    retries = app.config["REPORT_RETRIES"]
    job_id = f"report-run-{run.id}-{uuid.uuid4().hex[:8]}"
    try:
        queue.enqueue(
            JOB_FUNCTION,
            run.id,
            job_id=job_id,
            job_timeout=app.config["REPORT_JOB_TIMEOUT"],
            retry=Retry(max=retries, interval=app.config["REPORT_RETRY_INTERVALS"] or 0)
            if retries
            else None,
            result_ttl=24 * 3600,
            failure_ttl=30 * 24 * 3600,
            description=f"report run {run.id} ({run.kind}, {run.format})",
        )
    except RedisError as error:
        log.error("report run %s not queued: Redis unreachable (%s)", run.id, error)
        raise QueueUnavailable(str(error)) from error
    run.job_id = job_id


def _start_thread(app: Flask, run_id: int) -> None:
    from workplan.jobs.tasks import run_in_app

    thread = threading.Thread(
        target=run_in_app, args=(app, run_id), name=f"report-run-{run_id}", daemon=True
    )
    # Kept so that tests (and an orderly shutdown) can wait for the job to end.
    app.extensions.setdefault("report_threads", []).append(thread)
    thread.start()


def job_state(app: Flask):  # type: ignore[no-untyped-def]
    """A function giving an RQ job's status by id (None: the job is gone), or None without
    Redis."""
    connection = redis_connection(app)
    if connection is None:
        return None
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    def state(job_id: str) -> str | None:
        try:
            # fetch() reads the job's hash, status included: no second round trip.
            return str(Job.fetch(job_id, connection=connection).get_status(refresh=False))
        except NoSuchJobError:
            return None
        except RedisError:
            # Redis is down: the job may well be alive. Never call a run dead on that basis.
            return UNKNOWN_STATE

    return state
