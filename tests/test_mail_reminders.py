"""Reminders before a cut-off: who gets what, once; links that lead to the report form or
record "no change"; the coordinator's list of who did not report; meetings from the CLI."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from tests import factories
from workplan.auth import services as accounts
from workplan.extensions import db
from workplan.mail.reminders import run_reminders
from workplan.models import (
    Assignment,
    Meeting,
    OutboxMessage,
    ProgressUpdate,
)
from workplan.models.base import utcnow

DAYS = [21, 7]


@pytest.fixture
def meeting(users):  # type: ignore[no-untyped-def]
    """A past meeting, and the next one whose cut-off is 21 days from today."""
    today = utcnow().date()
    db.session.add(
        Meeting(
            title="Sixth meeting",
            held_on=today - timedelta(days=330),
            cutoff_at=datetime.combine(today - timedelta(days=345), time(23, 59), UTC),
        )
    )
    upcoming = Meeting(
        title="Seventh meeting",
        held_on=today + timedelta(days=35),
        place="Geneva",
        cutoff_at=datetime.combine(today + timedelta(days=21), time(23, 59), UTC),
    )
    db.session.add(upcoming)
    db.session.commit()
    return upcoming


def _messages(purpose: str = "reminder") -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.purpose == purpose).order_by(OutboxMessage.id)
        )
    )


def _report_all(org_code: str) -> None:
    """Every share of the organisation reported today."""
    org = factories.organisation(org_code)
    db.session.execute(
        update(Assignment)
        .where(Assignment.organisation_id == org.id)
        .values(last_update_at=utcnow())
    )
    db.session.commit()


def _run(days_from_now: int = 0) -> int:
    count = run_reminders(db.session, utcnow().date() + timedelta(days=days_from_now), DAYS)
    db.session.commit()
    return count


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+/auth/link/\S+", body)


def test_first_reminder_goes_once_to_each_focal_point_with_their_outstanding_shares(
    app, users, meeting
):
    alternate = factories.user("focal_point", "ACHPR", focal_point_rank="alternate")
    assert _run() > 0
    by_recipient = {m.recipient: m for m in _messages()}
    assert {users.focal_point.email, alternate.email, users.other_focal_point.email} <= set(
        by_recipient
    )
    assert users.observer.email not in by_recipient
    assert users.coordinator.email not in by_recipient
    achpr = by_recipient[users.focal_point.email]
    assert "S4" in achpr.body_text and "ACHPR" in achpr.subject
    assert "BEGIN:VCALENDAR" in achpr.calendar and "Seventh meeting" in achpr.calendar
    assert "alternate focal point of ACHPR" in by_recipient[alternate.email].body_text
    assert "/profile" in achpr.body_text
    # Running it again the same day queues nothing new.
    assert _run() == 0
    assert len(_messages()) == len(by_recipient)


def test_the_cutoff_date_is_written_in_the_recipients_language(app, users, meeting):
    users.other_focal_point.language = "fr"
    db.session.commit()
    _run()
    (french,) = [m for m in _messages() if m.recipient == users.other_focal_point.email]
    (english,) = [m for m in _messages() if m.recipient == users.focal_point.email]
    months_fr = (
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    )
    month = meeting.cutoff_at.month - 1
    assert months_fr.split()[month] in french.body_text
    assert french.language == "fr"
    assert meeting.cutoff_at.strftime("%B") in english.body_text


def test_the_second_reminder_goes_only_to_organisations_still_outstanding(app, users, meeting):
    _run()
    _report_all("ACHPR")
    assert _run(days_from_now=14) > 0  # 7 days before the cut-off
    second = [m for m in _messages() if ":7:" in m.dedupe_key]
    recipients = {m.recipient for m in second}
    assert users.other_focal_point.email in recipients
    assert users.focal_point.email not in recipients


def test_the_report_link_signs_in_and_opens_the_shares_form(app, users, meeting, client):
    _run()
    (message,) = [m for m in _messages() if m.recipient == users.focal_point.email]
    report_link = _links(message.body_text)[0]
    path = "/auth/link/" + report_link.rsplit("/", 1)[1]
    first = client.get(path)
    assert users.focal_point.email in first.get_data(as_text=True)  # the button, not used yet
    landed = client.post(path)
    assert landed.status_code == 302
    target = landed.headers["Location"]
    form_path = target.split("#")[0]
    assert target.endswith("#report") and form_path.startswith("/plan/")
    page = client.get(target.split("#")[0]).get_data(as_text=True)
    assert 'id="report"' in page and "Report progress" in page
    # The link works once; opened again it leads to the sign-in page, then the same form.
    client.post("/auth/sign-out")
    again = client.get(path)
    assert again.status_code == 302
    assert "/auth/sign-in?next=" in again.headers["Location"]
    assert f"next={form_path}%23report" in again.headers["Location"]


def test_the_no_change_link_records_a_confirmation_after_the_button(app, users, meeting, client):
    share = factories.assignment("S4", "ACHPR")
    factories.progress_update(share, users.focal_point, at=utcnow() - timedelta(days=400))
    _run()
    (message,) = [m for m in _messages() if m.recipient == users.focal_point.email]
    no_change = [
        line.split(": ", 1)[1]
        for line in message.body_text.splitlines()
        if line.strip().startswith("No change since my last report:")
    ]
    assert len(no_change) == 1  # only the share reported before can repeat its report
    path = "/auth/link/" + no_change[0].rsplit("/", 1)[1]
    assert client.get(path).status_code == 200
    assert db.session.scalar(select(ProgressUpdate).where(ProgressUpdate.is_confirmation)) is None
    landed = client.post(path)
    assert landed.headers["Location"].endswith("/plan/S4/ACHPR")
    confirmation = db.session.scalar(select(ProgressUpdate).where(ProgressUpdate.is_confirmation))
    assert confirmation is not None
    assert (confirmation.assignment_id, confirmation.author_id) == (share.id, users.focal_point.id)


def test_a_new_sign_in_link_does_not_revoke_the_reminders_links(app, users, meeting, client):
    _run()
    (message,) = [m for m in _messages() if m.recipient == users.focal_point.email]
    path = "/auth/link/" + _links(message.body_text)[0].rsplit("/", 1)[1]
    accounts.issue_sign_in_token(db.session, users.focal_point, 3600)
    db.session.commit()
    assert client.post(path).headers["Location"].endswith("#report")


def test_the_day_after_the_cutoff_the_coordinator_gets_who_did_not_report(app, users, meeting):
    _report_all("ACHPR")
    assert _run(days_from_now=22) == 1
    (missing,) = _messages("missing_reports")
    assert missing.recipient == users.coordinator.email
    assert "CoE" in missing.body_text
    assert "ACHPR" not in missing.body_text
    assert _run(days_from_now=22) == 0


def test_reminders_are_sent_in_the_recipients_language_through_smtp(
    app, users, meeting, smtp, runner
):
    users.other_focal_point.language = "fr"
    db.session.commit()
    result = runner.invoke(args=["reminders", "run", "--today", utcnow().date().isoformat()])
    assert "reminder message(s) queued" in result.output, result.output
    (french,) = smtp.to(users.other_focal_point.email)
    assert french["Content-Language"] == "fr"
    (english,) = smtp.to(users.focal_point.email)
    assert "S4" in smtp.text(english)
    assert [a.get_content_type() for a in english.iter_attachments()] == ["text/calendar"]
    assert smtp.to(users.observer.email) == []


def test_meetings_can_be_created_and_listed_from_the_command_line(app, runner):
    created = runner.invoke(
        args=[
            "meetings",
            "create",
            "Eighth meeting",
            "--date",
            "2027-10-05",
            "--cutoff",
            "2027-09-01",
            "--place",
            "Banjul",
        ]
    )
    assert created.exit_code == 0, created.output
    meeting_id = int(created.output.strip())
    stored = db.session.get(Meeting, meeting_id)
    assert (stored.title, stored.place, stored.cutoff_at.date().isoformat()) == (
        "Eighth meeting",
        "Banjul",
        "2027-09-01",
    )
    listed = runner.invoke(args=["meetings", "list"])
    assert listed.output.splitlines()[0].startswith(f"{meeting_id}\t2027-10-05")


def test_the_command_line_refuses_a_cut_off_after_the_meeting(app, runner):
    args = ["meetings", "create", "Late", "--date", "2027-10-05", "--cutoff", "2027-10-06"]
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "the reporting cut-off must not be after the meeting" in result.output
    assert db.session.scalars(select(Meeting)).all() == []


def test_a_focal_point_can_download_the_meetings_calendar(app, users, meeting, client, act_as):
    act_as(users.focal_point)
    response = client.get(f"/meetings/{meeting.id}.ics")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    assert text.count("BEGIN:VEVENT") == 2
    assert "Seventh meeting" in text and "Reporting cut-off" in text and "Geneva" in text
    act_as(None)
    assert client.get(f"/meetings/{meeting.id}.ics").status_code == 302
