"""What the meeting report concludes from the state at two cut-offs: the figures per term,
the changes worth discussing (regressions first), the shares not reported, the last real
narrative of each share and who is behind each blocker.

These read the comparison of :mod:`workplan.state.snapshot` and add what only the report
needs, in a few extra statements, so the snapshot itself stays as it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workplan.models import (
    Blocker,
    Organisation,
    ProgressUpdate,
    Status,
    User,
    Visibility,
)
from workplan.state.rollup import DONE, Share, share_progress
from workplan.state.snapshot import (
    AssignmentState,
    Comparison,
    RecommendationState,
    Snapshot,
    newest_updates,
)


def honest_percent(numerator: float, denominator: float) -> int:
    """``numerator / denominator`` as a whole percentage that never overstates nor hides:
    truncated (99.6 % is 99 %, not the 100 % of something finished), except that a little
    progress is at least 1 % (0.4 % is not "nothing")."""
    if denominator <= 0 or numerator <= 0:
        return 0
    value = int(100 * numerator // denominator)
    return max(1, value)


def recommendation_progress(rec: RecommendationState) -> int:
    """A recommendation's progress (the average of its shares' progress), truncated."""
    if not rec.shares:
        return 0
    total = sum(share_progress(Share(s.status, s.progress)) for s in rec.shares)
    return honest_percent(total, 100 * len(rec.shares))


@dataclass(frozen=True)
class TermFigures:
    term: str
    recommendations: int
    shares: int
    by_status: Counter[str]  # count of shares at each status now
    implemented: int  # shares completed or ongoing now
    implemented_before: int  # ... at the previous cut-off
    average_before: int  # average progress of the term's recommendations, previous cut-off
    average_now: int


def _average(recs: list[RecommendationState]) -> int:
    if not recs:
        return 0
    total = sum(
        share_progress(Share(s.status, s.progress)) / len(r.shares) for r in recs for s in r.shares
    )
    return honest_percent(total, 100 * len(recs))


def term_figures(c: Comparison) -> list[TermFigures]:
    """Per term: counts of shares (by status, implemented) and averages of progress."""
    before = {r.id: r for r in c.previous.recommendations}
    result = []
    for term, recs in c.current.by_term():
        shares = [s for r in recs for s in r.shares]
        previous = [before[r.id] for r in recs if r.id in before]
        old_shares = [s for r in previous for s in r.shares]
        result.append(
            TermFigures(
                term,
                len(recs),
                len(shares),
                Counter(s.status for s in shares),
                sum(1 for s in shares if s.status in DONE),
                sum(1 for s in old_shares if s.status in DONE),
                _average([r for r in previous if r.shares]),
                _average([r for r in recs if r.shares]),
            )
        )
    return result


# How far along a status is; a move to a lower rank is a regression.
STATUS_RANK = {
    Status.NOT_STARTED: 0,
    Status.ON_HOLD: 1,
    Status.IN_PROGRESS: 2,
    Status.ONGOING: 3,
    Status.COMPLETED: 3,
}
CHANGE_KINDS = ("regression", "newly_completed", "newly_blocked", "unblocked")


@dataclass(frozen=True)
class ChangeRow:
    kind: str  # one of CHANGE_KINDS
    recommendation: RecommendationState
    share: AssignmentState
    before: AssignmentState


def is_regression(before: str, after: str) -> bool:
    return STATUS_RANK.get(after, 0) < STATUS_RANK.get(before, 0)


def changes(c: Comparison) -> list[ChangeRow]:
    """The changes a meeting discusses, regressions first, then newly completed, newly
    blocked and unblocked shares, each group in the plan's order."""
    regressions = [
        ChangeRow("regression", m.recommendation, m.share, m.before)
        for m in c.moved
        if is_regression(m.before.status, m.share.status)
    ]
    rest = [
        ChangeRow(kind, m.recommendation, m.share, m.before)
        for kind, group in (
            ("newly_completed", c.newly_completed),
            ("newly_blocked", c.newly_blocked),
            ("unblocked", c.unblocked),
        )
        for m in group
    ]
    return regressions + rest


def last_reported(session: Session, at: datetime) -> dict[int, datetime]:
    """When each assignment last reported by ``at``, restricted reports included: that an
    organisation reported is not confidential, only what it said."""
    rows = session.execute(
        select(ProgressUpdate.assignment_id, func.max(ProgressUpdate.created_at))
        .where(ProgressUpdate.created_at <= at)
        .group_by(ProgressUpdate.assignment_id)
    )
    return {assignment_id: when for assignment_id, when in rows}


@dataclass(frozen=True)
class Silent:
    """A share with no report since the previous cut-off."""

    recommendation: RecommendationState
    share: AssignmentState
    last_report: datetime | None


def not_reported(c: Comparison, last: dict[int, datetime]) -> list[Silent]:
    """Each share with no update in (previous cut-off, this cut-off], by organisation then
    plan order: a share counts even when its organisation reported on others."""
    since = c.previous.at
    found = []
    for rec, share in c.current.shares():
        when = last.get(share.assignment_id)
        if when is None or (since is not None and when <= since):
            found.append(Silent(rec, share, when))
    order = {o.id: i for i, o in enumerate(c.current.organisations)}
    return sorted(found, key=lambda s: order.get(s.share.organisation.id, 0))


@dataclass(frozen=True)
class Narrative:
    text: str
    at: datetime
    restricted: bool


def latest_narratives(session: Session, at: datetime, *, internal: bool) -> dict[int, Narrative]:
    """Each assignment's last real narrative by ``at``: a "No change" confirmation repeats the
    state but says nothing, so the words shown are those of the report before it."""
    newest = newest_updates(
        at, internal, ProgressUpdate.is_confirmation.is_(False), ProgressUpdate.narrative != ""
    )
    return {
        row.assignment_id: Narrative(
            row.narrative, row.created_at, row.visibility != Visibility.NETWORK
        )
        for row in session.execute(newest)
    }


def apply_narratives(snapshot: Snapshot, narratives: dict[int, Narrative]) -> None:
    """Show each share's last real narrative (the state and date stay those of its newest
    report, a confirmation included)."""
    for _, share in snapshot.shares():
        found = narratives.get(share.assignment_id)
        share.narrative = found.text if found else ""
        if found:
            share.restricted = share.restricted or found.restricted


@dataclass(frozen=True)
class BlockerPeople:
    help_from: str  # the organisation whose help is asked, if any
    raised_by: str
    decision_asked: str = ""  # what the focal point asks the meeting to decide


def blocker_people(session: Session, ids: list[int]) -> dict[int, BlockerPeople]:
    """Who raised each blocker, whose help it asks for and what it asks the meeting to
    decide, in one statement per 5,000."""
    found: dict[int, BlockerPeople] = {}
    for start in range(0, len(ids), 5000):
        rows = session.execute(
            select(Blocker.id, Organisation.code, User.name, Blocker.decision_asked)
            .outerjoin(Organisation, Organisation.id == Blocker.help_organisation_id)
            .outerjoin(User, User.id == Blocker.raised_by_id)
            .where(Blocker.id.in_(ids[start : start + 5000]))
        )
        for blocker_id, org, name, asked in rows:
            found[blocker_id] = BlockerPeople(org or "", name or "", asked or "")
    return found
