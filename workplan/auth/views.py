"""Sign-in, sign-out, one-time links and setting a password."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from workplan.auth import mailed_links, services
from workplan.auth.forms import (
    ForgotPasswordForm,
    SetPasswordForm,
    SignInForm,
    SignOutForm,
    UseLinkForm,
)
from workplan.extensions import db, limiter
from workplan.models import TokenPurpose
from workplan.redirects import safe_target
from workplan.reporting.services import confirm_from_link

bp = Blueprint("auth", __name__, url_prefix="/auth")

LINK_PROBLEMS = {
    "unknown": _l("This sign-in link is not valid. Ask the coordinator for a new one."),
    "used": _l("This sign-in link has already been used. Ask the coordinator for a new one."),
    "expired": _l("This sign-in link has expired. Ask the coordinator for a new one."),
    "inactive": _l("This account has been deactivated."),
}


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(safe_target(request.args.get("next"), url_for("plan.home")))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            services.note_sign_in(user)
            db.session.commit()
            session.clear()
            login_user(user, remember=form.remember.data)
            return redirect(safe_target(request.args.get("next"), url_for("plan.home")))
        form.password.errors.append(_("E-mail or password is incorrect."))
    return render_template("auth/sign_in.html", form=form), 200 if not form.errors else 422


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def forgot_password() -> str | Response | tuple[str, int]:
    """Ask for a one-time link by e-mail. The answer is the same whether or not the address
    has an account, so that the form cannot be used to find out who has one."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        mailed_links.request_password_reset(db.session, form.email.data)
        db.session.commit()
        flash(
            _(
                "If an account exists for this address, a link is on its way. It works once "
                "and for a limited time; check your spam folder if it does not arrive."
            ),
            "info",
        )
        return redirect(url_for("auth.forgot_password"))
    status = 422 if form.errors else 200
    return render_template("auth/forgot.html", form=form), status


@bp.route("/link/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def use_link(token: str) -> str | Response:
    """A one-time link: GET only shows a button, so that a link preview does not use it up."""
    form = UseLinkForm()
    if request.method == "POST" and form.validate_on_submit():
        result = services.redeem_sign_in_token(db.session, token)
    else:
        result = services.check_sign_in_token(db.session, token)
    leads_on = result.purpose != TokenPurpose.SIGN_IN and bool(result.next_path)
    target = safe_target(result.next_path, url_for("plan.home"))
    if result.user is None:
        db.session.rollback()
        if leads_on and result.problem in ("used", "expired"):
            # A reminder's link opened again, or late: signing in leads to the same form.
            flash(_("This link has already been used or has expired: sign in to continue."))
            return redirect(url_for("auth.sign_in", next=target))
        message = str(LINK_PROBLEMS[result.problem or "unknown"])
        return render_template("auth/link.html", problem=message, form=None), 410
    if request.method == "GET":
        return render_template("auth/link.html", user=result.user, form=form, problem=None)
    user = result.user
    services.note_sign_in(user)
    confirmed = None
    if result.purpose == TokenPurpose.NO_CHANGE and result.assignment_id is not None:
        confirmed = confirm_from_link(db.session, user, result.assignment_id)
    db.session.commit()
    session.clear()
    login_user(user)
    if confirmed is not None:
        flash(
            _(
                "Recorded: no change on %(code)s since your last report.",
                code=confirmed.recommendation.code,
            ),
            "success",
        )
    if leads_on and user.password_hash:
        return redirect(target)
    session["signed_in_by_link"] = True
    flash(_("You are signed in. Set a password now so you can sign in again later."), "info")
    return redirect(url_for("auth.set_password", next=target if leads_on else None))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def set_password() -> str | Response:
    """Set or change the password. Every other session of the person ends; this one stays."""
    form = SetPasswordForm()
    asks_current = services.needs_current_password(
        current_user, bool(session.get("signed_in_by_link"))
    )
    if not asks_current:
        del form.current_password
    if form.validate_on_submit():
        try:
            services.set_password(
                db.session,
                current_user,
                form.password.data,
                current_password=form.current_password.data if asks_current else None,
            )
        except services.WrongPassword as error:
            db.session.rollback()
            form.current_password.errors.append(str(error))
        except services.AccountError as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            # The password change ended every session, this one too: sign in again with the new
            # generation, keeping a remember-me cookie if there was one (it is re-issued).
            remember = current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies
            login_user(current_user._get_current_object(), remember=remember)
            session.pop("signed_in_by_link", None)
            flash(_("Your password is saved."), "success")
            return redirect(safe_target(request.args.get("next"), url_for("plan.home")))
    status = 422 if form.errors else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    """Sign out, here and everywhere: every session and remember-me cookie of the person ends
    (a copied cookie must not outlive the sign-out)."""
    form = SignOutForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        services.end_all_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))
