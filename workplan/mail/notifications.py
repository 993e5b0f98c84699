"""Telling people what happened to blockers: at once by e-mail, or in the coordinator's digest.

Called by the reporting services in the same transaction as the event. Every recipient is
checked with ``can(person, "view_entry", blocker)``: a restricted blocker is only ever mailed
to people who may read it (never to an observer or another organisation).
"""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from workplan import LOCALES
from workplan.mail.messages import absolute_url, render_message
from workplan.mail.outbox import queue_message
from workplan.mail.reminders import share_path
from workplan.models import Blocker, BlockerEvent, Digest, Notification, Role, User
from workplan.models.base import utcnow
from workplan.permissions import can


def _tell(session: Session, person: User, name: str, purpose: str, **context: object) -> None:
    """A message now, or for a coordinator a line in their next digest (none if they chose
    no digest)."""
    if person.role == Role.COORDINATOR:
        if person.digest == Digest.NONE:
            return
        with force_locale(LOCALES.get(person.language, "en_GB")):
            message = render_message(name, person.language, person=person, **context)
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
    queue_message(
        session,
        person,
        render_message(name, person.language, person=person, **context),
        purpose=purpose,
    )


def _may_read(person: User | None, blocker: Blocker, actor_id: int | None) -> bool:
    return (
        person is not None
        and person.active
        and person.id != actor_id
        and can(person, "view_entry", blocker)
    )


def blocker_raised(session: Session, blocker: Blocker) -> None:
    """The coordinators, and the focal points of the organisation whose help it asks."""
    query = select(User).where(User.active.is_(True), User.role == Role.COORDINATOR)
    if blocker.help_organisation_id is not None:
        query = select(User).where(
            User.active.is_(True),
            (User.role == Role.COORDINATOR)
            | (
                (User.role == Role.FOCAL_POINT)
                & (User.organisation_id == blocker.help_organisation_id)
            ),
        )
    link = absolute_url(share_path(blocker.assignment) + "#blockers")
    for person in session.scalars(query.order_by(User.id)):
        if _may_read(person, blocker, blocker.raised_by_id):
            helping = person.role == Role.FOCAL_POINT
            _tell(
                session,
                person,
                "blocker_raised",
                "blocker_raised",
                blocker=blocker,
                helping=helping,
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
