"""Logs for production: one JSON line per request, per job and per other log record, on
standard output, when ``LOG_FORMAT=json``.

Every request gets an id: the one in an incoming ``X-Request-ID`` header when it looks like
an id (a proxy's, so that its log and ours can be joined), otherwise a new one. The response
echoes it in ``X-Request-ID`` whatever the log format, and in JSON every line logged during
the request carries it.

A request's line names the route (``/auth/link/<token>``), never the path or the query
string, which may hold a one-time sign-in token. With ``LOG_FORMAT=text`` (the default, for
``flask run``) nothing changes: the request lines are logged at INFO, which Flask's default
handler does not show.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request
from werkzeug.wrappers import Response

REQUEST_ID_HEADER = "X-Request-ID"
FORMATS = ("text", "json")
# What an incoming id may look like: a proxy's $request_id (32 hex digits), a UUID, a trace id.
_INCOMING_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

request_log = logging.getLogger("workplan.requests")
job_log = logging.getLogger("workplan.jobs.log")


class JsonLineFormatter(logging.Formatter):
    """A log record as one line of JSON: time (UTC), level, logger, message, the record's
    ``fields`` (``extra={"fields": {...}}``), the request id inside a request, and the
    traceback as a string field (so that it stays on the line)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", None) or {})
        if "request_id" not in line and has_request_context() and "request_id" in g:
            line["request_id"] = g.request_id
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def install_json_logging(level: int = logging.INFO) -> None:
    """Send every log record to standard output as a JSON line (once per process: the root
    logger keeps one such handler, whoever installed it, gunicorn's log configuration
    included)."""
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonLineFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JsonLineFormatter())
        root.addHandler(handler)
    root.setLevel(level)


def _incoming_id() -> str | None:
    value = request.headers.get(REQUEST_ID_HEADER, "")
    return value if _INCOMING_ID.fullmatch(value) else None


def start_request() -> None:
    """Note when the request started and which id it goes by."""
    g.request_started = time.perf_counter()
    g.request_id = _incoming_id() or uuid.uuid4().hex


def _user_id() -> int | None:
    """The signed-in person's id, if the request loaded them (no query of its own)."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "id", None)


def finish_request(response: Response) -> Response:
    """Echo the request id and log the request's line."""
    if "request_id" not in g:  # a request that never reached start_request
        start_request()
    response.headers[REQUEST_ID_HEADER] = g.request_id
    rule = request.url_rule
    fields = {
        "event": "request",
        "request_id": g.request_id,
        "user_id": _user_id(),
        "method": request.method,
        "route": rule.rule if rule is not None else None,
        "endpoint": request.endpoint,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
    }
    request_log.info(
        "%s %s %s",
        request.method,
        fields["route"] or "(no route)",
        response.status_code,
        extra={"fields": fields},
    )
    return response


def log_job(
    job_id: str, function: str | None, status: str, duration_ms: float, **more: Any
) -> None:
    """A job's line: which job, which function, how it ended and how long it took."""
    fields = {
        "event": "job",
        "job_id": job_id,
        "function": function,
        "status": status,
        "duration_ms": round(duration_ms, 1),
        **more,
    }
    job_log.info("job %s %s", job_id, status, extra={"fields": fields})


def init_app(app: Flask) -> None:
    """Give every request an id and a log line; log as JSON when ``LOG_FORMAT=json``.

    Call before anything else registers ``before_request`` functions, so that the time and
    the id are taken first (a request refused by a later guard still gets its line)."""
    log_format = app.config["LOG_FORMAT"]
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}")
    if log_format == "json":
        install_json_logging()
    app.before_request(start_request)
    app.after_request(finish_request)
