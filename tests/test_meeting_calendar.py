"""Next and last meetings, by reporting cut-off."""

from __future__ import annotations

from datetime import date, timedelta

from workplan.extensions import db
from workplan.models import Meeting
from workplan.models.base import utcnow
from workplan.state import calendar


def _meeting(title: str, cutoff_days: int) -> Meeting:
    cutoff = utcnow() + timedelta(days=cutoff_days)
    meeting = Meeting(title=title, held_on=(cutoff + timedelta(days=14)).date(), cutoff_at=cutoff)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def test_no_meetings(app):
    assert calendar.next_meeting(db.session) is None
    assert calendar.last_meeting(db.session) is None


def test_next_last_and_previous(app):
    old = _meeting("Second meeting", -400)
    recent = _meeting("Third meeting", -30)
    upcoming = _meeting("Fourth meeting", 20)
    _meeting("Fifth meeting", 380)
    assert calendar.next_meeting(db.session) == upcoming
    assert calendar.last_meeting(db.session) == recent
    assert calendar.previous_meeting(db.session, recent) == old
    assert calendar.previous_meeting(db.session, old) is None
    assert isinstance(upcoming.held_on, date)
