"""The dashboard's figures aggregated by the database agree, number for number, with the
same figures computed share by share in Python (the matrix's and the exports' way), for every
role and filter, on a plan with a random history: the SQL form of the roll-up rule and of
the filters cannot drift from the Python form."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from tests import factories
from workplan.dashboard import queries
from workplan.dashboard.figures import dashboard_figures
from workplan.dashboard.filters import OHCHR_REGION, Filters
from workplan.dashboard.summary import summarise
from workplan.extensions import db
from workplan.models import Assignment, BlockerStatus, Meeting, Status, Visibility
from workplan.models.base import utcnow

FILTERS = [
    Filters(),
    Filters(term="short"),
    Filters(term="mid", status="in_progress"),
    Filters(not_reported=True),
    Filters(blocked=True),
    Filters(region=OHCHR_REGION),
    Filters(stale=30),
    Filters(org="ACHPR", lead=True),
    Filters(since=(utcnow() - timedelta(days=20)).date(), not_reported=True),
]


@pytest.fixture
def random_plan(users):  # type: ignore[no-untyped-def]
    rng = random.Random(13)
    now = utcnow()
    db.session.add(
        Meeting(
            title="Last meeting",
            held_on=(now - timedelta(days=5)).date(),
            place="Geneva",
            cutoff_at=now - timedelta(days=25),
            document_symbol="",
        )
    )
    shares = db.session.query(Assignment).order_by(Assignment.id).all()
    for share in rng.sample(shares, 45):
        for _ in range(rng.randint(1, 3)):
            status = rng.choice(list(Status))
            factories.progress_update(
                share,
                status=status,
                progress=None if rng.random() < 0.4 else rng.randint(0, 100),
                visibility=Visibility.RESTRICTED if rng.random() < 0.3 else Visibility.NETWORK,
                at=now - timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 999)),
            )
    for share in rng.sample(shares, 12):
        factories.blocker(
            share,
            visibility=Visibility.RESTRICTED if rng.random() < 0.4 else Visibility.NETWORK,
            status=rng.choice([BlockerStatus.OPEN, BlockerStatus.ACKNOWLEDGED, "resolved"]),
            at=now - timedelta(days=rng.randint(1, 90)),
        )
    return now


def test_database_figures_match_the_python_figures(users, random_plan):
    found, _reach = queries.organisations_and_reach(db.session)
    organisations = queries.network_order(found)
    compared = 0
    cases = [(role, f) for role in ("coordinator", "focal_point", "observer") for f in FILTERS]
    for role, filters in cases:
        viewer = getattr(users, role)
        state = queries.load_plan_state(db.session, viewer, filters, organisations, random_plan)
        summary = summarise(state, filters)
        figures = dashboard_figures(
            db.session, viewer, filters, organisations, random_plan, queue_length=5
        )
        label = f"{role} {filters.query_args()}"
        assert [
            (t.term, t.count, t.progress_total, t.by_status, t.shares_by_status)
            for t in figures.terms
        ] == [
            (t.term, t.count, t.progress_total, t.by_status, t.shares_by_status)
            for t in summary.terms
        ], label
        assert [
            (o.org.id, o.shares, o.updated, o.blockers, o.last_update_at)
            for o in figures.organisations
        ] == [
            (o.org.id, o.shares, o.updated, o.blockers, o.last_update_at)
            for o in summary.organisations
        ], label
        assert figures.blocker_count == len(summary.blockers), label
        assert figures.oldest_blocker_ids == [b.id for b in summary.blockers[:5]], label
        assert [o.org.id for o in figures.not_reported] == [
            o.org.id for o in summary.not_reported
        ], label
        compared += bool(summary.rows)
    # The comparison is not empty-handed: most filters select shares.
    assert compared >= len(cases) - 6
