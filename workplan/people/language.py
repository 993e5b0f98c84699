"""The language switcher in every page's header, also before sign-in.

Signed in, the choice is the person's profile language (the profile form sets the same);
before sign-in it is kept in the session. ``workplan._select_locale`` reads both.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectField

from workplan.extensions import db
from workplan.i18n import LANGUAGE_NAMES, language_of
from workplan.people import services
from workplan.redirects import safe_target
from workplan.reporting.forms import choices

bp = Blueprint("language", __name__)


class LanguageForm(FlaskForm):
    """The switcher's buttons: each posts one ``language``; ``next`` is the page to go back to."""

    language = SelectField(choices=choices(LANGUAGE_NAMES))
    next = HiddenField()


def _here() -> str:
    """The page being shown, as a path the switcher sends the browser back to."""
    path = request.full_path
    return path[:-1] if path.endswith("?") else path


def switcher() -> dict[str, Any]:
    """What the header's switcher shows: the languages other than the one on the page, each
    in its own name, and the page to come back to."""
    shown = language_of(get_locale())
    return {
        "choices": [(code, name) for code, name in LANGUAGE_NAMES.items() if code != shown],
        "next": _here(),
    }


@bp.post("/language")
def choose() -> Response:
    """Switch the interface language and go back to the page the switch was pressed on."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        services.choose_language(db.session, current_user._get_current_object(), form.language.data)
        db.session.commit()
    else:
        session["language"] = form.language.data
    return redirect(safe_target(form.next.data, url_for("plan.home")))


@bp.app_context_processor
def language_switch() -> dict[str, Any]:
    return {"language_switch": switcher}
