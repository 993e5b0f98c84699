"""The plan, read-only: by term, one recommendation, the organisations."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workplan.extensions import db
from workplan.models import Role
from workplan.people import queries as people_queries
from workplan.plan import queries
from workplan.plan.versions import history_of
from workplan.state.visibility import visible_states

bp = Blueprint("plan", __name__)


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every page of the plan needs a signed-in user."""


@bp.route("/")
def home() -> Response:
    """Where sign-in leads: a focal point to "my organisation", the coordinator to the
    dashboard, everyone else to the plan."""
    if current_user.role == Role.FOCAL_POINT and current_user.organisation is not None:
        return redirect(url_for("reporting.my_organisation"))
    if current_user.role == Role.COORDINATOR:
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("plan.index"))


@bp.route("/plan")
def index() -> str:
    groups = queries.plan_by_term(db.session)
    return render_template(
        "plan/index.html", groups=groups, sorted_assignments=queries.sorted_assignments
    )


@bp.route("/plan/<code>")
def recommendation(code: str) -> str:
    rec = queries.get_recommendation(db.session, code)
    if rec is None:
        abort(404)
    assignments = queries.sorted_assignments(rec)
    return render_template(
        "plan/recommendation.html",
        rec=rec,
        assignments=assignments,
        states=visible_states(db.session, current_user, [a.id for a in assignments]),
        blockers=queries.open_blockers_for(db.session, recommendation_id=rec.id),
        history=history_of(db.session, rec),
    )


@bp.route("/organisations")
def organisations() -> str:
    return render_template("plan/organisations.html", rows=queries.list_organisations(db.session))


@bp.route("/organisations/<code>")
def organisation(code: str) -> str:
    org, focal_points = people_queries.organisation_with_focal_points(db.session, code)
    if org is None:
        abort(404)
    assignments = queries.assignments_of(db.session, org)
    blockers = queries.open_blockers_for(db.session, organisation_id=org.id)
    return render_template(
        "plan/organisation.html",
        org=org,
        assignments=assignments,
        states=visible_states(db.session, current_user, [a.id for a in assignments]),
        blockers=blockers,
        focal_points=focal_points,
    )
