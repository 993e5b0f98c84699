"""The sentences of the meeting report that carry counts: each count goes through ``ngettext``
so that it agrees with its noun and verb in every language ("1 share moved back", "2 shares
moved back"; "1 part a reculé"), or follows a colon where a sentence holds several.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext as _n

from workplan.models import BlockerStatus, Meeting
from workplan.reports.figures import ChangeRow, Silent, TermFigures, honest_percent
from workplan.reports.language import code_label, day, meeting_title, percent
from workplan.state.snapshot import BlockerState, Comparison

AGREED_ON = date(2012, 12, 14)  # the day the focal points agreed the work plan


def summary(
    lang: str,
    c: Comparison,
    meeting: Meeting,
    figures: list[TermFigures],
    found: list[ChangeRow],
    silent: list[Silent],
    decisions: list[BlockerState],
) -> list[str]:
    """Three paragraphs: the plan, each term's implementation, what the meeting must look at
    (counts after a colon there, so that they read right for 1 as for 21)."""
    terms = "; ".join(
        _(
            "%(term)s: shares implemented, %(done)d of %(shares)d (%(percent)s)",
            term=code_label("term", f.term),
            done=f.implemented,
            shares=f.shares,
            percent=percent(lang, honest_percent(f.implemented, f.shares)),
        )
        for f in figures
    )
    kinds = [row.kind for row in found]
    recommendations = len(c.current.recommendations)
    plan = _n(
        "The plan has %(num)d recommendation, divided into %(shares)s among %(organisations)s.",
        "The plan has %(num)d recommendations, divided into %(shares)s among %(organisations)s.",
        recommendations,
        shares=_n("%(num)d share", "%(num)d shares", len(c.current.shares())),
        organisations=_n(
            "%(num)d organisation", "%(num)d organisations", len(c.current.organisations)
        ),
    )
    return [
        _(
            "This report presents the state of the work plan agreed by the focal points on "
            "%(agreed)s as reported by %(cutoff)s, the reporting cut-off for the %(meeting)s.",
            agreed=day(lang, AGREED_ON),
            cutoff=day(lang, meeting.cutoff_at),
            meeting=meeting_title(lang, meeting),
        )
        + " "
        + plan,
        _("A share is implemented when it is completed or an ongoing practice.")
        + " "
        + terms
        + ".",
        _(
            "Since the previous cut-off: shares completed, %(completed)d; shares moved back, "
            "%(regressions)d (section II); shares not reported, %(silent)d (section III); "
            "blockers open for the meeting's decision, %(blockers)d, of which escalated, "
            "%(escalated)d (section IV).",
            completed=kinds.count("newly_completed"),
            regressions=kinds.count("regression"),
            silent=len(silent),
            blockers=len(decisions),
            escalated=sum(1 for b in decisions if b.status == BlockerStatus.ESCALATED),
        ),
    ]


def log_in_workbook(count: int) -> str:
    """Where the log of the reports received is: the workbook only (too long to print)."""
    if not count:
        return _("No report was received since the previous cut-off.")
    return _n(
        "The report received since the previous cut-off is logged in the Excel version of "
        "this report (sheet “%(sheet)s”).",
        "The full log of the %(num)d reports received since the previous cut-off is too long "
        "to print: it is in the Excel version of this report (sheet “%(sheet)s”).",
        count,
        sheet=_("Updates"),
    )


def kind_label(kind: str) -> str:
    return {
        "regression": _("Moved back"),
        "newly_completed": _("Completed"),
        "newly_blocked": _("Blocked"),
        "unblocked": _("Unblocked"),
    }[kind]


def changes_sentence(regressions: int, completed: int, blocked: int, unblocked: int) -> str:
    """What changed since the previous cut-off, each count agreeing with its verb."""
    return _(
        "Since the previous cut-off %(regressions)s, %(completed)s, %(blocked)s and "
        "%(unblocked)s. Moves back are listed first.",
        regressions=_n("%(num)d share moved back", "%(num)d shares moved back", regressions),
        completed=_n("%(num)d was completed", "%(num)d were completed", completed),
        blocked=_n("%(num)d was newly blocked", "%(num)d were newly blocked", blocked),
        unblocked=_n("%(num)d was unblocked", "%(num)d were unblocked", unblocked),
    )


def time_since(last: datetime | None, at: datetime) -> str:
    """How long before the cut-off a share last reported, in days or months."""
    if last is None:
        return _("never reported")
    days = max(0, (at - last).days)
    if days < 60:
        return _n("%(num)d day", "%(num)d days", days)
    return _n("%(num)d month", "%(num)d months", days * 12 // 365)
