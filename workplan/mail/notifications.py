"""Telling people what happened to blockers: at once by e-mail, or in the coordinator's digest.

Called by the reporting services in the same transaction as the event. Every recipient is
checked with ``can(person, "view_entry", blocker)``: a restricted blocker is only ever mailed
to people who may read it (never to an observer or another organisation).
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from workplan.mail.messages import absolute_url, render_message
from workplan.mail.outbox import queue_message
from workplan.mail.reminders import share_path
from workplan.models import Blocker, BlockerEvent, Digest, Notification, Role, User
from workplan.models.base import utcnow
from workplan.permissions import can


def _tell(session: Session, person: User, name: str, purpose: str, **context: object) -> None:
    """A message now, or for a coordinator a line in their next digest (none if they chose
    no digest)."""
    if person.role == Role.COORDINATOR and person.digest == Digest.NONE:
        return
    message = render_message(name, person.language, person=person, **context)
    if person.role == Role.COORDINATOR:
        session.add(
            Notification(
                user_id=person.id,
                created_at=utcnow(),
                purpose=purpose,
                text=message.subject,
                link=str(context.get("link", "")),
            )
        )
        return
    queue_message(session, person, message, purpose=purpose)


def _may_read(person: User | None, blocker: Blocker, actor_id: int | None) -> bool:
    return (
        person is not None
        and person.active
        and person.id != actor_id
        and can(person, "view_entry", blocker)
    )


def blocker_raised(session: Session, blocker: Blocker) -> None:
    """The coordinators, and the focal points of the organisation whose help it asks."""
    recipients = [User.role == Role.COORDINATOR]
    if blocker.help_organisation_id is not None:
        helpers = and_(
            User.role == Role.FOCAL_POINT, User.organisation_id == blocker.help_organisation_id
        )
        recipients.append(helpers)
    link = absolute_url(share_path(blocker.assignment) + "#blockers")
    query = select(User).where(User.active.is_(True), or_(*recipients)).order_by(User.id)
    for person in session.scalars(query):
        if _may_read(person, blocker, blocker.raised_by_id):
            _tell(
                session,
                person,
                "blocker_raised",
                "blocker_raised",
                blocker=blocker,
                helping=person.role == Role.FOCAL_POINT,
                link=link,
            )


def blocker_changed(session: Session, event: BlockerEvent) -> None:
    """The blocker's raiser, when someone else acknowledged, commented, escalated, resolved
    or reopened it."""
    blocker = event.blocker
    raiser = blocker.raised_by
    if raiser is None or not _may_read(raiser, blocker, event.actor_id):
        return
    _tell(
        session,
        raiser,
        "blocker_changed",
        "blocker_changed",
        blocker=blocker,
        event=event,
        link=absolute_url(share_path(blocker.assignment) + "#blockers"),
    )
