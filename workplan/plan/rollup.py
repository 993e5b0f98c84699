"""How a recommendation's overall status and progress follow from its assignments.

The rule (also shown in the application's help):

1. A recommendation with no assignment has not started.
2. Status:
   - *Completed* when every organisation has completed its share.
   - *Ongoing practice* when every share is completed or ongoing, and at least one is ongoing.
   - *Not started* when no organisation has started (every share not started).
   - *On hold* when nothing is in progress or ongoing and at least one share is on hold
     (work has stopped: what is left is on hold or not started).
   - *In progress* otherwise: some work is done or under way, some is not.
3. Progress is the plain average over the shares (every organisation counts the same) of each
   share's progress: the percentage it last reported if any, otherwise 100 for completed or
   ongoing, 0 for not started, and 50 for in progress or on hold without a percentage.
   Completed and ongoing shares always count 100, whatever percentage they last gave.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workplan.models.plan import Status

DONE = {Status.COMPLETED, Status.ONGOING}
DEFAULT_PROGRESS = {
    Status.NOT_STARTED: 0,
    Status.IN_PROGRESS: 50,
    Status.ON_HOLD: 50,
    Status.ONGOING: 100,
    Status.COMPLETED: 100,
}


@dataclass(frozen=True)
class Share:
    """What the roll-up needs of one assignment."""

    status: str
    progress: int | None = None


@dataclass(frozen=True)
class Rollup:
    status: str
    progress: int  # 0..100, rounded
    shares: int


def share_progress(share: Share) -> int:
    """One share's progress under the rule above."""
    if share.status in DONE:
        return 100
    if share.progress is not None:
        return max(0, min(100, share.progress))
    return DEFAULT_PROGRESS.get(Status(share.status), 0)


def rollup(shares: Iterable[Share]) -> Rollup:
    """The overall status and progress of a recommendation from its shares."""
    items = list(shares)
    if not items:
        return Rollup(Status.NOT_STARTED, 0, 0)
    statuses = {s.status for s in items}
    if statuses == {Status.COMPLETED}:
        status = Status.COMPLETED
    elif statuses <= DONE:
        status = Status.ONGOING
    elif statuses == {Status.NOT_STARTED}:
        status = Status.NOT_STARTED
    elif Status.ON_HOLD in statuses and not statuses & {Status.IN_PROGRESS, *DONE}:
        status = Status.ON_HOLD
    else:
        status = Status.IN_PROGRESS
    progress = round(sum(share_progress(s) for s in items) / len(items))
    return Rollup(status, progress, len(items))
