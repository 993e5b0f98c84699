"""Probes for load balancers and orchestrators; neither needs a session or signs anyone in.

- ``/healthz`` (liveness): the process answers. No database, no Redis: restarting a web
  process would not bring a database back. The benchmarks use it as the baseline of a
  request that does nothing.
- ``/readyz`` (readiness): the process can serve pages, i.e. the database answers
  ``SELECT 1`` and, when ``REDIS_URL`` is set, Redis answers PING. 503 names what failed,
  so the balancer stops sending requests here until it is back.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, current_app
from sqlalchemy import text

from workplan.errors import first_line
from workplan.extensions import db

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)
PROBE_TIMEOUT_SECONDS = 2


@bp.route("/healthz")
def healthz() -> Response:
    return Response("ok\n", mimetype="text/plain")


def _database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception as error:  # any failure means "not ready"; the log says which
        log.warning("readiness: database check failed: %s", first_line(error))
        return False
    finally:
        db.session.remove()


def _redis(app: Flask):  # type: ignore[no-untyped-def]
    """A client with short timeouts (the queue's client has none): a probe must not hang."""
    from redis import Redis

    clients = app.extensions.setdefault("workplan_readiness_redis", {})
    url = app.config["REDIS_URL"]
    if url not in clients:
        clients[url] = Redis.from_url(
            url,
            socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
            socket_timeout=PROBE_TIMEOUT_SECONDS,
        )
    return clients[url]


def _redis_answers(app: Flask) -> bool:
    try:
        return bool(_redis(app).ping())
    except Exception as error:  # any failure means "not ready"; the log says which
        log.warning("readiness: Redis check failed: %s", first_line(error))
        return False


@bp.route("/readyz")
def readyz() -> Response:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    failed = []
    if not _database_answers():
        failed.append("database unreachable")
    if app.config.get("REDIS_URL") and not _redis_answers(app):
        failed.append("Redis unreachable")
    if failed:
        return Response("not ready: " + ", ".join(failed) + "\n", 503, mimetype="text/plain")
    return Response("ready\n", mimetype="text/plain")
