"""History pages: a recommendation's timeline, and the coordinator's audit trail browser.

The audit trail is read-only by construction: this blueprint has no route that writes, and
no other part of the application updates or deletes an audit entry.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from workplan.extensions import db
from workplan.history import queries, trail
from workplan.history.timeline import build_timeline
from workplan.permissions import can
from workplan.plan.queries import get_recommendation
from workplan.reporting.queries import blockers_of, updates_of
from workplan.request_guards import page_number, row_id

bp = Blueprint("history", __name__)


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every history page needs a signed-in user."""


@bp.route("/plan/<code>/history")
def recommendation(code: str) -> str:
    """Everything reported on a recommendation, by every organisation, newest first."""
    rec = get_recommendation(db.session, code)
    if rec is None:
        abort(404)
    ids = [a.id for a in rec.assignments]
    entries = build_timeline(
        current_user, updates_of(db.session, ids), blockers_of(db.session, ids)
    )
    return render_template("history/recommendation.html", rec=rec, entries=entries)


@bp.route("/audit")
def audit() -> str:
    """Every write in the application (coordinator only), filterable and paginated."""
    if not can(current_user, "view_audit"):
        abort(403)
    actor_id = request.args.get("actor", type=row_id)
    object_type = trail.object_type(request.args.get("type") or "") or None
    page = request.args.get("page", 1, type=page_number)
    entries = queries.audit_entries(actor_id=actor_id, object_type=object_type, page=page)
    actors, types = queries.audit_filters(db.session)
    return render_template(
        "history/audit.html",
        entries=entries,
        rows=trail.readable(db.session, entries.items),
        actors=actors,
        types=types,
        actor_id=actor_id,
        object_type=object_type,
    )
