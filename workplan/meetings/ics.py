"""A meeting as an iCalendar file: the meeting itself and its reporting cut-off, so that both
dates land in people's calendars (downloaded from the site, or attached to reminders)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import get_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event

from workplan.localised import meeting_place, meeting_title
from workplan.models import Meeting
from workplan.models.base import utcnow


def meeting_calendar(meeting: Meeting, base_url: str) -> str:
    """The .ics text of ``meeting``: two events, in the current (possibly forced) language.

    The UIDs are stable, so importing the file again updates the events rather than adding
    copies.
    """
    host = urlsplit(base_url).hostname or "workplan"
    calendar = Calendar()
    calendar.add("prodid", "-//workplan//meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    stamp = utcnow()
    language = get_locale()
    title, place = meeting_title(meeting, language), meeting_place(meeting, language)

    held = Event()
    held.add("uid", f"meeting-{meeting.id}@{host}")
    held.add("dtstamp", stamp)
    held.add("summary", title)
    # The meeting is a whole day in the calendar: its time is not recorded.
    held.add("dtstart", meeting.held_on)
    held.add("dtend", meeting.held_on + timedelta(days=1))
    if place:
        held.add("location", place)
    held.add("url", f"{base_url.rstrip('/')}/my-organisation")
    calendar.add_component(held)

    cutoff = Event()
    cutoff.add("uid", f"meeting-{meeting.id}-cutoff@{host}")
    cutoff.add("dtstamp", stamp)
    cutoff.add("summary", _("Reporting cut-off: %(meeting)s", meeting=title))
    cutoff.add(
        "description",
        _("Reports recorded by this time are the ones the meeting's documents show."),
    )
    cutoff.add("dtstart", meeting.cutoff_at)
    cutoff.add("dtend", meeting.cutoff_at)
    cutoff.add("url", f"{base_url.rstrip('/')}/my-organisation")
    calendar.add_component(cutoff)
    return calendar.to_ical().decode("utf-8")
