"""What the API asks of a request body: JSON, and text a database can store."""

from __future__ import annotations

from typing import Any

from flask import request

from workplan.api.errors import ApiError

NUL = "\x00"


def _unstorable(text: str) -> bool:
    """PostgreSQL cannot store a NUL in text, and no person types one (see
    :mod:`workplan.request_guards`, which refuses them in forms and addresses); a lone
    surrogate (``"\\ud800"`` in JSON) is not Unicode text and cannot be encoded at all."""
    if NUL in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _carries_unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return _unstorable(value)
    if isinstance(value, dict):
        return any(_carries_unstorable(k) or _carries_unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_carries_unstorable(item) for item in value)
    return False


def require_json_body() -> None:
    """Refuse a write whose body is not a JSON object: 415 for another content type, 400
    for a body that does not parse, 422 for text no database can store."""
    if not request.is_json:
        raise ApiError(415)
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "The body is not valid JSON.")
    if _carries_unstorable(body):
        raise ApiError(
            422, fields={"body": ["NUL characters and lone surrogates are not accepted."]}
        )
