"""What is in the plan now, and what was in it at a past moment.

An organisation's share ends (``Assignment.ended_at``) and a recommendation retires
(``Recommendation.retired_at``) without losing its history: every page, export and report that
lists the plan selects through these clauses, so that the rule is written once.

Past cut-offs: a meeting's state shows the plan *as it was at its cut-off*. A share ended or a
recommendation retired after the cut-off is still in that meeting's state; one ended at or
before the cut-off is not. Pass the cut-off as ``at`` (``None``: now).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_

from workplan.models import Assignment, Recommendation


def current_recommendation_clause(at: datetime | None = None) -> ColumnElement[bool]:
    """SQL: the recommendation is in the plan (at ``at``, default now): not retired by then."""
    if at is None:
        return Recommendation.retired_at.is_(None)
    return or_(Recommendation.retired_at.is_(None), Recommendation.retired_at > at)


def current_assignment_clause(at: datetime | None = None) -> ColumnElement[bool]:
    """SQL: the share is in the plan (at ``at``, default now): not ended by then. Join
    :class:`Recommendation` as well and add :func:`current_recommendation_clause` when the
    query may reach shares of retired recommendations."""
    if at is None:
        return Assignment.ended_at.is_(None)
    return or_(Assignment.ended_at.is_(None), Assignment.ended_at > at)


def current_share_clause(at: datetime | None = None) -> ColumnElement[bool]:
    """Both clauses: the share is current and so is its recommendation (the query joins
    :class:`Recommendation`)."""
    return and_(current_assignment_clause(at), current_recommendation_clause(at))


def is_current(assignment: Assignment) -> bool:
    """The same rule in Python, for one share already loaded (now)."""
    return assignment.ended_at is None and assignment.recommendation.retired_at is None
