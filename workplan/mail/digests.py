"""The coordinators' digests: what happened since the last one, daily or weekly (Mondays).

``run_digests(today)`` is idempotent: a digest has a ``dedupe_key`` per person and day, and
the notifications it includes are marked, so running it twice queues nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from workplan.mail.messages import render_message
from workplan.mail.outbox import queue_message
from workplan.models import Digest, Notification, User
from workplan.models.base import utcnow

MONDAY = 0


def _due(person: User, today: date) -> bool:
    if person.digest == Digest.DAILY:
        return True
    return person.digest == Digest.WEEKLY and today.weekday() == MONDAY


def run_digests(session: Session, today: date) -> int:
    """Queue the digests due ``today``; returns how many. Flushes."""
    pending = session.scalars(
        select(Notification)
        .join(Notification.user)
        .where(Notification.digested_at.is_(None), User.active.is_(True))
        .options(contains_eager(Notification.user))
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
    ).all()
    by_person: dict[User, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_person[notification.user].append(notification)
    queued = 0
    now = utcnow()
    for person, items in by_person.items():
        if not _due(person, today):
            continue
        message = render_message("digest", person.language, person=person, items=items, today=today)
        entry = queue_message(
            session,
            person,
            message,
            purpose="digest",
            dedupe_key=f"digest:{person.id}:{today.isoformat()}",
        )
        if entry is None:
            continue  # today's digest already went: these wait for the next one
        for notification in items:
            notification.digested_at = now
        queued += 1
    session.flush()
    return queued
