"""What each kind of report says: the meeting status report, an organisation's report over a
period, and the blockers report. Each builder reads through a session and returns a
:class:`~workplan.reports.document.Report`; none of them knows about file formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workplan.meetings.calendar import previous_meeting
from workplan.meetings.snapshot import (
    BlockerState,
    Comparison,
    Snapshot,
    compare,
    snapshot_at,
)
from workplan.models import (
    Assignment,
    BlockerStatus,
    Meeting,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Role,
    Status,
    User,
    Visibility,
)
from workplan.models.base import utcnow
from workplan.reports.document import Paragraph, Report, Table, roman
from workplan.reports.wording import code_label, long_date, organisation_name, text

Progress = Callable[[int], None]


class ReportError(Exception):
    """A report cannot be produced for a reason the requester can act on."""


def _no_progress(_: int) -> None:
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
        stmt = stmt.where(ProgressUpdate.visibility != Visibility.RESTRICTED)
    if organisation_id is not None:
        stmt = stmt.where(Assignment.organisation_id == organisation_id)
    return [
        UpdateRow(at, code, org, status, progress, narrative or "", vis == Visibility.RESTRICTED)
        for at, code, org, status, progress, narrative, vis in session.execute(stmt)
    ]


def _heading_block(lang: str, internal: bool, symbol: str, when: datetime) -> list[str]:
    lines = [text(lang, "network")]
    if symbol:
        lines.append(symbol)
    lines += [
        text(lang, "distr_restricted" if internal else "distr_general"),
        long_date(lang, when),
        text(lang, "original"),
    ]
    return lines


def _marked(lang: str, value: str, restricted: bool) -> str:
    return f"{value} [{text(lang, 'restricted')}]" if restricted and value else value


def _share_rows(lang: str, snapshot: Snapshot) -> list[list[object]]:
    rows: list[list[object]] = []
    for rec, share in snapshot.shares():
        rows.append(
            [
                rec.code,
                code_label(lang, "term", rec.term),
                rec.title,
                share.organisation.code,
                share.is_lead,
                code_label(lang, "status", share.status),
                share.progress,
                share.reported_at,
                _marked(lang, share.narrative, share.restricted),
                len(share.open_blockers),
            ]
        )
    return rows


def _share_header(lang: str) -> list[str]:
    return [
        text(lang, "code"),
        text(lang, "term"),
        text(lang, "title"),
        text(lang, "organisation"),
        text(lang, "lead"),
        text(lang, "status"),
        text(lang, "progress"),
        text(lang, "reported_on"),
        text(lang, "latest_report"),
        text(lang, "open_blockers"),
    ]


def _blocker_table(lang: str, title: str, blockers: list[BlockerState]) -> Table:
    return Table(
        title,
        [
            text(lang, "recommendation"),
            text(lang, "organisation"),
            text(lang, "category"),
            text(lang, "description"),
            text(lang, "status"),
            text(lang, "raised_on"),
            text(lang, "last_comment"),
        ],
        [
            [
                b.recommendation_code,
                b.organisation.code,
                code_label(lang, "category", b.category),
                _marked(lang, b.description, b.restricted),
                code_label(lang, "blocker_status", b.status),
                long_date(lang, b.raised_at),
                b.last_comment,
            ]
            for b in blockers
        ],
        widths=(1, 1.2, 1.5, 4, 1.3, 1.5, 2.5),
        sheet=text(lang, "blockers_sheet"),
    )


def _matrix(lang: str, snapshot: Snapshot) -> Table:
    orgs = [o for o in snapshot.organisations]
    rows = []
    for rec in snapshot.recommendations:
        by_org = {s.organisation.id: s for s in rec.shares}
        cells: list[object] = [rec.code]
        for org in orgs:
            share = by_org.get(org.id)
            label = code_label(lang, "status", share.status) if share else ""
            cells.append(label + (" *" if share and share.is_lead else ""))
        rows.append(cells)
    return Table(
        text(lang, "annex_matrix"),
        [text(lang, "code"), *[o.code for o in orgs]],
        rows,
        widths=(1, *[1] * len(orgs)),
        sheet=text(lang, "matrix_sheet"),
    )


def _updates_table(lang: str, title: str, updates: list[UpdateRow]) -> Table:
    return Table(
        title,
        [
            text(lang, "date"),
            text(lang, "recommendation"),
            text(lang, "organisation"),
            text(lang, "status"),
            text(lang, "progress"),
            text(lang, "narrative"),
        ],
        [
            [
                u.created_at,
                u.code,
                u.org_code,
                code_label(lang, "status", u.status),
                u.progress,
                _marked(lang, u.narrative, u.restricted),
            ]
            for u in updates
        ],
        widths=(1.6, 1, 1.2, 1.4, 1, 5),
        sheet=text(lang, "updates_sheet"),
    )


def _for_print(table: Table, lang: str) -> Table:
    """Dates in a printed table are written out; spreadsheets keep real dates."""
    rows = [
        [long_date(lang, v) if isinstance(v, datetime) else v for v in row] for row in table.rows
    ]
    return Table(table.title, table.header, rows, table.widths, table.sheet)


def _decision_order(b: BlockerState) -> tuple[int, datetime, int]:
    return (0 if b.status == BlockerStatus.ESCALATED else 1, b.raised_at, b.id)


def meeting_report(
    session: Session,
    meeting: Meeting,
    *,
    language: str,
    internal: bool,
    progress: Progress = _no_progress,
) -> Report:
    """The meeting status report: summary, each recommendation, who did not report, the
    blockers for decision, and the annexes (matrix, reports received, focal points)."""
    lang = language
    previous = previous_meeting(session, meeting)
    current = snapshot_at(session, meeting.cutoff_at, internal=internal)
    progress(20)
    before = snapshot_at(session, previous.cutoff_at if previous else None, internal=internal)
    comparison = compare(session, current, before)
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
        heading_block=_heading_block(lang, internal, meeting.document_symbol, utcnow()),
        filename_stem=f"meeting-status-report-{meeting.held_on.isoformat()}-{lang}"
        + ("-internal" if internal else ""),
    )
    report.heading_block.insert(
        1, f"{meeting.title}, {meeting.place}, {long_date(lang, meeting.held_on)}"
    )
    _summary(report, comparison, meeting, cutoff)
    _status_by_term(report, comparison)
    _recommendations(report, current)
    progress(60)
    _not_reported(report, comparison, cutoff)
    decisions = sorted(current.open_blockers(), key=_decision_order)
    _decisions(report, decisions)
    matrix = _matrix(lang, current)
    updates_table = _updates_table(lang, text(lang, "annex_updates"), updates)
    focal_points = _focal_points(session, lang)
    report.page_break()
    report.heading(text(lang, "annexes"))
    for annex in (matrix, updates_table, focal_points):
        report.table(_for_print(annex, lang))
    report.csv = Table("", _share_header(lang), _share_rows(lang, current))
    report.sheets = [
        _summary_sheet(report, comparison, meeting),
        matrix,
        Table("", _share_header(lang), report.csv.rows, sheet=text(lang, "assignments_sheet")),
        updates_table,
        _blocker_table(lang, "", current.open_blockers()),
    ]
    progress(70)
    return report


def _summary(report: Report, c: Comparison, meeting: Meeting, cutoff: str) -> None:
    lang = report.language
    terms = " ".join(
        text(lang, "term_progress", term=code_label(lang, "term", t), progress=now)
        for t, _, now, _ in c.term_progress()
    )
    open_blockers = c.current.open_blockers()
    decision = [b for b in open_blockers if b.status == BlockerStatus.ESCALATED]
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
        decision=len(decision) or len(open_blockers),
    )
    report.summary = [sentence]


def _summary_sheet(report: Report, c: Comparison, meeting: Meeting) -> Table:
    lang = report.language
    statuses = list(Status)
    rows: list[list[object]] = [
        [text(lang, "meeting"), meeting.title],
        [text(lang, "place"), meeting.place],
        [text(lang, "cutoff"), meeting.cutoff_at],
        [
            text(lang, "version"),
            text(lang, "internal_version" if report.restricted else "circulation_version"),
        ],
        [],
        [
            text(lang, "term"),
            *[code_label(lang, "status", s) for s in statuses],
            text(lang, "previous_cutoff"),
            text(lang, "this_cutoff"),
        ],
    ]
    for term, before, now, counts in c.term_progress():
        rows.append(
            [
                code_label(lang, "term", term),
                *[counts.get(s, 0) for s in statuses],
                before / 100,
                now / 100,
            ]
        )
    rows += [[], *[[line] for line in report.summary]]
    return Table("", [text(lang, "summary_sheet"), ""], rows, sheet=text(lang, "summary_sheet"))


def _status_by_term(report: Report, c: Comparison) -> None:
    lang = report.language
    report.heading(f"{roman(1)}. {text(lang, 's_status_by_term')}")
    report.paragraph(text(lang, "status_by_term_intro"))
    statuses = list(Status)
    rows = []
    for term, before, now, counts in c.term_progress():
        rows.append(
            [
                code_label(lang, "term", term),
                *[counts.get(s, 0) for s in statuses],
                f"{before} %",
                f"{now} %",
            ]
        )
    report.table(
        Table(
            "",
            [
                text(lang, "term"),
                *[code_label(lang, "status", s) for s in statuses],
                text(lang, "previous_cutoff"),
                text(lang, "this_cutoff"),
            ],
            rows,
            widths=(2.4, *[1] * len(statuses), 1.2, 1.2),
        )
    )
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
    for change in c.newly_completed:
        report.paragraph(
            f"{change.recommendation.code} – {change.share.organisation.code}: "
            f"{code_label(lang, 'status', change.before.status)} → "
            f"{code_label(lang, 'status', change.share.status)}",
            numbered=False,
            style="item",
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
                    _marked(lang, share.narrative, share.restricted)
                    if share.reported_at
                    else text(lang, "no_report")
                )
                if share.reported_at:
                    report_text = f"{long_date(lang, share.reported_at)}: {report_text}"
                blockers = "; ".join(
                    _marked(
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
    report.table(_blocker_table(lang, "", blockers))


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
        sheet=text(lang, "annex_focal_points")[:31],
    )


def organisation_report(
    session: Session,
    organisation: Organisation,
    start: datetime,
    end: datetime,
    *,
    language: str,
    internal: bool,
    progress: Progress = _no_progress,
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
        heading_block=_heading_block(lang, internal, "", utcnow()),
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
    header = _share_header(lang)
    rows = [row for row in _share_rows(lang, snapshot) if row[3] == organisation.code]
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
    updates_table = _updates_table(lang, "", updates)
    if updates:
        report.table(_for_print(updates_table, lang))
    else:
        report.paragraph(text(lang, "no_updates"))
    report.heading(f"{roman(3)}. {text(lang, 's_blockers')}")
    blocker_table = _blocker_table(lang, "", blockers)
    if blockers:
        report.table(blocker_table)
    else:
        report.paragraph(text(lang, "no_blockers"))
    report.csv = Table("", header, rows)
    report.sheets = [assignments, updates_table, blocker_table]
    progress(70)
    return report


def blockers_report(
    session: Session,
    at: datetime,
    *,
    language: str,
    internal: bool,
    symbol: str = "",
    progress: Progress = _no_progress,
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
        heading_block=_heading_block(lang, internal, symbol, utcnow()),
        filename_stem=f"blockers-{at.date().isoformat()}-{lang}"
        + ("-internal" if internal else ""),
    )
    report.summary = [text(lang, "blockers_summary", count=len(blockers), at=long_date(lang, at))]
    order = {r.code: i for i, r in enumerate(snapshot.recommendations)}
    blockers.sort(key=lambda b: (order.get(b.recommendation_code, 0), b.raised_at, b.id))
    table = _blocker_table(lang, "", blockers)
    report.heading(f"{roman(1)}. {text(lang, 's_blockers')}")
    if blockers:
        report.table(table)
    else:
        report.paragraph(text(lang, "no_blockers"))
    report.csv = table
    report.sheets = [table]
    progress(70)
    return report


__all__ = [
    "Paragraph",
    "ReportError",
    "blockers_report",
    "meeting_report",
    "organisation_report",
    "updates_between",
]
