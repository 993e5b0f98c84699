"""The benchmark data generator builds a consistent, scaled plan."""

from __future__ import annotations

from sqlalchemy import func, select

from bench.datagen import generate
from workplan.extensions import db
from workplan.models import Assignment, Meeting, ProgressUpdate, Recommendation
from workplan.models.base import utcnow


def test_generate_scales_the_plan_and_mirrors_latest_updates(app):
    counts = generate(db.session, scale=2, years=1, updates_per_year=3)
    db.session.commit()
    assert counts["recommendations"] == 52
    assert counts["assignments"] == 2 * 276
    assert counts["updates"] > counts["assignments"]
    # The bench times the page of a meeting whose cut-off has passed (a frozen state).
    assert db.session.scalar(select(func.count(Meeting.id)).where(Meeting.cutoff_at < utcnow()))
    assert (
        db.session.scalar(
            select(func.count(Recommendation.id)).where(Recommendation.code == "S4.2")
        )
        == 1
    )
    # Each assignment mirrors its latest update.
    latest = (
        select(ProgressUpdate.assignment_id, func.max(ProgressUpdate.created_at).label("at"))
        .group_by(ProgressUpdate.assignment_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Assignment.last_update_at, latest.c.at).join(
            latest, latest.c.assignment_id == Assignment.id
        )
    ).all()
    assert rows and all(mirror == at for mirror, at in rows)
