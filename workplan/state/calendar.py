"""Which meeting comes next, which one was last: the reporting periods everyone else uses.

A meeting's reporting cut-off closes a period. The *current period* runs from the last cut-off
that has passed to the next one still ahead; "not reported since the last meeting" means no
update after the last passed cut-off.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workplan.models import Meeting
from workplan.models.base import utcnow


def next_meeting(session: Session, now: datetime | None = None) -> Meeting | None:
    """The meeting whose reporting cut-off is the next one to come."""
    now = now or utcnow()
    return session.scalar(
        select(Meeting).where(Meeting.cutoff_at > now).order_by(Meeting.cutoff_at).limit(1)
    )


def last_meeting(session: Session, now: datetime | None = None) -> Meeting | None:
    """The meeting whose reporting cut-off passed most recently."""
    now = now or utcnow()
    return session.scalar(
        select(Meeting).where(Meeting.cutoff_at <= now).order_by(Meeting.cutoff_at.desc()).limit(1)
    )


def previous_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    """The meeting before ``meeting`` (by cut-off), whose state it is compared with."""
    return session.scalar(
        select(Meeting)
        .where(Meeting.cutoff_at < meeting.cutoff_at)
        .order_by(Meeting.cutoff_at.desc())
        .limit(1)
    )
