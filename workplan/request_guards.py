"""Guards on what a request carries, applied to every route at once rather than view by view.

- Ids in addresses (``<int:...>``) are bounded to the signed 64-bit range the databases
  store: a larger number matches no route (404) instead of overflowing the database driver.
- A NUL character anywhere in the path, the query string, a form field or a file name is
  refused with 400: PostgreSQL cannot store it in text, and no person types one.
- Numbers read from the query string go through :func:`page_number` or :func:`row_id`,
  which turn what the database cannot use into "not given".
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map

# The largest id a row can have: the ids are INTEGER columns, which PostgreSQL keeps to 32 bits
# (a larger number in a query makes the database refuse it, a 500, instead of "not found").
MAX_ID = 2**31 - 1
MAX_PAGE = 1_000_000  # far beyond any list here, and small enough for any OFFSET
NUL = "\x00"


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` limited to what a database id can be (0 .. MAX_ID)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def row_id(value: str) -> int:
    """An id from the query string (``type=row_id``); out of range counts as not given."""
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError(value)
    return number


def page_number(value: str) -> int:
    """A page number from the query string (``type=page_number``); out of range counts as
    not given."""
    number = int(value)
    if not 0 < number <= MAX_PAGE:
        raise ValueError(value)
    return number


def _carries_nul() -> bool:
    if NUL in request.path:
        return True
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if NUL in key or NUL in value:
                return True
    return any(NUL in (upload.filename or "") for upload in request.files.values())


def refuse_nul_characters() -> None:
    if _carries_nul():
        abort(400)


def init_app(app: Flask) -> None:
    """Install the guards. Call before blueprints are registered (their rules take the
    converter then) and before other ``before_request`` functions (CSRF protection's error
    page reads the path too)."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_nul_characters)
