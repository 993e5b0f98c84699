"""Forms of the people pages, the profile and the directory's filters."""

from __future__ import annotations

from typing import TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length

from workplan.auth.addresses import EmailAddress
from workplan.display import ROLE_LABELS, organisation_name
from workplan.i18n import LANGUAGE_NAMES
from workplan.models import Role
from workplan.people.labels import DIGEST_LABELS, RANK_LABELS
from workplan.plan.queries import organisations_in_order
from workplan.reporting.forms import choices


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class RoleFields(FlaskForm):
    """Role, organisation and rank: what the coordinator sets when inviting or changing."""

    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS), default=Role.FOCAL_POINT)
    organisation = SelectField(
        _l("Organisation"),
        description=_l("Required for focal points."),
        choices=[],
        validate_choice=True,
    )
    rank = SelectField(
        _l("Focal point"),
        choices=choices(RANK_LABELS),
        default="main",
        description=_l("Each organisation has one main focal point and may have alternates."),
    )

    def validate_organisation(self, field: SelectField) -> None:
        if self.role.data == Role.FOCAL_POINT and not field.data:
            raise ValidationError(_l("A focal point needs an organisation."))


class ContactFields(FlaskForm):
    title = StringField(
        _l("Title (optional)"),
        validators=[Length(max=200)],
        filters=[_strip],
        description=_l("For example: Legal Officer, Secretariat of the Commission"),
    )
    phone = StringField(
        _l("Phone (optional)"),
        validators=[Length(max=50)],
        filters=[_strip],
        render_kw={"autocomplete": "tel"},
    )
    language = SelectField(
        _l("Preferred language"),
        choices=choices(LANGUAGE_NAMES),
        default="en",
        description=_l("Pages and e-mails are shown in this language."),
    )


class InviteForm(RoleFields, ContactFields):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter the person's name.")), Length(max=200)],
        filters=[_strip],
    )
    email = StringField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter the person's e-mail address.")), EmailAddress()],
        filters=[_strip],
    )
    submit = SubmitField(_l("Invite"))


class RoleForm(RoleFields):
    submit = SubmitField(_l("Save the change"))


class ActionForm(FlaskForm):
    """A button that changes an account (deactivate, reactivate, send a link): CSRF only."""

    submit = SubmitField(_l("Confirm"))


class ProfileForm(ContactFields):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=200)],
        filters=[_strip],
        render_kw={"autocomplete": "name"},
    )
    phone_hidden = BooleanField(_l("Hide my phone number from the directory"))
    digest = RadioField(
        _l("Digest of what happened"),
        choices=choices(DIGEST_LABELS),
        default="daily",
        description=_l(
            "Coordinators receive new blockers and changes as one e-mail a day or a week "
            "instead of one e-mail each."
        ),
    )
    submit = SubmitField(_l("Save my profile"))


FormT = TypeVar("FormT", bound=RoleFields)


def with_organisations(form: FormT, session: Session) -> FormT:
    """Fill the organisation choices from the database (none for roles outside one)."""
    form.organisation.choices = [SelectChoice("", "—")] + [
        SelectChoice(org.code, f"{org.code} – {organisation_name(org)}")
        for org in organisations_in_order(session)
    ]
    return form
