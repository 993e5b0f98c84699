"""Personal access tokens: creating one (the secret is returned once, only its hash is kept),
finding the active token a request presents, recording its use, and revoking it.

Like every service these flush; the request or the command commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, joinedload

from workplan.audit import record_audit
from workplan.models import ApiToken, User
from workplan.models.base import utcnow

PREFIX = "wpt_"
# The last use is written at most this often per token, so a busy script does not turn
# every read into a write.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """What is stored of a secret: its SHA-256 (the secret has 256 bits of entropy, so a
    slow password hash would add nothing)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(session: Session, actor: Any, owner: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``owner`` named ``name``; returns it with its secret, which is never
    available again."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=owner,
        name=name.strip()[:100],
        token_hash=hash_secret(secret),
        prefix=secret[: len(PREFIX) + 4],
        created_at=utcnow(),
    )
    session.add(token)
    session.flush()
    record_audit(session, actor, "api_token.create", owner, after={"token": token.name})
    return token, secret


def find_active(session: Session, secret: str) -> ApiToken | None:
    """The token whose secret this is, when it is not revoked and its owner is active."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_secret(secret))
        .options(joinedload(ApiToken.user).joinedload(User.organisation))
    )
    if token is None or token.is_revoked or not token.user.active:
        return None
    return token


def record_use(session: Session, token: ApiToken, now: datetime | None = None) -> bool:
    """Set the token's last use to now, unless it was set less than a minute ago. Returns
    whether anything was written (the caller commits)."""
    now = now or utcnow()
    if token.last_used_at is not None and token.last_used_at > now - LAST_USE_RESOLUTION:
        return False
    result = session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at <= now - LAST_USE_RESOLUTION,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def tokens_of(session: Session, owner: User) -> list[ApiToken]:
    """A person's tokens, newest first (revoked ones too: their owner sees what was revoked)."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == owner.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke(session: Session, actor: Any, token: ApiToken) -> None:
    """Stop the token working, at once and for good."""
    if token.is_revoked:
        return
    token.revoked_at = utcnow()
    session.flush()
    record_audit(session, actor, "api_token.revoke", token.user, after={"token": token.name})
