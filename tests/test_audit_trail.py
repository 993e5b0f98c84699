"""The audit trail reads as words: actions as phrases, objects by name with a link, and the
values before and after as "field: old → new", never class names, codes or JSON."""

from __future__ import annotations

import html
import re
from datetime import date

from sqlalchemy import event, select

from tests import factories
from workplan.audit import record_audit
from workplan.extensions import db
from workplan.history.trail import ACTION_LABELS
from workplan.meetings.services import MeetingData, create_meeting
from workplan.models import Assignment, AuditEntry
from workplan.reporting import services as reporting
from workplan.reports.services import ReportRequest, request_report


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _table(page: str) -> str:
    return page.split('<table class="audit">', 1)[1].split("</table>", 1)[0]


def test_a_password_change_names_the_person_not_the_proxy(client, users, act_as):
    act_as(users.focal_point)
    password = "a long password 1"
    response = client.post(
        "/auth/password",
        data={
            "current_password": factories.PASSWORD,
            "password": password,
            "confirm": password,
        },
    )
    assert response.status_code == 302
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "user.set_password",
        "User",
        users.focal_point.id,
    )


def test_rows_written_with_the_proxy_class_show_and_filter_as_accounts(client, users, act_as):
    db.session.add(
        AuditEntry(
            actor_id=users.focal_point.id,
            action="user.set_password",
            object_type="LocalProxy",
            object_id=users.focal_point.id,
        )
    )
    db.session.commit()
    act_as(users.coordinator)
    page = _text(client.get("/audit"))
    assert "LocalProxy" not in page
    assert f"Account: {users.focal_point.name} ({users.focal_point.email})" in re.sub(
        r"<[^>]+>", "", _table(page)
    )
    assert '<option value="User">Account</option>' in page
    filtered = _text(client.get("/audit?type=User"))
    assert "1 entry" in filtered and "Password changed" in _table(filtered)


def test_every_action_is_a_phrase_with_its_object_and_changes_in_words(client, users, act_as):
    share = factories.assignment("S4", "ACHPR")
    coordinator = users.coordinator
    reporting.record_update(
        db.session,
        users.focal_point,
        share,
        reporting.UpdateInput(status="in_progress", progress=40, narrative="Survey sent."),
        share.version,
    )
    blocker = reporting.raise_blocker(
        db.session, users.focal_point, share, category="resources", description="No budget."
    )
    reporting.act_on_blocker(
        db.session, coordinator, blocker, action="escalate", expected_version=blocker.version
    )
    meeting = create_meeting(
        db.session,
        coordinator,
        MeetingData(
            "Fifth annual meeting", date(2026, 12, 14), "Geneva", date(2026, 11, 30), None, ""
        ),
    )
    run = request_report(
        db.session,
        coordinator,
        ReportRequest(kind="meeting", format="pdf", language="en", meeting_id=meeting.id),
    )
    db.session.commit()

    act_as(coordinator)
    page = _text(client.get("/audit"))
    table = _table(page)
    words = re.sub(r"<[^>]+>", "", table)
    for phrase in (
        "Progress reported",
        "Blocker raised",
        "Blocker escalated",
        "Meeting created",
        "Report requested",
    ):
        assert phrase in words, phrase
    for code in ("update.record", "blocker.escalate", "create_meeting", "request_report"):
        assert code not in table, code
    assert '{"' not in page and "LocalProxy" not in page
    # Objects by name, with a link to where they are.
    assert '<a href="/plan/S4/ACHPR">S4 / ACHPR</a>' in table
    assert f'<a href="/plan/S4/ACHPR#blocker-{blocker.id}">S4 / ACHPR</a>' in table
    assert f'<a href="/meetings/{meeting.id}">Fifth annual meeting</a>' in table
    assert f"report {run.id}" in words
    # Values as words: statuses by their labels, dates written out, no internal counters.
    assert "Status: Not started → In progress" in words
    assert "Progress: – → 40%" in words and "Narrative: Survey sent." in words
    assert "Evidence links" not in words  # nothing given: nothing to say
    assert "Status: Open → Escalated" in words
    assert "Held on: 14\u00a0December 2026" in words
    assert "Kind of obstacle: Resources" in words
    assert "Format: PDF" in words and "Meeting: Fifth annual meeting" in words
    assert "Version" not in words and "Internal version: No" in words
    # Filters say who and what in words.
    assert f">{coordinator.name} ({coordinator.email})</option>" in page
    kinds = re.findall(r'<option value="(\w+)">([^<]+)</option>', page.split('id="type"')[1])
    assert kinds == [
        ("Blocker", "Blocker"),
        ("Meeting", "Meeting"),
        ("ReportRun", "Report"),
        ("Assignment", "Share of a recommendation"),
    ]


def test_an_unknown_action_code_is_shown_as_it_is(client, users, act_as):
    record_audit(db.session, users.coordinator, "plan.import", users.coordinator)
    db.session.commit()
    act_as(users.coordinator)
    assert "plan.import" in _table(_text(client.get("/audit")))


def test_every_recorded_action_code_has_a_label():
    """Each ``record_audit(..., "code", ...)`` in the application has a phrase."""
    from pathlib import Path

    import workplan

    source = "\n".join(p.read_text() for p in Path(workplan.__file__).parent.rglob("*.py"))
    codes = set(re.findall(r'record_audit\([^)]*?"([a-z_.]+)"', source, re.S))
    codes |= {f"blocker.{a}" for a in reporting.TRANSITIONS}
    codes.discard("blocker.{action}")
    assert codes and codes <= set(ACTION_LABELS), codes - set(ACTION_LABELS)


def test_the_page_reads_in_a_fixed_number_of_statements(client, users, act_as):
    shares = db.session.scalars(select(Assignment).order_by(Assignment.id).limit(12)).all()
    people = [users.focal_point, users.other_focal_point, users.observer, users.admin]

    def write(n: int) -> None:
        for share, person in zip(shares[:n], people * 3, strict=False):
            blocker = factories.blocker(share, users.focal_point)
            record_audit(db.session, users.coordinator, "update.record", share, {}, {})
            record_audit(db.session, users.coordinator, "blocker.raise", blocker, None, {})
            record_audit(db.session, users.coordinator, "user.set_role", person, {}, {})
        db.session.commit()

    def statements() -> int:
        count = 0

        def counter(*args: object) -> None:
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            page = _text(client.get("/audit"))
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        assert "Blocker:" in page
        return count

    act_as(users.coordinator)
    write(1)
    few = statements()
    write(12)
    assert statements() == few
