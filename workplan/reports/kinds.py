"""What each kind of report says: the meeting status report (in
:mod:`workplan.reports.meeting`), an organisation's report over a period, and the blockers
report. Each builder reads through a session and returns a
:class:`~workplan.reports.document.Report`; none of them knows about file formats.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext as _n
from sqlalchemy.orm import Session

from workplan.models import Organisation
from workplan.models.base import utcnow
from workplan.reports.document import Report, Table, roman
from workplan.reports.figures import apply_narratives, blocker_people, latest_narratives
from workplan.reports.language import day, in_report_language, of_organisation, percent
from workplan.reports.meeting import meeting_report
from workplan.reports.parts import (
    SHARE_KINDS,
    Progress,
    ReportError,
    blocker_table,
    heading_block,
    no_progress,
    share_header,
    share_rows,
    updates_between,
    updates_table,
    words,
)
from workplan.state.snapshot import snapshot_at

__all__ = ["ReportError", "blockers_report", "meeting_report", "organisation_report"]


@in_report_language
def organisation_report(
    session: Session,
    organisation: Organisation,
    start: datetime,
    end: datetime,
    *,
    language: str,
    internal: bool,
    progress: Progress = no_progress,
) -> Report:
    """An organisation's assignments (as at the end of the period), its reports during the
    period and its blockers."""
    lang = language
    snapshot = snapshot_at(session, end, internal=internal)
    apply_narratives(snapshot, latest_narratives(session, end, internal=internal))
    progress(30)
    mine = [(r, s) for r, s in snapshot.shares() if s.organisation.id == organisation.id]
    updates = updates_between(
        session, start, end, internal=internal, organisation_id=organisation.id
    )
    blockers = [b for _, s in mine for b in s.blockers if b.is_open or b.raised_at > start]
    progress(50)
    report = Report(
        title=_(
            "Report %(of_organisation)s on its implementation of the work plan",
            of_organisation=of_organisation(lang, organisation),
        ),
        language=lang,
        restricted=internal,
        heading_block=heading_block(lang, internal, "", utcnow()),
        filename_stem=f"report-{organisation.code.replace(' ', '-')}-{end.date().isoformat()}"
        f"-{lang}" + ("-internal" if internal else ""),
        words=words(),
    )
    still_open = sum(1 for b in blockers if b.is_open)
    report.summary = [
        " ".join(
            (
                _(
                    "This report covers the period from %(start)s to %(end)s.",
                    start=day(lang, start),
                    end=day(lang, end),
                ),
                _n(
                    "The organisation has a share in %(num)d recommendation of the work plan.",
                    "The organisation has a share in %(num)d recommendations of the work plan.",
                    len(mine),
                ),
                _n(
                    "During the period it sent %(num)d report.",
                    "During the period it sent %(num)d reports.",
                    len(updates),
                ),
                _n(
                    "%(num)d blocker was open at the end of the period.",
                    "%(num)d blockers were open at the end of the period.",
                    still_open,
                ),
            )
        )
    ]
    header = share_header(lang)
    rows = [row for row in share_rows(lang, snapshot) if row[3] == organisation.code]
    assignments = Table("", header, rows, sheet=_("Assignments"), kinds=SHARE_KINDS)
    report.heading(roman(1) + ". " + _("Assignments"))
    printed = [[r[0], r[2], r[5], percent(lang, r[6]), r[8]] for r in rows]  # type: ignore[arg-type]
    report.table(Table("", [header[0], header[2], header[5], header[6], header[8]], printed))
    report.heading(roman(2) + ". " + _("Reports during the period"))
    received = updates_table(lang, "", updates)
    if updates:
        report.table(received)
    else:
        report.paragraph(_("No report during the period."))
    report.heading(roman(3) + ". " + _("Blockers"))
    people = blocker_people(session, [b.id for b in blockers])
    blocker_sheet = blocker_table(lang, "", blockers, end, people)
    if blockers:
        report.table(blocker_sheet)
    else:
        report.paragraph(_("No blocker was open."))
    report.csv = Table("", header, rows)
    report.sheets = [assignments, received, blocker_sheet]
    progress(70)
    return report


@in_report_language
def blockers_report(
    session: Session,
    at: datetime,
    *,
    language: str,
    internal: bool,
    symbol: str = "",
    progress: Progress = no_progress,
) -> Report:
    """Every blocker open at ``at`` (a meeting's cut-off, or now), by recommendation."""
    lang = language
    snapshot = snapshot_at(session, at, internal=internal)
    progress(40)
    blockers = snapshot.open_blockers()
    report = Report(
        title=_("Blockers in the implementation of the work plan"),
        language=lang,
        restricted=internal,
        heading_block=heading_block(lang, internal, symbol, utcnow()),
        filename_stem=f"blockers-{at.date().isoformat()}-{lang}"
        + ("-internal" if internal else ""),
        words=words(),
    )
    report.summary = [
        _n(
            "%(num)d blocker was open on %(at)s.",
            "%(num)d blockers were open on %(at)s.",
            len(blockers),
            at=day(lang, at),
        )
        + " "
        + _("This report lists the open blockers by recommendation.")
    ]
    order = {r.code: i for i, r in enumerate(snapshot.recommendations)}
    blockers.sort(key=lambda b: (order.get(b.recommendation_code, 0), b.raised_at, b.id))
    table = blocker_table(lang, "", blockers, at, blocker_people(session, [b.id for b in blockers]))
    report.heading(roman(1) + ". " + _("Blockers"))
    if blockers:
        report.table(table)
    else:
        report.paragraph(_("No blocker was open."))
    report.csv = table
    report.sheets = [table]
    progress(70)
    return report
