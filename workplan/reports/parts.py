"""The pieces the reports share: the error a requester can act on, the reports received in a
period, the heading block of a UN document, and the tables (assignments, blockers, matrix,
updates) that appear in several reports and as spreadsheet sheets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workplan.models import (
    Assignment,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Status,
    Visibility,
)
from workplan.reports.document import DeferredRows, HeadingBlock, Table, Words
from workplan.reports.figures import BlockerPeople
from workplan.reports.language import code_label, day, report_locale
from workplan.reports.rich import Line, Rich, Span, parse
from workplan.state.rollup import DONE
from workplan.state.snapshot import (
    BlockerState,
    Snapshot,
)

Progress = Callable[[int], None]


class ReportError(Exception):
    """A report cannot be produced for a reason the requester can act on."""


def no_progress(_: int) -> None:
    return None


@dataclass(frozen=True)
class UpdateRow:
    created_at: datetime
    code: str
    org_code: str
    status: str
    progress: int | None
    narrative: str
    restricted: bool


def count_updates_between(
    session: Session, since: datetime | None, until: datetime, *, internal: bool
) -> int:
    """How many progress updates :func:`updates_between` would give (one statement)."""
    stmt = select(func.count(ProgressUpdate.id)).where(ProgressUpdate.created_at <= until)
    if since is not None:
        stmt = stmt.where(ProgressUpdate.created_at > since)
    if not internal:
        stmt = stmt.where(ProgressUpdate.visibility == Visibility.NETWORK)
    return session.scalar(stmt) or 0


def updates_between(
    session: Session,
    since: datetime | None,
    until: datetime,
    *,
    internal: bool,
    organisation_id: int | None = None,
) -> list[UpdateRow]:
    """Progress updates in (since, until], oldest first, in one statement."""
    stmt = (
        select(
            ProgressUpdate.created_at,
            Recommendation.code,
            Organisation.code,
            ProgressUpdate.status,
            ProgressUpdate.progress,
            ProgressUpdate.narrative,
            ProgressUpdate.visibility,
        )
        .join(Assignment, ProgressUpdate.assignment_id == Assignment.id)
        .join(Recommendation, Assignment.recommendation_id == Recommendation.id)
        .join(Organisation, Assignment.organisation_id == Organisation.id)
        .where(ProgressUpdate.created_at <= until)
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
    )
    if since is not None:
        stmt = stmt.where(ProgressUpdate.created_at > since)
    if not internal:
        stmt = stmt.where(ProgressUpdate.visibility == Visibility.NETWORK)
    if organisation_id is not None:
        stmt = stmt.where(Assignment.organisation_id == organisation_id)
    return [
        UpdateRow(at, code, org, status, progress, narrative or "", vis != Visibility.NETWORK)
        for at, code, org, status, progress, narrative, vis in session.execute(stmt)
    ]


def heading_block(lang: str, internal: bool, symbol: str, when: datetime) -> HeadingBlock:
    return HeadingBlock(
        body=_(
            "Focal points for cooperation between United Nations and regional human rights "
            "mechanisms"
        ),
        meeting="",
        symbol=symbol,
        distribution=_("Distr.: RESTRICTED") if internal else _("Distr.: GENERAL"),
        date=day(lang, when),
        original=_("Original: English"),
    )


def words() -> Words:
    """The words the renderers print around the content, in the forced language."""
    return Words(
        summary=_("Summary"),
        contents=_("Contents"),
        restricted_mark=_("RESTRICTED — internal"),
        restricted_flag=_("RESTRICTED"),
        page_of=_("Page %(page)s of %(total)s", page="{page}", total="{total}"),
        yes=_("yes"),
        no=_("no"),
    )


def marked(lang: str, value: str, restricted: bool) -> Rich:
    """A narrative or description as styled text; a restricted one starts with a bold
    "RESTRICTED" so it stands out where it appears, not only at the end of a long text."""
    rich = parse(value)
    if not restricted or not rich.lines:
        return rich
    first, *rest = rich.lines
    flag = Span(f"[{_('RESTRICTED')}] ", bold=True)
    return Rich((Line((flag, *first.spans), first.bullet), *rest))


def share_percent(status: str, progress: int | None) -> int | None:
    """A share's progress as printed: done shares are 100 %, others what they reported."""
    if status in DONE:
        return 100
    return progress


def share_rows(lang: str, snapshot: Snapshot) -> list[list[object]]:
    rows: list[list[object]] = []
    for rec, share in snapshot.shares():
        rows.append(
            [
                rec.code,
                code_label("term", rec.term),
                rec.title,
                share.organisation.code,
                share.is_lead,
                code_label("status", share.status),
                share_percent(share.status, share.progress),
                share.reported_at,
                marked(lang, share.narrative, share.restricted),
                len(share.open_blockers),
            ]
        )
    return rows


