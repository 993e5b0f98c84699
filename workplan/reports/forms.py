"""The form that requests a report, and the labels of report kinds, formats and run
statuses. Every form carries the CSRF token (FlaskForm)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import BooleanField, DateField, RadioField, SelectField, SubmitField
from wtforms.validators import DataRequired, Optional

from workplan.i18n import format_day
from workplan.localised import meeting_title, org_name
from workplan.plan.queries import organisations_in_order
from workplan.reporting.forms import choices
from workplan.reports import queries
from workplan.reports.services import ReportRequest

KIND_LABELS = {
    "meeting": _l("Meeting status report (the whole plan at the meeting's cut-off)"),
    "organisation": _l("An organisation's report over a period"),
    "blockers": _l("Blockers report"),
}
KIND_SHORT = {
    "meeting": _l("Meeting status report"),
    "organisation": _l("Organisation report"),
    "blockers": _l("Blockers report"),
}
FORMAT_LABELS = {
    "docx": _l("Word (.docx), editable"),
    "pdf": _l("PDF"),
    "xlsx": _l("Excel (.xlsx): the matrix and the updates as sheets"),
    "csv": _l("CSV: one row per assignment"),
}
LANGUAGE_LABELS = {"en": _l("English"), "fr": _l("French")}
# A period outside these dates is a typing mistake (the plan dates from 2012), and the
# calendar's own ends would overflow the date arithmetic of the report.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
RUN_STATUS_LABELS = {
    "queued": _l("Waiting for a worker"),
    "running": _l("Being produced"),
    "finished": _l("Ready"),
    "failed": _l("Failed"),
}


class ReportForm(FlaskForm):
    kind = RadioField(
        _l("Report"),
        choices=choices(KIND_LABELS),
        default="meeting",
        validators=[DataRequired(_l("Choose a report."))],
    )
    meeting = SelectField(
        _l("Meeting"),
        coerce=int,
        validators=[Optional()],
        description=_l(
            "For the meeting status report; for the blockers report, the blockers "
            "open at this meeting's cut-off (none chosen: open today)."
        ),
    )
    organisation = SelectField(
        _l("Organisation"),
        coerce=int,
        validators=[Optional()],
        description=_l("For an organisation's report."),
    )
    start = DateField(
        _l("Period from (optional)"),
        validators=[Optional()],
        description=_l("Default: a year before the end of the period."),
    )
    end = DateField(
        _l("Period to (optional)"), validators=[Optional()], description=_l("Default: today.")
    )
    format = RadioField(
        _l("Format"),
        choices=choices(FORMAT_LABELS),
        default="docx",
        validators=[DataRequired(_l("Choose a format."))],
    )
    language = RadioField(
        _l("Language of the report"),
        choices=choices(LANGUAGE_LABELS),
        default="en",
        validators=[DataRequired(_l("Choose a language."))],
    )
    internal = BooleanField(
        _l("Internal version: include restricted entries (marked restricted on every page)"),
        default=False,
    )
    submit = SubmitField(_l("Produce the report"))

    def to_request(self, extra: dict[str, Any] | None = None) -> ReportRequest:
        """The validated request, as the reports service takes it (pages and API alike)."""
        return ReportRequest(
            kind=self.kind.data,
            format=self.format.data,
            language=self.language.data,
            internal=bool(self.internal.data),
            meeting_id=self.meeting.data or None,
            organisation_id=self.organisation.data or None,
            start=self.start.data,
            end=self.end.data,
            extra=extra,
        )

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        valid = super().validate(extra_validators)
        if self.kind.data == "meeting" and not self.meeting.data:
            self.meeting.errors = [*self.meeting.errors, _l("Choose the meeting.")]
            valid = False
        if self.kind.data == "organisation":
            if not self.organisation.data:
                self.organisation.errors = [
                    *self.organisation.errors,
                    _l("Choose the organisation."),
                ]
                valid = False
            for field in (self.start, self.end):
                if field.data and not EARLIEST <= field.data <= LATEST:
                    field.errors = [
                        *field.errors,
                        _(
                            "Give a date between %(first)s and %(last)s.",
                            first=format_day(EARLIEST, get_locale()),
                            last=format_day(LATEST, get_locale()),
                        ),
                    ]
                    valid = False
            if self.start.data and self.end.data and self.start.data > self.end.data:
                self.end.errors = [*self.end.errors, _l("The period must end after it starts.")]
                valid = False
        return valid


def report_form(
    session: Session, meeting_id: int | None = None, with_data: bool = False, **options: Any
) -> ReportForm:
    """The request form with its meeting and organisation choices filled in. ``options``
    go to the form (the API passes its body as ``formdata``, without CSRF)."""
    form = (
        ReportForm(**options) if with_data else ReportForm(formdata=None, meeting=meeting_id or 0)
    )
    language = get_locale()
    form.meeting.choices = [(0, str(_l("None")))] + [
        (m.id, f"{meeting_title(m, language)} ({format_day(m.held_on, language)})")
        for m in queries.meeting_choices(session)
    ]
    form.organisation.choices = [(0, str(_l("None")))] + [
        (o.id, f"{o.code} – {org_name(o, language)}") for o in organisations_in_order(session)
    ]
    return form
