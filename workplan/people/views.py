"""People pages: the coordinator's list and invitations (``manage_users``), everyone's own
profile, and the directory of focal points with its downloads."""

from __future__ import annotations

from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from workplan.auth import services as accounts
from workplan.display import ROLE_LABELS
from workplan.exports.download import download
from workplan.extensions import db
from workplan.models import Role, User
from workplan.people import downloads, queries, services
from workplan.people.forms import (
    ActionForm,
    InviteForm,
    ProfileForm,
    RoleForm,
    with_organisations,
)
from workplan.people.labels import RANK_LABELS, RANK_TITLES, STATE_LABELS
from workplan.permissions import can
from workplan.plan.queries import organisations_in_order

bp = Blueprint("people", __name__)


@bp.before_request
@login_required
def require_sign_in() -> None:
    """The directory and the profile are for everyone signed in; the rest checks more."""


def _require_manage() -> None:
    if not can(current_user, "manage_users"):
        abort(403)


def _person_or_404(user_id: int) -> User:
    person = queries.get_person(db.session, user_id)
    if person is None:
        abort(404)
    return person


def _labels() -> dict[str, object]:
    return {
        "role_labels": ROLE_LABELS,
        "rank_labels": RANK_LABELS,
        "state_labels": STATE_LABELS,
        "state_of": queries.state_of,
    }


@bp.get("/people")
def index() -> str:
    _require_manage()
    args = request.args
    filters = queries.PeopleFilters(
        org=args.get("org") or None,
        role=args.get("role") if args.get("role") in ROLE_LABELS else None,
        state=args.get("state") if args.get("state") in STATE_LABELS else None,
    )
    return render_template(
        "people/index.html",
        people=queries.list_people(db.session, filters),
        org_options=[(o.code, o.code) for o in organisations_in_order(db.session)],
        filters=filters,
        **_labels(),
    )


@bp.route("/people/invite", methods=["GET", "POST"])
def invite() -> str | Response | tuple[str, int]:
    _require_manage()
    form = with_organisations(InviteForm(), db.session)
    if form.validate_on_submit():
        invitation = services.Invitation(
            email=form.email.data,
            name=form.name.data,
            role=form.role.data,
            org_code=form.organisation.data or None,
            rank=form.rank.data,
            contact=accounts.Contact(
                title=form.title.data or "",
                phone=form.phone.data or "",
                language=form.language.data,
            ),
        )
        try:
            person = services.invite(db.session, current_user, invitation)
        except services.AccountError as error:
            db.session.rollback()
            form.email.errors.append(str(error))  # type: ignore[attr-defined]
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s is invited: the e-mail with a sign-in link is on its way.",
                    name=person.name,
                ),
                "success",
            )
            return redirect(url_for("people.person", user_id=person.id))
    status = 422 if form.errors else 200
    return render_template("people/invite.html", form=form), status


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
def person(user_id: int) -> str | Response | tuple[str, int]:
    """One person: their details, role and organisation, and the buttons that change the
    account."""
    _require_manage()
    person = _person_or_404(user_id)
    if request.method == "POST":
        form = with_organisations(RoleForm(), db.session)
    else:
        form = with_organisations(
            RoleForm(
                formdata=None,
                role=person.role,
                organisation=person.organisation.code if person.organisation else "",
                rank=person.focal_point_rank or "main",
            ),
            db.session,
        )
    if request.method == "POST" and form.validate():
        try:
            services.change_role(
                db.session,
                current_user,
                person,
                form.role.data,
                form.organisation.data or None,
                form.rank.data,
            )
        except services.AccountError as error:
            db.session.rollback()
            form.role.errors.append(str(error))  # type: ignore[attr-defined]
        else:
            db.session.commit()
            flash(_("The change is saved."), "success")
            return redirect(url_for("people.person", user_id=user_id))
    status = 422 if form.errors else 200
    return render_template(
        "people/person.html",
        person=person,
        form=form,
        action_form=ActionForm(formdata=None),
        **_labels(),
    ), status


def _done(action: str, person: User) -> str:
    if action == "deactivate":
        return _("%(name)s is deactivated and can no longer sign in.", name=person.name)
    if action == "reactivate":
        return _("%(name)s can sign in again.", name=person.name)
    return _("A new sign-in link is on its way to %(email)s.", email=person.email)


_ACTIONS = {
    "deactivate": services.deactivate,
    "reactivate": services.reactivate,
    "send-link": services.send_sign_in_link,
}


@bp.post("/people/<int:user_id>/<any(deactivate, reactivate, 'send-link'):action>")
def act(user_id: int, action: str) -> Response:
    """Deactivate, reactivate, or e-mail a new sign-in link."""
    _require_manage()
    person = _person_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        _ACTIONS[action](db.session, current_user, person)
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_done(action, person), "success")
    return redirect(url_for("people.person", user_id=user_id))


@bp.route("/profile", methods=["GET", "POST"])
def profile() -> str | Response | tuple[str, int]:
    """The signed-in person's own details and choices."""
    me = current_user._get_current_object()
    form = ProfileForm(obj=me) if request.method == "POST" else ProfileForm(formdata=None, obj=me)
    if request.method == "POST" and form.validate():
        contact = accounts.Contact(
            title=form.title.data or "",
            phone=form.phone.data or "",
            language=form.language.data,
            phone_hidden=bool(form.phone_hidden.data),
        )
        try:
            accounts.update_profile(
                db.session, me, form.name.data, contact, form.digest.data or me.digest, me
            )
        except accounts.AccountError as error:
            db.session.rollback()
            form.name.errors.append(str(error))  # type: ignore[attr-defined]
        else:
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("people.profile"))
    status = 422 if form.errors else 200
    return render_template(
        "people/profile.html",
        form=form,
        sessions_form=ActionForm(formdata=None),
        shows_digest=me.role == Role.COORDINATOR,
    ), status


@bp.post("/profile/sign-out-everywhere")
def sign_out_everywhere() -> Response:
    """End every other session and remember-me cookie; this browser stays signed in."""
    if not ActionForm().validate_on_submit():
        abort(400)
    me = current_user._get_current_object()
    services.sign_out_everywhere(db.session, me)
    db.session.commit()
    remember = current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies
    login_user(me, remember=remember)  # under the new generation
    flash(_("You are signed out on every other computer and browser."), "success")
    return redirect(url_for("people.profile"))


@bp.get("/directory")
def directory() -> str:
    """Each organisation's main and alternate focal points (Annex II S1, S9)."""
    groups = queries.directory(db.session)
    addresses = [p.email for g in groups for p in g.people]
    return render_template(
        "people/directory.html",
        groups=groups,
        addresses="; ".join(addresses),
        mailto="mailto:" + ",".join(quote(a, safe="@") for a in addresses),
        rank_titles=RANK_TITLES,
    )


@bp.get("/directory.csv")
def directory_csv() -> Response:
    content = downloads.directory_csv(queries.directory(db.session))
    return download(content, "text/csv", "focal-points.csv")


@bp.get("/directory.vcf")
def directory_vcf() -> Response:
    content = downloads.directory_vcards(queries.directory(db.session))
    return download(content, "text/vcard", "focal-points.vcf")
