"""The meeting form. Every form carries the CSRF token (FlaskForm)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, StringField, SubmitField, TimeField, ValidationError
from wtforms.validators import DataRequired, Length, Optional


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class MeetingForm(FlaskForm):
    version = HiddenField(filters=[_int_or_none])
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the meeting a title.")), Length(max=300)],
        description=_l("For example: Fifth annual meeting of focal points"),
    )
    # The French versions are optional: French pages and reports fall back to the English.
    title_fr = StringField(
        _l("Title (French)"),
        validators=[Length(max=300)],
        description=_l(
            "Optional; the French pages and reports use it. For example: Cinquième réunion "
            "annuelle des coordonnateurs"
        ),
    )
    held_on = DateField(
        _l("Date of the meeting"),
        validators=[DataRequired(_l("Give the date of the meeting (day, month, year)."))],
    )
    place = StringField(_l("Place"), validators=[Length(max=200)])
    place_fr = StringField(
        _l("Place (French)"),
        validators=[Length(max=200)],
        description=_l("Optional, when the French name differs (Genève for Geneva)."),
    )
    cutoff_date = DateField(
        _l("Reporting cut-off date"),
        validators=[DataRequired(_l("Give the reporting cut-off date."))],
        description=_l(
            "Focal points see this as their deadline; the meeting's reports show the plan as "
            "it stood at this moment."
        ),
    )
    cutoff_time = TimeField(
        _l("Cut-off time (UTC)"),
        validators=[Optional()],
        description=_l("Leave empty for the end of the day (23:59 UTC)."),
    )
    document_symbol = StringField(
        _l("Document symbol (optional)"),
        validators=[Length(max=100)],
        description=_l("Printed in the heading block of the reports, e.g. NIRMS/FP/2027/1"),
    )
    submit = SubmitField(_l("Save the meeting"))

    def validate_cutoff_date(self, field: DateField) -> None:
        if field.data and self.held_on.data and field.data > self.held_on.data:
            raise ValidationError(_l("The reporting cut-off cannot be after the meeting."))


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Delete this meeting"))
