"""A timeline (who, when, what changed) built from already loaded updates and blockers.

Pure functions over loaded objects: the pages load the rows in a fixed number of statements
(``workplan.reporting.queries``) and pass them here. Entries the viewer may not see
(restricted ones of another organisation) are left out before anything is compared, so that a
change shown never reveals a hidden entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from workplan.models import Assignment, Blocker, BlockerEvent, ProgressUpdate, Status, User
from workplan.permissions import can


@dataclass(frozen=True)
class Change:
    what: str  # "status" or "progress"
    before: Any
    after: Any


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "update", "confirmation", "blocker", "blocker_event"
    who: User | None
    assignment: Assignment
    update: ProgressUpdate | None = None
    blocker: Blocker | None = None
    event: BlockerEvent | None = None
    changes: list[Change] = field(default_factory=list)


def _update_entries(updates: list[ProgressUpdate]) -> list[TimelineEntry]:
    entries = []
    previous: dict[int, ProgressUpdate] = {}
    for update in sorted(updates, key=lambda u: (u.created_at, u.id)):
        before = previous.get(update.assignment_id)
        old_status = before.status if before else Status.NOT_STARTED
        old_progress = before.progress if before else None
        changes = []
        if update.status != old_status:
            changes.append(Change("status", old_status, update.status))
        if update.progress != old_progress:
            changes.append(Change("progress", old_progress, update.progress))
        entries.append(
            TimelineEntry(
                at=update.created_at,
                kind="confirmation" if update.is_confirmation else "update",
                who=update.author,
                assignment=update.assignment,
                update=update,
                changes=changes,
            )
        )
        previous[update.assignment_id] = update
    return entries


def build_timeline(
    viewer: Any, updates: Iterable[ProgressUpdate], blockers: Iterable[Blocker]
) -> list[TimelineEntry]:
    """Everything that happened to some assignments that ``viewer`` may see, newest first."""
    visible_updates = [u for u in updates if can(viewer, "view_entry", u)]
    entries = _update_entries(visible_updates)
    for blocker in blockers:
        if not can(viewer, "view_entry", blocker):
            continue
        entries.append(
            TimelineEntry(
                at=blocker.raised_at,
                kind="blocker",
                who=blocker.raised_by,
                assignment=blocker.assignment,
                blocker=blocker,
            )
        )
        for event in blocker.events:
            entries.append(
                TimelineEntry(
                    at=event.created_at,
                    kind="blocker_event",
                    who=event.actor,
                    assignment=blocker.assignment,
                    blocker=blocker,
                    event=event,
                )
            )
    order = {"update": 0, "confirmation": 0, "blocker": 1, "blocker_event": 2}
    entries.sort(
        key=lambda e: (e.at, order[e.kind], (e.event or e.update or e.blocker).id),
        reverse=True,
    )
    return entries
