"""The outbox: a message is queued with the transaction that caused it, once per key."""

from __future__ import annotations

from sqlalchemy import func, select

from tests import factories
from workplan.extensions import db
from workplan.mail.outbox import Message, queue_message
from workplan.models import MessageStatus, OutboxMessage


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def test_a_message_is_queued_pending_in_the_recipients_language(app, users):
    users.focal_point.language = "fr"
    entry = queue_message(db.session, users.focal_point, Message("Sujet", "Texte"), purpose="test")
    db.session.commit()
    assert entry is not None
    stored = db.session.get(OutboxMessage, entry.id)
    assert (stored.recipient, stored.language, stored.status) == (
        users.focal_point.email,
        "fr",
        MessageStatus.PENDING,
    )


def test_a_keyed_message_is_queued_once(app, users):
    for _ in range(2):
        queue_message(
            db.session,
            users.focal_point,
            Message("Reminder", "Text"),
            purpose="reminder",
            dedupe_key="reminder:test:1",
        )
    db.session.commit()
    assert _count() == 1


def test_a_rolled_back_event_takes_its_message_with_it(app, users):
    factories.organisation("ACHPR")
    queue_message(db.session, users.observer, Message("S", "T"), purpose="test")
    db.session.rollback()
    assert _count() == 0
