"""The meeting status report, in the order the meeting needs it: the figures per term, what
changed (regressions first), the shares not reported, the blockers for decision, then each
recommendation; the matrix and the focal points in annexes. The full log of updates goes to
the workbook only, and the document says so.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workplan.models import BlockerStatus, Meeting, Organisation, Role, Status, User
from workplan.models.base import utcnow
from workplan.reports.document import Report, Table, roman
from workplan.reports.figures import (
    ChangeRow,
    Silent,
    TermFigures,
    apply_narratives,
    blocker_people,
    changes,
    honest_percent,
    last_reported,
    latest_narratives,
    not_reported,
    recommendation_progress,
    term_figures,
)
from workplan.reports.parts import (
    SHARE_KINDS,
    Progress,
    blocker_table,
    heading_block,
    marked,
    matrix_table,
    no_progress,
    share_header,
    share_percent,
    share_rows,
    updates_between,
    updates_table,
)
from workplan.reports.rich import excerpt, parse
from workplan.reports.wording import code_label, long_date, text
from workplan.state.meeting_states import meeting_comparison
from workplan.state.snapshot import BlockerState, Comparison, RecommendationState

# The statuses in the order the tables print them, from not started to done.
STATUS_COLUMNS = (
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.ON_HOLD,
    Status.ONGOING,
    Status.COMPLETED,
)


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
    """The meeting status report (see the module's docstring)."""
    lang = language
    previous, comparison = meeting_comparison(session, meeting, internal=internal)
    current = comparison.current
    apply_narratives(current, latest_narratives(session, meeting.cutoff_at, internal=internal))
    progress(35)
    updates = updates_between(
        session, previous.cutoff_at if previous else None, meeting.cutoff_at, internal=internal
    )
    silent = not_reported(comparison, last_reported(session, meeting.cutoff_at))
    progress(45)
    block = heading_block(lang, internal, meeting.document_symbol, utcnow())
    block.meeting = f"{meeting.title}, {meeting.place}, {long_date(lang, meeting.held_on)}"
    report = Report(
        title=text(lang, "meeting_title"),
        language=lang,
        restricted=internal,
        heading_block=block,
        filename_stem=f"meeting-status-report-{meeting.held_on.isoformat()}-{lang}"
        + ("-internal" if internal else ""),
    )
    figures = term_figures(comparison)
    found = changes(comparison)
    decisions = sorted(current.open_blockers(), key=_decision_order)
    people = blocker_people(session, [b.id for b in decisions])
    report.summary = _summary(lang, comparison, meeting, figures, found, silent, decisions)
    status_tables = _status_by_term(report, comparison, figures)
    changes_table = _changes(report, comparison, found)
    silent_table = _not_reported(report, silent, meeting.cutoff_at)
    blockers = blocker_table(lang, "", decisions, meeting.cutoff_at, people)
    _decisions(report, blockers)
    _recommendations(report, comparison)
    progress(60)
    matrix = matrix_table(lang, current)
    focal_points = _focal_points(session, lang)
    report.page_break(landscape=True)
    report.heading(text(lang, "annexes"))
    report.table(matrix)
    report.page_break()
    report.table(focal_points)
    report.paragraph(text(lang, "log_in_workbook", count=len(updates)), numbered=False)
    shares = Table(
        "",
        share_header(lang),
        share_rows(lang, current),
        sheet=text(lang, "assignments_sheet"),
        kinds=SHARE_KINDS,
    )
    report.csv = shares
    report.sheets = [
        *status_tables,
        changes_table,
        silent_table,
        blockers,
        shares,
        matrix_table(lang, current, symbols=False),
        updates_table(lang, "", updates),
        focal_points,
    ]
    progress(70)
    return report


def _summary(
    lang: str,
    c: Comparison,
    meeting: Meeting,
    figures: list[TermFigures],
    found: list[ChangeRow],
    silent: list[Silent],
    decisions: list[BlockerState],
) -> list[str]:
    """Three sentences: the plan, each term's implementation, what the meeting must look at."""
    terms = "; ".join(
        text(
            lang,
            "term_implemented",
            term=code_label(lang, "term", f.term),
            done=f.implemented,
            shares=f.shares,
            percent=honest_percent(f.implemented, f.shares),
        )
        for f in figures
    )
    kinds = [row.kind for row in found]
    return [
        text(
            lang,
            "meeting_summary",
            cutoff=long_date(lang, meeting.cutoff_at),
            meeting=meeting.title,
            recs=len(c.current.recommendations),
            orgs=len(c.current.organisations),
            shares=len(c.current.shares()),
        ),
        text(lang, "implemented_sentence", terms=terms),
        text(
            lang,
            "attention_sentence",
            completed=kinds.count("newly_completed"),
            regressions=kinds.count("regression"),
            silent=len(silent),
            blockers=len(decisions),
            escalated=sum(1 for b in decisions if b.status == BlockerStatus.ESCALATED),
        ),
    ]


def _status_by_term(report: Report, c: Comparison, figures: list[TermFigures]) -> list[Table]:
    """Two tables: counts of shares, then averages of progress, never mixed."""
    lang = report.language
    report.heading(f"{roman(1)}. {text(lang, 's_status_by_term')}")
    report.paragraph(text(lang, "status_by_term_intro"))
    counts = Table(
        text(lang, "shares_by_status"),
        [
            text(lang, "term"),
            text(lang, "recommendations"),
            text(lang, "shares"),
            *[code_label(lang, "status", s) for s in STATUS_COLUMNS],
            text(lang, "implemented"),
            text(lang, "implemented_before"),
        ],
        [
            [
                code_label(lang, "term", f.term),
                f.recommendations,
                f.shares,
                *[f.by_status.get(s, 0) for s in STATUS_COLUMNS],
                f"{f.implemented} ({honest_percent(f.implemented, f.shares)} %)",
                f"{f.implemented_before} ({honest_percent(f.implemented_before, f.shares)} %)",
            ]
            for f in figures
        ],
        sheet=text(lang, "summary_sheet"),
    )
    report.table(counts)
    report.paragraph(text(lang, "averages_intro"))
    averages = Table(
        text(lang, "average_progress"),
        [text(lang, "term"), text(lang, "average_before"), text(lang, "average_now")],
        [[code_label(lang, "term", f.term), f.average_before, f.average_now] for f in figures],
        sheet=text(lang, "averages_sheet"),
        kinds=("", "percent", "percent"),
    )
    report.table(averages)
    if c.previous.at is None:
        report.paragraph(text(lang, "no_previous"))
    return [counts, averages]


def _transition(lang: str, row: ChangeRow) -> str:
    if row.kind in ("newly_blocked", "unblocked"):
        none = text(lang, "no_open_blocker")
        before = {code_label(lang, "category", b.category) for b in row.before.open_blockers}
        after = {code_label(lang, "category", b.category) for b in row.share.open_blockers}
        return f"{', '.join(sorted(before)) or none} → {', '.join(sorted(after)) or none}"
    return (
        f"{code_label(lang, 'status', row.before.status)} → "
        f"{code_label(lang, 'status', row.share.status)}"
    )


def _changes(report: Report, c: Comparison, found: list[ChangeRow]) -> Table:
    lang = report.language
    report.heading(f"{roman(2)}. {text(lang, 's_changes')}")
    kinds = [row.kind for row in found]
    report.paragraph(
        text(
            lang,
            "changes_counts",
            regressions=kinds.count("regression"),
            completed=kinds.count("newly_completed"),
            blocked=kinds.count("newly_blocked"),
            unblocked=kinds.count("unblocked"),
        )
    )
    table = Table(
        "",
        [
            text(lang, "change"),
            text(lang, "recommendation"),
            text(lang, "organisation"),
            text(lang, "from_to"),
        ],
        [
            [
                text(lang, f"kind_{row.kind}"),
                row.recommendation.code,
                row.share.organisation.code,
                _transition(lang, row),
            ]
            for row in found
        ],
        sheet=text(lang, "changes_sheet"),
    )
    if found:
        report.table(table)
    return table


def time_since(lang: str, last: datetime | None, at: datetime) -> str:
    """How long before the cut-off a share last reported, in days or months."""
    if last is None:
        return text(lang, "never_reported")
    days = max(0, (at - last).days)
    if days < 60:
        return text(lang, "days", n=days)
    return text(lang, "months", n=days * 12 // 365)


def _not_reported(report: Report, silent: list[Silent], cutoff: datetime) -> Table:
    lang = report.language
    report.heading(f"{roman(3)}. {text(lang, 's_not_reported')}")
    table = Table(
        "",
        [
            text(lang, "organisation"),
            text(lang, "recommendation"),
            text(lang, "last_report"),
            text(lang, "time_since"),
        ],
        [
            [
                s.share.organisation.code,
                s.recommendation.code,
                s.last_report,
                time_since(lang, s.last_report, cutoff),
            ]
            for s in silent
        ],
        sheet=text(lang, "not_reported_sheet"),
        kinds=("", "code", "date", ""),
    )
    if not silent:
        report.paragraph(text(lang, "all_reported"))
        return table
    orgs = len({s.share.organisation.id for s in silent})
    report.paragraph(
        text(
            lang,
            "not_reported_intro",
            cutoff=long_date(lang, cutoff),
            shares=len(silent),
            orgs=orgs,
        )
    )
    report.table(table)
    return table


def _decisions(report: Report, blockers: Table) -> None:
    lang = report.language
    report.heading(f"{roman(4)}. {text(lang, 's_decisions')}")
    if not blockers.rows:
        report.paragraph(text(lang, "no_blockers"))
        return
    report.paragraph(text(lang, "decisions_intro"))
    report.table(blockers)


def _recommendations(report: Report, c: Comparison) -> None:
    lang = report.language
    report.heading(f"{roman(5)}. {text(lang, 's_recommendations')}")
    report.paragraph(text(lang, "recommendations_intro"))
    for term, recs in c.current.by_term():
        report.heading(code_label(lang, "term", term), level=2)
        for rec in recs:
            _recommendation(report, rec)


def _recommendation(report: Report, rec: RecommendationState) -> None:
    lang = report.language
    overall = rec.rollup
    if rec.shares and overall.status == Status.COMPLETED:
        # Nothing left to discuss: one line instead of a table.
        report.paragraph(
            text(lang, "completed_line", code=rec.code, title=rec.title, n=len(rec.shares)),
            numbered=False,
        )
        return
    report.heading(f"{rec.code}. {rec.title}", level=3)
    if rec.text:
        report.paragraph(rec.text, numbered=False, style="note")
    leads = [s.organisation.code for s in rec.shares if s.is_lead]
    report.paragraph(
        text(
            lang,
            "overall",
            status=code_label(lang, "status", overall.status),
            progress=recommendation_progress(rec),
            leads=", ".join(leads) or text(lang, "no_lead"),
        ),
        numbered=False,
    )
    if not rec.shares:
        return
    rows = []
    for share in rec.shares:
        latest = marked(lang, "", False)
        if share.narrative:
            latest = excerpt(share.narrative)
            if share.restricted:
                latest = marked(lang, str(latest), True)
        progress = share_percent(share.status, share.progress)
        rows.append(
            [
                share.organisation.code + ("*" if share.is_lead else ""),
                code_label(lang, "status", share.status),
                "" if progress is None else f"{progress} %",
                share.reported_at,
                latest if share.reported_at else text(lang, "no_report"),
            ]
        )
    report.table(
        Table(
            "",
            [
                text(lang, "organisation"),
                text(lang, "status"),
                text(lang, "progress"),
                text(lang, "last_report"),
                text(lang, "latest_report"),
            ],
            rows,
        )
    )
    for share in rec.shares:
        for b in share.open_blockers:
            report.paragraph(
                text(
                    lang,
                    "blocker_line",
                    org=share.organisation.code,
                    category=code_label(lang, "category", b.category),
                    description=str(parse(b.description)),
                )
                + (f" [{text(lang, 'restricted_flag')}]" if b.restricted else ""),
                numbered=False,
                style="item",
            )


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
        sheet=text(lang, "focal_points_sheet"),
    )
