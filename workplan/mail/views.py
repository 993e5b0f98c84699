"""``/outbox``: what the application has sent or is waiting to send (admin and coordinator)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user, login_required

from workplan.extensions import db
from workplan.mail import queries, sending
from workplan.permissions import can

bp = Blueprint("outbox", __name__, url_prefix="/outbox")


@bp.before_request
@login_required
def require_permission() -> None:
    # Addresses and subjects of everyone's messages: for those who manage people.
    if not can(current_user, "manage_users"):
        abort(403)


@bp.get("")
def index() -> str:
    page = request.args.get("page", 1, type=int) or 1
    return render_template(
        "outbox/index.html",
        data=queries.outbox_page(db.session, min(max(page, 1), 100_000)),
        status_line=sending.mail_status_line(current_app.config),
        configured=sending.mail_configured(current_app.config),
    )
