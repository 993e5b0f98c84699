"""A meeting's state at its cut-off is kept once the cut-off has passed, read by its page
and reports, made again when the cut-off changes, and never written by a GET."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from tests import factories
from tests.fixtures_reports import SECRET
from workplan.extensions import db
from workplan.meetings import services as meeting_services
from workplan.models import (
    Meeting,
    MeetingShareState,
    MeetingState,
    ReportRun,
    RunStatus,
    Status,
    Visibility,
)
from workplan.models.base import utcnow
from workplan.state import meeting_states
from workplan.state.snapshot import snapshot_at


def _kept_count() -> int:
    return db.session.scalar(select(func.count(MeetingState.id))) or 0


def _status(snapshot, code: str, org: str) -> str:  # type: ignore[no-untyped-def]
    return next(
        s.status for r, s in snapshot.shares() if r.code == code and s.organisation.code == org
    )


def test_kept_state_is_the_state_at_the_cut_off_for_each_audience(app, history):
    assert meeting_states.freeze(db.session, history.meeting)
    db.session.commit()
    for internal in (False, True):
        kept = meeting_states.state_of(db.session, history.meeting, internal=internal)
        computed = snapshot_at(db.session, history.meeting.cutoff_at, internal=internal)
        assert [(s.assignment_id, s.status, s.progress, s.narrative) for _, s in kept.shares()] == [
            (s.assignment_id, s.status, s.progress, s.narrative) for _, s in computed.shares()
        ]
    internal = meeting_states.state_of(db.session, history.meeting, internal=True)
    network = meeting_states.state_of(db.session, history.meeting, internal=False)
    assert _status(internal, "S4", "CoE") == Status.ON_HOLD  # the restricted report
    assert _status(network, "S4", "CoE") == Status.IN_PROGRESS
    assert SECRET not in {s.narrative for _, s in network.shares()}
    # Kept once: a second call writes nothing.
    assert not meeting_states.freeze(db.session, history.meeting)


def test_pages_read_the_kept_copy_not_the_history(app, history, users):
    meeting_states.freeze(db.session, history.meeting)
    db.session.commit()
    # A report dated before the cut-off, written straight to the tables (the application
    # dates reports when written, so it cannot do this): the kept copy does not see it.
    factories.progress_update(
        factories.assignment("S8", "ACHPR"), users.focal_point, Status.ONGOING, at=_before(history)
    )
    kept = meeting_states.state_of(db.session, history.meeting, internal=True)
    assert _status(kept, "S8", "ACHPR") == Status.NOT_STARTED
    recomputed = snapshot_at(db.session, history.meeting.cutoff_at, internal=True)
    assert _status(recomputed, "S8", "ACHPR") == Status.ONGOING


def _before(history) -> datetime:  # type: ignore[no-untyped-def]
    return history.meeting.cutoff_at - timedelta(days=1)


def test_the_meeting_page_computes_without_writing_then_reads_the_kept_copy(
    history, client, act_as, users
):
    act_as(users.coordinator)
    url = f"/meetings/{history.meeting.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Newly completed (1)" in page  # S4/ACHPR, computed in memory from the history
    assert _kept_count() == 0  # a GET writes nothing
    meeting_states.freeze(db.session, history.meeting)
    db.session.commit()
    # Written straight to the tables with a date before the cut-off (the application cannot):
    # the page keeps showing the kept copy.
    factories.progress_update(
        factories.assignment("S8", "ACHPR"),
        users.focal_point,
        Status.COMPLETED,
        at=_before(history),
    )
    assert "Newly completed (1)" in client.get(url).get_data(as_text=True)
    assert _kept_count() == 2


def test_recording_a_meeting_whose_cut_off_has_passed_keeps_its_state(app, history, users):
    meeting = meeting_services.create_meeting(
        db.session,
        users.coordinator,
        meeting_services.MeetingData(
            title="Extraordinary meeting",
            held_on=date(2026, 6, 1),
            place="Strasbourg",
            cutoff_date=date(2026, 5, 1),
            cutoff_time=time(12, 0),
            document_symbol="",
        ),
    )
    db.session.commit()
    kept = db.session.scalars(select(MeetingState).where(MeetingState.meeting_id == meeting.id))
    assert sorted(k.audience for k in kept) == ["internal", "network"]
    shares = db.session.scalar(
        select(func.count(MeetingShareState.id))
        .join(MeetingState)
        .where(MeetingState.meeting_id == meeting.id)
    )
    assert shares == 2 * len(snapshot_at(db.session, None, internal=True).shares())


def test_changing_the_cut_off_makes_the_kept_state_again(app, history, users):
    meeting_states.freeze(db.session, history.meeting)
    db.session.commit()
    s4_coe = factories.assignment("S4", "CoE")
    before = meeting_states.state_of(db.session, history.meeting, internal=True)
    assert _status(before, "S4", "CoE") == Status.ON_HOLD
    # Move the cut-off after the late "Finished late." report (day 300 of 2026).
    meeting_services.update_meeting(
        db.session,
        users.coordinator,
        history.meeting,
        meeting_services.MeetingData(
            title=history.meeting.title,
            held_on=date(2026, 11, 20),
            place=history.meeting.place,
            cutoff_date=date(2026, 11, 1),
            cutoff_time=time(0, 0),
            document_symbol=history.meeting.document_symbol,
        ),
        history.meeting.version,
    )
    db.session.commit()
    kept = db.session.scalars(select(MeetingState)).all()
    assert {k.cutoff_at for k in kept} == {datetime(2026, 11, 1, tzinfo=UTC)}
    after = meeting_states.state_of(db.session, history.meeting, internal=True)
    assert _status(after, "S4", "CoE") == Status.COMPLETED
    assert s4_coe.id in {s.assignment_id for _, s in after.shares()}


def test_before_its_cut_off_a_meeting_shows_the_current_state(app, users):
    meeting = Meeting(
        title="Next meeting",
        held_on=date.today() + timedelta(days=60),
        place="Geneva",
        cutoff_at=datetime.now(UTC) + timedelta(days=30),
        document_symbol="",
    )
    db.session.add(meeting)
    db.session.commit()
    share = factories.assignment("S4", "ACHPR")
    factories.progress_update(share, users.focal_point, Status.IN_PROGRESS, 40, "Public.")
    factories.progress_update(
        share, users.focal_point, Status.ON_HOLD, 40, "Private.", visibility=Visibility.RESTRICTED
    )
    assert not meeting_states.freeze(db.session, meeting)  # nothing to keep yet
    internal = meeting_states.state_of(db.session, meeting, internal=True)
    network = meeting_states.state_of(db.session, meeting, internal=False)
    assert _status(internal, "S4", "ACHPR") == Status.ON_HOLD
    assert _status(network, "S4", "ACHPR") == Status.IN_PROGRESS
    assert _kept_count() == 0


def test_freeze_command_keeps_every_past_meeting_once(app, history, runner):
    first = runner.invoke(args=["plan", "freeze"])
    assert first.exit_code == 0 and "Kept the state of 2 meeting(s)." in first.output
    assert _kept_count() == 4
    again = runner.invoke(args=["plan", "freeze"])
    assert "Kept the state of 0 meeting(s)." in again.output


def test_the_meeting_page_shows_its_reports_without_importing_them(history, client, act_as, users):
    """The reports part of the page comes from the reports feature (a template global):
    a queued run shows, the page refreshes itself without JavaScript, and the request form
    has the meeting chosen."""
    run = ReportRun(
        kind="meeting",
        format="csv",
        meeting_id=history.meeting.id,
        status=RunStatus.QUEUED,
        created_at=utcnow(),
    )
    db.session.add(run)
    db.session.commit()
    act_as(users.coordinator)
    page = client.get(f"/meetings/{history.meeting.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="5">' in page
    assert f'<tr id="run-{run.id}" class="run run-queued"' in page
    assert f'<option selected value="{history.meeting.id}">' in page
