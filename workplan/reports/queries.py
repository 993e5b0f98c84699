"""Reads for the reports pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from workplan.models import Meeting, ReportRun

RECENT_RUNS = 50


def recent_runs(session: Session, meeting_id: int | None = None) -> list[ReportRun]:
    """The latest report runs (of one meeting, or all), newest first, with who asked."""
    stmt = (
        select(ReportRun)
        .options(
            joinedload(ReportRun.requested_by),
            joinedload(ReportRun.meeting),
            joinedload(ReportRun.organisation),
        )
        .order_by(ReportRun.created_at.desc(), ReportRun.id.desc())
        .limit(RECENT_RUNS)
    )
    if meeting_id is not None:
        stmt = stmt.where(ReportRun.meeting_id == meeting_id)
    return list(session.scalars(stmt))


def meeting_choices(session: Session) -> list[Meeting]:
    return list(session.scalars(select(Meeting).order_by(Meeting.held_on.desc())))
