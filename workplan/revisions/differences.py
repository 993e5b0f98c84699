"""The differences between a proposed plan and the current one, as points the coordinator
accepts or rejects one by one, and the accepted ones applied in one transaction.

Point ids are stable strings (``text:S4``, ``new:S10``, ``retire:M12``, ``share+:S1:ACHPR``,
``share-:S1:ACHPR``, ``lead:S3:CoE``, ``org+:XYZ``, ``org-:AHRC``) so that a form can name
them. An organisation absent from a file that lists organisations leaves the network: one
``org-`` point ends all its shares (no separate ``share-`` points for it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workplan.audit import record_audit
from workplan.models import Assignment, Meeting, Organisation, PlanRevision, Recommendation
from workplan.plan import editing, seeding, shares
from workplan.revisions.sources import Proposal
from workplan.state.scope import current_assignment_clause

WORDING_FIELDS = ("title", "text", "title_fr", "text_fr", "term", "target_date")


class RevisionError(ValueError):
    """An accepted point cannot be applied; nothing is applied (the message says why)."""


@dataclass
class Difference:
    id: str
    kind: str  # org+, org-, new, retire, text, share+, share-, lead
    code: str  # the recommendation's code, or the organisation's for org+/org-
    summary: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


def _wording(task: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (task.get(key) or ("" if key != "target_date" else None)) for key in WORDING_FIELDS
    }


def differences(session: Session, proposal: Proposal) -> list[Difference]:
    """Every difference between ``proposal`` and the current plan, in plan order."""
    current = seeding.export_plan(session)
    plan = proposal.plan
    found: list[Difference] = []
    orgs_now = {o["code"]: o for o in current["organisations"]}
    leaving: set[str] = set()
    if plan.get("organisations") is not None:
        listed = {o["code"]: o for o in plan["organisations"]}
        for code, org in listed.items():
            if code not in orgs_now:
                found.append(
                    Difference(
                        f"org+:{code}",
                        "org+",
                        code,
                        f"{code} joins the network: {org.get('name', '')}",
                        after=org,
                    )
                )
        # An organisation with no current share has already left (or not yet joined a
        # recommendation): nothing to end.
        sharing = {s["org"] for t in current["tasks"] for s in t["responsible"]}
        for code in orgs_now:
            if code not in listed and code in sharing:
                leaving.add(code)
                found.append(
                    Difference(
                        f"org-:{code}",
                        "org-",
                        code,
                        f"{code} leaves the network: its shares end",
                        before=orgs_now[code],
                    )
                )
    tasks_now = {t["code"]: t for t in current["tasks"]}
    proposed_codes = set()
    for task in plan["tasks"]:
        code = (task.get("code") or "").strip().upper()
        if not code or code not in tasks_now:
            code = code or _next_code(session, task["term"], proposed_codes)
            proposed_codes.add(code)
            found.append(
                Difference(
                    f"new:{code}",
                    "new",
                    code,
                    f"New recommendation {code or '(next free code)'}: {task['title']}",
                    after={**_wording(task), "responsible": task["responsible"]},
                )
            )
            continue
        proposed_codes.add(code)
        now = tasks_now[code]
        # A field the file does not carry (an older export) is left as it is.
        before, after = _wording(now), _wording({**now, **task})
        changed = {k: after[k] for k in WORDING_FIELDS if after[k] != before[k]}
        if changed:
            found.append(
                Difference(
                    f"text:{code}",
                    "text",
                    code,
                    f"{code}: {', '.join(changed)} changed",
                    before={k: before[k] for k in changed},
                    after=after,
                )
            )
        shares_now = {s["org"]: s["lead"] for s in now["responsible"]}
        shares_then = {s["org"]: bool(s["lead"]) for s in task["responsible"]}
        for org, lead in shares_then.items():
            if org not in shares_now:
                found.append(
                    Difference(
                        f"share+:{code}:{org}",
                        "share+",
                        code,
                        f"{org} becomes responsible for {code}" + (" (lead)" if lead else ""),
                        after={"org": org, "lead": lead},
                    )
                )
            elif shares_now[org] != lead:
                found.append(
                    Difference(
                        f"lead:{code}:{org}",
                        "lead",
                        code,
                        f"{org} {'becomes' if lead else 'is no longer'} a lead of {code}",
                        after={"org": org, "lead": lead},
                    )
                )
        for org in shares_now:
            if org not in shares_then and org not in leaving:
                found.append(
                    Difference(
                        f"share-:{code}:{org}",
                        "share-",
                        code,
                        f"{org}'s share of {code} ends",
                        before={"org": org},
                    )
                )
    for code in tasks_now:
        if code not in proposed_codes:
            found.append(
                Difference(
                    f"retire:{code}",
                    "retire",
                    code,
                    f"{code} is retired: {tasks_now[code]['title']}",
                    before=_wording(tasks_now[code]),
                )
            )
    return found


def _next_code(session: Session, term: str, used: set[str]) -> str:
    """The next free code of ``term``, past those the proposal already gives."""
    code = editing.next_free_code(session, term)
    prefix = code.rstrip("0123456789")
    number = int(code[len(prefix) :])
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


ORDER = ["org+", "new", "text", "share+", "lead", "share-", "org-", "retire"]


def apply_revision(
    session: Session,
    actor: Any,
    meeting: Meeting,
    found: list[Difference],
    accepted: set[str],
    source_name: str = "",
) -> PlanRevision:
    """Apply the accepted differences for ``meeting``, flushing; the caller commits (one
    transaction: a point that cannot be applied raises :class:`RevisionError` and the caller
    rolls everything back)."""
    chosen = [d for d in found if d.id in accepted]
    unknown = accepted - {d.id for d in found}
    if unknown:
        raise RevisionError(f"no such difference: {', '.join(sorted(unknown))}")
    revision = PlanRevision(
        meeting_id=meeting.id,
        applied_by_id=getattr(actor, "id", None),
        source_name=source_name[:300],
        applied=[{"id": d.id, "kind": d.kind, "after": d.after} for d in chosen],
        rejected=[d.id for d in found if d.id not in accepted],
    )
    session.add(revision)
    session.flush()
    why = f"Decided at {meeting.title} ({meeting.held_on.isoformat()})"
    try:
        for diff in sorted(chosen, key=lambda d: ORDER.index(d.kind)):
            _apply_one(session, actor, diff, why, revision.id)
    except (editing.InvalidChange, shares.ShareError, editing.PlanConflict) as error:
        raise RevisionError(f"{diff.id}: {error}") from error
    record_audit(
        session,
        actor,
        "apply_plan_revision",
        revision,
        after={
            "meeting_id": meeting.id,
            "applied": [d.id for d in chosen],
            "rejected": revision.rejected,
        },
    )
    session.flush()
    return revision


def _rec(session: Session, code: str) -> Recommendation:
    rec = session.scalar(select(Recommendation).where(Recommendation.code == code))
    if rec is None:
        raise RevisionError(f"no recommendation {code}")
    return rec


def _org(session: Session, code: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        raise RevisionError(f"no organisation {code}: accept its arrival in the network first")
    return org


def _share(session: Session, code: str, org_code: str) -> Assignment:
    share = session.scalar(
        select(Assignment)
        .join(Assignment.recommendation)
        .join(Assignment.organisation)
        .where(Recommendation.code == code, Organisation.code == org_code)
        .where(current_assignment_clause())
    )
    if share is None:
        raise RevisionError(f"{org_code} has no current share of {code}")
    return share


def _as_wording(values: dict[str, Any]) -> editing.Wording:
    target = values.get("target_date")
    return editing.Wording(
        values["title"],
        values["text"],
        values.get("title_fr") or "",
        values.get("text_fr") or "",
        values["term"],
        date.fromisoformat(target) if target else None,
    )


def _apply_one(session: Session, actor: Any, diff: Difference, why: str, rev_id: int) -> None:
    after = diff.after
    if diff.kind == "org+":
        data = shares.NewOrganisation(
            diff.code,
            after.get("name") or diff.code,
            after.get("name_fr") or "",
            after.get("kind") or "rhrm",
            after.get("region") or "",
        )
        shares.add_organisation(session, actor, data)
    elif diff.kind == "org-":
        for share in session.scalars(
            select(Assignment)
            .join(Assignment.organisation)
            .where(Organisation.code == diff.code, current_assignment_clause())
        ).all():
            shares.end_share(session, actor, share, f"{diff.code} left the network. {why}")
    elif diff.kind == "new":
        rec = editing.add_recommendation(
            session, actor, _as_wording(after), why, diff.code or None, rev_id
        )
        for item in after["responsible"]:
            shares.add_share(
                session, actor, rec, _org(session, item["org"]), lead=bool(item["lead"])
            )
    elif diff.kind == "text":
        rec = _rec(session, diff.code)
        editing.edit_recommendation(session, actor, rec, _as_wording(after), why, None, rev_id)
    elif diff.kind == "share+":
        rec = _rec(session, diff.code)
        shares.add_share(session, actor, rec, _org(session, after["org"]), lead=after["lead"])
    elif diff.kind == "lead":
        shares.set_lead(session, actor, _share(session, diff.code, after["org"]), after["lead"])
    elif diff.kind == "share-":
        shares.end_share(session, actor, _share(session, diff.code, diff.before["org"]), why)
    elif diff.kind == "retire":
        editing.retire_recommendation(session, actor, _rec(session, diff.code), why)
