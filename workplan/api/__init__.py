"""The JSON API, version 1, under ``/api/v1`` (issue 15).

Personal access tokens (:mod:`.tokens`) authenticate every request (:mod:`.auth`); the views
read the plan through :mod:`.reads` and write through the features' own services, so the API
follows the same rules as the pages. The OpenAPI description is generated from the views
(:mod:`.spec`); the token pages of the profile are in :mod:`.token_pages`.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from workplan.api.auth import authenticate, rate_limit_key
from workplan.api.bodies import require_json_body
from workplan.api.errors import ApiError, api_error, http_error
from workplan.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The description of the API is public: it holds no data, and clients read it first.
PUBLIC_ENDPOINTS = {"api.openapi", "api.reference"}


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


# Token requests carry no CSRF token: a browser never sends the Authorization header on its
# own, which is what CSRF abuses, and a cookie alone authenticates nothing here.
csrf.exempt(bp)
limiter.limit(_rate_limit, key_func=rate_limit_key)(bp)
bp.register_error_handler(ApiError, api_error)
bp.register_error_handler(HTTPException, http_error)


@bp.before_request
def check_caller() -> None:
    """Every operation needs a token; a write needs a JSON body."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    authenticate()
    if request.method in ("POST", "PUT", "PATCH"):
        require_json_body()


@bp.after_request
def keep_private(response: Response) -> Response:
    """What a token reads is its owner's view of the plan: no cache keeps it."""
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def init_app(app: Flask) -> None:
    """Register the API and the token pages on ``app``."""
    # The views add themselves to ``bp`` when imported.
    from workplan.api import (  # noqa: F401
        blocker_views,
        docs_views,
        meeting_views,
        plan_views,
        report_views,
    )
    from workplan.api.token_pages import bp as token_pages_bp

    app.register_blueprint(bp)
    app.register_blueprint(token_pages_bp)
