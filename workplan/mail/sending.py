"""Sending the outbox over SMTP (the standard library's ``smtplib``), once per message.

A message goes from *pending* to *sending* by one conditional UPDATE (``claim``), committed
before the server is contacted: of two senders racing on one message, exactly one claims it,
so nobody receives it twice. It then becomes *sent*; or, when the server refuses it for now or
cannot be reached, *pending* again with a later ``next_attempt_at`` (exponential back-off), and
*failed* after ``MAIL_MAX_ATTEMPTS``. A message claimed by a sender that died is released after
``MAIL_CLAIM_TIMEOUT`` (it may then, rarely, arrive twice: better than never).

:func:`deliver_due` is the loop the job, the thread and ``flask mail send`` run: it commits
after each step, because each step must be seen by the other senders at once.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workplan.models import MessageStatus, OutboxMessage
from workplan.models.base import utcnow

BATCH = 200
MAX_BACKOFF = timedelta(hours=6)


class TemporaryFailure(Exception):
    """The server could not take the message now (4xx, refused connection, time-out)."""


class PermanentFailure(Exception):
    """The server will never take this message (5xx: unknown recipient, refused sender)."""


@dataclass
class Delivery:
    """What one run of :func:`deliver_due` did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0


def mail_configured(config: Mapping[str, Any]) -> bool:
    return bool(config.get("MAIL_SERVER"))


def mail_status_line(config: Mapping[str, Any]) -> str:
    """One line saying where e-mail goes (``flask setup`` prints it for ``make run``)."""
    if mail_configured(config):
        return f"E-mail is sent through {config['MAIL_SERVER']}:{config['MAIL_PORT']}."
    return (
        "E-mail is not sent: MAIL_SERVER is not set. Messages (invitations, reminders...) "
        "wait in the outbox: see /outbox or 'flask mail outbox'."
    )


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The e-mail for an outbox row: text, its HTML alternative, and the calendar file."""
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = message.recipient
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
    # Asks out-of-office responders not to answer a machine.
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    if message.calendar:
        email.add_attachment(
            message.calendar.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename="meeting.ics",
        )
    # After the body: setting content drops the Content-* headers set before.
    email["Content-Language"] = message.language
    return email


class SmtpTransport:
    """One SMTP connection, opened on the first message and reused for the batch."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
        if config["MAIL_USE_SSL"]:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
            if config["MAIL_USE_TLS"]:
                connection.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        return connection

    def send(self, email: EmailMessage) -> None:
        """Hand ``email`` to the server; raise :class:`TemporaryFailure` or
        :class:`PermanentFailure` with the server's answer."""
        try:
            if self.connection is None:
                self.connection = self._connect()
            refused = self.connection.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            self.close()
            raise _failure(min(codes), str(error.recipients)) from error
        except smtplib.SMTPResponseException as error:
            self.close()
            raise _failure(error.smtp_code, error.smtp_error) from error
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
        if refused:  # only when some of several recipients were refused; we send to one
            raise TemporaryFailure(str(refused))

    def close(self) -> None:
        if self.connection is not None:
            # The connection may be gone already: nothing to tidy then.
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.connection.quit()
            self.connection = None


def _failure(code: int, text: object) -> Exception:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    kind = PermanentFailure if 500 <= code < 600 else TemporaryFailure
    return kind(f"{code} {text}")


def release_stale(session: Session, now: datetime, timeout_seconds: int) -> int:
    """Put back to pending the messages claimed more than ``timeout_seconds`` ago by a sender
    that never finished. Counts as an attempt, so a message that kills its sender every time
    ends as failed rather than looping forever."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == MessageStatus.SENDING,
            OutboxMessage.claimed_at < now - timedelta(seconds=timeout_seconds),
        )
        .values(
            status=MessageStatus.PENDING,
            claimed_at=None,
            attempts=OutboxMessage.attempts + 1,
            last_error="The sender stopped before finishing; released to be sent again.",
            next_attempt_at=now,
        )
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


def due_ids(session: Session, now: datetime, limit: int = BATCH) -> list[int]:
    """Ids of pending messages whose time has come, oldest first."""
    return list(
        session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == MessageStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    )


def claim(session: Session, message_id: int, now: datetime) -> bool:
    """Take message ``message_id`` for sending; False when another sender has it (or it is
    no longer due). The caller commits at once, before sending."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == MessageStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(status=MessageStatus.SENDING, claimed_at=now)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def mark_sent(message: OutboxMessage, now: datetime) -> None:
    message.status = MessageStatus.SENT
    message.sent_at = now
    message.attempts += 1
    message.claimed_at = None
    message.next_attempt_at = None


def mark_attempt_failed(
    message: OutboxMessage,
    error: str,
    now: datetime,
    *,
    permanent: bool,
    max_attempts: int,
    retry_seconds: int,
) -> str:
    """Record a failed attempt: back to pending after a back-off, or failed for good.
    Returns the new status."""
    message.attempts += 1
    message.last_error = error[:2000]
    message.claimed_at = None
    if permanent or message.attempts >= max_attempts:
        message.status = MessageStatus.FAILED
        message.next_attempt_at = None
    else:
        delay = min(timedelta(seconds=retry_seconds * 2 ** (message.attempts - 1)), MAX_BACKOFF)
        message.status = MessageStatus.PENDING
        message.next_attempt_at = now + delay
    return message.status


def deliver_due(session: Session, config: Mapping[str, Any], transport: Any = None) -> Delivery:
    """Send every message that is due, committing after each claim and each outcome.

    Without ``MAIL_SERVER`` nothing is sent (messages wait in the outbox). When the server
    cannot be reached, the batch stops after the first message: the rest stay due for the
    next run rather than each waiting for a time-out.
    """
    outcome = Delivery()
    if not mail_configured(config):
        return outcome
    outcome.released = release_stale(session, utcnow(), config["MAIL_CLAIM_TIMEOUT"])
    session.commit()
    transport = transport or SmtpTransport(config)
    sender = config["MAIL_DEFAULT_SENDER"]
    try:
        for message_id in due_ids(session, utcnow()):
            if not claim(session, message_id, utcnow()):
                session.rollback()
                continue
            session.commit()
            message = session.get(OutboxMessage, message_id)
            assert message is not None  # nosec B101 # claimed just above; messages are kept
            try:
                transport.send(build_email(message, sender))
            except (TemporaryFailure, PermanentFailure) as error:
                status = mark_attempt_failed(
                    message,
                    str(error),
                    utcnow(),
                    permanent=isinstance(error, PermanentFailure),
                    max_attempts=config["MAIL_MAX_ATTEMPTS"],
                    retry_seconds=config["MAIL_RETRY_SECONDS"],
                )
                session.commit()
                if status == MessageStatus.FAILED:
                    outcome.failed += 1
                else:
                    outcome.retrying += 1
                if transport_is_down(error):
                    break
                continue
            mark_sent(message, utcnow())
            session.commit()
            outcome.sent += 1
    finally:
        transport.close()
    return outcome


def transport_is_down(error: Exception) -> bool:
    """Whether the server could not be reached at all (not a refusal of one message)."""
    cause = error.__cause__
    return isinstance(cause, OSError | smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError)
