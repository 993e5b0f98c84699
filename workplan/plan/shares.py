"""Who is responsible: an organisation's share of a recommendation added or ended, a lead
set or unset, and new organisations joining the network.

Services flush; the caller commits. Every change is audited. An ended share keeps its
history and leaves the current plan from its end on (``workplan.state.scope``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workplan.audit import record_audit
from workplan.models import Assignment, Organisation, OrgKind, Recommendation
from workplan.models.base import utcnow


class ShareError(ValueError):
    """The change breaks a rule; the message says which."""


class ShareConflict(Exception):
    """Someone else changed the share since the form was opened."""


def _share_values(share: Assignment) -> dict[str, Any]:
    return {
        "recommendation": share.recommendation.code,
        "organisation": share.organisation.code,
        "is_lead": share.is_lead,
        "ended_at": share.ended_at.isoformat() if share.ended_at else None,
        "ended_reason": share.ended_reason,
    }


def _check_version(share: Assignment, seen_version: int | None) -> None:
    if seen_version is not None and seen_version != share.version:
        raise ShareConflict


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as error:
        session.rollback()
        raise ShareConflict from error


def add_share(
    session: Session, actor: Any, rec: Recommendation, org: Organisation, *, lead: bool = False
) -> Assignment:
    """Make ``org`` responsible for ``rec``. An ended share of the same pair is not
    reopened (its history says when it ended): the pair is unique, so that is refused."""
    if rec.retired_at is not None:
        raise ShareError(f"{rec.code} is retired")
    existing = session.scalar(
        select(Assignment).where(
            Assignment.recommendation_id == rec.id, Assignment.organisation_id == org.id
        )
    )
    if existing is not None:
        if existing.ended_at is None:
            raise ShareError(f"{org.code} is already responsible for {rec.code}")
        raise ShareError(
            f"{org.code}'s share of {rec.code} ended on {existing.ended_at:%Y-%m-%d}: "
            "an ended share is kept as history and cannot be reopened"
        )
    share = Assignment(recommendation=rec, organisation=org, is_lead=lead)
    session.add(share)
    session.flush()
    record_audit(session, actor, "add_share", share, after=_share_values(share))
    return share


def end_share(
    session: Session,
    actor: Any,
    share: Assignment,
    reason: str,
    *,
    at: datetime | None = None,
    seen_version: int | None = None,
) -> Assignment:
    """End an organisation's share on ``at`` (now) because of ``reason``."""
    _check_version(share, seen_version)
    if share.ended_at is not None:
        raise ShareError("this share has already ended")
    if not reason.strip():
        raise ShareError("say why the share ends")
    before = _share_values(share)
    share.ended_at, share.ended_reason = at or utcnow(), reason.strip()
    share.is_lead = False
    record_audit(session, actor, "end_share", share, before=before, after=_share_values(share))
    _flush(session)
    return share


def set_lead(
    session: Session,
    actor: Any,
    share: Assignment,
    lead: bool,
    *,
    seen_version: int | None = None,
) -> Assignment:
    """Make the organisation a lead of its share, or no longer one."""
    _check_version(share, seen_version)
    if share.ended_at is not None:
        raise ShareError("this share has ended")
    if share.is_lead == lead:
        return share
    before = _share_values(share)
    share.is_lead = lead
    record_audit(session, actor, "set_lead", share, before=before, after=_share_values(share))
    _flush(session)
    return share


@dataclass(frozen=True)
class NewOrganisation:
    code: str
    name: str
    name_fr: str
    kind: str
    region: str


def add_organisation(session: Session, actor: Any, data: NewOrganisation) -> Organisation:
    """A mechanism (or OHCHR unit) joining the network, placed after the others."""
    code, name = " ".join(data.code.split()), " ".join(data.name.split())
    if not code or not name:
        raise ShareError("an organisation needs a code and a name")
    if len(code) > 20:
        raise ShareError("a code is at most 20 characters")
    if data.kind not in set(OrgKind):
        raise ShareError(f"unknown kind {data.kind!r}")
    taken = session.scalar(
        select(Organisation.id).where(func.lower(Organisation.code) == code.lower())
    )
    if taken is not None:
        raise ShareError(f"the code {code} is already used")
    position = (session.scalar(select(func.max(Organisation.position))) or 0) + 1
    org = Organisation(
        code=code,
        name=name,
        name_fr=" ".join(data.name_fr.split()) or None,
        kind=data.kind,
        region=" ".join(data.region.split()) or None,
        position=position,
    )
    session.add(org)
    session.flush()
    record_audit(
        session,
        actor,
        "add_organisation",
        org,
        after={"code": org.code, "name": org.name, "name_fr": org.name_fr, "kind": org.kind,
               "region": org.region},
    )  # fmt: skip
    return org
