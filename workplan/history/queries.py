"""Reads for the audit trail browser."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from workplan.extensions import db
from workplan.models import AuditEntry, User

PER_PAGE = 50


def audit_entries(
    *, actor_id: int | None = None, object_type: str | None = None, page: int = 1
) -> Pagination:
    """Audit entries, newest first, optionally for one actor or one kind of object."""
    stmt = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    stmt = stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    return db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False, count=True)


def audit_filters(session: Session) -> tuple[list[User], list[str]]:
    """The people who appear in the trail and the kinds of object it mentions (for filters)."""
    actors = session.scalars(
        select(User).where(User.id.in_(select(AuditEntry.actor_id).distinct())).order_by(User.name)
    ).all()
    types = session.scalars(
        select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)
    ).all()
    return list(actors), list(types)
