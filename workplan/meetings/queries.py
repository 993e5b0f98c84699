"""Reads for the meeting pages, each in a fixed number of statements."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workplan.models import Meeting, ReportRun


def list_meetings(session: Session) -> list[tuple[Meeting, int]]:
    """Every meeting, the latest first, with how many reports were requested for it."""
    rows = session.execute(
        select(Meeting, func.count(ReportRun.id))
        .outerjoin(ReportRun, ReportRun.meeting_id == Meeting.id)
        .group_by(Meeting.id)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    ).all()
    return [(meeting, count) for meeting, count in rows]
