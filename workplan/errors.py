"""Error pages, including the one shown when the database cannot be reached.

Every page extends ``base.html``, which shows the signed-in person, and loading that person
is a database query. An error page must not need the database that may be the cause of the
error: when the database is unreachable, the page is shown as to a signed-out visitor
(503), and any other error page that fails on the database falls back to the same.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from workplan.extensions import login_manager

log = logging.getLogger(__name__)

# The database server is down, unreachable, or has no connection to spare.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)
RETRY_AFTER_SECONDS = 30


def first_line(error: BaseException) -> str:
    """The first line of the driver's message (never a traceback, never the URL)."""
    cause = getattr(error, "orig", None) or error
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0]


def _forget_user() -> None:
    """Render the page as to a signed-out visitor, so that it reads nothing from the database
    (Flask-Login caches the user in ``g``)."""
    g._login_user = login_manager.anonymous_user()


def _page(template: str, code: int, **context: Any) -> tuple[str, int]:
    try:
        return render_template(template, code=code, **context), code
    except SQLAlchemyError:
        _forget_user()  # the page's header could not read the signed-in person
        return render_template(template, code=code, **context), code


def database_unavailable(error: Exception) -> Any:
    log.error("database unavailable: %s", first_line(error))
    if _is_api_request():
        from workplan.api.errors import error_response

        return error_response(503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    _forget_user()
    page = render_template("errors/error.html", code=503, error=error)
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _is_api_request() -> bool:
    from workplan.api.errors import is_api_request

    return is_api_request()


def render_error(error: Any) -> Any:
    cause = getattr(error, "original_exception", None)
    if isinstance(cause, DATABASE_UNAVAILABLE):
        return database_unavailable(cause)
    if _is_api_request():
        # The API answers in JSON, also for addresses and methods it does not have.
        from workplan.api.errors import http_error

        return http_error(error)
    code = getattr(error, "code", 500) or 500
    return _page("errors/error.html", code, error=error)


def csrf_error(error: CSRFError) -> tuple[str, int]:
    return _page("errors/csrf.html", 400, error=error)


def register(app: Flask) -> None:
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)
    app.register_error_handler(CSRFError, csrf_error)
    for exception in DATABASE_UNAVAILABLE:
        app.register_error_handler(exception, database_unavailable)
