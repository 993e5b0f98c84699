"""Realistic data at a scale factor, for benchmarks and the query-count tests.

``generate(session, scale)`` starts from the seeded plan (26 recommendations, 17
organisations) and adds:

- ``scale - 1`` further copies of the plan's recommendations (codes ``S1.2``, ``S1.3``...),
  each with the same responsible organisations, so the plan is ``scale`` times larger;
- two focal points per organisation, a coordinator and an observer;
- ``years`` years of history ending now: per assignment about ``updates_per_year`` progress
  updates a year (statuses moving forward, some restricted, some with narratives that start
  with ``=`` to exercise the exports), blockers on about 6 % of assignments, one annual meeting
  per year with its reporting cut-off six weeks before.

Rows are written with bulk inserts. The result is deterministic for a given ``seed``.
Run ``python -m bench.datagen --scale 10 --database-url sqlite:///bench/out/s10.sqlite3`` to
build a database to look at.
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from workplan.models import (
    Assignment,
    Blocker,
    BlockerEvent,
    Meeting,
    Organisation,
    ProgressUpdate,
    Recommendation,
    User,
)
from workplan.models.base import utcnow
from workplan.plan import seeding
from workplan.state import current

STATUS_PATH = ["not_started", "in_progress", "in_progress", "ongoing", "completed"]
NARRATIVES = [
    "Shared the calendar of country visits with the other mechanisms through the list.",
    "Joint statement prepared with the regional rapporteur; adoption expected next session.",
    "Contact list updated and circulated to the secretariats.",
    "Two staff exchanges agreed in principle; funding still being sought.",
    "=Awaiting budget approval (figure to be confirmed)",
    "Follow-up table of recommendations drafted and discussed with the treaty body secretariat.",
]
CATEGORIES = ["resources", "administrative", "confidentiality", "political", "other"]
BATCH = 5000


def _bulk(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(model), rows[start : start + BATCH])


def generate(
    session: Session,
    scale: int = 1,
    years: int = 3,
    updates_per_year: int = 4,
    seed: int = 1,
    now: datetime | None = None,
) -> dict[str, int]:
    """Fill the database as described in the module docstring; return row counts."""
    rng = random.Random(seed)
    now = now or utcnow()
    start = now - timedelta(days=365 * years)
    seeding.load_seed(session, seeding.read_seed())
    session.flush()

    base = session.scalars(select(Recommendation).order_by(Recommendation.position)).all()
    orgs = session.scalars(select(Organisation).order_by(Organisation.position)).all()
    shares = {rec.id: [(a.organisation_id, a.is_lead) for a in rec.assignments] for rec in base}
    position = len(base)
    for copy in range(2, scale + 1):
        rows = []
        for rec in base:
            position += 1
            rows.append(
                {
                    "code": f"{rec.code}.{copy}",
                    "term": rec.term,
                    "position": position,
                    "title": rec.title,
                    "text": rec.text,
                    "source_ref": rec.source_ref,
                    "implementation": rec.implementation,
                    "created_at": start,
                }
            )
        _bulk(session, Recommendation, rows)
    session.flush()
    code_to_base = {rec.code: rec.id for rec in base}
    new_recs = session.execute(
        select(Recommendation.id, Recommendation.code).where(Recommendation.code.contains("."))
    ).all()
    _bulk(
        session,
        Assignment,
        [
            {
                "recommendation_id": rid,
                "organisation_id": org_id,
                "is_lead": lead,
                "status": "not_started",
                "version": 1,
            }
            for rid, code in new_recs
            for org_id, lead in shares[code_to_base[code.split(".")[0]]]
        ],
    )

    password = generate_password_hash("benchmark password")
    people = [
        {
            "email": f"fp{n}.{org.code.replace(' ', '').lower()}@bench.example",
            "name": f"Focal point {n} {org.code}",
            "role": "focal_point",
            "organisation_id": org.id,
            "password_hash": password,
            "active": True,
            "created_at": start,
        }
        for org in orgs
        for n in (1, 2)
    ]
    people += [
        {
            "email": "coordinator@bench.example",
            "name": "Coordinator",
            "role": "coordinator",
            "organisation_id": next(o.id for o in orgs if o.code == "NIRMS"),
            "password_hash": password,
            "active": True,
            "created_at": start,
        },
        {
            "email": "observer@bench.example",
            "name": "Observer",
            "role": "observer",
            "organisation_id": None,
            "password_hash": password,
            "active": True,
            "created_at": start,
        },
    ]
    _bulk(session, User, people)
    authors: dict[int, list[int]] = {}
    for uid, org_id in session.execute(
        select(User.id, User.organisation_id).where(User.role == "focal_point")
    ):
        authors.setdefault(org_id, []).append(uid)
    coordinator_id = session.scalar(select(User.id).where(User.role == "coordinator"))

    meetings = []
    for year in range(years):
        held = (start + timedelta(days=365 * (year + 1))).date()
        meetings.append(
            {
                "title": f"Annual meeting of focal points {held.year}",
                "held_on": held,
                "place": "Geneva",
                "cutoff_at": datetime.combine(held, datetime.min.time(), tzinfo=now.tzinfo)
                - timedelta(days=42),
                "document_symbol": "",
                "created_at": start,
                "version": 1,
            }
        )
    _bulk(session, Meeting, meetings)

    updates: list[dict[str, Any]] = []
    blockers: list[dict[str, Any]] = []
    latest: list[dict[str, Any]] = []
    span = (now - start).total_seconds()
    for aid, org_id in session.execute(select(Assignment.id, Assignment.organisation_id)):
        count = max(0, round(rng.gauss(updates_per_year * years, 2)))
        moments = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(count))
        step = 0
        status, progress = "not_started", None
        for moment in moments:
            if rng.random() < 0.45 and step < len(STATUS_PATH) - 1:
                step += 1
            status = "on_hold" if rng.random() < 0.04 else STATUS_PATH[step]
            progress = None if status in ("ongoing", "completed") else min(95, step * 25)
            updates.append(
                {
                    "assignment_id": aid,
                    "author_id": rng.choice(authors.get(org_id, [None])),
                    "created_at": moment,
                    "status": status,
                    "progress": progress,
                    "narrative": rng.choice(NARRATIVES),
                    "evidence_links": [],
                    "visibility": "restricted" if rng.random() < 0.1 else "network",
                    "is_confirmation": False,
                }
            )
        if moments:
            latest.append(
                {"id": aid, "status": status, "progress": progress, "last_update_at": moments[-1]}
            )
        if rng.random() < 0.06:
            raised = start + timedelta(seconds=rng.random() * span)
            resolved = rng.random() < 0.5
            blockers.append(
                {
                    "assignment_id": aid,
                    "raised_by_id": rng.choice(authors.get(org_id, [None])),
                    "raised_at": raised,
                    "category": rng.choice(CATEGORIES),
                    "description": "Travel budget frozen until the next financial period.",
                    "visibility": "restricted" if rng.random() < 0.15 else "network",
                    "status": "resolved" if resolved else rng.choice(["open", "acknowledged"]),
                    "resolved_at": raised + timedelta(days=40) if resolved else None,
                    "version": 1,
                }
            )
    _bulk(session, ProgressUpdate, updates)
    _bulk(session, Blocker, blockers)
    if latest:
        # Mirror each assignment's latest update, as the reporting service does.
        session.execute(
            update(Assignment.__table__)
            .where(Assignment.__table__.c.id == bindparam("b_id"))
            .values(
                status=bindparam("b_status"),
                progress=bindparam("b_progress"),
                last_update_at=bindparam("b_last"),
            ),
            [
                {
                    "b_id": r["id"],
                    "b_status": r["status"],
                    "b_progress": r["progress"],
                    "b_last": r["last_update_at"],
                }
                for r in latest
            ],
        )
    # Each share's kept current state, both audiences, from the history just written.
    current.fill(session)
    events = [
        {
            "blocker_id": bid,
            "actor_id": coordinator_id,
            "created_at": raised_at + timedelta(days=7),
            "action": "acknowledge",
            "status_after": "acknowledged",
            "comment": "Noted; raised with the section chief.",
        }
        for bid, raised_at in session.execute(
            select(Blocker.id, Blocker.raised_at).where(Blocker.status != "open")
        )
    ]
    _bulk(session, BlockerEvent, events)
    session.flush()
    return {
        "recommendations": session.scalar(select(func.count(Recommendation.id))),
        "organisations": len(orgs),
        "assignments": session.scalar(select(func.count(Assignment.id))),
        "updates": session.scalar(select(func.count(ProgressUpdate.id))),
        "blockers": session.scalar(select(func.count(Blocker.id))),
        "meetings": len(meetings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()

    from workplan import create_app
    from workplan.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
    with app.app_context():
        db.create_all()
        counts = generate(db.session, scale=args.scale, years=args.years)
        db.session.commit()
    print(counts)


if __name__ == "__main__":
    main()
