"""Putting messages in the outbox. Sending them is a job's work, never a request's.

A message is written in the same transaction as the event that caused it (an invitation
with its account, a reminder with nothing else): if the event is rolled back, so is the
message, and a message that is committed is never lost even if the mail server is down.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from workplan.models import Language, MessageStatus, OutboxMessage, User
from workplan.models.base import utcnow

# Set on the session when a message is queued: its commit then starts the sending
# (see workplan.jobs.mail.init_app).
QUEUED_FLAG = "workplan_outbox_queued"
_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


@dataclass(frozen=True)
class Message:
    """What a person receives: a subject, a plain-text body and its HTML version."""

    subject: str
    text: str
    html: str = ""


def queue_message(
    session: Session,
    recipient: User,
    message: Message,
    *,
    purpose: str,
    language: str | None = None,
    dedupe_key: str | None = None,
    calendar: str | None = None,
) -> OutboxMessage | None:
    """Add ``message`` for ``recipient`` to the outbox (flushed, not committed).

    ``dedupe_key`` names a message that must go out once (e.g. "reminder:3:2026-08-11:17"):
    when one with that key is already queued, nothing is added and None is returned.
    """
    entry = OutboxMessage(
        recipient=recipient.email,
        recipient_id=recipient.id,
        subject=message.subject[:300],
        body_text=message.text,
        body_html=message.html,
        language=language or recipient.language or Language.EN,
        purpose=purpose,
        calendar=calendar,
        status=MessageStatus.PENDING,
        attempts=0,
        last_error="",
        next_attempt_at=utcnow(),
        dedupe_key=dedupe_key,
        created_at=utcnow(),
    )
    session.info[QUEUED_FLAG] = True
    if dedupe_key is None:
        session.add(entry)
        session.flush()
        return entry
    # INSERT ... ON CONFLICT DO NOTHING: two senders racing on one key add one message, and
    # neither transaction fails (SQLite and PostgreSQL both have it).
    values = {
        c.key: getattr(entry, c.key) for c in OutboxMessage.__table__.columns if c.key != "id"
    }
    insert = _INSERTS[session.get_bind().dialect.name]
    new_id = session.scalar(
        insert(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    return session.get(OutboxMessage, new_id) if new_id is not None else None
