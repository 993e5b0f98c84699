"""Forms of the coordinator's changes to the plan. Every form carries the CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from workplan.meetings.forms import _int_or_none
from workplan.reporting.forms import choices

TERMS = choices({"short": _l("Short term"), "mid": _l("Mid term"), "long": _l("Long term")})
KINDS = choices({"rhrm": _l("Regional mechanism"), "ohchr": _l("OHCHR unit")})


class RecommendationForm(FlaskForm):
    version = HiddenField(filters=[_int_or_none])
    code = StringField(
        _l("Code (optional)"),
        validators=[Length(max=10)],
        description=_l("Leave empty for the next free code of the term."),
    )
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give a title.")), Length(max=300)]
    )
    text = TextAreaField(_l("Full text"), validators=[DataRequired(_l("Give the text."))])
    title_fr = StringField(_l("Title in French"), validators=[Length(max=300)])
    text_fr = TextAreaField(_l("Text in French"))
    term = SelectField(_l("Term"), choices=TERMS)
    target_date = DateField(_l("Target date"), validators=[Optional()])
    note = TextAreaField(
        _l("Why (kept with the version)"),
        validators=[DataRequired(_l("Say why the recommendation changes."))],
    )
    submit = SubmitField(_l("Save"))


class AddShareForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), choices=[])
    lead = BooleanField(_l("Lead"))
    submit = SubmitField(_l("Add the organisation"))


class EndShareForm(FlaskForm):
    version = HiddenField(filters=[_int_or_none])
    reason = StringField(
        _l("Why the share ends"), validators=[DataRequired(_l("Say why the share ends."))]
    )
    submit = SubmitField(_l("End this share"))


class LeadForm(FlaskForm):
    version = HiddenField(filters=[_int_or_none])
    lead = HiddenField()
    submit = SubmitField(_l("Change"))


class RetireForm(FlaskForm):
    reason = StringField(
        _l("Why it is retired"), validators=[DataRequired(_l("Say why it is retired."))]
    )
    submit = SubmitField(_l("Retire this recommendation"))


class OrganisationForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Give a code.")), Length(max=20)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")), Length(max=200)])
    name_fr = StringField(_l("Name in French"), validators=[Length(max=200)])
    kind = SelectField(_l("Kind"), choices=KINDS)
    region = StringField(_l("Region"), validators=[Length(max=40)])
    submit = SubmitField(_l("Add the organisation"))


class RevisionUploadForm(FlaskForm):
    meeting = SelectField(_l("Meeting that decided the revision"), choices=[], coerce=int)
    file = FileField(
        _l("Revised plan"),
        validators=[FileRequired(_l("Choose a file."))],
        description=_l(
            "The JSON of 'flask plan export', the spreadsheet template (XLSX or CSV), or the "
            "meeting's outcome in the annex's form (.txt or .md)."
        ),
    )
    submit = SubmitField(_l("Show the differences"))


class RevisionApplyForm(FlaskForm):
    meeting = HiddenField(filters=[_int_or_none])
    proposal = HiddenField()
    source_name = HiddenField()
    submit = SubmitField(_l("Apply the accepted changes"))
