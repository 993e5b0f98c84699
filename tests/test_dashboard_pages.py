"""The dashboard shows the figures of a known plan: by term, who has not reported, the
blocker queue, recent activity, the roll-up rule; the matrix shows each share."""

from __future__ import annotations

import re

from tests.fixtures_dashboard import SECRET_BLOCKER, SECRET_NARRATIVE, page_text, table_rows
from workplan.plan import seeding
from workplan.state.rollup import RULE


def _shares_of(org: str) -> int:
    return sum(any(r["org"] == org for r in t["responsible"]) for t in seeding.read_seed()["tasks"])


def _section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    end = page.find("<section", start)
    return page[start : end if end > 0 else None]


def test_terms_table_as_the_coordinator(client, users, world, act_as):
    act_as(users.coordinator)
    page = page_text(client, "/dashboard")
    rows = table_rows(page, "terms-table")
    header, short, mid, long_, total = rows
    assert header[:2] == ["Term", "Recommendations"]
    assert header[2:7] == [
        "○ Not started", "◐ In progress", "‖ On hold", "↻ Ongoing practice", "✓ Completed"
    ]  # fmt: skip
    # S1 completed, S7 ongoing, S4 in progress (done, on hold and not started shares),
    # six not started. S4: (100 + 100 + 50 + 9 × 0) / 12 = 20.8 -> 21; the term:
    # (100 + 100 + 21) / 9 = 24.6 -> 25.
    short_shares = sum(
        len(t["responsible"]) for t in seeding.read_seed()["tasks"] if t["term"] == "short"
    )
    assert short == [
        "Short term", "9", "6 (67%)", "1 (11%)", "0 (0%)", "1 (11%)", "1 (11%)",
        str(short_shares), "25%",
    ]  # fmt: skip
    assert mid[:3] == ["Mid term", "13", "13 (100%)"] and mid[-1] == "0%"
    assert long_[:3] == ["Long term", "4", "4 (100%)"]
    assert total[:2] == ["All terms", "26"] and total[7] == "276"
    # (100 + 100 + 21) / 26 = 8.5 -> 9
    assert total[-1] == "9%"
    assert "26 recommendations, 276 shares, 9% overall progress." in " ".join(page.split())


def test_observer_sees_figures_without_the_restricted_report(client, users, world, act_as):
    act_as(users.observer)
    page = page_text(client, "/dashboard")
    short = table_rows(page, "terms-table")[1]
    # CoE's newest report is restricted: the observer counts its previous one (40 %).
    # S4: (100 + 40 + 50) / 12 = 15.8 -> 16; the term: (100 + 100 + 16) / 9 = 24.
    assert short[-1] == "24%"
    assert SECRET_NARRATIVE not in page and SECRET_BLOCKER not in page
    assert "Restricted" not in _section(page, "blocker-queue")


def test_not_reported_since_the_last_meeting(client, users, world, act_as):
    act_as(users.coordinator)
    page = page_text(client, "/dashboard")
    section = _section(page, "not-reported")
    listed = re.findall(r'href="/organisations/([^"]+)"><strong>', section)
    reported = {"NIRMS", "ACHPR", "IACHR", "CoE"}
    expected = [
        o["code"] for o in seeding.read_seed()["organisations"] if o["code"] not in reported
    ]
    assert [code.replace("%20", " ") for code in listed] == expected
    assert "Not reported since the cut-off (13)" in page
    assert "reporting cut-off of the last meeting, Fourth meeting of focal points" in page
    # The observer does not see CoE's restricted report: CoE has not reported for them.
    act_as(users.observer)
    assert "Not reported since the cut-off (14)" in page_text(client, "/dashboard")


def test_reporting_by_organisation(client, users, world, act_as):
    act_as(users.coordinator)
    rows = {row[0]: row for row in table_rows(page_text(client, "/dashboard"), "orgs-table")[1:]}
    assert len(rows) == 17
    nirms = _shares_of("NIRMS")
    # NIRMS: S1 reported 10 days ago (after the cut-off), S7 40 days ago (before).
    assert rows["NIRMS"][2:6] == [str(nirms), "1", str(nirms - 1), f"{round(100 / nirms + 1e-9)}%"]
    achpr = _shares_of("ACHPR")
    assert rows["ACHPR"][2:4] == [str(achpr), "1"]
    assert rows["ACHPR"][6] == "1"  # the restricted blocker, visible to the coordinator
    assert rows["CoE"][6] == "1"
    assert rows["AfHPR"][3] == "0" and rows["AfHPR"][7] == "No report yet"


