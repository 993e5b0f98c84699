"""Forms of the reporting feature. Every form carries the CSRF token (FlaskForm)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from workplan.display import STATUS_LABELS
from workplan.reporting.attachments import ACCEPT_ATTRIBUTE, AcceptedFile
from workplan.reporting.labels import CATEGORY_LABELS, VISIBILITY_LABELS
from workplan.reporting.services import UpdateInput

MAX_LINKS = 20
UNSAFE_IN_LINKS = set('"<>\\^`{|}')


def choices(labels: dict[str, object]) -> list[SelectChoice]:
    """Choices from a code -> label mapping (labels stay lazy, translated when shown)."""
    return [SelectChoice(value, label) for value, label in labels.items()]  # type: ignore[arg-type]


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def split_links(text: str | None) -> list[str]:
    """Evidence links as typed: one per line (blank lines ignored)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def validate_links(form: FlaskForm, field: TextAreaField) -> None:
    """Each link a web address. The message quoting a link is a plain ``str`` (``gettext``),
    which templates escape: see :mod:`workplan.display` on messages with values."""
    links = split_links(field.data)
    if len(links) > MAX_LINKS:
        raise ValidationError(_("Give at most %(n)d links.", n=MAX_LINKS))
    for link in links:
        parts = urlsplit(link)
        # Characters a web address never holds unencoded (RFC 3986): quotes, angle brackets,
        # spaces... A link with them is a typing slip or an attempt at markup.
        unsafe = any(c in UNSAFE_IN_LINKS or c.isspace() or ord(c) < 32 for c in link)
        if parts.scheme not in {"http", "https"} or not parts.netloc or unsafe:
            raise ValidationError(
                _("“%(link)s” is not a web address starting with https://", link=link[:100])
            )
        if len(link) > 2000:
            raise ValidationError(_l("A link is too long."))


def _visibility_field() -> RadioField:
    return RadioField(
        _l("Who can see this"),
        choices=choices(VISIBILITY_LABELS),
        default="network",
        validators=[DataRequired(_l("Choose who can see this."))],
    )


class UpdateForm(FlaskForm):
    version = HiddenField(filters=[_int_or_none])
    last_seen = HiddenField(filters=[_int_or_none])
    status = SelectField(
        _l("Status"),
        choices=choices(STATUS_LABELS),
        validators=[DataRequired(_l("Choose a status."))],
        description=_l("“Ongoing practice”: a recurring practice that is now in place."),
    )
    progress = IntegerField(
        _l("Progress (%) (optional)"),
        description=_l("Completed is recorded as 100 %."),
        validators=[
            Optional(),
            NumberRange(0, 100, message=_l("Give a whole number from 0 to 100.")),
        ],
        render_kw={"inputmode": "numeric", "min": 0, "max": 100},
    )
    narrative = TextAreaField(
        _l("What has been done"),
        validators=[Length(max=20000)],
        description=_l(
            "Plain text. You may use **bold**, *italics*, lists (lines starting with -) and links."
        ),
    )
    evidence_links = TextAreaField(
        _l("Evidence links (optional)"),
        validators=[validate_links],
        description=_l("Web addresses of documents or pages, one per line."),
        render_kw={"rows": 3},
    )
    attachments = MultipleFileField(
        _l("Files (optional)"),
        render_kw={"accept": ACCEPT_ATTRIBUTE},
    )
    visibility = _visibility_field()
    # Shown only when the public portal is on; names and files are never published.
    public = BooleanField(_l("Publish this narrative on the public page (never names or files)"))
    submit = SubmitField(_l("Save this report"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        mb = current_app.config["MAX_ATTACHMENT_BYTES"] // (1024 * 1024)
        self.attachments.description = _(
            "PDF, Word, Excel, OpenDocument, PNG, JPEG, plain text or CSV; "
            "at most %(mb)d MB in all.",
            mb=mb,
        )

    def validate_progress(self, field: IntegerField) -> None:
        """Completed means done: 100 %, or left blank (then recorded as 100 %)."""
        if self.status.data == "completed" and field.data not in (None, 100):
            raise ValidationError(
                _l("A completed share is at 100 %: leave the progress blank or give 100.")
            )

    def to_input(self, files: list[AcceptedFile] | None = None) -> UpdateInput:
        """The validated report as the reporting service takes it (pages and API alike)."""
        return UpdateInput(
            status=self.status.data,
            progress=self.progress.data,
            narrative=self.narrative.data or "",
            evidence_links=split_links(self.evidence_links.data),
            visibility=self.visibility.data,
            files=files or [],
            public=bool(self.public.data),
        )


class ConfirmForm(FlaskForm):
    version = HiddenField(filters=[_int_or_none])
    last_seen = HiddenField(filters=[_int_or_none])
    submit = SubmitField(_l("No change since my last report"))


class BlockerForm(FlaskForm):
    category = SelectField(
        _l("What kind of obstacle"),
        choices=choices(CATEGORY_LABELS),
        validators=[DataRequired(_l("Choose a kind of obstacle."))],
    )
    description = TextAreaField(
        _l("Describe the obstacle"),
        validators=[
            DataRequired(_l("Describe the obstacle in a few words.")),
            Length(max=5000),
        ],
        render_kw={"rows": 4},
    )
    help_organisation = SelectField(
        _l("Organisation whose help is needed (optional)"),
        coerce=int,
        choices=[],
        validate_choice=True,
    )
    decision_asked = TextAreaField(
        _l("What do you ask the meeting to decide? (optional)"),
        description=_l("Printed in the meeting report's table of blockers for decision."),
        validators=[Length(max=2000)],
        render_kw={"rows": 2},
    )
    visibility = _visibility_field()
    submit = SubmitField(_l("Raise this blocker"))

    def blocker_fields(self) -> dict[str, Any]:
        """The validated blocker as ``services.raise_blocker``'s keyword arguments."""
        return {
            "category": self.category.data,
            "description": self.description.data,
            "help_organisation_id": self.help_organisation.data or None,
            "visibility": self.visibility.data,
            "decision_asked": self.decision_asked.data or "",
        }


class BlockerActionForm(FlaskForm):
    version = HiddenField(filters=[_int_or_none])
    # No action is chosen in advance: the first allowed one can be "resolve", and a form that
    # defaults to it resolves a blocker by mistake on one careless click.
    action = SelectField(
        _l("Action"), choices=[], validators=[InputRequired(_l("Choose an action."))]
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=5000)], render_kw={"rows": 2})
    submit = SubmitField(_l("Record"))

    def validate_comment(self, field: TextAreaField) -> None:
        if self.action.data == "comment" and not (field.data or "").strip():
            raise ValidationError(_l("Write the comment."))
