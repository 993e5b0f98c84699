"""Fixtures of the dashboard tests: a known state of the plan (``world``), and helpers to
read pages.

The known state, with the figures it must give:

Seeded plan (9 short-, 13 mid-, 4 long-term recommendations; 276 shares), a meeting whose
cut-off passed 30 days ago, and:

- S1 (NIRMS only): completed 10 days ago;  S7 (NIRMS only): ongoing 40 days ago;
- S4: ACHPR completed 5 days ago (a narrative starting with "="), IACHR on hold 3 days ago,
  CoE in progress 40 % 60 days ago then completed 2 days ago in a *restricted* report;
- blockers: CoE S6 acknowledged 50 days ago, IACHR S4 open 20 days ago, ACHPR S4 open 15 days
  ago but *restricted*, ODIHR S4 resolved (never in the queue).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest

from tests import factories
from workplan.extensions import db
from workplan.models import BlockerStatus, Meeting, Status, Visibility
from workplan.models.base import utcnow

FORMULA_NARRATIVE = '=HYPERLINK("http://example.org","click")'
SECRET_NARRATIVE = "SECRET-NARRATIVE the minister asked us not to circulate"
SECRET_BLOCKER = "SECRET-BLOCKER the chair is hostile"


@dataclass(frozen=True)
class World:
    now: datetime
    cutoff: datetime
    meeting: Meeting


@pytest.fixture
def world(users: factories.People) -> World:
    """The known state described above."""
    return build(users)


def page_text(client, url: str) -> str:  # type: ignore[no-untyped-def]
    """A page that must answer 200, with its entities decoded."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return html.unescape(response.get_data(as_text=True))


def build(users: factories.People) -> World:
    now = utcnow()
    meeting = Meeting(
        title="Fourth meeting of focal points",
        held_on=(now - timedelta(days=10)).date(),
        place="Geneva",
        cutoff_at=now - timedelta(days=30),
    )
    db.session.add(meeting)
    db.session.commit()

    def days(n: int) -> datetime:
        return now - timedelta(days=n)

    a = factories.assignment
    update = factories.progress_update
    update(a("S1", "NIRMS"), users.coordinator, Status.COMPLETED, at=days(10))
    update(a("S7", "NIRMS"), users.coordinator, Status.ONGOING, at=days(40))
    update(
        a("S4", "ACHPR"),
        users.focal_point,
        Status.COMPLETED,
        narrative=FORMULA_NARRATIVE,
        at=days(5),
    )
    update(a("S4", "IACHR"), None, Status.ON_HOLD, narrative="Paused.", at=days(3))
    update(
        a("S4", "CoE"),
        users.other_focal_point,
        Status.IN_PROGRESS,
        progress=40,
        narrative="Network narrative of CoE.",
        at=days(60),
    )
    update(
        a("S4", "CoE"),
        users.other_focal_point,
        Status.COMPLETED,
        narrative=SECRET_NARRATIVE,
        visibility=Visibility.RESTRICTED,
        at=days(2),
    )
    blocker = factories.blocker
    blocker(
        a("S6", "CoE"),
        users.other_focal_point,
        description="Awaiting the bureau's decision.",
        status=BlockerStatus.ACKNOWLEDGED,
        at=days(50),
    )
    blocker(a("S4", "IACHR"), None, description="Interpretation budget frozen.", at=days(20))
    blocker(
        a("S4", "ACHPR"),
        users.focal_point,
        category="political",
        description=SECRET_BLOCKER,
        visibility=Visibility.RESTRICTED,
        at=days(15),
    )
    blocker(a("S4", "ODIHR"), None, description="Solved long ago.", status=BlockerStatus.RESOLVED)
    return World(now, meeting.cutoff_at, meeting)


class _Tables(HTMLParser):
    """Collects the text of each cell of each row of the table with a given id."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.depth = 0  # > 0 inside the wanted table
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and (self.depth or found.get("id") == self.table_id):
            self.depth += 1
        if not self.depth:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "span" and self.hidden:
            self.hidden += 1
        elif tag == "span" and "visually-hidden" in (found.get("class") or ""):
            self.hidden = 1

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag == "table":
            self.depth -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "span" and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and self.cell is not None and not self.hidden:
            self.cell.append(data)


def table_rows(page: str, table_id: str) -> list[list[str]]:
    """The visible text of each cell of a table (visually hidden text left out)."""
    parser = _Tables(table_id)
    parser.feed(page)
    return [row for row in parser.rows if row]
