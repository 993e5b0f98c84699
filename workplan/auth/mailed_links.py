"""One-time links that travel by e-mail: invitations, new links from the coordinator, and
"Forgot your password?". The link rules themselves are in ``workplan.auth.services``."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from workplan.audit import record_audit
from workplan.auth.services import find_user, issue_sign_in_token
from workplan.mail.messages import absolute_url, link_url, render_message
from workplan.mail.outbox import queue_message
from workplan.models import User


def mail_sign_in_link(
    session: Session, user: User, template: str, actor: User | None, **context: object
) -> str:
    """Issue a one-time link for ``user`` and queue the message ``template`` that carries it
    (flushed with the rest of the transaction); return the token."""
    max_age = current_app.config["SIGN_IN_LINK_MAX_AGE"]
    token = issue_sign_in_token(session, user, max_age)
    message = render_message(
        template,
        user.language,
        user=user,
        link=link_url(token),
        hours=max_age // 3600,
        sign_in_url=absolute_url("/auth/sign-in"),
        **context,
    )
    queue_message(session, user, message, purpose=template)
    record_audit(session, actor, f"user.mail_{template}", user)
    return token


def request_password_reset(session: Session, email: str) -> None:
    """ "Forgot your password?": mail a one-time link to the address if it is an active
    account's. Says nothing either way, so that the form does not tell who has an account."""
    user = find_user(session, email)
    if user is None or not user.active:
        return
    mail_sign_in_link(session, user, "password_reset", None)
