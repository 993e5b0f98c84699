"""Writes of the reporting feature: progress updates, confirmations, blockers.

Every function checks permission with :func:`workplan.permissions.can`, refuses a stale
version (someone else wrote since the form was shown), records an audit entry with the state
before and after, and flushes; the caller commits. Updates are append-only, dated by the
database's clock; the assignment's kept current state (both audiences, see
:mod:`workplan.state.current`) follows the newest entry in the same transaction.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workplan.audit import record_audit
from workplan.mail import notifications
from workplan.models import (
    OPEN_BLOCKER_STATUSES,
    Assignment,
    Attachment,
    Blocker,
    BlockerCategory,
    BlockerEvent,
    BlockerStatus,
    ProgressUpdate,
    Status,
    Visibility,
)
from workplan.models.base import utcnow
from workplan.permissions import can
from workplan.reporting import attachments
from workplan.reporting.attachments import AcceptedFile
from workplan.state import current


class NotAllowed(PermissionError):
    """The person may not do this (views turn it into 403 or 404)."""


class StaleVersion(Exception):
    """Someone wrote to the object after the form was shown: nothing was saved."""

    def __init__(self, obj: Any, expected: int | None) -> None:
        super().__init__(f"{type(obj).__name__} changed since version {expected}")
        self.obj = obj
        self.expected = expected


class InvalidTransition(ValueError):
    """The blocker cannot go from its status to the one asked for."""


class InvalidInput(ValueError):
    """A value outside what the model allows (forms check first; this is the last guard)."""


def _check_choice(name: str, value: object, allowed: type[enum.StrEnum]) -> None:
    if value not in {member.value for member in allowed}:
        raise InvalidInput(f"unknown {name} {value!r}")


@dataclass
class UpdateInput:
    status: str
    progress: int | None = None
    narrative: str = ""
    evidence_links: list[str] = field(default_factory=list)
    visibility: str = Visibility.NETWORK
    files: list[AcceptedFile] = field(default_factory=list)
    public: bool = False  # the narrative may appear on the public portal


def assignment_state(assignment: Assignment) -> dict[str, Any]:
    """What the audit trail records of an assignment."""
    return {
        "status": assignment.status,
        "progress": assignment.progress,
        "last_update_at": assignment.last_update_at.isoformat()
        if assignment.last_update_at
        else None,
        "version": assignment.version,
    }


def blocker_state(blocker: Blocker) -> dict[str, Any]:
    return {
        "status": blocker.status,
        "category": blocker.category,
        "visibility": blocker.visibility,
        "version": blocker.version,
    }


def _check_version(obj: Assignment | Blocker, expected: int | None) -> None:
    if expected is None or obj.version != expected:
        raise StaleVersion(obj, expected)


def _flush(session: Session, obj: Assignment | Blocker, expected: int) -> None:
    """Flush; the mapper's version check catches a write that raced past ``_check_version``.

    The rollback also deletes the files this write had stored (see :mod:`workplan.storage`).
    """
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise StaleVersion(obj, expected) from None


def _append(
    session: Session,
    actor: Any,
    assignment: Assignment,
    expected_version: int,
    entry: ProgressUpdate,
    files: list[AcceptedFile],
    action: str,
) -> ProgressUpdate:
    if not can(actor, "write_assignment", assignment):
        raise NotAllowed(action)
    _check_version(assignment, expected_version)
    before = assignment_state(assignment)
    entry.created_at = current.write_time(session, assignment)
    session.add(entry)
    for accepted in files:
        entry.attachments.append(
            Attachment(
                filename=accepted.filename,
                stored_name=attachments.store(session, accepted),
                content_type=accepted.content_type,
                size=accepted.size,
                sha256=accepted.sha256,
            )
        )
    # The entry first, for its id (the assignment is not dirty yet, so its version is only
    # checked and bumped once, by the flush below).
    session.flush()
    current.advance(assignment, entry)
    _flush(session, assignment, expected_version)
    after = assignment_state(assignment) | {
        "update_id": entry.id,
        "visibility": entry.visibility,
        "public": entry.public,
        "narrative": entry.narrative,
        "evidence_links": list(entry.evidence_links),
        "attachments": [a.filename for a in entry.attachments],
    }
    record_audit(session, actor, action, assignment, before, after)
    return entry


def record_update(
    session: Session,
    actor: Any,
    assignment: Assignment,
    data: UpdateInput,
    expected_version: int,
) -> ProgressUpdate:
    """Append a progress update (with its files) and make it the assignment's current state.

    Raises :class:`NotAllowed`, :class:`StaleVersion`, or
    :class:`workplan.storage.StorageFull` when the files do not fit on the disk. Files are
    kept only if the caller commits: a rollback deletes them.
    """
    _check_choice("status", data.status, Status)
    _check_choice("visibility", data.visibility, Visibility)
    progress = data.progress
    if progress is not None and not 0 <= progress <= 100:
        raise InvalidInput("progress must be a whole number from 0 to 100")
    if data.status == Status.COMPLETED:
        if progress not in (None, 100):
            raise InvalidInput("a completed share is 100 % done")
        progress = 100
    entry = ProgressUpdate(
        assignment=assignment,
        author_id=actor.id,
        status=data.status,
        progress=progress,
        # Windows and old Mac line endings typed in the form are stored as "\n": a carriage
        # return left in a narrative breaks a Word table apart in LibreOffice.
        narrative=data.narrative.replace("\r\n", "\n").replace("\r", "\n").strip(),
        evidence_links=list(data.evidence_links),
        visibility=data.visibility,
        # Fail closed: only a report the whole network may read can be made public.
        public=bool(data.public) and data.visibility == Visibility.NETWORK,
    )
    return _append(session, actor, assignment, expected_version, entry, data.files, "update.record")


def confirm_no_change(
    session: Session, actor: Any, assignment: Assignment, expected_version: int
) -> ProgressUpdate:
    """Record "no change since my last report": a new entry repeating the current state.

    The confirmation repeats the newest report, so it is exactly as visible as that report:
    confirming a restricted state is itself restricted, and never publishes it. A share never
    reported is confirmed as "not started", which reveals nothing.
    """
    newest = (
        session.get(ProgressUpdate, assignment.latest_update_id)
        if assignment.latest_update_id is not None
        else None
    )
    public = newest is None or newest.visibility == Visibility.NETWORK
    entry = ProgressUpdate(
        assignment=assignment,
        author_id=actor.id,
        status=newest.status if newest else Status.NOT_STARTED,
        progress=newest.progress if newest else None,
        narrative="",
        evidence_links=[],
        visibility=Visibility.NETWORK if public else Visibility.RESTRICTED,
        is_confirmation=True,
    )
    return _append(session, actor, assignment, expected_version, entry, [], "update.confirm")


def confirm_from_link(session: Session, actor: Any, assignment_id: int) -> Assignment | None:
    """Record "no change" on a share from a reminder's link, at its current version (the
    person answered the reminder, not a form that could be stale). None when the share is
    gone or the person may no longer write to it: the link still signs them in."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or not can(actor, "write_assignment", assignment):
        return None
    confirm_no_change(session, actor, assignment, assignment.version)
    return assignment


