"""Sign-in and password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from workplan.auth.addresses import EmailAddress
from workplan.auth.services import MIN_PASSWORD_LENGTH


def _email_field() -> StringField:
    """The address someone signs in with: the same field on the sign-in and "forgotten
    password" forms."""
    return StringField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter your e-mail address.")), EmailAddress()],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"autocomplete": "username", "autofocus": True},
    )


class SignInForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this computer"))
    submit = SubmitField(_l("Sign in"))


class ForgotPasswordForm(FlaskForm):
    email = _email_field()
    submit = SubmitField(_l("Send me a sign-in link"))


class UseLinkForm(FlaskForm):
    submit = SubmitField(_l("Sign in"))


class SetPasswordForm(FlaskForm):
    """New password, twice. The view removes ``current_password`` when it is not asked for
    (no password yet, or just signed in with a one-time link)."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Save password"))


class SignOutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))
