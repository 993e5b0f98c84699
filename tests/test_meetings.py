"""Meetings: the state of the plan at a cut-off, its comparison with the previous meeting,
and the coordinator's pages to record and edit meetings."""

from __future__ import annotations

from sqlalchemy import event, select

from tests import factories
from tests.fixtures_reports import SECRET, SECRET_BLOCKER
from workplan.extensions import db
from workplan.models import AuditEntry, Meeting, ReportRun, Status
from workplan.state.meeting_states import meeting_comparison
from workplan.state.snapshot import compare, snapshot_at


def _share(snapshot, code, org):  # type: ignore[no-untyped-def]
    return next(s for r, s in snapshot.shares() if r.code == code and s.organisation.code == org)


def test_state_at_a_cut_off_comes_from_the_history_before_it(app, history):
    snap = snapshot_at(db.session, history.meeting.cutoff_at, internal=True)
    assert _share(snap, "S4", "ACHPR").status == Status.COMPLETED
    assert _share(snap, "S4", "CoE").status == Status.ON_HOLD  # restricted, internal view
    assert _share(snap, "S4", "CoE").narrative == SECRET
    earlier = snapshot_at(db.session, history.previous.cutoff_at, internal=True)
    assert _share(earlier, "S4", "ACHPR").status == Status.IN_PROGRESS
    assert _share(earlier, "S4", "CoE").status == Status.NOT_STARTED


def test_state_at_a_cut_off_is_reproducible_whatever_is_added_later(app, history, users):
    before = snapshot_at(db.session, history.meeting.cutoff_at, internal=True)
    factories.progress_update(
        factories.assignment("S4", "ACHPR"),
        users.focal_point,
        Status.ON_HOLD,
        narrative="Much later.",
    )
    factories.blocker(factories.assignment("S4", "ACHPR"), users.focal_point)
    after = snapshot_at(db.session, history.meeting.cutoff_at, internal=True)
    assert [
        (s.assignment_id, s.status, s.narrative, len(s.open_blockers)) for _, s in before.shares()
    ] == [(s.assignment_id, s.status, s.narrative, len(s.open_blockers)) for _, s in after.shares()]


def test_circulation_state_ignores_restricted_entries(app, history):
    snap = snapshot_at(db.session, history.meeting.cutoff_at, internal=False)
    coe = _share(snap, "S4", "CoE")
    assert coe.status == Status.IN_PROGRESS and coe.narrative == "Draft circulated."
    texts = [b.description for b in snap.open_blockers()]
    assert SECRET_BLOCKER not in texts
    assert "No interpretation budget for the survey." in texts


