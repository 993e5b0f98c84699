"""Recording meetings: create, edit (with optimistic locking) and delete.

Like every service, these flush and leave the commit to the request that called them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workplan.audit import record_audit
from workplan.models import Meeting, ReportRun
from workplan.state import meeting_states

END_OF_DAY = time(23, 59)


class MeetingConflict(Exception):
    """Someone else saved the meeting since the form was opened."""


class InvalidMeeting(ValueError):
    """The meeting's data break a rule; the message says which."""


class MeetingInUse(Exception):
    """The meeting has report runs: deleting it would orphan their documents."""


@dataclass(frozen=True)
class MeetingData:
    title: str
    held_on: date
    place: str
    cutoff_date: date
    cutoff_time: time | None
    document_symbol: str
    title_fr: str = ""
    place_fr: str = ""

    def check(self) -> None:
        """Raise :class:`InvalidMeeting` unless the data make a meeting (the form shows the
        same rules next to its fields; the command line relies on this)."""
        if not self.title.strip():
            raise InvalidMeeting("a title is required")
        if self.cutoff_date > self.held_on:
            raise InvalidMeeting("the reporting cut-off must not be after the meeting")

    @property
    def cutoff_at(self) -> datetime:
        return datetime.combine(self.cutoff_date, self.cutoff_time or END_OF_DAY, tzinfo=UTC)


def _values(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title,
        "title_fr": meeting.title_fr,
        "held_on": meeting.held_on.isoformat(),
        "place": meeting.place,
        "place_fr": meeting.place_fr,
        "cutoff_at": meeting.cutoff_at.isoformat(),
        "document_symbol": meeting.document_symbol,
    }


def _apply(meeting: Meeting, data: MeetingData) -> None:
    data.check()
    meeting.title = data.title.strip()
    meeting.title_fr = (data.title_fr or "").strip()
    meeting.held_on = data.held_on
    meeting.place = (data.place or "").strip()
    meeting.place_fr = (data.place_fr or "").strip()
    meeting.cutoff_at = data.cutoff_at
    meeting.document_symbol = (data.document_symbol or "").strip()


def create_meeting(session: Session, actor: Any, data: MeetingData) -> Meeting:
    meeting = Meeting(created_by_id=getattr(actor, "id", None))
    _apply(meeting, data)
    session.add(meeting)
    session.flush()
    record_audit(session, actor, "create_meeting", meeting, after=_values(meeting))
    meeting_states.freeze(session, meeting)  # a meeting recorded after its cut-off
    return meeting


def update_meeting(
    session: Session, actor: Any, meeting: Meeting, data: MeetingData, seen_version: int | None
) -> Meeting:
    """Save changes made on a form opened at ``seen_version``; raise :class:`MeetingConflict`
    when the meeting changed since."""
    if seen_version != meeting.version:
        raise MeetingConflict
    before = _values(meeting)
    cutoff = meeting.cutoff_at
    _apply(meeting, data)
    record_audit(session, actor, "update_meeting", meeting, before=before, after=_values(meeting))
    try:
        session.flush()
    except StaleDataError as error:
        session.rollback()
        raise MeetingConflict from error
    if meeting.cutoff_at != cutoff:
        # The kept state was the plan at the old cut-off: keep the new one instead (now if
        # it has passed, otherwise once it passes).
        meeting_states.forget(session, meeting)
        meeting_states.freeze(session, meeting)
    return meeting


def run_count(session: Session, meeting: Meeting) -> int:
    return (
        session.scalar(select(func.count(ReportRun.id)).where(ReportRun.meeting_id == meeting.id))
        or 0
    )


def delete_meeting(session: Session, actor: Any, meeting: Meeting) -> None:
    """Delete a meeting that has no report runs (those keep the meeting they were made for)."""
    if run_count(session, meeting):
        raise MeetingInUse
    record_audit(session, actor, "delete_meeting", meeting, before=_values(meeting))
    session.delete(meeting)
    session.flush()
