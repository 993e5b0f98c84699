"""With Redis, a real RQ worker process (``flask jobs worker``) sends the outbox."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from tests.test_report_worker import REDIS_URL, rq_app, worker  # noqa: F401 # fixtures
from workplan.extensions import db
from workplan.jobs.queue import report_queue
from workplan.mail.outbox import Message, queue_message
from workplan.models import OutboxMessage

pytestmark = pytest.mark.redis


def test_a_real_worker_sends_the_outbox(rq_app, users, smtp, worker, monkeypatch):  # noqa: F811
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
    assert REDIS_URL
