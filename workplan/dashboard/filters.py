"""The dashboard's filters: read from the query string, so that every view is a shareable link.

A filter whose value is not valid is ignored (the view shows everything it would have
narrowed), and the page says so next to the field, which keeps what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateField, Form, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from workplan.display import STATUS_LABELS, TERM_LABELS
from workplan.localised import region_name
from workplan.models import Organisation, OrgKind

OHCHR_REGION = "ohchr"  # the region filter's value for the OHCHR units
MAX_STALE_DAYS = 3650


class FilterForm(Form):
    """The filter form (GET, nothing is written: no CSRF token)."""

    term = SelectField(_l("Term"), validate_choice=False)
    region = SelectField(_l("Region"), validate_choice=False)
    org = SelectField(_l("Organisation"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    lead = BooleanField(_l("Lead only"))
    blocked = BooleanField(_l("Open blockers only"))
    stale = IntegerField(
        _l("No update for (days)"),
        validators=[Optional(), NumberRange(min=1, max=MAX_STALE_DAYS)],
    )
    not_reported = BooleanField(_l("Not reported since the cut-off"))
    since = DateField(
        _l("Cut-off date (instead of the last meeting's)"),
        validators=[Optional()],
        description=_l("A date like 2026-01-31."),
    )


@dataclass(frozen=True)
class Filters:
    """The valid filters of a view. Empty values mean "no filter"."""

    term: str = ""
    region: str = ""
    org: str = ""
    status: str = ""
    lead: bool = False
    blocked: bool = False
    stale: int | None = None
    not_reported: bool = False
    since: date | None = None

    def query_args(self) -> dict[str, str]:
        """The filters as a query string mapping: only those set, in a stable order."""
        args: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value in ("", None, False):
                continue
            args[item.name] = "1" if value is True else str(value)
        return args

    @property
    def active(self) -> bool:
        return bool(self.query_args())

    def since_at(self) -> datetime | None:
        """The chosen cut-off as a moment: the start of that day, UTC."""
        if self.since is None:
            return None
        return datetime.combine(self.since, datetime.min.time(), tzinfo=UTC)

    def stale_before(self, now: datetime) -> datetime | None:
        return None if self.stale is None else now - timedelta(days=self.stale)


def region_choices(organisations: list[Organisation]) -> list[tuple[str, str]]:
    """Regions in the network's order, then the OHCHR units."""
    regions: list[str] = []
    for org in organisations:
        if org.kind == OrgKind.RHRM and org.region and org.region not in regions:
            regions.append(org.region)
    return [(r, region_name(r)) for r in regions] + [(OHCHR_REGION, str(_l("OHCHR units")))]


def _invalid(field: Any, value: str, message: Any) -> None:
    field.errors = [*field.errors, str(message) % {"value": value[:60]}]


def parse_filters(
    args: MultiDict[str, str], organisations: list[Organisation]
) -> tuple[Filters, FilterForm]:
    """Valid filters from the query string, and the form to show them (with any errors)."""
    form = FilterForm(args)
    everything = [("", str(_l("All")))]
    form.term.choices = everything + [(k, str(v)) for k, v in TERM_LABELS.items()]
    form.region.choices = everything + region_choices(organisations)
    form.org.choices = everything + [(o.code, o.code) for o in organisations]
    form.status.choices = everything + [(k, str(v)) for k, v in STATUS_LABELS.items()]
    form.validate()
    values: dict[str, Any] = {}
    for name, message in (
        ("term", _l("“%(value)s” is not a term: showing every term.")),
        ("region", _l("“%(value)s” is not a region: showing every region.")),
        ("org", _l("“%(value)s” is not an organisation: showing every organisation.")),
        ("status", _l("“%(value)s” is not a status: showing every status.")),
    ):
        field = form[name]
        value = (field.data or "").strip()
        known = {k for k, _label in field.choices}  # type: ignore[union-attr]
        if value and value not in known:
            # Organisation codes are matched in any letter case, as in the plan's URLs.
            match = next((k for k in known if k.lower() == value.lower()), None)
            if match is None:
                _invalid(field, value, message)
                continue
            value = field.data = match
        values[name] = value
    if form.stale.errors:
        form.stale.errors = [
            str(_l("Give a number of days from 1 to %(max)d.", max=MAX_STALE_DAYS))
        ]
    else:
        values["stale"] = form.stale.data
    if form.since.errors:
        form.since.errors = [str(_l("Give a date like 2026-01-31."))]
    else:
        values["since"] = form.since.data
    for name in ("lead", "blocked", "not_reported"):
        values[name] = bool(form[name].data)
    return Filters(**values), form


def has_errors(form: FilterForm) -> bool:
    return any(field.errors for field in form)
