"""A meeting's state at its cut-off: the current state until the cut-off, then kept.

Updates are dated by the database when written (:mod:`workplan.state.current`), so once a
meeting's cut-off has passed nothing can change the plan as it stood then. That state is
computed once per audience (network, internal) and kept (:class:`MeetingState`); the meeting
page and the meeting report read the kept copy. Before the cut-off they read the current
state (each share's kept pointer), which is what the state at the cut-off would be if
nothing more were written.

When the copy is made, since a GET never writes:

- when the meeting is saved with a cut-off already past (:func:`workplan.meetings.services`),
- by the worker's periodic maintenance, for every meeting whose cut-off has passed
  (:func:`freeze_due`; also ``flask plan freeze``),
- when a report for the meeting is built (a job, which commits).

A page that finds no copy yet computes the state in memory from the history (as before this
copy existed) and writes nothing. Changing a meeting's cut-off deletes its copies
(:func:`forget`); they are made again as above. Blockers at the cut-off are still read from
their events (a small table); only the shares' states, the search of the whole history,
are kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workplan.models import (
    Assignment,
    Audience,
    Meeting,
    MeetingShareState,
    MeetingState,
    ProgressUpdate,
    Status,
)
from workplan.state.calendar import previous_meeting
from workplan.state.current import database_now
from workplan.state.snapshot import (
    Comparison,
    Snapshot,
    compare,
    newest_updates,
    snapshot_at,
    update_columns,
)


def audience(internal: bool) -> Audience:
    return Audience.INTERNAL if internal else Audience.NETWORK


def _kept(session: Session, meeting: Meeting, internal: bool) -> MeetingState | None:
    """The kept state of ``meeting`` for the audience, if it was made for its cut-off."""
    kept = session.scalar(
        select(MeetingState).where(
            MeetingState.meeting_id == meeting.id, MeetingState.audience == audience(internal)
        )
    )
    return kept if kept is not None and kept.cutoff_at == meeting.cutoff_at else None


def kept_updates(kept: MeetingState) -> Select[Any]:
    """The newest update of each share as kept (the columns :func:`snapshot_at` reads)."""
    return (
        select(*update_columns())
        .join(MeetingShareState, MeetingShareState.update_id == ProgressUpdate.id)
        .where(MeetingShareState.meeting_state_id == kept.id)
    )


def current_updates(internal: bool) -> Select[Any]:
    """Each share's newest update now, by its kept pointer (internal or network)."""
    pointer = Assignment.latest_update_id if internal else Assignment.latest_network_update_id
    return select(*update_columns()).join(Assignment, pointer == ProgressUpdate.id)


def state_of(session: Session, meeting: Meeting | None, *, internal: bool) -> Snapshot:
    """The plan at ``meeting``'s cut-off (None: before the first meeting): the kept copy,
    else the current state while the cut-off is ahead, else computed from the history."""
    if meeting is None:
        return snapshot_at(session, None, internal=internal)
    kept = _kept(session, meeting, internal)
    if kept is not None:
        latest = kept_updates(kept)
    elif meeting.cutoff_at > database_now(session):
        latest = current_updates(internal)
    else:
        latest = newest_updates(meeting.cutoff_at, internal)
    return snapshot_at(session, meeting.cutoff_at, internal=internal, latest=latest)


def meeting_comparison(
    session: Session, meeting: Meeting, *, internal: bool
) -> tuple[Meeting | None, Comparison]:
    """The plan at the meeting's cut-off compared with the previous meeting's."""
    previous = previous_meeting(session, meeting)
    current = state_of(session, meeting, internal=internal)
    before = state_of(session, previous, internal=internal)
    return previous, compare(session, current, before)


def freeze(session: Session, meeting: Meeting, now: datetime | None = None) -> bool:
    """Keep ``meeting``'s state for both audiences if its cut-off has passed and it is not
    kept yet (flushes; the caller commits). Whether anything was written."""
    if meeting.cutoff_at > (now or database_now(session)):
        return False
    wrote = False
    for internal in (False, True):
        if _kept(session, meeting, internal) is not None:
            continue
        try:
            # A savepoint: another worker keeping the same state at the same time wins, and
            # this transaction goes on with its copy.
            with session.begin_nested():
                _keep(session, meeting, internal)
        except IntegrityError:
            continue
        wrote = True
    return wrote


def _keep(session: Session, meeting: Meeting, internal: bool) -> None:
    """Write the kept state of ``meeting`` for one audience (replacing an outdated one)."""
    forget(session, meeting, internal)
    kept = MeetingState(
        meeting_id=meeting.id, audience=audience(internal), cutoff_at=meeting.cutoff_at
    )
    session.add(kept)
    session.flush()
    newest = newest_updates(meeting.cutoff_at, internal).subquery()
    rows = session.execute(
        select(
            Assignment.id, newest.c.id, newest.c.status, newest.c.progress, newest.c.created_at
        ).outerjoin(newest, newest.c.assignment_id == Assignment.id)
    ).all()
    session.add_all(
        MeetingShareState(
            meeting_state_id=kept.id,
            assignment_id=aid,
            update_id=update_id,
            status=status or Status.NOT_STARTED,
            progress=progress,
            reported_at=at,
        )
        for aid, update_id, status, progress, at in rows
    )
    session.flush()


def forget(session: Session, meeting: Meeting, internal: bool | None = None) -> None:
    """Delete ``meeting``'s kept states (one audience, or both): its cut-off changed."""
    conditions = [MeetingState.meeting_id == meeting.id]
    if internal is not None:
        conditions.append(MeetingState.audience == audience(internal))
    kept_ids = select(MeetingState.id).where(*conditions)
    for stmt in (
        delete(MeetingShareState).where(MeetingShareState.meeting_state_id.in_(kept_ids)),
        delete(MeetingState).where(*conditions),
    ):
        session.execute(stmt.execution_options(synchronize_session=False))


def freeze_due(session: Session) -> list[int]:
    """Keep the state of every meeting whose cut-off has passed and is not kept yet (the
    worker's maintenance). The ids of the meetings kept now."""
    now = database_now(session)
    done = []
    for meeting in session.scalars(select(Meeting).where(Meeting.cutoff_at <= now)):
        if freeze(session, meeting, now):
            done.append(meeting.id)
    return done
