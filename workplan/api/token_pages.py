"""The profile's page of personal access tokens: create one (its secret shown once), see
when each was last used, revoke one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from workplan.api import tokens
from workplan.api.lookups import ROW_ID
from workplan.extensions import db
from workplan.models import ApiToken

bp = Blueprint("api_tokens", __name__, url_prefix="/profile/tokens")


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name of the token"),
        validators=[DataRequired(_l("Give the token a name.")), Length(max=100)],
        description=_l("Say where it is used, e.g. “ECOWAS Court website”."),
    )
    submit = SubmitField(_l("Create a token"))


class RevokeForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Each person manages their own tokens."""


def _page(form: TokenForm, secret: str | None = None, status: int = 200) -> tuple[str, int]:
    me = current_user._get_current_object()  # type: ignore[attr-defined]
    return (
        render_template(
            "api/tokens.html",
            form=form,
            revoke_form=RevokeForm(formdata=None),
            tokens=tokens.tokens_of(db.session, me),
            new_secret=secret,
        ),
        status,
    )


@bp.get("")
def index() -> tuple[str, int]:
    return _page(TokenForm(formdata=None))


@bp.post("")
def create() -> tuple[str, int]:
    """Create a token and show its secret, once: only its hash is kept."""
    form = TokenForm()
    if not form.validate():
        return _page(form, status=422)
    me = current_user._get_current_object()  # type: ignore[attr-defined]
    _, secret = tokens.create_token(db.session, me, me, form.name.data or "")
    db.session.commit()
    return _page(TokenForm(formdata=None), secret=secret, status=201)


@bp.post(f"/<{ROW_ID}:token_id>/revoke")
def revoke(token_id: int) -> Response:
    token = db.session.get(ApiToken, token_id)
    # Someone else's token is not found, so as not to reveal it exists.
    if token is None or token.user_id != current_user.id:
        abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    tokens.revoke(db.session, current_user._get_current_object(), token)  # type: ignore[attr-defined]
    db.session.commit()
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for(".index"))
