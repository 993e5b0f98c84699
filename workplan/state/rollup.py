"""How a recommendation's overall status and progress follow from its assignments.

The rule is :data:`RULE` below: the dashboard's help shows that very text, so that what the
application computes and what it tells people it computes cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, case

from workplan.models.plan import Status

RULE = (
    _l("A recommendation with no assignment has not started."),
    _l("Completed: every organisation has completed its share."),
    _l("Ongoing practice: every share is completed or ongoing, and at least one is ongoing."),
    _l("Not started: no organisation has started (every share is not started)."),
    _l(
        "On hold: nothing is in progress or ongoing and at least one share is on hold "
        "(work has stopped: what is left is on hold or not started)."
    ),
    _l("In progress: any other mix (some work is done or under way, some is not)."),
    _l(
        "Progress is the plain average over the shares (every organisation counts the same) "
        "of each share's progress: the percentage it last reported if any, otherwise 100 for "
        "completed or ongoing, 0 for not started, and 50 for in progress or on hold without "
        "a percentage. Completed and ongoing shares always count 100."
    ),
    _l(
        "Percentages are whole numbers rounded half up (42.5 becomes 43). A term's progress "
        "is the average of its recommendations' progress."
    ),
    _l(
        "Only what you may see counts: a restricted report is left out for people who may "
        "not read it, who see the newest report they may read instead."
    ),
)

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


def round_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to a whole number, halves up (both non-negative).

    Python's ``round`` rounds halves to even (``round(42.5) == 42``), which people reading a
    percentage do not expect; integer arithmetic also avoids floating-point surprises.
    """
    if denominator <= 0:
        return 0
    return (2 * numerator + denominator) // (2 * denominator)


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
    progress = round_half_up(sum(share_progress(s) for s in items), len(items))
    return Rollup(status, progress, len(items))


# The same rule in SQL, for figures aggregated by the database (the dashboard). A test
# compares both on random plans (tests/test_dashboard_figures.py).


def share_progress_sql(status: Any, progress: Any) -> ColumnElement[int]:
    """:func:`share_progress` of a share whose status and progress are these columns (stored
    progress is kept between 0 and 100 by a CHECK constraint, so it needs no clamping)."""
    defaults = case(*[(status == s.value, value) for s, value in DEFAULT_PROGRESS.items()], else_=0)
    return case(
        (status.in_([s.value for s in DONE]), 100),
        (progress.is_not(None), progress),
        else_=defaults,
    )


def round_half_up_sql(numerator: Any, denominator: Any) -> ColumnElement[int]:
    """:func:`round_half_up` in SQL (integer division of non-negative whole numbers)."""
    return case(
        (denominator <= 0, 0),
        else_=(2 * numerator + denominator) // (2 * denominator),
    )


def rollup_status_sql(shares: Any, counts: dict[str, Any]) -> ColumnElement[str]:
    """:func:`rollup`'s status from the number of ``shares`` and ``counts`` of each status."""
    completed, ongoing = counts[Status.COMPLETED], counts[Status.ONGOING]
    return case(
        (shares == 0, Status.NOT_STARTED.value),
        (completed == shares, Status.COMPLETED.value),
        (completed + ongoing == shares, Status.ONGOING.value),
        (counts[Status.NOT_STARTED] == shares, Status.NOT_STARTED.value),
        (
            (counts[Status.ON_HOLD] > 0)
            & (counts[Status.IN_PROGRESS] == 0)
            & (completed + ongoing == 0),
            Status.ON_HOLD.value,
        ),
        else_=Status.IN_PROGRESS.value,
    )
