"""The handover summary: what a newcomer focal point needs on their first visit.

When an organisation's focal point changes, the newcomer finds on "my organisation" what the
organisation owes, what was last reported on each share, and the open blockers, with links
to each share's full history. It is shown until they dismiss it, and can be opened again
from the same page.

A *newcomer* is a focal point whose organisation had an earlier focal point: another focal
point of the organisation, created before them, who has signed in (someone invited together
with them at set-up, or never active, handed nothing over).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from workplan.models import OPEN_BLOCKER_STATUSES, Assignment, Blocker, Role, User
from workplan.models.base import utcnow
from workplan.reporting.queries import MyOrganisation
from workplan.state.visibility import VisibleState, visible_states


@dataclass(frozen=True)
class HandoverShare:
    assignment: Assignment
    last_report: VisibleState  # status, progress, date and narrative of the newest report


@dataclass(frozen=True)
class Handover:
    shares: list[HandoverShare]
    open_blockers: list[Blocker]
    dismissable: bool  # shown on its own (not asked for again): offer to dismiss it


def had_earlier_focal_point(session: Session, user: User) -> bool:
    """Whether ``user``'s organisation had a focal point before them (see the module)."""
    if user.organisation_id is None:
        return False
    earlier = aliased(User)
    return bool(
        session.scalar(
            select(
                exists().where(
                    earlier.organisation_id == user.organisation_id,
                    earlier.id != user.id,
                    earlier.role == Role.FOCAL_POINT,
                    earlier.created_at < user.created_at,
                    earlier.last_sign_in_at.is_not(None),
                )
            )
        )
    )


def is_due(session: Session, user: Any) -> bool:
    """Whether ``user`` is a newcomer focal point who has not dismissed the summary yet."""
    return (
        getattr(user, "role", None) == Role.FOCAL_POINT
        and user.handover_dismissed_at is None
        and had_earlier_focal_point(session, user)
    )


def summary(session: Session, user: Any, page: MyOrganisation, *, asked: bool) -> Handover | None:
    """The handover summary for ``user`` on their "my organisation" ``page`` (whose shares and
    blockers it reuses): when it is due, or when ``asked`` for; None otherwise.

    One statement for the reports (two when checking whether it is due), whatever the number
    of shares.
    """
    due = not asked and is_due(session, user)
    if not (asked or due):
        return None
    assignments = [row.assignment for row in page.rows]
    states = visible_states(session, user, [a.id for a in assignments])
    shares = [HandoverShare(a, states[a.id]) for a in assignments if a.id in states]
    shares.sort(key=lambda s: s.assignment.recommendation.position)
    blockers = [b for b in page.blockers if b.status in OPEN_BLOCKER_STATUSES]
    return Handover(shares, blockers, dismissable=due)


def dismiss(session: Session, user: User) -> None:
    """Stop showing the summary to ``user`` on its own (it stays available on request)."""
    if user.handover_dismissed_at is None:
        user.handover_dismissed_at = utcnow()
        session.flush()
