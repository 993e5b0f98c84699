"""Loading the plan from ``seeds/plan.json`` into the database, and exporting it back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workplan.models import Assignment, Organisation, Recommendation
from workplan.plan.editing import record_first_version
from workplan.state.scope import current_assignment_clause, current_recommendation_clause

SEEDS_DIR = Path(__file__).resolve().parent.parent.parent / "seeds"
PLAN_SEED = SEEDS_DIR / "plan.json"


@dataclass
class SeedResult:
    """What a seed run added; rows that already existed are left as they are."""

    organisations: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    assignments: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.organisations or self.recommendations or self.assignments)


def read_seed(path: Path = PLAN_SEED) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def load_seed(session: Session, seed: dict[str, Any]) -> SeedResult:
    """Add the organisations, recommendations and assignments of ``seed`` that are missing.

    Idempotent, and conservative: an existing row is matched by its code and never changed or
    deleted, so anything users entered since the first load (statuses, edits to the plan)
    survives a second run.
    """
    result = SeedResult()
    orgs = {o.code: o for o in session.scalars(select(Organisation))}
    for position, item in enumerate(seed["organisations"], start=1):
        if item["code"] in orgs:
            continue
        org = Organisation(
            code=item["code"],
            name=item["name"],
            name_fr=item.get("name_fr"),
            kind=item["kind"],
            region=item.get("region"),
            position=position,
        )
        session.add(org)
        orgs[org.code] = org
        result.organisations.append(org.code)
    session.flush()

    recs = {
        r.code: r
        for r in session.scalars(
            select(Recommendation).options(selectinload(Recommendation.assignments))
        )
    }
    for task in seed["tasks"]:
        rec = recs.get(task["code"])
        if rec is None:
            rec = Recommendation(
                code=task["code"],
                term=task["term"],
                position=task["order"],
                title=task["title"],
                text=task["text"],
                source_ref=task["source_ref"],
                implementation=task.get("implementation", ""),
            )
            session.add(rec)
            record_first_version(session, rec)
            result.recommendations.append(rec.code)
        have = {a.organisation_id for a in rec.assignments}
        for share in task["responsible"]:
            org = orgs[share["org"]]
            if org.id in have:
                continue
            rec.assignments.append(Assignment(organisation=org, is_lead=share["lead"]))
            result.assignments.append(f"{task['code']}:{org.code}")
    session.flush()
    return result


def export_plan(session: Session) -> dict[str, Any]:
    """The plan as stored, in the shape of ``flask plan export``."""
    organisations = session.scalars(
        select(Organisation).order_by(Organisation.position, Organisation.code)
    ).all()
    recommendations = session.scalars(
        select(Recommendation)
        .where(current_recommendation_clause())
        .options(
            selectinload(Recommendation.assignments.and_(current_assignment_clause())).joinedload(
                Assignment.organisation
            )
        )
        .order_by(Recommendation.position)
    ).all()
    return {
        "organisations": [
            {
                "code": o.code,
                "name": o.name,
                "name_fr": o.name_fr,
                "kind": o.kind,
                "region": o.region,
            }
            for o in organisations
        ],
        "tasks": [
            {
                "code": r.code,
                "term": r.term,
                "title": r.title,
                "text": r.text,
                "title_fr": r.title_fr,
                "text_fr": r.text_fr,
                "target_date": r.target_date.isoformat() if r.target_date else None,
                "responsible": [
                    {"org": a.organisation.code, "lead": a.is_lead}
                    for a in sorted(
                        r.assignments, key=lambda a: (a.organisation.position, a.organisation.code)
                    )
                ],
            }
            for r in recommendations
        ],
    }


TITLES_SEED = SEEDS_DIR / "titles.json"


def apply_seed_titles(session: Session, actor: Any, path: Path = TITLES_SEED) -> list[str]:
    """Give each recommendation still worded as the annex (version 1) its hand-written short
    title, recorded as ``actor``'s first edit (version 2). Safe to run again: a
    recommendation already edited is left as it is. Returns the codes retitled."""
    from workplan.plan.editing import Wording, edit_recommendation, latest_version_number

    titles = json.loads(path.read_text(encoding="utf-8"))
    retitled = []
    recs = session.scalars(
        select(Recommendation)
        .where(Recommendation.code.in_(list(titles["titles"])))
        .order_by(Recommendation.position)
    ).all()
    for rec in recs:
        title = titles["titles"][rec.code]
        if latest_version_number(session, rec) != 1 or rec.title == title:
            continue
        wording = Wording(title, rec.text, rec.title_fr, rec.text_fr, rec.term, rec.target_date)
        edit_recommendation(session, actor, rec, wording, titles["why"], seen_version=1)
        retitled.append(rec.code)
    return retitled
