"""Fixtures of meetings and reports: a plan with history around two meetings' cut-offs,
and helpers to wait for report jobs."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask

from tests import factories
from workplan.extensions import db
from workplan.models import (
    BlockerEvent,
    BlockerStatus,
    Meeting,
    ReportRun,
    RunStatus,
    Status,
    Visibility,
)

SECRET = "Confidential: the minister refused the visit"
SECRET_BLOCKER = "Restricted obstacle: pending decision of the bureau"


@dataclass
class History:
    previous: Meeting
    meeting: Meeting
    t0: datetime  # before the previous cut-off
    t1: datetime  # between the two cut-offs
    t2: datetime  # after the meeting's cut-off


def _at(days: int) -> datetime:
    return datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(days=days)


@pytest.fixture
def history(users) -> History:  # type: ignore[no-untyped-def]
    """Two meetings (cut-offs 2026-03-01 and 2026-09-01) and a history around them:

    - S4/ACHPR: in progress before the first cut-off, completed between the two;
    - S4/CoE: in progress between, then a restricted update (SECRET) also between;
    - S5/ACHPR: a network blocker raised between (newly blocked);
    - S6/ACHPR: a blocker raised before the first cut-off, resolved between (unblocked);
    - S2/ACHPR: a restricted blocker (SECRET_BLOCKER) raised between;
    - updates after the second cut-off that must not change its state.
    """
    previous = Meeting(
        title="Fourth annual meeting of focal points",
        held_on=date(2026, 3, 20),
        place="Geneva",
        cutoff_at=datetime(2026, 3, 1, 23, 59, tzinfo=UTC),
        document_symbol="NIRMS/FP/2026/1",
    )
    meeting = Meeting(
        title="Fifth annual meeting of focal points",
        held_on=date(2026, 9, 20),
        place="Banjul",
        cutoff_at=datetime(2026, 9, 1, 23, 59, tzinfo=UTC),
        document_symbol="NIRMS/FP/2026/2",
    )
    db.session.add_all([previous, meeting])
    db.session.commit()
    fp = users.focal_point
    s4_achpr = factories.assignment("S4", "ACHPR")
    s4_coe = factories.assignment("S4", "CoE")
    factories.progress_update(
        s4_achpr, fp, Status.IN_PROGRESS, 30, "Workshop planned in Banjul.", at=_at(10)
    )
    factories.progress_update(
        s4_achpr, fp, Status.COMPLETED, None, "Joint workshop held in Banjul.", at=_at(120)
    )
    factories.progress_update(
        s4_coe, users.other_focal_point, Status.IN_PROGRESS, 50, "Draft circulated.", at=_at(130)
    )
    factories.progress_update(
        s4_coe,
        users.other_focal_point,
        Status.ON_HOLD,
        50,
        SECRET,
        visibility=Visibility.RESTRICTED,
        at=_at(140),
    )
    factories.blocker(
        factories.assignment("S5", "ACHPR"),
        fp,
        "resources",
        "No interpretation budget for the survey.",
        at=_at(150),
    )
    old = factories.blocker(
        factories.assignment("S6", "ACHPR"),
        fp,
        "administrative",
        "Visa delays for the exchange.",
        at=_at(20),
    )
    old.status = BlockerStatus.RESOLVED
    old.resolved_at = _at(160)
    db.session.add(
        BlockerEvent(
            blocker=old,
            actor=users.coordinator,
            created_at=_at(160),
            action="resolve",
            status_after=BlockerStatus.RESOLVED,
            comment="Visas issued.",
        )
    )
    factories.blocker(
        factories.assignment("S2", "ACHPR"),
        fp,
        "political",
        SECRET_BLOCKER,
        visibility=Visibility.RESTRICTED,
        at=_at(155),
    )
    # After the meeting's cut-off: must not change what the meeting's reports show.
    factories.progress_update(
        s4_coe, users.other_focal_point, Status.COMPLETED, None, "Finished late.", at=_at(300)
    )
    factories.blocker(
        factories.assignment("S8", "ACHPR"),
        fp,
        "other",
        "Raised after the cut-off.",
        at=_at(300),
    )
    db.session.commit()
    return History(previous, meeting, _at(10), _at(120), _at(300))


def finish_jobs(app: Flask, timeout: float = 60) -> None:
    """Wait for the report jobs started in threads of ``app`` (the in-process path)."""
    for thread in app.extensions.get("report_threads", []):
        thread.join(timeout)
        assert not thread.is_alive(), "a report job did not end in time"


def wait_for_run(run_id: int, timeout: float = 60, states=("finished", "failed")) -> ReportRun:  # type: ignore[no-untyped-def]
    """Poll the database until the run reaches one of ``states``."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.expire_all()
        run = db.session.get(ReportRun, run_id)
        assert run is not None
        if run.status in states:
            return run
        if time.monotonic() > deadline:
            raise AssertionError(f"run {run_id} still {run.status} ({run.message!r})")
        time.sleep(0.2)


__all__ = ["SECRET", "SECRET_BLOCKER", "RunStatus", "finish_jobs", "wait_for_run"]
