"""The coordinator's changes to the plan in the browser: a recommendation's wording, its
responsible organisations, new and retired recommendations, new organisations."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workplan.extensions import db
from workplan.models import Recommendation
from workplan.permissions import can
from workplan.plan import editing, queries, shares
from workplan.plan.edit_forms import (
    AddShareForm,
    EndShareForm,
    LeadForm,
    OrganisationForm,
    RecommendationForm,
    RetireForm,
)
from workplan.reporting.forms import choices
from workplan.reporting.queries import get_assignment

bp = Blueprint("plan_edit", __name__)

Page = Response | tuple[str, int] | str


@bp.before_request
@login_required
def require_permission() -> None:
    """Only the coordinator changes the plan."""
    if not can(current_user, "manage_plan"):
        abort(403)


def _rec_or_404(code: str) -> Recommendation:
    rec = queries.get_recommendation(db.session, code)
    if rec is None:
        abort(404)
    return rec


def _wording(form: RecommendationForm) -> editing.Wording:
    return editing.Wording(
        form.title.data or "",
        form.text.data or "",
        form.title_fr.data or "",
        form.text_fr.data or "",
        form.term.data or "",
        form.target_date.data,
    )


@bp.route("/plan/<code>/edit", methods=["GET", "POST"])
def edit(code: str) -> Page:
    rec = _rec_or_404(code)
    number = editing.latest_version_number(db.session, rec)
    if request.method != "POST":
        form = RecommendationForm(formdata=None, obj=rec, version=number, note="")
        return render_template("plan/edit_recommendation.html", form=form, rec=rec)
    form = RecommendationForm()
    error = None
    if form.validate():
        try:
            editing.edit_recommendation(
                db.session, current_user, rec, _wording(form), form.note.data or "",
                form.version.data,
            )  # fmt: skip
        except editing.PlanConflict:
            db.session.rollback()
            current = _rec_or_404(code)
            form.version.data = editing.latest_version_number(db.session, current)
            page = render_template(
                "plan/edit_recommendation.html", form=form, rec=current, conflict=current
            )
            return page, 409
        except editing.InvalidChange as invalid:
            db.session.rollback()
            error = str(invalid)
        else:
            db.session.commit()
            flash(_("The recommendation is saved as a new version."), "success")
            return redirect(url_for("plan.recommendation", code=rec.code))
    page = render_template("plan/edit_recommendation.html", form=form, rec=rec, error=error)
    return page, 400


@bp.route("/plan/new", methods=["GET", "POST"])
def create() -> Page:
    form = RecommendationForm()
    error = None
    if form.validate_on_submit():
        try:
            rec = editing.add_recommendation(
                db.session, current_user, _wording(form), form.note.data or "", form.code.data
            )
        except editing.InvalidChange as invalid:
            db.session.rollback()
            error = str(invalid)
        else:
            db.session.commit()
            flash(_("The recommendation is added."), "success")
            return redirect(url_for("plan_edit.responsibilities", code=rec.code))
    status = 400 if form.is_submitted() else 200
    return render_template("plan/edit_new.html", form=form, error=error), status


def _share_forms() -> tuple[AddShareForm, RetireForm]:
    add = AddShareForm()
    add.organisation.choices = choices(
        {o.code: f"{o.code} — {o.name}" for o in queries.organisations_in_order(db.session)}
    )
    return add, RetireForm()


@bp.get("/plan/<code>/responsibilities")
def responsibilities(code: str) -> str:
    rec = _rec_or_404(code)
    add, retire = _share_forms()
    return render_template(
        "plan/edit_responsibilities.html",
        rec=rec,
        assignments=queries.sorted_assignments(rec),
        add_form=add,
        retire_form=retire,
        end_form=EndShareForm(formdata=None),
        lead_form=LeadForm(formdata=None),
    )


def _back(code: str) -> Response:
    return redirect(url_for("plan_edit.responsibilities", code=code))


@bp.post("/plan/<code>/responsibilities/add")
def add_share(code: str) -> Response:
    rec = _rec_or_404(code)
    form, _retire = _share_forms()
    org = queries.get_organisation(db.session, form.organisation.data or "")
    if not form.validate_on_submit() or org is None:
        flash(_("Choose an organisation."), "error")
        return _back(code)
    return _change_share(
        code,
        lambda: shares.add_share(db.session, current_user, rec, org, lead=bool(form.lead.data)),
        _("%(org)s is responsible for %(code)s.", org=org.code, code=rec.code),
    )


def _share_or_404(code: str, org_code: str):  # type: ignore[no-untyped-def]
    share = get_assignment(db.session, code, org_code)
    if share is None:
        abort(404)
    return share


def _change_share(code: str, change: Callable[[], object], done: str) -> Response:
    """Apply one change to the responsibilities of ``code`` and commit, or say why not
    (another person's change meanwhile, or a change the rules refuse) and change nothing."""
    try:
        change()
    except shares.ShareConflict:
        db.session.rollback()
        flash(_("Someone else changed this share meanwhile: check it and try again."), "error")
        return _back(code)
    except shares.ShareError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(code)
    db.session.commit()
    flash(done, "success")
    return _back(code)


@bp.post("/plan/<code>/responsibilities/<org_code>/end")
def end_share(code: str, org_code: str) -> Response:
    share = _share_or_404(code, org_code)
    form = EndShareForm()
    if not form.validate_on_submit():
        flash(_("Say why the share ends."), "error")
        return _back(code)
    return _change_share(
        code,
        lambda: shares.end_share(
            db.session, current_user, share, form.reason.data or "", seen_version=form.version.data
        ),
        _("The share is ended; its history stays."),
    )


@bp.post("/plan/<code>/responsibilities/<org_code>/lead")
def set_lead(code: str, org_code: str) -> Response:
    share = _share_or_404(code, org_code)
    form = LeadForm()
    if not form.validate_on_submit():
        abort(400)
    return _change_share(
        code,
        lambda: shares.set_lead(
            db.session, current_user, share, form.lead.data == "1", seen_version=form.version.data
        ),
        _("The lead is changed."),
    )


@bp.post("/plan/<code>/retire")
def retire(code: str) -> Response:
    rec = _rec_or_404(code)
    form = RetireForm()
    if not form.validate_on_submit():
        flash(_("Say why it is retired."), "error")
        return _back(code)
    try:
        editing.retire_recommendation(db.session, current_user, rec, form.reason.data or "")
    except editing.InvalidChange as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(code)
    db.session.commit()
    flash(_("%(code)s is retired; its history stays.", code=rec.code), "success")
    return redirect(url_for("plan.recommendation", code=rec.code))


@bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation() -> Page:
    form = OrganisationForm()
    error = None
    if form.validate_on_submit():
        data = shares.NewOrganisation(
            form.code.data or "", form.name.data or "", form.name_fr.data or "",
            form.kind.data or "", form.region.data or "",
        )  # fmt: skip
        try:
            org = shares.add_organisation(db.session, current_user, data)
        except shares.ShareError as invalid:
            db.session.rollback()
            error = str(invalid)
        else:
            db.session.commit()
            flash(_("%(org)s joins the network.", org=org.code), "success")
            return redirect(url_for("plan.organisation", code=org.code))
    status = 400 if form.is_submitted() else 200
    return render_template("plan/edit_organisation.html", form=form, error=error), status
