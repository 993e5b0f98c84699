"""Writing the audit trail. Every service that changes data calls :func:`record_audit`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from werkzeug.local import LocalProxy

from workplan.models import AuditEntry


def record_audit(
    session: Session,
    actor: Any,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry for ``action`` on ``obj`` by ``actor`` (None for the command line)."""
    actor_id = getattr(actor, "id", None) if getattr(actor, "is_authenticated", True) else None
    # Views pass ``current_user`` itself (e.g. a password change): the entry names what it
    # stands for, not the proxy class.
    if isinstance(obj, LocalProxy):
        obj = obj._get_current_object()
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        before=before,
        after=after,
    )
    session.add(entry)
    return entry
