"""What each kind of report says: the meeting status report (in
:mod:`workplan.reports.meeting`), an organisation's report over a period, and the blockers
report. Each builder reads through a session and returns a
:class:`~workplan.reports.document.Report`; none of them knows about file formats.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from workplan.models import Organisation
from workplan.models.base import utcnow
from workplan.reports.document import Report, Table, roman
from workplan.reports.figures import apply_narratives, blocker_people, latest_narratives
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
)
from workplan.reports.wording import long_date, organisation_name, text
from workplan.state.snapshot import snapshot_at

__all__ = ["ReportError", "blockers_report", "meeting_report", "organisation_report"]


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
    name = organisation_name(lang, organisation)
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
        title=text(lang, "org_title", org=name),
        language=lang,
        restricted=internal,
        heading_block=heading_block(lang, internal, "", utcnow()),
        filename_stem=f"report-{organisation.code.replace(' ', '-')}-{end.date().isoformat()}"
        f"-{lang}" + ("-internal" if internal else ""),
    )
    report.summary = [
        text(
            lang,
            "org_summary",
            start=long_date(lang, start),
            end=long_date(lang, end),
            org=name,
            count=len(mine),
            updates=len(updates),
            blockers=sum(1 for b in blockers if b.is_open),
        )
    ]
    header = share_header(lang)
    rows = [row for row in share_rows(lang, snapshot) if row[3] == organisation.code]
    assignments = Table("", header, rows, sheet=text(lang, "assignments_sheet"), kinds=SHARE_KINDS)
    report.heading(f"{roman(1)}. {text(lang, 's_assignments')}")
    printed = [[r[0], r[2], r[5], "" if r[6] is None else f"{r[6]} %", r[8]] for r in rows]
    report.table(Table("", [header[0], header[2], header[5], header[6], header[8]], printed))
    report.heading(f"{roman(2)}. {text(lang, 's_updates')}")
    received = updates_table(lang, "", updates)
    if updates:
        report.table(received)
    else:
        report.paragraph(text(lang, "no_updates"))
    report.heading(f"{roman(3)}. {text(lang, 's_blockers')}")
    people = blocker_people(session, [b.id for b in blockers])
    blocker_sheet = blocker_table(lang, "", blockers, end, people)
    if blockers:
        report.table(blocker_sheet)
    else:
        report.paragraph(text(lang, "no_blockers"))
    report.csv = Table("", header, rows)
    report.sheets = [assignments, received, blocker_sheet]
    progress(70)
    return report


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
        title=text(lang, "blockers_title"),
        language=lang,
        restricted=internal,
        heading_block=heading_block(lang, internal, symbol, utcnow()),
        filename_stem=f"blockers-{at.date().isoformat()}-{lang}"
        + ("-internal" if internal else ""),
    )
    report.summary = [text(lang, "blockers_summary", count=len(blockers), at=long_date(lang, at))]
    order = {r.code: i for i, r in enumerate(snapshot.recommendations)}
    blockers.sort(key=lambda b: (order.get(b.recommendation_code, 0), b.raised_at, b.id))
    table = blocker_table(lang, "", blockers, at, blocker_people(session, [b.id for b in blockers]))
    report.heading(f"{roman(1)}. {text(lang, 's_blockers')}")
    if blockers:
        report.table(table)
    else:
        report.paragraph(text(lang, "no_blockers"))
    report.csv = table
    report.sheets = [table]
    progress(70)
    return report
