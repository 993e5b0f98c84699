"""E-mail: the outbox every message goes through, and the notifications kept for digests."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import UTCDateTime, choice_check, utcnow
from workplan.models.organisations import Language, User


class MessageStatus(enum.StrEnum):
    PENDING = "pending"  # waiting to be sent (or to be retried at ``next_attempt_at``)
    SENDING = "sending"  # claimed by one sender; nobody else sends it
    SENT = "sent"
    FAILED = "failed"  # given up after the last attempt; the admin sees why


class OutboxMessage(db.Model):
    """One e-mail, written in the same transaction as the event that caused it and sent later
    by a job. ``dedupe_key`` makes a message that must go out once (a reminder for a given
    day) impossible to queue twice."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        choice_check("status", MessageStatus),
        choice_check("language", Language),
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default=Language.EN)
    purpose: Mapped[str] = mapped_column(String(40))
    # An iCalendar file sent with the message (a meeting and its cut-off), or None.
    calendar: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    recipient_user: Mapped[User | None] = relationship()


class Notification(db.Model):
    """Something a person is told about in their next digest rather than at once (the
    coordinator chooses daily or weekly). ``digested_at`` is set when a digest includes it."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    purpose: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    user: Mapped[User] = relationship()
