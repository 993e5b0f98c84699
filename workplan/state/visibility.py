"""What each viewer may see of an assignment's state, without leaking restricted entries.

Each assignment keeps two current states (:mod:`workplan.state.current`): the *internal* one
(``status``, ``progress``, ``last_update_at``: its newest update, which may be restricted)
and the *network* one (``network_status``...: its newest update the whole network may
read). Who reads which is decided here and only here: the coordinator and the share's own
organisation the internal state, everyone else signed in the network state, and nobody
else anything (fail closed). :func:`visible_columns` is that rule in SQL (any number of
shares in one statement, no search of the history), :func:`visible_state` the same rule for
one loaded assignment; every page, export and report reads a share's state through them.

Entries of the history (updates, blockers) are filtered by :func:`visible_clause`, the SQL
form of :func:`workplan.permissions.can` ``view_entry``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, false, literal, null, or_, select, true
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import ScalarSelect

from workplan.models import Assignment, ProgressUpdate, Role, Status, Visibility
from workplan.permissions import can


def sees_everything(viewer: Any) -> bool:
    """Whether ``viewer`` may see every restricted entry (the coordinator)."""
    return can(viewer, "view_restricted_any")


def visible_clause(visibility: Any, organisation_id: Any, viewer: Any) -> ColumnElement[bool]:
    """SQL for ``can(viewer, "view_entry", entry)``: ``visibility`` is the entry's column,
    ``organisation_id`` its assignment's organisation column."""
    if sees_everything(viewer):
        return true()
    # Fail closed: only the network value is public; anything else is private.
    network = visibility == Visibility.NETWORK
    org_id = getattr(viewer, "organisation_id", None)
    if getattr(viewer, "role", None) == Role.FOCAL_POINT and org_id is not None:
        return or_(network, organisation_id == org_id)
    if not getattr(viewer, "is_authenticated", False):
        return false()
    return network


def latest_visible_narrative(viewer: Any) -> ScalarSelect[str]:
    """A scalar subquery, correlated with :class:`Assignment`: the text of the newest
    narrative ``viewer`` may see (a "no change" confirmation has none, so it is skipped)."""
    pu = aliased(ProgressUpdate)
    return (
        select(pu.narrative)
        .where(
            pu.assignment_id == Assignment.id,
            pu.narrative != "",
            visible_clause(pu.visibility, Assignment.organisation_id, viewer),
        )
        .order_by(pu.created_at.desc(), pu.id.desc())
        .limit(1)
        .correlate(Assignment)
        .scalar_subquery()
    )


def _internal_reader(viewer: Any) -> bool | int | None:
    """Whose internal state ``viewer`` reads: every share's (True), one organisation's (its
    id), none but the network's (False), or nothing at all (None: not signed in)."""
    if sees_everything(viewer):
        return True
    if not getattr(viewer, "is_authenticated", False):
        return None
    org_id = getattr(viewer, "organisation_id", None)
    if getattr(viewer, "role", None) == Role.FOCAL_POINT and org_id is not None:
        return int(org_id)
    return False


INTERNAL_COLUMNS = (
    Assignment.status,
    Assignment.progress,
    Assignment.last_update_at,
    Assignment.latest_update_id,
)
NETWORK_COLUMNS = (
    Assignment.network_status,
    Assignment.network_progress,
    Assignment.network_updated_at,
    Assignment.latest_network_update_id,
)


def visible_columns(viewer: Any) -> tuple[Any, Any, Any, Any]:
    """``(status, progress, date, update id)`` of each :class:`Assignment` as ``viewer`` may
    see it, as SQL expressions to select (labelled ``visible_*``)."""
    reader = _internal_reader(viewer)
    names = ("visible_status", "visible_progress", "visible_at", "visible_update_id")
    if reader is None:
        nothing = (literal(Status.NOT_STARTED.value), null(), null(), null())
        return tuple(c.label(n) for c, n in zip(nothing, names, strict=True))  # type: ignore[return-value]
    if reader is True:
        chosen: Sequence[Any] = INTERNAL_COLUMNS
    elif reader is False:
        chosen = NETWORK_COLUMNS
    else:
        own = Assignment.organisation_id == reader
        chosen = [
            case((own, internal), else_=network)
            for internal, network in zip(INTERNAL_COLUMNS, NETWORK_COLUMNS, strict=True)
        ]
    return tuple(c.label(n) for c, n in zip(chosen, names, strict=True))  # type: ignore[return-value]


@dataclass(frozen=True)
class VisibleState:
    """An assignment's state as one viewer may see it."""

    status: str
    progress: int | None
    last_update_at: datetime | None
    narrative: str = ""

    @classmethod
    def from_row(
        cls, status: str | None, progress: int | None, at: datetime | None, text: str | None = ""
    ) -> VisibleState:
        """From the columns of the newest visible update (all None when there is none)."""
        if at is None:
            return NEVER_REPORTED
        return cls(status or Status.NOT_STARTED, progress, at, text or "")


NEVER_REPORTED = VisibleState(Status.NOT_STARTED, None, None, "")


def visible_state(viewer: Any, assignment: Assignment) -> VisibleState:
    """What ``viewer`` may see of one loaded assignment's current state (no narrative)."""
    reader = _internal_reader(viewer)
    if reader is None:
        return NEVER_REPORTED
    if reader is True or reader == assignment.organisation_id:
        return VisibleState.from_row(
            assignment.status, assignment.progress, assignment.last_update_at
        )
    return VisibleState.from_row(
        assignment.network_status, assignment.network_progress, assignment.network_updated_at
    )


def visible_states(
    session: Session, viewer: Any, assignment_ids: Sequence[int]
) -> dict[int, VisibleState]:
    """The visible state of some assignments, with their newest visible narrative, by
    assignment id, in one statement."""
    if not assignment_ids:
        return {}
    status, progress, at, _update_id = visible_columns(viewer)
    rows = session.execute(
        select(Assignment.id, status, progress, at, latest_visible_narrative(viewer)).where(
            Assignment.id.in_(list(assignment_ids))
        )
    ).all()
    return {aid: VisibleState.from_row(s, p, t, n) for aid, s, p, t, n in rows}
