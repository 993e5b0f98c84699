"""The meeting status report, in the order the meeting needs it: the figures per term, what
changed (regressions first), the shares not reported, the blockers for decision, then each
recommendation; the matrix and the focal points in annexes. The full log of updates goes to
the workbook only, and the document says so.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext as _n
from sqlalchemy import select
from sqlalchemy.orm import Session

from workplan.models import BlockerStatus, Meeting, Organisation, Role, Status, User
from workplan.models.base import utcnow
from workplan.reports.chart import Bar, progress_chart
from workplan.reports.document import Figure, Report, Table, roman
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
from workplan.reports.language import (
    code_label,
    day,
    in_report_language,
    meeting_place,
    meeting_title,
    percent,
)
from workplan.reports.parts import (
    SHARE_KINDS,
    Progress,
    blocker_table,
    count_updates_between,
    heading_block,
    marked,
    matrix_table,
    no_progress,
    share_header,
    share_percent,
    share_rows,
    updates_between,
    updates_table,
    words,
)
from workplan.reports.rich import excerpt, parse
from workplan.reports.sentences import (
    changes_sentence,
    kind_label,
    log_in_workbook,
    summary,
    time_since,
)
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


@in_report_language
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
    since = previous.cutoff_at if previous else None
    received = count_updates_between(session, since, meeting.cutoff_at, internal=internal)
    silent = not_reported(comparison, last_reported(session, meeting.cutoff_at))
    progress(45)
    block = heading_block(lang, internal, meeting.document_symbol, utcnow())
    block.meeting = ", ".join(
        part
        for part in (
            meeting_title(lang, meeting),
            meeting_place(lang, meeting),
            day(lang, meeting.held_on),
        )
        if part
    )
    report = Report(
        title=_("Status of the work plan at the reporting cut-off"),
        language=lang,
        restricted=internal,
        heading_block=block,
        filename_stem=f"meeting-status-report-{meeting.held_on.isoformat()}-{lang}"
        + ("-internal" if internal else ""),
        words=words(),
    )
    figures = term_figures(comparison)
    found = changes(comparison)
    decisions = sorted(current.open_blockers(), key=_decision_order)
    people = blocker_people(session, [b.id for b in decisions])
    report.summary = summary(lang, comparison, meeting, figures, found, silent, decisions)
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
    report.heading(_("Annexes"))
    report.table(matrix)
    report.page_break()
    report.table(focal_points)
    report.paragraph(log_in_workbook(received), numbered=False)
    shares = Table(
        "",
        share_header(lang),
        share_rows(lang, current),
        sheet=_("Assignments"),
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
        # Read only if a workbook is written (Word, PDF and CSV only count them).
        updates_table(
            lang,
            "",
            lambda: updates_between(session, since, meeting.cutoff_at, internal=internal),
        ),
        focal_points,
    ]
    progress(70)
    return report


def _status_by_term(report: Report, c: Comparison, figures: list[TermFigures]) -> list[Table]:
    """Two tables: counts of shares, then averages of progress, never mixed."""
    lang = report.language
    report.heading(roman(1) + ". " + _("Status by term"))
    report.paragraph(
        _(
            "The first table counts the organisations' shares of the recommendations of each "
            "term by their status at the cut-off; a share is implemented when it is completed "
            "or an ongoing practice. Percentages are truncated: %(almost)s is shown as "
            "%(shown)s.",
            almost=percent(lang, 99.6, decimals=1),
            shown=percent(lang, 99),
        )
    )
    counts = Table(
        _("Table 1. Number of shares by status"),
        [
            _("Term"),
            _("Recommendations"),
            _("Shares"),
            *[code_label("status", s) for s in STATUS_COLUMNS],
            _("Implemented"),
            _("Implemented at the previous cut-off"),
        ],
        [
            [
                code_label("term", f.term),
                f.recommendations,
                f.shares,
                *[f.by_status.get(s, 0) for s in STATUS_COLUMNS],
                f"{f.implemented} ({percent(lang, honest_percent(f.implemented, f.shares))})",
                f"{f.implemented_before} "
                f"({percent(lang, honest_percent(f.implemented_before, f.shares))})",
            ]
            for f in figures
        ],
        sheet=_("Summary"),
    )
    report.table(counts)
    bars = [
        Bar(
            code_label("term", f.term),
            honest_percent(f.implemented, f.shares),
            honest_percent(f.implemented_before, f.shares),
        )
        for f in figures
    ]
    report.figure(
        Figure(
            _("Figure. Shares implemented, by term (%)"),
            progress_chart(bars, _("This cut-off"), _("Previous cut-off")),
            150,
        )
    )
    report.paragraph(
        _(
            "The second table gives averages, not counts: the average progress of the term's "
            "recommendations, each recommendation's progress being the average of its shares' "
            "progress."
        )
    )
    averages = Table(
        _("Table 2. Average progress of the recommendations (%)"),
        [
            _("Term"),
            _("Average progress at the previous cut-off (%)"),
            _("Average progress at this cut-off (%)"),
        ],
        [[code_label("term", f.term), f.average_before, f.average_now] for f in figures],
        sheet=_("Averages"),
        kinds=("", "percent", "percent"),
    )
    report.table(averages)
    if c.previous.at is None:
        report.paragraph(
            _("No earlier meeting is recorded: every change is counted from the start of the plan.")
        )
    return [counts, averages]


def _transition(row: ChangeRow) -> str:
    if row.kind in ("newly_blocked", "unblocked"):
        none = _("no open blocker")
        before = {code_label("category", b.category) for b in row.before.open_blockers}
        after = {code_label("category", b.category) for b in row.share.open_blockers}
        return f"{', '.join(sorted(before)) or none} → {', '.join(sorted(after)) or none}"
    return f"{code_label('status', row.before.status)} → {code_label('status', row.share.status)}"


def _changes(report: Report, c: Comparison, found: list[ChangeRow]) -> Table:
    report.heading(roman(2) + ". " + _("Changes since the previous meeting"))
    kinds = [row.kind for row in found]
    report.paragraph(
        changes_sentence(
            regressions=kinds.count("regression"),
            completed=kinds.count("newly_completed"),
            blocked=kinds.count("newly_blocked"),
            unblocked=kinds.count("unblocked"),
        )
    )
    labels = {kind: kind_label(kind) for kind in set(kinds)}
    table = Table(
        "",
        [
            _("Change"),
            _("Recommendation"),
            _("Organisation"),
            _("From → to"),
        ],
        [
            [
                labels[row.kind],
                row.recommendation.code,
                row.share.organisation.code,
                _transition(row),
            ]
            for row in found
        ],
        sheet=_("Changes"),
    )
    if found:
        report.table(table)
    return table


def _not_reported(report: Report, silent: list[Silent], cutoff: datetime) -> Table:
    lang = report.language
    report.heading(roman(3) + ". " + _("Shares not reported since the previous cut-off"))
    table = Table(
        "",
        [
            _("Organisation"),
            _("Recommendation"),
            _("Last report"),
            _("Time since"),
        ],
        [
            [
                s.share.organisation.code,
                s.recommendation.code,
                s.last_report,
                time_since(s.last_report, cutoff),
            ]
            for s in silent
        ],
        sheet=_("Not reported"),
        kinds=("", "code", "date", ""),
    )
    if not silent:
        report.paragraph(_("Every share was reported on since the previous cut-off."))
        return table
    orgs = len({s.share.organisation.id for s in silent})
    report.paragraph(
        _n(
            "%(num)d share of %(organisations)s had no report between the previous cut-off "
            "and %(cutoff)s, even where the organisation reported on other recommendations:",
            "%(num)d shares of %(organisations)s had no report between the previous cut-off "
            "and %(cutoff)s, even where the organisations reported on other recommendations:",
            len(silent),
            organisations=_n("%(num)d organisation", "%(num)d organisations", orgs),
            cutoff=day(lang, cutoff),
        )
    )
    report.table(table)
    return table


def _decisions(report: Report, blockers: Table) -> None:
    report.heading(roman(4) + ". " + _("Blockers requiring a decision of the meeting"))
    if not blockers.rows:
        report.paragraph(_("No blocker was open."))
        return
    report.paragraph(
        _n(
            "The following blocker was open at the cut-off.",
            "The following %(num)d blockers were open at the cut-off; escalated ones are "
            "listed first.",
            len(blockers.rows),
        )
    )
    report.table(blockers)


def _recommendations(report: Report, c: Comparison) -> None:
    report.heading(roman(5) + ". " + _("Implementation of the recommendations"))
    report.paragraph(
        _(
            "Each recommendation is given with its text from annex II of the work plan, its "
            "lead organisations and, for each organisation, its status, progress, last report "
            "and the beginning of its latest narrative. Completed recommendations take one line."
        )
    )
    for term, recs in c.current.by_term():
        report.heading(code_label("term", term), level=2)
        for rec in recs:
            _recommendation(report, rec)


def _recommendation(report: Report, rec: RecommendationState) -> None:
    lang = report.language
    overall = rec.rollup
    if rec.shares and overall.status == Status.COMPLETED:
        # Nothing left to discuss: one line instead of a table.
        report.paragraph(
            _n(
                "%(code)s. %(title)s: completed by its organisation.",
                "%(code)s. %(title)s: completed by all %(num)d organisations.",
                len(rec.shares),
                code=rec.code,
                title=rec.title,
            ),
            numbered=False,
        )
        return
    report.heading(f"{rec.code}. {rec.title}", level=3)
    if rec.text:
        report.paragraph(rec.text, numbered=False, style="note")
    leads = [s.organisation.code for s in rec.shares if s.is_lead]
    report.paragraph(
        _n(
            "Lead: %(leads)s. Overall: %(status)s, average progress %(progress)s.",
            "Leads: %(leads)s. Overall: %(status)s, average progress %(progress)s.",
            max(1, len(leads)),
            status=code_label("status", overall.status),
            progress=percent(lang, recommendation_progress(rec)),
            leads=", ".join(leads) or _("none"),
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
                code_label("status", share.status),
                percent(lang, progress),
                share.reported_at,
                latest if share.reported_at else _("No report"),
            ]
        )
    report.table(
        Table(
            "",
            [
                _("Organisation"),
                _("Status"),
                _("Progress"),
                _("Last report"),
                _("Latest report"),
            ],
            rows,
        )
    )
    for share in rec.shares:
        for b in share.open_blockers:
            report.paragraph(
                _(
                    "Open blocker (%(org)s), %(category)s: %(description)s",
                    org=share.organisation.code,
                    category=code_label("category", b.category),
                    description=str(parse(b.description)),
                )
                + (f" [{_('RESTRICTED')}]" if b.restricted else ""),
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
        _("Annex II. Focal points"),
        [_("Organisation"), _("Name"), _("E-mail")],
        [list(r) for r in rows],
        sheet=_("Focal points"),
    )
