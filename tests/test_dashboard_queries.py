"""The number of SQL statements of the dashboard, the matrix and the exports does not grow
with the plan: counted at two sizes of realistic data (bench.datagen, scale 1 and 3).

The other pages that show statuses stay within a small fixed bound too; their count may
differ by the one statement that loads blockers' events, which runs only when the page has
an open blocker at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g
from sqlalchemy import event, select

from bench.datagen import generate
from tests.conftest import _empty_tables
from workplan.extensions import db
from workplan.models import User

PAGES = {
    "coordinator@bench.example": [
        "/dashboard",
        "/dashboard?stale=90&lead=1",
        "/dashboard/matrix",
        "/dashboard/matrix?region=Africa&blocked=1",
        "/dashboard/export.csv",
        "/dashboard/export.xlsx",
    ],
    "observer@bench.example": [
        "/dashboard",
        "/dashboard/matrix",
        "/dashboard/export.csv",
    ],
    "fp1.achpr@bench.example": ["/dashboard", "/dashboard/matrix"],
}
OTHER_PAGES = {
    "coordinator@bench.example": ["/plan/S4", "/organisations/ACHPR"],
    "observer@bench.example": ["/plan/S4", "/organisations/CoE", "/plan/S4/CoE"],
    "fp1.achpr@bench.example": ["/my-organisation"],
}


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _statements_per_page(client, act_as, pages) -> dict[tuple[str, str], int]:  # type: ignore[no-untyped-def]
    counts = {}
    for email, paths in pages.items():
        person = db.session.scalar(select(User).where(User.email == email))
        for path in paths:
            act_as(person)
            g.pop("_login_user", None)
            with counting() as statements:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            counts[(email, path)] = len(statements)
    return counts


def test_statement_count_is_flat_as_the_plan_grows(app, client, act_as):
    sizes = []
    counts = []
    others = []
    for scale in (1, 3):
        _empty_tables()
        sizes.append(generate(db.session, scale=scale, years=1))
        db.session.commit()
        db.session.expunge_all()
        counts.append(_statements_per_page(client, act_as, PAGES))
        others.append(_statements_per_page(client, act_as, OTHER_PAGES))
    small, large = sizes
    assert large["recommendations"] == 3 * small["recommendations"]
    assert large["updates"] > 2 * small["updates"]
    assert counts[0] == counts[1]
    # And few: the user, the organisations, the last meeting, the shares, the blockers with
    # their events, the recent activity.
    assert max(counts[0].values()) <= 8, counts[0]
    for measured in others:
        # "My organisation" also asks whether the organisation had an earlier focal point
        # (the handover summary: workplan/reporting/handover.py).
        assert measured.pop(("fp1.achpr@bench.example", "/my-organisation")) <= 9, measured
        assert max(measured.values()) <= 8, measured