def raise_blocker(
    session: Session,
    actor: Any,
    assignment: Assignment,
    *,
    category: str,
    description: str,
    help_organisation_id: int | None = None,
    visibility: str = Visibility.NETWORK,
    decision_asked: str = "",
) -> Blocker:
    """Raise a blocker on an assignment (focal points of its organisation, the coordinator).

    The coordinators and, when it asks for help, that organisation's focal points are told
    (see :mod:`workplan.mail.notifications`), in the same transaction."""
    if not can(actor, "write_assignment", assignment):
        raise NotAllowed("blocker.raise")
    _check_choice("category", category, BlockerCategory)
    _check_choice("visibility", visibility, Visibility)
    blocker = Blocker(
        assignment=assignment,
        raised_by_id=actor.id,
        raised_at=utcnow(),
        category=category,
        description=description.strip(),
        help_organisation_id=help_organisation_id,
        decision_asked=decision_asked.replace("\r\n", "\n").replace("\r", "\n").strip(),
        visibility=visibility,
        status=BlockerStatus.OPEN,
    )
    session.add(blocker)
    session.flush()
    record_audit(
        session,
        actor,
        "blocker.raise",
        blocker,
        None,
        blocker_state(blocker)
        | {
            "description": blocker.description,
            "help_organisation_id": help_organisation_id,
            "decision_asked": blocker.decision_asked,
        },
    )
    notifications.blocker_raised(session, blocker)
    return blocker


# action -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "acknowledge": ((BlockerStatus.OPEN,), BlockerStatus.ACKNOWLEDGED),
    "escalate": ((BlockerStatus.OPEN, BlockerStatus.ACKNOWLEDGED), BlockerStatus.ESCALATED),
    "resolve": (OPEN_BLOCKER_STATUSES, BlockerStatus.RESOLVED),
    "reopen": ((BlockerStatus.RESOLVED,), BlockerStatus.OPEN),
    "comment": (tuple(BlockerStatus), None),
}


def allowed_actions(user: Any, blocker: Blocker) -> list[str]:
    """The actions ``user`` may take on ``blocker`` now, in the order the form offers them."""
    if can(user, "handle_blockers"):
        return [a for a, (start, _) in TRANSITIONS.items() if blocker.status in start]
    if can(user, "comment_blocker", blocker):
        return ["comment"]
    return []


def act_on_blocker(
    session: Session,
    actor: Any,
    blocker: Blocker,
    *,
    action: str,
    comment: str = "",
    expected_version: int,
) -> BlockerEvent:
    """The coordinator acknowledges, escalates, resolves or reopens a blocker, or anyone
    allowed comments on it. Each is a new event; a status change bumps the blocker's version."""
    if action not in TRANSITIONS:
        raise InvalidTransition(action)
    handler = can(actor, "handle_blockers")
    if action not in allowed_actions(actor, blocker) and (action == "comment" or not handler):
        raise NotAllowed(f"blocker.{action}")
    _check_version(blocker, expected_version)
    start, target = TRANSITIONS[action]
    if blocker.status not in start:
        raise InvalidTransition(action)
    if action == "comment" and not comment.strip():
        raise InvalidTransition(action)
    before = blocker_state(blocker)
    if target is not None:
        blocker.status = target
        blocker.resolved_at = utcnow() if target == BlockerStatus.RESOLVED else None
    event = BlockerEvent(
        blocker=blocker,
        actor_id=actor.id,
        created_at=utcnow(),
        action=action,
        status_after=target or blocker.status,
        comment=comment.strip(),
    )
    session.add(event)
    _flush(session, blocker, expected_version)
    record_audit(
        session,
        actor,
        f"blocker.{action}",
        blocker,
        before,
        blocker_state(blocker) | {"event_id": event.id, "comment": event.comment},
    )
    notifications.blocker_changed(session, event)
    return event