SHARE_KINDS = ("code", "", "", "", "", "", "percent", "date", "", "")


def share_header(lang: str) -> list[str]:
    return [
        _("Code"),
        _("Term"),
        _("Title"),
        _("Organisation"),
        _("Lead"),
        _("Status"),
        _("Progress"),
        _("Reported on"),
        _("Latest report"),
        _("Open blockers"),
    ]


def age_in_days(since: datetime, at: datetime) -> int:
    return max(0, (at - since).days)


def blocker_table(
    lang: str,
    title: str,
    blockers: list[BlockerState],
    at: datetime,
    people: dict[int, BlockerPeople] | None = None,
) -> Table:
    """Blockers with what a meeting decides on: how old, the obstacle, the decision asked of
    the meeting, whose help, status and who raised it."""
    people = people or {}
    none = BlockerPeople("", "")
    return Table(
        title,
        [
            _("Age (days)"),
            _("Recommendation"),
            _("Organisation"),
            _("Obstacle"),
            _("Decision asked of the meeting"),
            _("Help requested from"),
            _("Status"),
            _("Raised by"),
            _("Raised on"),
            _("Latest comment"),
        ],
        [
            [
                age_in_days(b.raised_at, at),
                b.recommendation_code,
                b.organisation.code,
                marked(
                    lang,
                    f"**{code_label('category', b.category)}:** {b.description}",
                    b.restricted,
                ),
                parse(people.get(b.id, none).decision_asked),
                people.get(b.id, none).help_from,
                code_label("blocker_status", b.status),
                people.get(b.id, none).raised_by,
                b.raised_at,
                b.last_comment,
            ]
            for b in blockers
        ],
        sheet=_("Blockers"),
        kinds=("", "code", "", "", "", "", "", "", "date", ""),
    )


STATUS_SYMBOLS = {
    "en": {
        Status.COMPLETED: "C",
        Status.ONGOING: "O",
        Status.IN_PROGRESS: "P",
        Status.ON_HOLD: "H",
        Status.NOT_STARTED: "N",
    },
    "fr": {
        Status.COMPLETED: "A",
        Status.ONGOING: "E",
        Status.IN_PROGRESS: "C",
        Status.ON_HOLD: "S",
        Status.NOT_STARTED: "N",
    },
}


def matrix_legend(lang: str) -> str:
    symbols = STATUS_SYMBOLS["fr" if lang == "fr" else "en"]
    parts = [f"{symbol}: {code_label('status', status)}" for status, symbol in symbols.items()]
    return _(
        "Symbols: %(symbols)s. An asterisk (*) marks a lead organisation.",
        symbols="; ".join(parts),
    )


def matrix_table(lang: str, snapshot: Snapshot, *, symbols: bool = True) -> Table:
    """Recommendations by organisation; in print a one-letter symbol per status (17 columns
    fit a landscape page only so), in the workbook the status itself."""
    orgs = [o for o in snapshot.organisations]
    table = STATUS_SYMBOLS["fr" if lang == "fr" else "en"]
    rows = []
    for rec in snapshot.recommendations:
        by_org = {s.organisation.id: s for s in rec.shares}
        cells: list[object] = [rec.code]
        for org in orgs:
            share = by_org.get(org.id)
            if share is None:
                cells.append("")
                continue
            label = table[share.status] if symbols else code_label("status", share.status)
            cells.append(
                label + ("*" if symbols and share.is_lead else " *" if share.is_lead else "")
            )
        rows.append(cells)
    return Table(
        _("Annex I. Recommendations by organisation"),
        [_("Code"), *[o.code for o in orgs]],
        rows,
        sheet=_("Matrix"),
        kinds=("code",),
        legend=matrix_legend(lang) if symbols else _("An asterisk (*) marks a lead organisation."),
    )


def updates_table(
    lang: str, title: str, updates: list[UpdateRow] | Callable[[], list[UpdateRow]]
) -> Table:
    """The log of updates; given a function, the rows are read only when a renderer reads
    them (in the report's language: the function runs outside the builder)."""
    if callable(updates):
        read = updates

        def build() -> list[Sequence[object]]:
            with report_locale(lang):
                return _update_rows(lang, read())

        rows: list[Sequence[object]] | DeferredRows = DeferredRows(build)
    else:
        rows = _update_rows(lang, updates)
    return Table(
        title,
        [
            _("Date"),
            _("Recommendation"),
            _("Organisation"),
            _("Status"),
            _("Progress"),
            _("Narrative"),
        ],
        rows,
        sheet=_("Updates"),
        kinds=("date", "code", "", "", "percent", ""),
    )


def _update_rows(lang: str, updates: list[UpdateRow]) -> list[Sequence[object]]:
    return [
        [
            u.created_at,
            u.code,
            u.org_code,
            code_label("status", u.status),
            u.progress,
            marked(lang, u.narrative, u.restricted),
        ]
        for u in updates
    ]
