"""What each viewer may see of an assignment's state, without leaking restricted entries.

``Assignment.status``, ``progress`` and ``last_update_at`` mirror the newest progress update,
which may be *restricted* (the coordinator and the reporting organisation only). Showing the
mirror to an observer or to another organisation would reveal what a restricted report said.
Every page, export or summary that shows an assignment's state to people other than its own
organisation therefore reads the *visible state*: the newest update the viewer may see
(:func:`workplan.permissions.can` ``view_entry`` in SQL form), or "not started, never
reported" when there is none.

The clauses here are SQL, so that a page reads the visible state of any number of assignments
in one statement (a correlated subquery picks each assignment's newest visible update).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
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


def latest_visible_update_id(viewer: Any) -> ScalarSelect[int]:
    """A scalar subquery, correlated with :class:`Assignment`: the id of the assignment's
    newest progress update that ``viewer`` may see (NULL when there is none)."""
    pu = aliased(ProgressUpdate)
    return (
        select(pu.id)
        .where(
            pu.assignment_id == Assignment.id,
            visible_clause(pu.visibility, Assignment.organisation_id, viewer),
        )
        .order_by(pu.created_at.desc(), pu.id.desc())
        .limit(1)
        .correlate(Assignment)
        .scalar_subquery()
    )


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


def latest_visible_join(viewer: Any) -> tuple[Any, Any, ColumnElement[bool]]:
    """``(latest, ids, onclause)``: join ``ids`` (a derived table of ``assignment_id`` and
    ``update_id``) on ``ids.c.assignment_id == Assignment.id``, then outer-join ``latest``
    (a progress update) with ``onclause`` to get each assignment's newest visible update.

    The newest id is computed once per assignment in the derived table and the update then
    read by primary key: a correlated subquery directly in the join condition made
    PostgreSQL evaluate it for every pair of assignment and update (minutes at scale).
    """
    ids = select(
        Assignment.id.label("assignment_id"),
        latest_visible_update_id(viewer).label("update_id"),
    ).subquery("latest_visible_ids")
    latest = aliased(ProgressUpdate, name="latest_visible")
    return latest, ids, latest.id == ids.c.update_id


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


def visible_states(
    session: Session, viewer: Any, assignment_ids: Sequence[int]
) -> dict[int, VisibleState]:
    """The visible state of some assignments, by assignment id, in one statement."""
    if not assignment_ids:
        return {}
    latest, ids, onclause = latest_visible_join(viewer)
    rows = session.execute(
        select(
            Assignment.id,
            latest.status,
            latest.progress,
            latest.created_at,
            latest_visible_narrative(viewer),
        )
        .join(ids, ids.c.assignment_id == Assignment.id)
        .outerjoin(latest, onclause)
        .where(Assignment.id.in_(list(assignment_ids)))
    ).all()
    return {aid: VisibleState.from_row(s, p, at, n) for aid, s, p, at, n in rows}
