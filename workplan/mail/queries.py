"""Reads of the outbox (the admin's page and ``flask mail outbox``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workplan.models import MessageStatus, OutboxMessage


@dataclass(frozen=True)
class OutboxPage:
    items: list[OutboxMessage]
    page: int
    per_page: int
    total: int
    pending: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def outbox_page(session: Session, page: int, per_page: int = 50) -> OutboxPage:
    """One page of the outbox, newest first, with the counts the page shows (3 statements)."""
    page = max(1, page)
    items = session.scalars(
        select(OutboxMessage)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    total = session.scalar(select(func.count(OutboxMessage.id))) or 0
    pending = (
        session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status.in_([MessageStatus.PENDING, MessageStatus.SENDING])
            )
        )
        or 0
    )
    return OutboxPage(list(items), page, per_page, total, pending)
