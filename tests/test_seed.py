"""Loading the committed plan: complete, idempotent, and respectful of what users entered."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from workplan.extensions import db
from workplan.models import Assignment, Organisation, Recommendation, Status
from workplan.plan import seeding


def _counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(Organisation.id))),
        db.session.scalar(select(func.count(Recommendation.id))),
        db.session.scalar(select(func.count(Assignment.id))),
    )


def test_seed_loads_the_whole_plan(app):
    seed = seeding.read_seed()
    result = seeding.load_seed(db.session, seed)
    db.session.commit()
    expected_assignments = sum(len(t["responsible"]) for t in seed["tasks"])
    assert _counts() == (17, 26, expected_assignments)
    assert len(result.recommendations) == 26
    s3 = db.session.scalar(select(Recommendation).where(Recommendation.code == "S3"))
    leads = sorted(a.organisation.code for a in s3.assignments if a.is_lead)
    assert leads == sorted(["ACHPR", "AfHPR", "ECOWAS CJ", "IACHR", "IACourtHR", "CoE", "ODIHR"])


def test_seed_twice_changes_nothing(app):
    seeding.load_seed(db.session, seeding.read_seed())
    db.session.commit()
    before = _counts()
    second = seeding.load_seed(db.session, seeding.read_seed())
    db.session.commit()
    assert not second.changed
    assert _counts() == before


def test_seed_never_overwrites_what_users_entered(app):
    seeding.load_seed(db.session, seeding.read_seed())
    db.session.commit()
    s1 = db.session.scalar(select(Recommendation).where(Recommendation.code == "S1"))
    s1.title = "Emailing list of focal points (edited)"
    s1.assignments[0].status = Status.COMPLETED
    db.session.commit()
    seeding.load_seed(db.session, seeding.read_seed())
    db.session.commit()
    db.session.expire_all()
    s1 = db.session.scalar(select(Recommendation).where(Recommendation.code == "S1"))
    assert s1.title == "Emailing list of focal points (edited)"
    assert s1.assignments[0].status == Status.COMPLETED


def test_seed_adds_only_what_is_missing(app):
    seed = seeding.read_seed()
    partial = {**seed, "tasks": seed["tasks"][:3]}
    seeding.load_seed(db.session, partial)
    db.session.commit()
    assert _counts()[1] == 3
    result = seeding.load_seed(db.session, seed)
    db.session.commit()
    assert result.recommendations == [t["code"] for t in seed["tasks"][3:]]


def test_export_matches_the_seed(seeded, runner):
    result = runner.invoke(args=["plan", "export"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.output)
    seed = seeding.read_seed()
    assert exported["organisations"] == [
        {k: o[k] for k in ("code", "name", "name_fr", "kind", "region")}
        for o in seed["organisations"]
    ]
    assert [t["code"] for t in exported["tasks"]] == [t["code"] for t in seed["tasks"]]
    for got, want in zip(exported["tasks"], seed["tasks"], strict=True):
        assert got["term"] in {"short", "mid", "long"}
        assert (got["term"], got["title"], got["text"]) == (
            want["term"],
            want["title"],
            want["text"],
        )
        assert got["responsible"] == want["responsible"], got["code"]


def test_seed_command_says_when_nothing_changed(app, runner):
    first = runner.invoke(args=["plan", "seed"])
    assert "Seeded 17 organisations, 26 recommendations" in first.output
    second = runner.invoke(args=["plan", "seed"])
    assert "nothing to add" in second.output
