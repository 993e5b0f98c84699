"""Each share's current state, kept on the assignment per audience, and its check.

An assignment points at its newest progress update (``latest_update_id``, the *internal*
state: the coordinator and the share's own organisation) and at its newest update the whole
network may read (``latest_network_update_id``), and repeats what each says (``status``,
``progress``, ``last_update_at``; ``network_status``, ``network_progress``,
``network_updated_at``). :func:`advance` sets them in the transaction that writes the update,
under the assignment's optimistic lock, so pages read them instead of searching the history.

"Newest" is the order ``(created_at, id)``. Both come from the database: the id from its
sequence, and the date from its clock (:func:`database_now`), never from the web or worker
host that wrote the update, so that several hosts cannot reorder the history. A share's dates
also never go backwards (:func:`write_time`), so for updates written by the application that
order is the order of the ids.

:func:`fill` recomputes the pointers from the history (the migration does the same in SQL);
:func:`differences` compares what is stored with what the history says (``flask plan verify``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session, aliased

from workplan.models import Assignment, ProgressUpdate, Status, Visibility
from workplan.models.base import utcnow

# The pointer columns and, for each, the columns that repeat what its update says.
INTERNAL = ("latest_update_id", "status", "progress", "last_update_at")
NETWORK = ("latest_network_update_id", "network_status", "network_progress", "network_updated_at")


def database_now(session: Session) -> datetime:
    """The database's clock, in UTC (PostgreSQL: the time of the statement, not of the
    transaction's start, so a transaction that waited cannot date itself before one that
    committed in the meantime)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        value = session.scalar(select(func.clock_timestamp()))
        return value.astimezone(UTC)
    if dialect == "sqlite":
        text = session.scalar(select(func.strftime("%Y-%m-%d %H:%M:%f", "now")))
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    return utcnow()


def write_time(session: Session, assignment: Assignment) -> datetime:
    """The date of a new update of ``assignment``: the database's clock, and never before the
    share's newest update (a clock set back must not make a new report older than the last)."""
    now = database_now(session)
    last = assignment.last_update_at
    return max(now, last) if last is not None else now


def advance(assignment: Assignment, entry: ProgressUpdate) -> None:
    """Make ``entry`` (flushed, dated by :func:`write_time`) the share's current state: the
    internal pointer always, the network pointer only when the whole network may read it."""
    assignment.latest_update_id = entry.id
    assignment.status = entry.status
    assignment.progress = entry.progress
    assignment.last_update_at = entry.created_at
    # Fail closed: only the network value is public.
    if entry.visibility == Visibility.NETWORK:
        assignment.latest_network_update_id = entry.id
        assignment.network_status = entry.status
        assignment.network_progress = entry.progress
        assignment.network_updated_at = entry.created_at


def newest_update_id(*, network: bool) -> Any:
    """A scalar subquery correlated with :class:`Assignment`: the id of its newest update
    (readable by the whole network when ``network``), from the history."""
    pu = aliased(ProgressUpdate)
    stmt = select(pu.id).where(pu.assignment_id == Assignment.id)
    if network:
        stmt = stmt.where(pu.visibility == Visibility.NETWORK)
    return (
        stmt.order_by(pu.created_at.desc(), pu.id.desc())
        .limit(1)
        .correlate(Assignment)
        .scalar_subquery()
    )


def _implied(pointer: Any) -> tuple[Any, Any, Any]:
    """Status, progress and date of the update ``pointer`` (an id expression) names."""
    pu = aliased(ProgressUpdate)

    def column(col: Any) -> Any:
        return select(col).where(pu.id == pointer).correlate(Assignment).scalar_subquery()

    return (
        func.coalesce(column(pu.status), Status.NOT_STARTED.value),
        column(pu.progress),
        column(pu.created_at),
    )


def fill(session: Session, assignment_ids: Iterable[int] | None = None) -> None:
    """Set the pointers (and what they imply) of some assignments, or of all, from their
    history: two statements whatever their number. For data written outside the services
    (seeds, benchmarks, test fixtures); it leaves ``version`` alone."""
    where: list[ColumnElement[bool]] = []
    if assignment_ids is not None:
        where.append(Assignment.id.in_(list(assignment_ids)))
    session.execute(
        update(Assignment)
        .where(*where)
        .values(
            latest_update_id=newest_update_id(network=False),
            latest_network_update_id=newest_update_id(network=True),
        )
        .execution_options(synchronize_session=False)
    )
    status, progress, at = _implied(Assignment.latest_update_id)
    n_status, n_progress, n_at = _implied(Assignment.latest_network_update_id)
    session.execute(
        update(Assignment)
        .where(*where)
        .values(
            status=status,
            progress=progress,
            last_update_at=at,
            network_status=n_status,
            network_progress=n_progress,
            network_updated_at=n_at,
        )
        .execution_options(synchronize_session=False)
    )
    session.expire_all()


@dataclass(frozen=True)
class Difference:
    """A stored column that the history contradicts."""

    assignment_id: int
    column: str
    stored: Any
    expected: Any

    def __str__(self) -> str:
        return (
            f"assignment {self.assignment_id}: {self.column} is {self.stored!r}, "
            f"history says {self.expected!r}"
        )


def differences(session: Session) -> list[Difference]:
    """Every stored pointer, status, progress or date that differs from what the history
    says (one statement; the history is read through the newest-first index)."""
    internal = newest_update_id(network=False).label("internal")
    network = newest_update_id(network=True).label("network")
    ids = select(Assignment, internal, network).subquery("expected_ids")
    latest = aliased(ProgressUpdate, name="expected_internal")
    public = aliased(ProgressUpdate, name="expected_network")
    stored = aliased(Assignment, ids)
    rows = session.execute(
        select(stored, latest, public)
        .outerjoin(latest, latest.id == ids.c.internal)
        .outerjoin(public, public.id == ids.c.network)
        .order_by(ids.c.id)
    ).all()
    found: list[Difference] = []
    for assignment, newest, newest_public in rows:
        for names, entry in ((INTERNAL, newest), (NETWORK, newest_public)):
            expected = (
                (entry.id, entry.status, entry.progress, entry.created_at)
                if entry is not None
                else (None, Status.NOT_STARTED.value, None, None)
            )
            for name, want in zip(names, expected, strict=True):
                have = getattr(assignment, name)
                if have != want:
                    found.append(Difference(assignment.id, name, have, want))
    return found
