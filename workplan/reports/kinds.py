"""What each kind of report says: the meeting status report, an organisation's report over a
period, and the blockers report. Each builder reads through a session and returns a
:class:`~workplan.reports.document.Report`; none of them knows about file formats.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workplan.meetings.queries import meeting_comparison
from workplan.meetings.snapshot import BlockerState, Comparison, Snapshot, TermProgress, snapshot_at
from workplan.models import BlockerStatus, Meeting, Organisation, Role, Status, User
from workplan.models.base import utcnow
from workplan.reports.document import Report, Table, roman
from workplan.reports.parts import (
    Progress,
    ReportError,
    blocker_table,
    heading_block,
    marked,
    matrix_table,
    no_progress,
    share_header,
    share_rows,
    updates_between,
    updates_table,
)
from workplan.reports.wording import code_label, long_date, organisation_name, text

__all__ = ["ReportError", "blockers_report", "meeting_report", "organisation_report"]


def _decision_order(b: BlockerState) -> tuple[int, datetime, int]:
    return (0 if b.status == BlockerStatus.ESCALATED else 1, b.raised_at, b.id)


def meeting_report(
    session: Session,
    meeting: Meeting,
    *,
    language: str,
    internal: bool,
    progress: Progress = no_progress,
) -> Report:
    """The meeting status report: summary, each recommendation, who did not report, the
    blockers for decision, and the annexes (matrix, reports received, focal points)."""
    lang = language
    previous, comparison = meeting_comparison(session, meeting, internal=internal)
    current = comparison.current
    progress(35)
    updates = updates_between(
        session, previous.cutoff_at if previous else None, meeting.cutoff_at, internal=internal
    )
    progress(45)
    cutoff = long_date(lang, meeting.cutoff_at)
    report = Report(
        title=text(lang, "meeting_title"),
        language=lang,
        restricted=internal,
        heading_block=heading_block(lang, internal, meeting.document_symbol, utcnow()),
        filename_stem=f"meeting-status-report-{meeting.held_on.isoformat()}-{lang}"
        + ("-internal" if internal else ""),
    )
    report.heading_block.insert(
        1, f"{meeting.title}, {meeting.place}, {long_date(lang, meeting.held_on)}"
    )
    terms = comparison.term_progress()
    open_blockers = current.open_blockers()
    _summary(report, comparison, meeting, cutoff, terms, open_blockers)
    _status_by_term(report, comparison, terms)
    _recommendations(report, current)
    progress(60)
    _not_reported(report, comparison, cutoff)
    decisions = sorted(open_blockers, key=_decision_order)
    _decisions(report, decisions)
    matrix = matrix_table(lang, current)
    received = updates_table(lang, text(lang, "annex_updates"), updates)
    focal_points = _focal_points(session, lang)
    report.page_break()
    report.heading(text(lang, "annexes"))
    for annex in (matrix, received, focal_points):
        report.table(annex)
    report.csv = Table("", share_header(lang), share_rows(lang, current))
    report.sheets = [
        _summary_sheet(report, meeting, terms),
        matrix,
        Table("", share_header(lang), report.csv.rows, sheet=text(lang, "assignments_sheet")),
        received,
        blocker_table(lang, "", open_blockers),
    ]
    progress(70)
    return report


def _summary(
    report: Report,
    c: Comparison,
    meeting: Meeting,
    cutoff: str,
    term_progress: list[TermProgress],
    open_blockers: list[BlockerState],
) -> None:
    lang = report.language
    terms = " ".join(
        text(lang, "term_progress", term=code_label(lang, "term", t), progress=now)
        for t, _, now, _ in term_progress
    )
    escalated = [b for b in open_blockers if b.status == BlockerStatus.ESCALATED]
    sentence = text(
        lang,
        "meeting_summary",
        cutoff=cutoff,
        meeting=meeting.title,
        recs=len(c.current.recommendations),
        orgs=len(c.current.organisations),
        terms=terms,
        moved=len(c.moved),
        completed=len(c.newly_completed),
        blockers=len(open_blockers),
        escalated=len(escalated),
    )
    report.summary = [sentence]


def _term_table(lang: str, terms: list[TermProgress]) -> tuple[list[str], list[list[object]]]:
    """Header and rows of the status-by-term table, printed in the report and in its sheet."""
    statuses = list(Status)
    header = [
        text(lang, "term"),
        *[code_label(lang, "status", s) for s in statuses],
        text(lang, "previous_cutoff"),
        text(lang, "this_cutoff"),
    ]
    rows: list[list[object]] = [
        [code_label(lang, "term", term), *[counts.get(s, 0) for s in statuses], before, now]
        for term, before, now, counts in terms
    ]
    return header, rows


def _summary_sheet(report: Report, meeting: Meeting, terms: list[TermProgress]) -> Table:
    lang = report.language
    header, term_rows = _term_table(lang, terms)
    rows: list[list[object]] = [
        [text(lang, "meeting"), meeting.title],
        [text(lang, "place"), meeting.place],
        [text(lang, "cutoff"), meeting.cutoff_at],
        [
            text(lang, "version"),
            text(lang, "internal_version" if report.restricted else "circulation_version"),
        ],
        [],
        header,
        *term_rows,
        [],
        *[[line] for line in report.summary],
    ]
    return Table("", [text(lang, "summary_sheet"), ""], rows, sheet=text(lang, "summary_sheet"))


def _status_by_term(report: Report, c: Comparison, terms: list[TermProgress]) -> None:
    lang = report.language
    report.heading(f"{roman(1)}. {text(lang, 's_status_by_term')}")
    report.paragraph(text(lang, "status_by_term_intro"))
    header, rows = _term_table(lang, terms)
    report.table(Table("", header, rows, widths=(2.4, *[1] * len(Status), 1.2, 1.2)))
    report.heading(text(lang, "s_changes"), level=2)
    if c.previous.at is None:
        report.paragraph(text(lang, "no_previous"))
    report.paragraph(
        text(
            lang,
            "changes_counts",
            moved=len(c.moved),
            completed=len(c.newly_completed),
            blocked=len(c.newly_blocked),
            unblocked=len(c.unblocked),
        )
    )
    rows = [
        [
            change.recommendation.code,
            change.share.organisation.code,
            code_label(lang, "status", change.before.status),
            code_label(lang, "status", change.share.status),
            text(lang, what),
        ]
        for what, changes in (
            ("newly_completed", c.newly_completed),
            ("newly_blocked", c.newly_blocked),
            ("unblocked", c.unblocked),
        )
        for change in changes
    ]
    if rows:
        report.table(
            Table(
                "",
                [
                    text(lang, "recommendation"),
                    text(lang, "organisation"),
                    text(lang, "status_before"),
                    text(lang, "status"),
                    text(lang, "change"),
                ],
                rows,
                widths=(1.3, 1.4, 1.6, 1.6, 1.6),
            )
        )


def _recommendations(report: Report, snapshot: Snapshot) -> None:
    lang = report.language
    report.heading(f"{roman(2)}. {text(lang, 's_recommendations')}")
    for term, recs in snapshot.by_term():
        report.heading(code_label(lang, "term", term), level=2)
        for rec in recs:
            overall = rec.rollup
            report.heading(f"{rec.code}. {rec.title}", level=3)
            report.paragraph(
                text(
                    lang,
                    "overall",
                    status=code_label(lang, "status", overall.status),
                    progress=overall.progress,
                )
            )
            rows = []
            for share in rec.shares:
                org = share.organisation.code + (
                    f" ({text(lang, 'lead')})" if share.is_lead else ""
                )
                report_text = (
                    marked(lang, share.narrative, share.restricted)
                    if share.reported_at
                    else text(lang, "no_report")
                )
                if share.reported_at:
                    report_text = f"{long_date(lang, share.reported_at)}: {report_text}"
                blockers = "; ".join(
                    marked(
                        lang,
                        f"{code_label(lang, 'category', b.category)}: {b.description}",
                        b.restricted,
                    )
                    for b in share.open_blockers
                )
                progress = "" if share.progress is None else f"{share.progress} %"
                rows.append(
                    [org, code_label(lang, "status", share.status), progress, report_text, blockers]
                )
            report.table(
                Table(
                    "",
                    [
                        text(lang, "organisation"),
                        text(lang, "status"),
                        text(lang, "progress"),
                        text(lang, "latest_report"),
                        text(lang, "open_blockers"),
                    ],
                    rows,
                    widths=(1.6, 1.4, 1, 4.5, 3),
                )
            )


def _not_reported(report: Report, c: Comparison, cutoff: str) -> None:
    lang = report.language
    report.heading(f"{roman(3)}. {text(lang, 's_not_reported')}")
    if not c.not_reported:
        report.paragraph(text(lang, "all_reported"))
        return
    report.paragraph(text(lang, "not_reported_intro", cutoff=cutoff))
    for org in c.not_reported:
        report.paragraph(
            f"{org.code} – {organisation_name(lang, org)}", numbered=False, style="item"
        )


def _decisions(report: Report, blockers: list[BlockerState]) -> None:
    lang = report.language
    report.heading(f"{roman(4)}. {text(lang, 's_decisions')}")
    if not blockers:
        report.paragraph(text(lang, "no_blockers"))
        return
    report.paragraph(text(lang, "decisions_intro"))
    report.table(blocker_table(lang, "", blockers))


def _focal_points(session: Session, lang: str) -> Table:
    rows = session.execute(
        select(Organisation.code, User.name, User.email)
        .join(User, User.organisation_id == Organisation.id)
        .where(User.role == Role.FOCAL_POINT, User.active.is_(True))
        .order_by(Organisation.position, Organisation.code, User.name)
    ).all()
    return Table(
        text(lang, "annex_focal_points"),
        [text(lang, "organisation"), text(lang, "name"), text(lang, "email")],
        [list(r) for r in rows],
        widths=(1.5, 3, 3.5),
        sheet=text(lang, "annex_focal_points"),
    )


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
    assignments = Table(
        "",
        header,
        rows,
        widths=(0.8, 1.5, 3, 1, 0.6, 1.3, 0.8, 1.5, 4, 0.8),
        sheet=text(lang, "assignments_sheet"),
    )
    report.heading(f"{roman(1)}. {text(lang, 's_assignments')}")
    printed = [[r[0], r[2], r[5], "" if r[6] is None else f"{r[6]} %", r[8]] for r in rows]
    report.table(
        Table(
            "",
            [header[0], header[2], header[5], header[6], header[8]],
            printed,
            widths=(0.8, 3, 1.3, 0.8, 4.5),
        )
    )
    report.heading(f"{roman(2)}. {text(lang, 's_updates')}")
    received = updates_table(lang, "", updates)
    if updates:
        report.table(received)
    else:
        report.paragraph(text(lang, "no_updates"))
    report.heading(f"{roman(3)}. {text(lang, 's_blockers')}")
    blocker_sheet = blocker_table(lang, "", blockers)
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
    table = blocker_table(lang, "", blockers)
    report.heading(f"{roman(1)}. {text(lang, 's_blockers')}")
    if blockers:
        report.table(table)
    else:
        report.paragraph(text(lang, "no_blockers"))
    report.csv = table
    report.sheets = [table]
    progress(70)
    return report