def test_blocker_queue_oldest_first(client, users, world, act_as):
    act_as(users.coordinator)
    queue = _section(page_text(client, "/dashboard"), "blocker-queue")
    assert "Blocker queue (3)" in queue
    order = [queue.index(t) for t in ("bureau's decision", "Interpretation budget", SECRET_BLOCKER)]
    assert order == sorted(order)
    assert "Solved long ago" not in queue
    act_as(users.observer)
    queue = _section(page_text(client, "/dashboard"), "blocker-queue")
    assert "Blocker queue (2)" in queue and SECRET_BLOCKER not in queue


def test_recent_activity_newest_first_and_visible_only(client, users, world, act_as):
    act_as(users.coordinator)
    recent = _section(page_text(client, "/dashboard"), "recent")
    codes = re.findall(r'<span class="code">(S\d+)</span> ([\w ]+?)</a>', recent)
    assert codes[:3] == [("S4", "CoE"), ("S4", "IACHR"), ("S4", "ACHPR")]
    act_as(users.observer)
    recent = _section(page_text(client, "/dashboard"), "recent")
    codes = re.findall(r'<span class="code">(S\d+)</span> ([\w ]+?)</a>', recent)
    assert codes[:2] == [("S4", "IACHR"), ("S4", "ACHPR")]


def test_help_shows_the_rollup_rule(client, users, world, act_as):
    act_as(users.observer)
    page = page_text(client, "/dashboard")
    help_section = _section(page, "help")
    for item in RULE:
        assert str(item) in help_section


def test_charts_are_inline_svg_with_a_text_alternative(client, users, world, act_as):
    act_as(users.coordinator)
    page = page_text(client, "/dashboard")
    assert page.count('<svg class="chart"') == 2
    assert '<title id="chart-terms-title">Recommendations by term and status</title>' in page
    desc = re.search(r'<desc id="chart-terms-desc">([^<]+)</desc>', page).group(1)
    assert "Short term: 9 recommendations" in desc and "25% progress" in desc
    assert 'role="img"' in page
    # Nothing is fetched from elsewhere.
    assert not re.search(r'(src|href)="https?://', page)


def test_matrix_cells(client, users, world, act_as):
    act_as(users.coordinator)
    page = page_text(client, "/dashboard/matrix")
    cell = re.search(r'<td class="cell cell-(\w+)"><a href="/plan/S4/CoE">(.*?)</td>', page, re.S)
    assert cell.group(1) == "completed"
    assert "Completed" in cell.group(2) and "★" in cell.group(2) and "2 days" in cell.group(2)
    achpr = re.search(r'<a href="/plan/S4/ACHPR">(.*?)</td>', page, re.S).group(1)
    assert "⚠" in achpr and "1 open blocker" in achpr and "★" in achpr
    afhpr = re.search(r'<a href="/plan/S4/AfHPR">(.*?)</td>', page, re.S).group(1)
    assert "Not started" in afhpr and "no report" in afhpr and "★" not in afhpr
    assert '<a href="/plan/S4"><span class="code">S4</span>' in page
    assert '<th scope="col" class="org-h"><a href="/organisations/ACHPR"' in page
    # Column groups: the regions in order, then the OHCHR units.
    groups = re.findall(r'<th scope="colgroup" colspan="(\d+)" class="group-h">([^<]+)</th>', page)
    assert [g for _n, g in groups] == [
        "Africa", "Americas", "Europe", "Asia-Pacific", "Middle East and OIC", "OHCHR units"
    ]  # fmt: skip
    assert sum(int(n) for n, _g in groups) == 17
    # No share: an empty cell (S1 is NIRMS's alone).
    s1 = page[page.index('<a href="/plan/S1">') : page.index('<a href="/plan/S2">')]
    assert s1.count('<td class="empty"></td>') == 16
    assert "Legend" in page and "lead organisation" in page

    act_as(users.observer)
    page = page_text(client, "/dashboard/matrix")
    cell = re.search(r'<td class="cell cell-(\w+)"><a href="/plan/S4/CoE">(.*?)</td>', page, re.S)
    assert cell.group(1) == "in_progress" and "40%" in cell.group(2)
    achpr = re.search(r'<a href="/plan/S4/ACHPR">(.*?)</td>', page, re.S).group(1)
    assert "⚠" not in achpr
