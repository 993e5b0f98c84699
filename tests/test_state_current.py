"""Each share's kept current state follows its history, for both audiences, whatever the
sequence of writes, and ``flask plan verify`` says so (or says what differs)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests import factories
from workplan.extensions import db
from workplan.models import Assignment, ProgressUpdate, Status, User, Visibility
from workplan.models.base import utcnow
from workplan.reporting import services

STATUSES = [s.value for s in Status]


@dataclass
class Expected:
    """What the test itself says each pointer should be, from the writes it made."""

    internal: int | None = None
    network: int | None = None
    written: list[int] = field(default_factory=list)

    def saw(self, entry: ProgressUpdate) -> None:
        self.written.append(entry.id)
        self.internal = entry.id
        if entry.visibility == Visibility.NETWORK:
            self.network = entry.id


def _report(share: Assignment, actor: User, rng: random.Random) -> ProgressUpdate:
    status = rng.choice(STATUSES)
    progress = None if status == Status.COMPLETED else rng.choice([None, 10, 55, 90])
    return services.record_update(
        db.session,
        actor,
        share,
        services.UpdateInput(
            status=status,
            progress=progress,
            narrative=f"step {rng.random():.6f}",
            visibility=rng.choice([Visibility.NETWORK, Visibility.RESTRICTED]),
        ),
        expected_version=share.version,
    )


def _race(share_id: int, actor_id: int) -> tuple[ProgressUpdate, bool]:
    """Another session confirms the share after this one read it; this one's write must then
    be refused by the optimistic lock and leave nothing behind. Returns the other session's
    entry and whether this one was refused."""
    db.session.expire_all()
    mine = db.session.get(Assignment, share_id)
    seen = mine.version
    with Session(db.engine, expire_on_commit=False) as other:
        theirs = other.get(Assignment, share_id)
        entry = services.confirm_no_change(other, other.get(User, actor_id), theirs, theirs.version)
        other.commit()
    try:
        services.confirm_no_change(db.session, db.session.get(User, actor_id), mine, seen)
    except services.StaleVersion:
        return entry, True
    return entry, False


def _pointers() -> dict[int, tuple[int | None, int | None]]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Assignment.id, Assignment.latest_update_id, Assignment.latest_network_update_id)
    )
    return {aid: (internal, network) for aid, internal, network in rows}


@pytest.mark.parametrize("seed", [1, 2])
def test_random_writes_leave_nothing_for_verify_to_find(users, runner, seed):
    rng = random.Random(seed)
    shares = [factories.assignment("S4", "ACHPR"), factories.assignment("S4", "CoE")]
    writers = {
        shares[0].id: [users.focal_point, users.coordinator],
        shares[1].id: [users.coordinator],
    }
    expected = {s.id: Expected() for s in shares}
    refused = 0
    for _ in range(40):
        share = db.session.get(Assignment, rng.choice(list(expected)))
        actor = rng.choice(writers[share.id])
        action = rng.random()
        if action < 0.6:
            entry = _report(share, actor, rng)
        elif action < 0.85:
            entry = services.confirm_no_change(db.session, actor, share, share.version)
        else:
            entry, was_refused = _race(share.id, actor.id)
            refused += was_refused
            expected[share.id].saw(entry)
            continue
        db.session.commit()
        expected[share.id].saw(entry)

    assert refused, "no concurrent write was refused: the race was not exercised"
    stored = _pointers()
    for aid, want in expected.items():
        assert stored[aid] == (want.internal, want.network)
    # Every entry the test counted, and no other, is in the history (refused writes left none).
    history = db.session.scalars(select(ProgressUpdate.id).order_by(ProgressUpdate.id)).all()
    assert history == sorted(i for e in expected.values() for i in e.written)
    result = runner.invoke(args=["plan", "verify"])
    assert result.exit_code == 0, result.output
    assert "matches its history" in result.output


def test_restricted_update_moves_only_the_internal_pointer(users):
    share = factories.assignment("S4", "ACHPR")
    public = _report_as(share, users.focal_point, Visibility.NETWORK, Status.IN_PROGRESS, 20)
    private = _report_as(share, users.focal_point, Visibility.RESTRICTED, Status.ON_HOLD, 35)
    db.session.refresh(share)
    assert (share.latest_update_id, share.status, share.progress) == (private.id, "on_hold", 35)
    assert (share.latest_network_update_id, share.network_status, share.network_progress) == (
        public.id,
        "in_progress",
        20,
    )
    assert share.network_updated_at == public.created_at < share.last_update_at
    # Confirming a restricted state is restricted too: the network still sees the old report.
    confirmation = services.confirm_no_change(db.session, users.focal_point, share, share.version)
    db.session.commit()
    db.session.refresh(share)
    assert confirmation.visibility == Visibility.RESTRICTED
    assert (share.latest_update_id, share.latest_network_update_id) == (confirmation.id, public.id)


def _report_as(share, actor, visibility, status, progress) -> ProgressUpdate:  # type: ignore[no-untyped-def]
    entry = services.record_update(
        db.session,
        actor,
        share,
        services.UpdateInput(status=status, progress=progress, visibility=visibility),
        expected_version=share.version,
    )
    db.session.commit()
    return entry


def test_updates_are_dated_by_the_database_and_never_go_backwards(users):
    share = factories.assignment("S4", "ACHPR")
    # A share whose newest report is dated ahead of the clock (a host's clock was wrong).
    ahead = factories.progress_update(share, at=utcnow().replace(year=2999))
    db.session.refresh(share)
    entry = _report_as(share, users.focal_point, Visibility.NETWORK, Status.ONGOING, None)
    assert entry.created_at >= ahead.created_at
    db.session.refresh(share)
    assert share.latest_update_id == entry.id


def test_verify_reports_each_difference_and_fails(users, runner):
    share = factories.assignment("S4", "ACHPR")
    entry = _report_as(share, users.focal_point, Visibility.NETWORK, Status.IN_PROGRESS, 40)
    db.session.execute(
        update(Assignment)
        .where(Assignment.id == share.id)
        .values(latest_network_update_id=None, network_progress=7)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    result = runner.invoke(args=["plan", "verify"])
    assert result.exit_code == 1
    assert f"assignment {share.id}: latest_network_update_id is None, history says {entry.id}" in (
        result.output
    )
    assert f"assignment {share.id}: network_progress is 7, history says 40" in result.output
    assert "2 difference(s)" in result.output
