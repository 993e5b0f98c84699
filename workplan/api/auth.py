"""Who is calling the API: the owner of the personal access token in ``Authorization:
Bearer``, and nobody else. A session cookie alone authenticates nothing here, not even a read:
a page's cookie sent along by a browser must not let another site read or write through it.
"""

from __future__ import annotations

import hashlib

from flask import g, request
from flask_limiter.util import get_remote_address

from workplan.api import tokens
from workplan.api.errors import ApiError
from workplan.extensions import db, login_manager


def presented_secret() -> str | None:
    """The token in ``Authorization: Bearer TOKEN``, or None."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def rate_limit_key() -> str:
    """What the API's rate limit counts by: the token presented (a hash of it, so the
    secret is never kept by the limiter), else the caller's address."""
    secret = presented_secret()
    if secret:
        return "api-token:" + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
    return "api-anonymous:" + (get_remote_address() or "")


def authenticate() -> None:
    """Make the token's owner the current user for this request, or refuse with 401.

    The person is set for this request only (no session is written). The token's last use
    is recorded and committed here, before the view's own transaction begins.
    """
    # Whatever a session cookie says is ignored: the request is anonymous until the token
    # is checked.
    g._login_user = login_manager.anonymous_user()
    secret = presented_secret()
    if secret is None:
        raise ApiError(401)
    token = tokens.find_active(db.session, secret)
    if token is None:
        raise ApiError(401, "This token is unknown, revoked, or its owner's account is closed.")
    if tokens.record_use(db.session, token):
        db.session.commit()
    g._login_user = token.user
    g.api_token_id = token.id
