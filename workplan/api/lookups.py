"""What the API's views look up the same way: the caller, a share, a blocker."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from workplan.api.errors import ApiError
from workplan.extensions import db
from workplan.models import Assignment, Blocker
from workplan.permissions import can
from workplan.reporting import queries as reporting_queries
from workplan.request_guards import MAX_ID

# Ids in the API's addresses, as in the pages': a larger id matches no route (404).
ROW_ID = f"int(max={MAX_ID})"


def caller() -> Any:
    """The token's owner (not the proxy: services compare and store it)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def share_or_404(code: str, org: str) -> Assignment:
    """A share by its task's and organisation's codes (any letter case)."""
    assignment = reporting_queries.get_assignment(db.session, code, org)
    if assignment is None:
        raise ApiError(404, "No such task, or the organisation has no share in it.")
    return assignment


def visible_blocker_or_404(blocker_id: int) -> Blocker:
    """A blocker the caller may see; 404 otherwise, so as not to reveal it."""
    blocker = reporting_queries.get_blocker(db.session, blocker_id)
    if blocker is None or not can(caller(), "view_entry", blocker):
        raise ApiError(404, "No such blocker.")
    return blocker
