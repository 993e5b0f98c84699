"""The public plan as open data (JSON and CSV), and the fingerprint its caching relies on.

Statuses and terms are the stable codes of the application (``in_progress``, ``short``),
not translated labels, so that the data reads the same in every language; organisation
names follow the requested language.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from workplan.exports.tabular import Cell, csv_bytes
from workplan.public.reads import PublicPlan

CSV_HEADER = (
    "recommendation",
    "term",
    "title",
    "recommendation_status",
    "recommendation_progress",
    "target_date",
    "organisation",
    "organisation_name",
    "lead",
    "status",
    "progress",
    "reported_on",
    "narrative",
    "data_last_changed",
    "licence",
)


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def as_dict(plan: PublicPlan, language: str, licence: str) -> dict[str, Any]:
    """The plan as a JSON-ready mapping (see the README's description of the open data)."""
    return {
        "language": language,
        "last_change": _day(plan.last_change),
        "licence": licence,
        "recommendations": [
            {
                "code": r.code,
                "term": r.term,
                "title": r.title,
                "text": r.text,
                "target_date": r.target_date.isoformat() if r.target_date else None,
                "status": r.status,
                "progress": r.progress,
                "shares": [
                    {
                        "organisation": s.organisation_code,
                        "organisation_name": s.organisation_name,
                        "lead": s.lead,
                        "status": s.status,
                        "progress": s.progress,
                        "reported_on": _day(s.reported_at),
                        "narrative": s.narrative,
                    }
                    for s in r.shares
                ],
            }
            for r in plan.recommendations
        ],
    }


def as_json(plan: PublicPlan, language: str, licence: str) -> bytes:
    return json.dumps(as_dict(plan, language, licence), ensure_ascii=False, indent=1).encode()


def as_csv(plan: PublicPlan, licence: str) -> bytes:
    """One row per share; the date of the last change and the licence on every row, so that
    a row copied elsewhere still says where it stands."""
    changed = _day(plan.last_change)
    rows: list[list[Cell]] = []
    for r in plan.recommendations:
        for s in r.shares:
            rows.append(
                [
                    r.code,
                    r.term,
                    r.title,
                    r.status,
                    r.progress,
                    r.target_date,
                    s.organisation_code,
                    s.organisation_name,
                    s.lead,
                    s.status,
                    s.progress,
                    _day(s.reported_at),
                    s.narrative,
                    changed,
                    licence,
                ]
            )
    return csv_bytes(CSV_HEADER, rows)


def fingerprint(plan: PublicPlan, language: str, licence: str, kind: str) -> str:
    """An ETag for one representation: it changes whenever anything shown changes."""
    data = json.dumps([kind, as_dict(plan, language, licence)], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:32]
