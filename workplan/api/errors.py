"""Errors of the JSON API: always ``{"error": {"code", "message", "fields"?}}``, never a page.

The API's own refusals raise :class:`ApiError`; anything else on an ``/api/`` path (an
unknown address, a wrong method, a body too large, the rate limit, a server error) is turned
into the same shape by :func:`http_error`, which :mod:`workplan.errors` calls for those paths.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}
MESSAGES = {
    400: "The request could not be read.",
    401: "Send a valid personal access token: Authorization: Bearer TOKEN.",
    403: "Your account may not do this.",
    404: "There is no such resource, or you may not see it.",
    405: "This address does not accept that method.",
    413: "The request body is too large.",
    415: "Send the body as JSON (Content-Type: application/json).",
    422: "Some values are not valid.",
    429: "Too many requests with this token: wait a little and try again.",
    500: "An unexpected error occurred. It has been logged for the administrator.",
    503: "A service the application needs is unavailable: try again in a few minutes.",
}


class ApiError(Exception):
    """A refusal the API answers with ``status`` and a JSON error body."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        fields: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message or MESSAGES.get(status, ""))
        self.status = status
        self.message = message or MESSAGES.get(status, "")
        self.fields = fields
        self.extra = extra


def is_api_request() -> bool:
    """Whether the current request is for the API (errors there are JSON)."""
    return request.path == "/api" or request.path.startswith("/api/")


def error_response(
    status: int,
    message: str | None = None,
    fields: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {
        "code": CODES.get(status, "error"),
        "message": message or MESSAGES.get(status, ""),
    }
    if fields:
        body["fields"] = fields
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify({"error": body})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="workplan"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def api_error(error: ApiError) -> Response:
    return error_response(error.status, error.message, error.fields, **error.extra)


def http_error(error: Exception) -> Response:
    """Any exception on an API path as a JSON error: its HTTP status when it has one, else
    500 (logged; the body never carries a traceback)."""
    if isinstance(error, ApiError):
        return api_error(error)
    if not isinstance(error, HTTPException):
        log.exception("unexpected error on %s", request.path, exc_info=error)
        return error_response(500)
    status = error.code or 500
    cause = getattr(error, "original_exception", None)
    if status == 500 and cause is not None:
        log.error("unexpected error on %s", request.path, exc_info=cause)
    headers = {}
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    if status == 429:
        # Flask-Limiter sets Retry-After and the X-RateLimit headers on the response it would
        # have sent; keep them.
        limited = error.get_response()
        for name in ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining"):
            if name in limited.headers:
                headers[name] = limited.headers[name]
    message = None if status in MESSAGES else (error.description or None)
    return error_response(status, message, headers=headers)


def field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Pydantic's errors as ``{field: [messages]}`` (``body`` for the body as a whole)."""
    fields: dict[str, list[str]] = {}
    for item in errors:
        name = ".".join(str(part) for part in item.get("loc", ()) if part != "__root__")
        fields.setdefault(name or "body", []).append(str(item.get("msg", "invalid")))
    return fields
