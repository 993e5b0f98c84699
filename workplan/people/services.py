"""Bringing people in and changing their accounts from the web. Every function flushes and
records the change in the audit trail; the request commits.

The account rules themselves (roles, ranks, links) live in ``workplan.auth.services``, shared
with the command line; this module adds what only the web does: e-mailing the links, and
refusing to lock oneself out.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workplan.audit import record_audit
from workplan.auth import mailed_links
from workplan.auth import services as accounts
from workplan.models import Language, User

AccountError = accounts.AccountError


@dataclass(frozen=True)
class Invitation:
    email: str
    name: str
    role: str
    org_code: str | None
    rank: str | None
    contact: accounts.Contact


def invite(session: Session, actor: User, invitation: Invitation) -> User:
    """Create the account without a password and queue the invitation with its one-time
    link, in the caller's transaction: both happen or neither."""
    user = accounts.create_user(
        session,
        invitation.email,
        invitation.name,
        invitation.role,
        invitation.org_code,
        actor=actor,
        rank=invitation.rank,
        contact=invitation.contact,
    )
    mailed_links.mail_sign_in_link(session, user, "invitation", actor, inviter=actor)
    return user


def _not_oneself(actor: User, user: User) -> None:
    # The last coordinator who demotes or deactivates themselves has nobody left to undo it.
    if actor.id == user.id:
        raise AccountError(_("You cannot change your own role or deactivate your own account."))


def change_role(
    session: Session,
    actor: User,
    user: User,
    role: str,
    org_code: str | None,
    rank: str | None,
) -> None:
    """Change a person's role, organisation and focal-point rank."""
    _not_oneself(actor, user)
    accounts.set_role(session, user, role, org_code or None, actor, rank=rank)


def deactivate(session: Session, actor: User, user: User) -> None:
    """Stop a person from signing in; their reports and history stay."""
    _not_oneself(actor, user)
    if not user.active:
        raise AccountError(_("This account is already deactivated."))
    accounts.deactivate(session, user, actor)


def reactivate(session: Session, actor: User, user: User) -> None:
    if user.active:
        raise AccountError(_("This account is already active."))
    accounts.reactivate(session, user, actor)


def choose_language(session: Session, user: User, language: str) -> None:
    """Set the language ``user`` reads the interface and e-mails in (the header's switcher;
    the profile form sets the same)."""
    if language not in {lang.value for lang in Language}:
        raise AccountError(f"unknown language {language!r}")
    if user.language == language:
        return
    before = accounts.describe_user(user)
    user.language = language
    record_audit(
        session,
        user,
        "user.update_profile",
        user,
        before=before,
        after=accounts.describe_user(user),
    )


def send_sign_in_link(session: Session, actor: User, user: User) -> None:
    """E-mail a new one-time link (the earlier ones stop working)."""
    if not user.active:
        raise AccountError(_("This account is deactivated: reactivate it first."))
    mailed_links.mail_sign_in_link(session, user, "sign_in_link", actor, sender=actor)


def sign_out_everywhere(session: Session, user: User) -> None:
    """End every session and remember-me cookie of ``user`` (the view signs the current
    browser in again)."""
    accounts.end_all_sessions(user)
    record_audit(session, user, "user.end_sessions", user)
