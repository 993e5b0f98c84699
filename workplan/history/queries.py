"""Reads for the audit trail browser."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from workplan.extensions import db
from workplan.history import trail
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
        stmt = stmt.where(AuditEntry.object_type.in_(trail.stored_types(object_type)))
    stmt = stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    return db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False, count=True)


def audit_filters(session: Session) -> tuple[list[User], list[tuple[str, str]]]:
    """The people who appear in the trail, by name, and the kinds of object it mentions, as
    (value, label) pairs sorted by label (for the filters)."""
    actors = session.scalars(
        select(User)
        .where(User.id.in_(select(AuditEntry.actor_id).distinct()))
        .order_by(User.name, User.email)
    ).all()
    stored = session.scalars(select(AuditEntry.object_type).distinct()).all()
    kinds = {trail.object_type(name) for name in stored}
    return list(actors), sorted(((k, trail.type_label(k)) for k in kinds), key=lambda kind: kind[1])
