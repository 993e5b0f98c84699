"""Reminders before a meeting's reporting cut-off, and the list of who did not report.

``run_reminders(today)`` does what is due that day and is idempotent: each message has a
``dedupe_key`` (meeting, reminder day, person), so running it twice queues nothing new.

- On each of ``REMINDER_DAYS`` before a cut-off, every organisation's active focal points get
  one message listing the shares not updated since the previous meeting's cut-off, each with
  a one-time link to its report form and one that records "no change". The first reminder
  goes to every organisation with a share; later ones only to those with something
  outstanding.
- The day after the cut-off, the coordinators get the organisations and shares that did not
  report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from workplan.auth.services import issue_sign_in_token
from workplan.i18n import LOCALES
from workplan.mail.messages import absolute_url, link_url, render_message
from workplan.mail.outbox import queue_message
from workplan.meetings.ics import meeting_calendar
from workplan.models import (
    Assignment,
    Meeting,
    Organisation,
    OutboxMessage,
    Recommendation,
    Role,
    TokenPurpose,
    User,
)
from workplan.reporting.queries import is_stale
from workplan.state.calendar import previous_meeting
from workplan.state.scope import current_assignment_clause


@dataclass(frozen=True)
class ShareLine:
    """One outstanding share in a message, with its links (empty in the coordinator's list)."""

    assignment: Assignment
    report_url: str = ""
    no_change_url: str = ""


def share_path(assignment: Assignment) -> str:
    """The share's page on this site (its report form is at ``#report``)."""
    code = quote(assignment.recommendation.code, safe="")
    org = quote(assignment.organisation.code, safe="")
    return f"/plan/{code}/{org}"


def _outstanding(session: Session, meeting: Meeting) -> dict[int, list[Assignment]]:
    """Per organisation id, its shares not updated since the cut-off before ``meeting``'s
    (never updated, when there is no earlier meeting); every organisation with a share is
    a key, possibly with an empty list."""
    previous = previous_meeting(session, meeting)
    since = previous.cutoff_at if previous else None
    assignments = session.scalars(
        select(Assignment)
        .join(Assignment.recommendation)
        .where(current_assignment_clause())
        .options(joinedload(Assignment.recommendation), joinedload(Assignment.organisation))
        .order_by(Assignment.organisation_id, Recommendation.position)
    ).all()
    found: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        shares = found.setdefault(assignment.organisation_id, [])
        if is_stale(assignment, since):
            shares.append(assignment)
    return found


def _active(session: Session, role: str) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(User.role == role, User.active.is_(True))
            .options(joinedload(User.organisation))
            .order_by(User.id)
        )
    )


def _queued_keys(session: Session, prefix: str) -> set[str]:
    """The dedupe keys already in the outbox that start with ``prefix``: one statement, so
    that nobody gets fresh links for a message that will not be sent again."""
    return set(
        session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.startswith(prefix, autoescape=True)
            )
        )
    )


def _links(session: Session, person: User, assignment: Assignment, expires: datetime) -> ShareLine:
    path = share_path(assignment)
    report = issue_sign_in_token(
        session,
        person,
        0,
        purpose=TokenPurpose.REPORT,
        next_path=f"{path}#report",
        assignment_id=assignment.id,
        expires_at=expires,
    )
    no_change = ""
    if assignment.last_update_at is not None:  # as on "my organisation": nothing to repeat
        no_change = link_url(
            issue_sign_in_token(
                session,
                person,
                0,
                purpose=TokenPurpose.NO_CHANGE,
                next_path=path,
                assignment_id=assignment.id,
                expires_at=expires,
            )
        )
    return ShareLine(assignment, link_url(report), no_change)


def _calendar(meeting: Meeting, language: str) -> str:
    with force_locale(LOCALES.get(language, "en_GB")):
        return meeting_calendar(meeting, current_app.config["SERVER_BASE_URL"])


def remind(session: Session, meeting: Meeting, days: int, first: bool) -> int:
    """Queue the reminder ``days`` before ``meeting``'s cut-off; returns how many."""
    outstanding = _outstanding(session, meeting)
    prefix = f"reminder:{meeting.id}:{days}:"
    done = _queued_keys(session, prefix)
    calendars: dict[str, str] = {}
    queued = 0
    for person in _active(session, Role.FOCAL_POINT):
        if person.organisation_id not in outstanding:
            continue  # the organisation has no share in the plan
        shares = outstanding[person.organisation_id]
        if not shares and not first:
            continue
        key = f"{prefix}{person.id}"
        if key in done:
            continue
        lines = [_links(session, person, a, meeting.cutoff_at) for a in shares]
        if person.language not in calendars:  # the same file for everyone reading a language
            calendars[person.language] = _calendar(meeting, person.language)
        message = render_message(
            "reminder",
            person.language,
            person=person,
            organisation=person.organisation,
            meeting=meeting,
            days=days,
            shares=lines,
            my_organisation_url=absolute_url("/my-organisation"),
        )
        entry = queue_message(
            session,
            person,
            message,
            purpose="reminder",
            dedupe_key=key,
            calendar=calendars[person.language],
        )
        queued += entry is not None
    return queued


def report_missing(session: Session, meeting: Meeting) -> int:
    """Queue, for each coordinator, the organisations and shares that did not report."""
    by_org: dict[Organisation, list[ShareLine]] = defaultdict(list)
    for shares in _outstanding(session, meeting).values():
        for assignment in shares:
            by_org[assignment.organisation].append(ShareLine(assignment))
    if not by_org:
        return 0
    organisations = sorted(by_org, key=lambda o: (o.position, o.code))
    prefix = f"missing:{meeting.id}:"
    done = _queued_keys(session, prefix)
    queued = 0
    for person in _active(session, Role.COORDINATOR):
        key = f"{prefix}{person.id}"
        if key in done:
            continue
        message = render_message(
            "missing_reports",
            person.language,
            person=person,
            meeting=meeting,
            organisations=[(org, by_org[org]) for org in organisations],
            share_url=lambda a: absolute_url(share_path(a)),
        )
        entry = queue_message(session, person, message, purpose="missing_reports", dedupe_key=key)
        queued += entry is not None
    return queued


def run_reminders(session: Session, today: date, reminder_days: list[int]) -> int:
    """Queue every reminder and missing-report list due ``today`` (UTC dates); flushes."""
    days = sorted(set(reminder_days), reverse=True)
    earliest = datetime.combine(today - timedelta(days=1), time.min, tzinfo=UTC)
    latest = datetime.combine(today + timedelta(days=max(days, default=0) + 1), time.min, UTC)
    meetings = session.scalars(
        select(Meeting)
        .where(Meeting.cutoff_at >= earliest, Meeting.cutoff_at < latest)
        .order_by(Meeting.cutoff_at)
    ).all()
    queued = 0
    for meeting in meetings:
        left = (meeting.cutoff_at.date() - today).days
        if left in days:
            queued += remind(session, meeting, left, first=left == days[0])
        elif left == -1:
            queued += report_missing(session, meeting)
    return queued
