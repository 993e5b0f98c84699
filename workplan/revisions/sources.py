"""Reading a revised plan from a file: the JSON of ``flask plan export``, the same as a
spreadsheet (XLSX or CSV, see :func:`template_rows`), or a document in the annex's own form.

Every reader returns a :class:`Proposal`: the plan in the export's shape, and the points the
parser could not settle (annex documents only).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from workplan.plan import seeding

# The spreadsheet's columns: one row per share; a recommendation without a share has one
# row with an empty organisation.
COLUMNS = ["code", "term", "title", "text", "title_fr", "text_fr", "target_date", "org", "lead"]
TASK_FIELDS = COLUMNS[:7]
# An annex recommendation is the same as a current one when their texts are this similar;
# below SURE, the match is a point to settle (shown with the differences).
SAME, SURE = 0.6, 0.9


class SourceError(ValueError):
    """The file cannot be read as a plan; the message says why."""


@dataclass
class Proposal:
    plan: dict[str, Any]
    unsettled: list[dict[str, str]] = field(default_factory=list)


def read_source(session: Session, name: str, data: bytes) -> Proposal:
    """The proposal in the file ``name`` (its extension says its form)."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".json":
            return Proposal(_checked(json.loads(data.decode("utf-8"))))
        if suffix == ".csv":
            rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
            return Proposal(_from_rows(session, rows))
        if suffix == ".xlsx":
            return Proposal(_from_rows(session, _xlsx_rows(data)))
        if suffix in (".txt", ".md"):
            return _from_annex(session, data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise SourceError(f"{name} cannot be read: {error}") from error
    raise SourceError(f"{name}: give a .json, .xlsx, .csv, or the annex as .txt or .md")


def _checked(plan: Any) -> dict[str, Any]:
    if not isinstance(plan, dict) or not isinstance(plan.get("tasks"), list):
        raise SourceError("the file is not in the shape of 'flask plan export' (no tasks)")
    for task in plan["tasks"]:
        for key in ("code", "term", "title", "text", "responsible"):
            if key not in task:
                raise SourceError(f"a recommendation has no {key!r}: {str(task)[:80]}")
    plan.setdefault("organisations", None)  # None: keep the current organisations
    return plan


def _from_rows(session: Session, rows: list[dict[str, Any]]) -> dict[str, Any]:
    tasks: dict[str, dict[str, Any]] = {}
    for row in rows:
        code = str(row.get("code") or "").strip()
        if not code:
            continue
        task = tasks.get(code)
        if task is None:
            task = tasks[code] = {key: str(row.get(key) or "").strip() for key in TASK_FIELDS} | {
                "responsible": []
            }
            task["target_date"] = task["target_date"][:10] or None
        org = str(row.get("org") or "").strip()
        if org:
            lead = str(row.get("lead") or "").strip().lower() in ("1", "yes", "true", "x", "lead")
            task["responsible"].append({"org": org, "lead": lead})
    return _checked({"organisations": None, "tasks": list(tasks.values())})


def _xlsx_rows(data: bytes) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        raise SourceError(f"not a readable XLSX workbook ({error})") from error
    values = list(sheet.iter_rows(values_only=True))
    if not values:
        raise SourceError("the workbook's first sheet is empty")
    header = [str(v or "").strip() for v in values[0]]
    return [dict(zip(header, row, strict=False)) for row in values[1:]]


def template_rows(session: Session) -> list[list[Any]]:
    """The current plan as spreadsheet rows (header first): the downloadable template."""
    rows: list[list[Any]] = [COLUMNS]
    for task in seeding.export_plan(session)["tasks"]:
        base = [task.get(key) or "" for key in TASK_FIELDS]
        for share in task["responsible"] or [{"org": "", "lead": False}]:
            rows.append([*base, share["org"], "yes" if share["lead"] else ""])
    return rows


def template_csv(session: Session) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(template_rows(session))
    return out.getvalue()


def template_xlsx(session: Session) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "plan"
    for row in template_rows(session):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _from_annex(session: Session, text: str) -> Proposal:
    """An annex-style document: parsed with the first annex's decisions (points it no longer
    raises left aside), each recommendation matched to a current one by its text."""
    from workplan.plan.annex import parse_annex

    decisions_path = seeding.SEEDS_DIR / "decisions.json"
    decisions = json.loads(decisions_path.read_text(encoding="utf-8"))
    try:
        parsed = parse_annex(text, decisions, strict=False)
    except ValueError as error:
        raise SourceError(str(error)) from error
    current = seeding.export_plan(session)["tasks"]
    unsettled = [
        {"id": p.id, "text": p.text, "reading": p.reading}
        for p in parsed.points
        if p.needs_decision
    ]
    taken: set[str] = set()
    tasks = []
    for task in parsed.tasks:
        match, ratio = _best_match(task, [c for c in current if c["code"] not in taken])
        proposed = {k: task[k] for k in ("term", "text", "responsible")}
        if match is None:
            proposed |= {"code": "", "title": task["title"]}  # new: the next free code
        else:
            taken.add(match["code"])
            # The annex gives no titles a person wrote: a matched recommendation keeps its own.
            proposed |= {key: match.get(key) for key in ("code", "title", "title_fr", "text_fr")}
            proposed["target_date"] = match.get("target_date")
            if ratio < SURE:
                unsettled.append(
                    {
                        "id": f"match:{match['code']}",
                        "text": task["text"][:200],
                        "reading": f"read as a new wording of {match['code']} "
                        f"({round(ratio * 100)}% the same text)",
                    }
                )
        tasks.append(proposed)
    return Proposal({"organisations": None, "tasks": tasks}, unsettled)


def _best_match(task: dict[str, Any], candidates: list[dict[str, Any]]) -> tuple[Any, float]:
    best, best_ratio = None, 0.0
    for candidate in candidates:
        if candidate["term"] != task["term"]:
            continue
        ratio = difflib.SequenceMatcher(None, candidate["text"], task["text"]).ratio()
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return (best, best_ratio) if best_ratio >= SAME else (None, best_ratio)
