"""The public page (``/public``) and its open data, served to anyone when ``PUBLIC_PORTAL`` is
on, and cacheable: an ETag, Last-Modified and, for anonymous visitors, a public max-age."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import force_locale, get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from workplan.extensions import db
from workplan.i18n import LOCALES, language_of
from workplan.public import opendata, reads

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.before_request
def portal_is_on() -> None:
    """Off unless the setting turns it on: the portal does not exist until then."""
    if not current_app.config.get("PUBLIC_PORTAL"):
        abort(404)


def _language() -> str:
    """``?lang=fr`` or ``?lang=en`` when given (a cacheable address per language), else the
    visitor's language as the application chooses it."""
    asked = request.args.get("lang", "")
    return asked if asked in LOCALES else language_of(get_locale())


def _cacheable(etag: str, plan: reads.PublicPlan, body: Callable[[], Response]) -> Response:
    """``body()`` with its caching headers, or an empty 304 when the visitor already holds
    this version (the body is then never produced)."""
    response = Response(status=304) if request.if_none_match.contains(etag) else body()
    response.set_etag(etag)
    if plan.last_change is not None:
        response.last_modified = plan.last_change
    response.vary.update(("Accept-Language", "Cookie"))
    if current_user.is_authenticated:
        # The page's header names the signed-in person: only their own browser keeps it.
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        response.headers["Cache-Control"] = (
            f"public, max-age={current_app.config['PUBLIC_MAX_AGE']}"
        )
    return response


def _plan(language: str) -> reads.PublicPlan:
    return reads.public_plan(db.session, language)


@bp.route("")
def index() -> Response:
    """The plan with each recommendation's overall status and each share's status and date."""
    language = _language()
    plan = _plan(language)
    licence = current_app.config["PUBLIC_LICENCE"]
    # The page's header differs for a signed-in person: their copy has an ETag of its own.
    viewer = current_user.get_id() if current_user.is_authenticated else ""
    etag = opendata.fingerprint(plan, language, licence, f"html:{viewer}")

    def page() -> Response:
        with force_locale(LOCALES[language]):
            html = render_template(
                "public/index.html", plan=plan, language=language, licence=licence
            )
        return Response(html, mimetype="text/html")

    return _cacheable(etag, plan, page)


@bp.route("/plan.json")
def plan_json() -> Response:
    language = _language()
    plan = _plan(language)
    licence = current_app.config["PUBLIC_LICENCE"]
    return _cacheable(
        opendata.fingerprint(plan, language, licence, "json"),
        plan,
        lambda: Response(opendata.as_json(plan, language, licence), mimetype="application/json"),
    )


@bp.route("/plan.csv")
def plan_csv() -> Response:
    language = _language()
    plan = _plan(language)
    licence = current_app.config["PUBLIC_LICENCE"]

    def csv_file() -> Response:
        response = Response(opendata.as_csv(plan, licence), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'inline; filename="workplan-{language}.csv"'
        return response

    return _cacheable(opendata.fingerprint(plan, language, licence, "csv"), plan, csv_file)
