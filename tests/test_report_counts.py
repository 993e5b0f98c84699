"""Counts in the English reports agree with their nouns and verbs at 0, 1 and 2: "1 blocker
was open", "2 blockers were open", never "1 were newly blocked" or "1 blockers"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from tests import factories
from workplan.extensions import db
from workplan.models import Meeting, Status
from workplan.reports import kinds
from workplan.reports.document import Paragraph

BETWEEN = datetime(2026, 6, 1, 12, tzinfo=UTC)  # between the two cut-offs
SHARES = [("S5", "ACHPR"), ("S6", "ACHPR")]
DONE = [("S3", "ACHPR"), ("S9", "ACHPR")]


def _history(users, n: int) -> Meeting:  # type: ignore[no-untyped-def]
    """Two meetings; between their cut-offs ``n`` shares newly blocked (``n`` blockers open
    at the cut-off) and ``n`` shares completed, all by ACHPR."""
    previous = Meeting(
        title="Fourth meeting",
        held_on=date(2026, 3, 20),
        place="Geneva",
        cutoff_at=datetime(2026, 3, 1, 23, 59, tzinfo=UTC),
    )
    meeting = Meeting(
        title="Fifth meeting",
        held_on=date(2026, 9, 20),
        place="Banjul",
        cutoff_at=datetime(2026, 9, 1, 23, 59, tzinfo=UTC),
    )
    db.session.add_all([previous, meeting])
    db.session.commit()
    for code, org in SHARES[:n]:
        factories.blocker(factories.assignment(code, org), users.focal_point, at=BETWEEN)
    for code, org in DONE[:n]:
        factories.progress_update(
            factories.assignment(code, org), users.focal_point, Status.COMPLETED, at=BETWEEN
        )
    return meeting


def _paragraphs(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.text for b in report.blocks if isinstance(b, Paragraph)]


EXPECTED = {
    0: [
        "0 blockers were open on 1\u00a0September 2026.",
        "0 shares moved back, 0 were completed, 0 were newly blocked and 0 were unblocked",
        "No blocker was open.",
        "During the period it sent 0 reports. 0 blockers were open at the end of the period.",
    ],
    1: [
        "1 blocker was open on 1\u00a0September 2026.",
        "0 shares moved back, 1 was completed, 1 was newly blocked and 0 were unblocked",
        "The following blocker was open at the cut-off.",
        "During the period it sent 1 report. 1 blocker was open at the end of the period.",
    ],
    2: [
        "2 blockers were open on 1\u00a0September 2026.",
        "0 shares moved back, 2 were completed, 2 were newly blocked and 0 were unblocked",
        "The following 2 blockers were open at the cut-off; escalated ones are listed first.",
        "During the period it sent 2 reports. 2 blockers were open at the end of the period.",
    ],
}


@pytest.mark.parametrize("n", [0, 1, 2])
def test_english_counts_agree_at_zero_one_and_two(app, users, n):
    meeting = _history(users, n)
    at = meeting.cutoff_at
    blockers = kinds.blockers_report(db.session, at, language="en", internal=False)
    report = kinds.meeting_report(db.session, meeting, language="en", internal=False)
    org = kinds.organisation_report(
        db.session,
        factories.organisation("ACHPR"),
        datetime(2026, 3, 2, tzinfo=UTC),
        at,
        language="en",
        internal=False,
    )
    by_blockers, changes, decisions, by_org = EXPECTED[n]
    assert blockers.summary[0].startswith(by_blockers)
    paragraphs = _paragraphs(report)
    assert any(changes in p for p in paragraphs), paragraphs[:8]
    assert decisions in paragraphs
    assert by_org in org.summary[0]
    for text in [*paragraphs, *report.summary, *org.summary, *blockers.summary]:
        assert not re.search(r"\b1 (were|blockers|shares|reports|days|months)\b", text), text
        assert not re.search(r"\b[02-9] (was|blocker|share|report)\b", text), text
