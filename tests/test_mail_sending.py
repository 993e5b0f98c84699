"""Sending the outbox through a real SMTP server: once per message, retried when refused,
released when its sender died, and nothing sent without MAIL_SERVER."""

from __future__ import annotations

import threading
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from workplan.extensions import db
from workplan.mail import sending
from workplan.mail.outbox import Message, queue_message
from workplan.models import MessageStatus, OutboxMessage
from workplan.models.base import utcnow


def _queue(person, n: int = 1, **values) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    entries = [
        queue_message(
            db.session, person, Message(f"Subject {i}", f"Body {i}"), purpose="test", **values
        )
        for i in range(n)
    ]
    db.session.commit()
    return entries  # type: ignore[return-value]


def _statuses() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


def test_the_send_job_run_twice_delivers_each_message_once(app, users, smtp):
    _queue(users.focal_point, 3)
    first = sending.deliver_due(db.session, current_app.config)
    second = sending.deliver_due(db.session, current_app.config)
    assert (first.sent, second.sent) == (3, 0)
    assert sorted(m["Subject"] for m in smtp.to(users.focal_point.email)) == [
        "Subject 0",
        "Subject 1",
        "Subject 2",
    ]
    assert _statuses() == ["sent"] * 3


def test_two_senders_racing_deliver_each_message_once(app, users, smtp):
    _queue(users.focal_point, 12)
    flask_app = current_app._get_current_object()
    results = []

    def sender() -> None:
        with flask_app.app_context():
            results.append(sending.deliver_due(db.session, flask_app.config).sent)
            db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    subjects = [m["Subject"] for m in smtp.messages]
    assert sorted(subjects) == sorted(f"Subject {i}" for i in range(12))
    assert sum(results) == 12
    assert _statuses() == ["sent"] * 12


def test_a_server_that_refuses_then_accepts_gets_the_message_on_the_retry(app, users, smtp):
    smtp.refuse = 1
    (entry,) = _queue(users.focal_point)
    first = sending.deliver_due(db.session, current_app.config)
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, entry.id)
    assert (first.retrying, stored.status, stored.attempts) == (1, "pending", 1)
    assert "451" in stored.last_error
    assert smtp.messages == []
    second = sending.deliver_due(db.session, current_app.config)
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, entry.id)
    assert (second.sent, stored.status, stored.attempts) == (1, "sent", 2)
    assert [m["Subject"] for m in smtp.messages] == ["Subject 0"]


def test_retries_back_off_and_end_as_failed_after_the_last_attempt(app, users, smtp):
    current_app.config.update(MAIL_MAX_ATTEMPTS=2, MAIL_RETRY_SECONDS=60)
    smtp.refuse = 5
    (entry,) = _queue(users.focal_point)
    before = utcnow()
    sending.deliver_due(db.session, current_app.config)
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, entry.id)
    assert stored.next_attempt_at >= before + timedelta(seconds=60)
    # Not due yet: a run now leaves it alone.
    assert sending.deliver_due(db.session, current_app.config).retrying == 0
    stored.next_attempt_at = utcnow()
    db.session.commit()
    assert sending.deliver_due(db.session, current_app.config).failed == 1
    db.session.expire_all()
    assert (stored.status, stored.attempts) == ("failed", 2)


def test_a_server_that_is_down_leaves_messages_pending_for_later(app, users):
    current_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)
    _queue(users.focal_point, 2)
    outcome = sending.deliver_due(db.session, current_app.config)
    assert (outcome.sent, outcome.retrying) == (0, 1)  # stops after the first: server down
    assert _statuses() == ["pending", "pending"]


def test_a_message_claimed_by_a_sender_that_died_is_released_and_sent(app, users, smtp):
    (entry,) = _queue(users.focal_point)
    entry.status = MessageStatus.SENDING
    entry.claimed_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    outcome = sending.deliver_due(db.session, current_app.config)
    assert (outcome.released, outcome.sent) == (1, 1)
    assert len(smtp.messages) == 1


def test_a_message_being_sent_by_a_live_sender_is_left_to_it(app, users, smtp):
    (entry,) = _queue(users.focal_point)
    entry.status = MessageStatus.SENDING
    entry.claimed_at = utcnow()
    db.session.commit()
    assert sending.deliver_due(db.session, current_app.config).sent == 0
    assert smtp.messages == []


def test_text_html_and_calendar_arrive_together(app, users, smtp):
    queue_message(
        db.session,
        users.focal_point,
        Message("With all parts", "Plain words", "<p>Rich <b>words</b></p>"),
        purpose="test",
        calendar="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    db.session.commit()
    sending.deliver_due(db.session, current_app.config)
    (received,) = smtp.messages
    assert "Plain words" in received.get_body(("plain",)).get_content()
    assert "<b>words</b>" in received.get_body(("html",)).get_content()
    (attachment,) = list(received.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert "BEGIN:VCALENDAR" in attachment.get_content()
    assert received["From"] == current_app.config["MAIL_DEFAULT_SENDER"]


def test_without_a_mail_server_messages_wait_in_the_outbox(app, users, client, act_as):
    _queue(users.focal_point, 2)
    assert sending.deliver_due(db.session, current_app.config).sent == 0
    assert _statuses() == ["pending", "pending"]
    act_as(users.admin)
    page = client.get("/outbox").get_data(as_text=True)
    assert "MAIL_SERVER is not set" in page
    assert page.count(users.focal_point.email) == 2
    assert "Subject 1" in page


def test_the_outbox_is_not_shown_to_focal_points_or_observers(app, users, client, act_as):
    _queue(users.other_focal_point)
    for person in (users.focal_point, users.observer):
        act_as(person)
        response = client.get("/outbox")
        assert response.status_code == 403
        assert users.other_focal_point.email not in response.get_data(as_text=True)


def test_flask_mail_send_and_outbox_commands(app, users, smtp, runner):
    _queue(users.focal_point, 2)
    listed = runner.invoke(args=["mail", "outbox"])
    assert "2 pending" in listed.output
    sent = runner.invoke(args=["mail", "send"])
    assert "Sent 2" in sent.output, sent.output
    assert len(smtp.messages) == 2


def test_setup_says_when_mail_is_not_sent(app, runner):
    result = runner.invoke(args=["setup"])
    assert "MAIL_SERVER is not set" in result.output
