"""Reads for the meeting pages, each in a fixed number of statements."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workplan.models import Meeting, ReportRun
from workplan.state.calendar import previous_meeting
from workplan.state.snapshot import Comparison, compare, snapshot_at


def list_meetings(session: Session) -> list[tuple[Meeting, int]]:
    """Every meeting, the latest first, with how many reports were requested for it."""
    rows = session.execute(
        select(Meeting, func.count(ReportRun.id))
        .outerjoin(ReportRun, ReportRun.meeting_id == Meeting.id)
        .group_by(Meeting.id)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    ).all()
    return [(meeting, count) for meeting, count in rows]


def meeting_comparison(
    session: Session, meeting: Meeting, *, internal: bool
) -> tuple[Meeting | None, Comparison]:
    """The plan at the meeting's cut-off compared with the previous meeting's."""
    previous = previous_meeting(session, meeting)
    current = snapshot_at(session, meeting.cutoff_at, internal=internal)
    before = snapshot_at(session, previous.cutoff_at if previous else None, internal=internal)
    return previous, compare(session, current, before)
