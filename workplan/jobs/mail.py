"""Mail jobs: send the outbox, run the day's reminders and digests, and start them.

The job is the transaction boundary (the services only flush). With Redis the jobs go on the
report queue and the worker's maintenance schedules them (:func:`schedule`); without Redis a
commit that queued messages starts a thread of the web process that sends them, and cron runs
``flask reminders run``, ``flask digests run`` and ``flask mail send``.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

from flask import Flask, current_app, has_app_context, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from workplan.extensions import db
from workplan.jobs.tasks import job_app
from workplan.mail import digests, reminders, sending
from workplan.mail.outbox import QUEUED_FLAG
from workplan.models.base import utcnow

log = logging.getLogger(__name__)

SEND_JOB = "workplan.jobs.mail.send_outbox"
REMINDERS_JOB = "workplan.jobs.mail.run_reminders"
DIGESTS_JOB = "workplan.jobs.mail.run_digests"
# Reminders and digests are idempotent per day: the worker starts them at most this often.
DAILY_JOBS_EVERY = 3600


def _day(today: str | None) -> date:
    return date.fromisoformat(today) if today else utcnow().date()


def send_outbox() -> dict[str, int]:
    """The RQ job: send what is due. Safe to run twice, or in two workers at once."""
    with job_app() as app:
        return vars(sending.deliver_due(db.session, app.config))


def run_reminders(today: str | None = None) -> int:
    """The RQ job: queue the reminders due ``today`` (ISO date; default: today, UTC)."""
    with job_app() as app:
        count = reminders.run_reminders(db.session, _day(today), app.config["REMINDER_DAYS"])
        db.session.commit()
        return count


def run_digests(today: str | None = None) -> int:
    """The RQ job: queue the digests due ``today``."""
    with job_app():
        count = digests.run_digests(db.session, _day(today))
        db.session.commit()
        return count


def deliver_soon(app: Flask) -> None:
    """Send the outbox soon: a job on Redis, else (inside a request) a thread of this process.

    Outside a request without Redis (a command) nothing starts: the command sends itself.
    """
    if not sending.mail_configured(app.config):
        return
    from workplan.jobs.queue import report_queue

    queue = report_queue(app)
    if queue is not None:
        from redis.exceptions import RedisError

        try:
            queue.enqueue(SEND_JOB, result_ttl=3600, failure_ttl=7 * 24 * 3600)
        except RedisError as error:
            # The messages are committed: the worker's schedule or cron sends them later.
            log.warning("outbox job not queued (Redis unreachable): %s", error)
        return
    if not has_request_context():
        return
    thread = threading.Thread(target=_send_in_thread, args=(app,), name="outbox", daemon=True)
    # Kept so that tests (and an orderly shutdown) can wait for the sending to end.
    app.extensions.setdefault("mail_threads", []).append(thread)
    thread.start()


def _send_in_thread(app: Flask) -> None:
    with app.app_context():
        try:
            sending.deliver_due(db.session, app.config)
        except Exception:
            log.exception("sending the outbox failed; the messages stay due")
            db.session.rollback()
        finally:
            db.session.remove()


def _after_commit(session: Session) -> None:
    if session.info.pop(QUEUED_FLAG, False) and has_app_context():
        deliver_soon(current_app._get_current_object())  # type: ignore[attr-defined]


def _after_rollback(session: Session, previous_transaction: object) -> None:
    session.info.pop(QUEUED_FLAG, None)


def init_app(app: Flask) -> None:
    """Send the outbox after every commit that queued a message."""
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", _after_rollback)


def schedule(app: Flask) -> None:
    """The worker's maintenance: queue the outbox job when something is due, and the day's
    reminders and digests at most once an hour (both are idempotent)."""
    from workplan.jobs.queue import redis_connection, report_queue

    queue = report_queue(app)
    connection = redis_connection(app)
    if queue is None or connection is None:
        return
    with app.app_context():
        try:
            due = sending.due_ids(db.session, utcnow(), limit=1)
        finally:
            db.session.remove()
    if due and sending.mail_configured(app.config):
        queue.enqueue(SEND_JOB, result_ttl=3600)
    # One worker of several starts them: the key is taken by the first that asks.
    if connection.set(f"{queue.name}:mail-daily-jobs", "1", nx=True, ex=DAILY_JOBS_EVERY):
        queue.enqueue(REMINDERS_JOB, result_ttl=24 * 3600)
        queue.enqueue(DIGESTS_JOB, result_ttl=24 * 3600)
