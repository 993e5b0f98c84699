"""The one place that decides who may do what to which object.

Views, templates (through the ``can`` global) and services all ask :func:`can`; nothing else
compares roles. Actions are plain strings so that templates can use them.
"""

from __future__ import annotations

from typing import Any

from workplan.models import Assignment, Role, Visibility

# Actions that concern the whole application rather than one object.
COORDINATOR_ACTIONS = {
    "manage_plan",
    "manage_meetings",
    "request_reports",
    "view_audit",
    "handle_blockers",
    "view_restricted_any",
}
ADMIN_ACTIONS = {"manage_users"}


def _is_signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` (to ``obj`` where the action concerns an object).

    - ``view_plan``: anyone signed in.
    - ``view_dashboard``: anyone signed in, read-only. The coordinator works from it; focal
      points, observers and admins see the same views, computed from what they may read
      (restricted entries of other organisations are left out).
    - ``write_assignment`` (obj: Assignment): the coordinator, or a focal point of the
      assignment's organisation, while the share has not ended. Observers and admins write
      nothing in the plan.
    - ``view_entry`` (obj: an update or blocker with ``visibility`` and ``assignment``):
      network entries for everyone signed in; restricted ones for the coordinator and the
      reporting organisation's focal points.
    - ``comment_blocker`` (obj: Blocker): the coordinator, or a focal point of the blocker's
      assignment's organisation, when the blocker is visible to them.
    - ``view_attachment`` (obj: Attachment): whoever may see the update it belongs to.
    - coordinator-wide actions (``manage_meetings``, ``view_audit``...) and ``manage_users``.
    """
    if not _is_signed_in(user):
        return False
    role = user.role
    if action in ("view_plan", "view_dashboard"):
        return True
    if action == "write_assignment":
        if getattr(obj, "ended_at", None) is not None:  # an ended share is history only
            return False
        if role == Role.COORDINATOR:
            return True
        return (
            role == Role.FOCAL_POINT
            and isinstance(obj, Assignment)
            and user.organisation_id is not None
            and obj.organisation_id == user.organisation_id
        )
    if action == "view_entry":
        # Fail closed: an entry without the network value (or no value) is private.
        if getattr(obj, "visibility", None) == Visibility.NETWORK:
            return True
        if role == Role.COORDINATOR:
            return True
        assignment = getattr(obj, "assignment", None)
        return (
            role == Role.FOCAL_POINT
            and assignment is not None
            and user.organisation_id == assignment.organisation_id
        )
    if action == "comment_blocker":
        assignment = getattr(obj, "assignment", None)
        return assignment is not None and can(user, "write_assignment", assignment)
    if action == "view_attachment":
        update = getattr(obj, "update", None)
        return update is not None and can(user, "view_entry", update)
    if action in COORDINATOR_ACTIONS:
        return role == Role.COORDINATOR
    if action in ADMIN_ACTIONS:
        return role in (Role.ADMIN, Role.COORDINATOR)
    raise ValueError(f"unknown action {action!r}")
