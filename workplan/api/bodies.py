"""What the API asks of a request body: JSON, an object, no NUL characters."""

from __future__ import annotations

from typing import Any

from flask import request

from workplan.api.errors import ApiError

NUL = "\x00"


def _carries_nul(value: Any) -> bool:
    """PostgreSQL cannot store a NUL in text, and no person types one (see
    :mod:`workplan.request_guards`, which refuses them in forms and addresses)."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_carries_nul(k) or _carries_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_carries_nul(item) for item in value)
    return False


def require_json_body() -> None:
    """Refuse a write whose body is not a JSON object: 415 for another content type, 400
    for a body that does not parse, 422 for NUL characters."""
    if not request.is_json:
        raise ApiError(415)
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "The body is not valid JSON.")
    if _carries_nul(body):
        raise ApiError(422, fields={"body": ["NUL characters are not accepted."]})
