"""``/healthz``: the process answers (no database, no session). Load balancers poll it, and
the benchmarks use it as the baseline of a request that does nothing."""

from __future__ import annotations

from flask import Blueprint, Response

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz() -> Response:
    return Response("ok\n", mimetype="text/plain")
