"""With Redis, a real RQ worker process (``flask jobs worker``) sends the outbox."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from workplan.extensions import db
from workplan.jobs.queue import report_queue
from workplan.mail.outbox import Message, queue_message
from workplan.models import OutboxMessage

pytestmark = pytest.mark.redis


def test_a_real_worker_sends_the_outbox(rq_app, users, smtp, worker, monkeypatch):
    queue_message(db.session, users.focal_point, Message("Via the worker", "Body"), purpose="test")
    db.session.commit()
    monkeypatch.setenv("MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("MAIL_PORT", str(rq_app.config["MAIL_PORT"]))
    report_queue(rq_app).enqueue("workplan.jobs.mail.send_outbox")
    process = worker(burst=True)
    process.wait(60)
    deadline = time.monotonic() + 10
    while not smtp.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [m["Subject"] for m in smtp.messages] == ["Via the worker"]
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMessage.status)) == "sent"


def test_the_worker_maintenance_queues_mail_jobs_once_an_hour(rq_app, users, smtp):
    """Reminders and digests are queued once however many workers run their maintenance;
    the outbox job only when a message is due and mail is configured."""
    from workplan.jobs import mail as mail_jobs

    queue = report_queue(rq_app)
    connection = queue.connection
    connection.delete(f"{queue.name}:mail-daily-jobs")
    mail_jobs.schedule(rq_app)
    mail_jobs.schedule(rq_app)  # a second worker, or the next maintenance round
    names = [job.func_name for job in queue.get_jobs()]
    assert sorted(names) == sorted([mail_jobs.REMINDERS_JOB, mail_jobs.DIGESTS_JOB])
    queue_message(db.session, users.focal_point, Message("Due", "Body"), purpose="test")
    db.session.commit()  # the commit itself queues a send job; maintenance adds one more
    before = [job.func_name for job in queue.get_jobs()].count(mail_jobs.SEND_JOB)
    mail_jobs.schedule(rq_app)
    names = [job.func_name for job in queue.get_jobs()]
    assert names.count(mail_jobs.SEND_JOB) == before + 1
    assert names.count(mail_jobs.REMINDERS_JOB) == 1
    connection.delete(f"{queue.name}:mail-daily-jobs")