def test_state_is_read_in_a_fixed_number_of_statements(app, history):
    statements = []
    cutoff = history.meeting.cutoff_at

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        snapshot_at(db.session, cutoff, internal=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 4, statements


def test_comparison_with_the_previous_meeting(app, history):
    previous, comparison = meeting_comparison(db.session, history.meeting, internal=False)
    assert previous.id == history.previous.id
    pairs = lambda changes: {(c.recommendation.code, c.share.organisation.code) for c in changes}  # noqa: E731
    assert pairs(comparison.newly_completed) == {("S4", "ACHPR")}
    assert ("S4", "CoE") in pairs(comparison.moved)
    assert pairs(comparison.newly_blocked) == {("S5", "ACHPR")}
    assert pairs(comparison.unblocked) == {("S6", "ACHPR")}
    not_reported = {o.code for o in comparison.not_reported}
    assert "ACHPR" not in not_reported and "CoE" not in not_reported
    assert "IACHR" in not_reported


def test_internal_comparison_counts_the_restricted_blocker(app, history):
    _, comparison = meeting_comparison(db.session, history.meeting, internal=True)
    blocked = {(c.recommendation.code, c.share.organisation.code) for c in comparison.newly_blocked}
    assert blocked == {("S5", "ACHPR"), ("S2", "ACHPR")}


def test_first_meeting_is_compared_with_the_start_of_the_plan(app, history):
    current = snapshot_at(db.session, history.previous.cutoff_at, internal=True)
    comparison = compare(db.session, current, snapshot_at(db.session, None, internal=True))
    assert {(c.recommendation.code, c.share.organisation.code) for c in comparison.moved} == {
        ("S4", "ACHPR")
    }


def test_coordinator_records_a_meeting(client, act_as, users):
    act_as(users.coordinator)
    response = client.post(
        "/meetings/new",
        data={
            "title": "Sixth annual meeting of focal points",
            "held_on": "2027-12-14",
            "place": "Addis Ababa",
            "cutoff_date": "2027-11-01",
            "cutoff_time": "12:00",
            "document_symbol": "NIRMS/FP/2027/1",
        },
    )
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert meeting.cutoff_at.isoformat() == "2027-11-01T12:00:00+00:00"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sixth annual meeting of focal points" in page
    assert "14\u00a0December 2027" in page and "1\u00a0November 2027" in page
    assert db.session.scalar(select(AuditEntry.action)) == "create_meeting"
    listing = client.get("/meetings").get_data(as_text=True)
    assert "Sixth annual meeting of focal points" in listing and "Addis Ababa" in listing


def test_cut_off_after_the_meeting_is_refused_and_what_was_typed_is_kept(client, act_as, users):
    act_as(users.coordinator)
    response = client.post(
        "/meetings/new",
        data={
            "title": "A meeting I typed",
            "held_on": "2027-12-14",
            "place": "Nairobi",
            "cutoff_date": "2027-12-20",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The reporting cut-off cannot be after the meeting." in page
    assert 'value="A meeting I typed"' in page and 'value="Nairobi"' in page
    assert db.session.scalar(select(Meeting)) is None


def test_concurrent_edit_shows_a_conflict_and_keeps_the_typed_values(
    client, act_as, history, users
):
    act_as(users.coordinator)
    meeting = history.meeting
    seen = meeting.version
    form = {
        "version": seen,
        "title": "Fifth meeting (renamed by me)",
        "held_on": "2026-09-20",
        "place": "Banjul",
        "cutoff_date": "2026-09-01",
        "cutoff_time": "23:59",
    }
    # Someone else saves first.
    assert (
        client.post(f"/meetings/{meeting.id}/edit", data={**form, "title": "Theirs"}).status_code
        == 302
    )
    response = client.post(f"/meetings/{meeting.id}/edit", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this meeting" in page
    assert "Fifth meeting (renamed by me)" in page and "Theirs" in page
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "Theirs"
    # Saving again (with the version now shown) replaces it.
    form["version"] = seen + 1
    assert client.post(f"/meetings/{meeting.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "Fifth meeting (renamed by me)"


def test_meeting_page_shows_the_comparison(client, act_as, history, users):
    act_as(users.coordinator)
    page = client.get(f"/meetings/{history.meeting.id}").get_data(as_text=True)
    assert "Newly completed (1)" in page and "Unblocked (1)" in page
    not_reported = page.split('id="not-reported"', 1)[1].split("</section>", 1)[0]
    assert '<span class="code">IACHR</span>' in not_reported
    assert '<span class="code">ACHPR</span>' not in not_reported  # ACHPR reported in between
    assert "Request a report" in page


def test_meeting_with_reports_cannot_be_deleted(client, act_as, history, users):
    act_as(users.coordinator)
    db.session.add(ReportRun(kind="meeting", format="pdf", meeting_id=history.meeting.id))
    db.session.commit()
    response = client.post(f"/meetings/{history.meeting.id}/delete", follow_redirects=True)
    assert "cannot be deleted" in response.get_data(as_text=True)
    previous_id = history.previous.id
    assert client.post(f"/meetings/{previous_id}/delete").status_code == 302
    assert db.session.scalar(select(Meeting).where(Meeting.id == previous_id)) is None


def test_meeting_pages_are_the_coordinators(client, act_as, history, users):
    for person in (users.focal_point, users.observer, users.admin):
        act_as(person)
        assert client.get("/meetings").status_code == 403
        assert client.get(f"/meetings/{history.meeting.id}").status_code == 403
        assert client.get("/reports").status_code == 403
    act_as(None)
    assert client.get("/meetings").status_code == 302
