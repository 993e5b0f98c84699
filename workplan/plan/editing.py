"""The coordinator edits the plan: a recommendation's wording (every change a new version),
new and retired recommendations.

Services flush and leave the commit to the request, job or command that called them. Each
change is audited; an edit made on a form opened at an older version is refused
(:class:`PlanConflict`), as a meeting's edit is.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workplan.audit import record_audit
from workplan.models import Recommendation, RecommendationVersion, Term
from workplan.models.base import utcnow
from workplan.plan.shares import end_share

PREFIX = {Term.SHORT: "S", Term.MID: "M", Term.LONG: "L"}
CODE_PATTERN = re.compile(r"^[A-Z]{1,3}\d{1,4}$")
FIRST_VERSION_NOTE = "The annex's wording"


class PlanConflict(Exception):
    """Someone else changed the recommendation since the form was opened."""


class InvalidChange(ValueError):
    """The change breaks a rule; the message says which (shown to the coordinator)."""


@dataclass(frozen=True)
class Wording:
    """What a version holds: the fields the coordinator edits."""

    title: str
    text: str
    title_fr: str = ""
    text_fr: str = ""
    term: str = Term.SHORT
    target_date: date | None = None

    @classmethod
    def of(cls, rec: Recommendation) -> Wording:
        return cls(rec.title, rec.text, rec.title_fr, rec.text_fr, rec.term, rec.target_date)

    def cleaned(self) -> Wording:
        """Spaces trimmed; raise :class:`InvalidChange` when the wording is not usable."""
        result = Wording(
            " ".join(self.title.split()),
            self.text.strip(),
            " ".join(self.title_fr.split()),
            self.text_fr.strip(),
            self.term,
            self.target_date,
        )
        if not result.title or not result.text:
            raise InvalidChange("a recommendation needs a title and a text")
        if len(result.title) > 300 or len(result.title_fr) > 300:
            raise InvalidChange("a title is at most 300 characters")
        if result.term not in set(Term):
            raise InvalidChange(f"unknown term {result.term!r}")
        return result

    def values(self) -> dict[str, Any]:
        """JSON-ready, for the audit trail and the revision record."""
        values = asdict(self)
        values["target_date"] = self.target_date.isoformat() if self.target_date else None
        return values


def latest_version_number(session: Session, rec: Recommendation) -> int:
    """The number of the recommendation's newest version (0 when it has none)."""
    return (
        session.scalar(
            select(func.max(RecommendationVersion.number)).where(
                RecommendationVersion.recommendation_id == rec.id
            )
        )
        or 0
    )


def _add_version(
    session: Session,
    rec: Recommendation,
    number: int,
    note: str,
    actor: Any,
    revision_id: int | None = None,
    at: datetime | None = None,
) -> RecommendationVersion:
    version = RecommendationVersion(
        recommendation_id=rec.id,
        number=number,
        title=rec.title,
        text=rec.text,
        title_fr=rec.title_fr or "",
        text_fr=rec.text_fr or "",
        term=rec.term,
        target_date=rec.target_date,
        note=note,
        created_by_id=getattr(actor, "id", None),
        plan_revision_id=revision_id,
        created_at=at or utcnow(),
    )
    session.add(version)
    return version


def record_first_version(session: Session, rec: Recommendation) -> RecommendationVersion:
    """Version 1 of a recommendation just loaded from the annex: its wording as agreed."""
    session.flush()
    return _add_version(session, rec, 1, FIRST_VERSION_NOTE, None, at=rec.created_at)


def edit_recommendation(
    session: Session,
    actor: Any,
    rec: Recommendation,
    wording: Wording,
    note: str,
    seen_version: int | None,
    revision_id: int | None = None,
) -> RecommendationVersion | None:
    """Save a new wording as the next version, with ``note`` saying why.

    Raise :class:`PlanConflict` when the newest version is not ``seen_version`` (someone
    saved since), :class:`InvalidChange` when the wording is unusable. Return None when
    nothing changed (no version is added).
    """
    wording = wording.cleaned()
    number = latest_version_number(session, rec)
    if seen_version is not None and seen_version != number:
        raise PlanConflict
    before = Wording.of(rec)
    if wording == before:
        return None
    if not note.strip():
        raise InvalidChange("say why the recommendation changes")
    if number == 0:  # a recommendation made before versions existed: keep its wording first
        _add_version(session, rec, 1, FIRST_VERSION_NOTE, None, at=rec.created_at)
        number = 1
    rec.title, rec.text = wording.title, wording.text
    rec.title_fr, rec.text_fr = wording.title_fr, wording.text_fr
    rec.term, rec.target_date = wording.term, wording.target_date
    version = _add_version(session, rec, number + 1, note.strip(), actor, revision_id)
    record_audit(
        session,
        actor,
        "edit_recommendation",
        rec,
        before={"version": number, **before.values()},
        after={"version": number + 1, "note": note.strip(), **wording.values()},
    )
    try:
        session.flush()
    except IntegrityError as error:  # two saves of the same version number at once
        session.rollback()
        raise PlanConflict from error
    return version


def next_free_code(session: Session, term: str) -> str:
    """The next code of ``term`` after the highest one used (retired codes are not reused)."""
    prefix = PREFIX[Term(term)]
    numbers = [
        int(code[len(prefix) :])
        for code in session.scalars(select(Recommendation.code))
        if code.startswith(prefix) and code[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


def add_recommendation(
    session: Session,
    actor: Any,
    wording: Wording,
    note: str,
    code: str | None = None,
    revision_id: int | None = None,
) -> Recommendation:
    """A new recommendation, last of its term, coded ``code`` or the next free code."""
    wording = wording.cleaned()
    code = (code or "").strip().upper() or next_free_code(session, wording.term)
    if not CODE_PATTERN.match(code):
        raise InvalidChange(f"{code!r} is not a recommendation code (e.g. S10, M14)")
    taken = session.scalar(select(Recommendation.id).where(func.upper(Recommendation.code) == code))
    if taken is not None:
        raise InvalidChange(f"the code {code} is already used")
    position = (session.scalar(select(func.max(Recommendation.position))) or 0) + 1
    rec = Recommendation(
        code=code,
        term=wording.term,
        position=position,
        title=wording.title,
        text=wording.text,
        title_fr=wording.title_fr,
        text_fr=wording.text_fr,
        target_date=wording.target_date,
        source_ref=note.strip()[:200] or "Added by the coordinator",
    )
    session.add(rec)
    session.flush()
    _add_version(session, rec, 1, note.strip() or "Added", actor, revision_id)
    record_audit(
        session, actor, "add_recommendation", rec, after={"code": code, **wording.values()}
    )
    session.flush()
    return rec


def retire_recommendation(
    session: Session, actor: Any, rec: Recommendation, reason: str, at: datetime | None = None
) -> None:
    """Take a recommendation out of the current plan, keeping its history: its shares end
    with it (so one clause on shares keeps both out, see ``workplan.state.scope``)."""
    if rec.retired_at is not None:
        raise InvalidChange(f"{rec.code} is already retired")
    if not reason.strip():
        raise InvalidChange("say why the recommendation is retired")
    at = at or utcnow()
    rec.retired_at, rec.retired_reason = at, reason.strip()
    for share in rec.assignments:
        if share.ended_at is None:
            end_share(session, actor, share, f"{rec.code} retired: {reason.strip()}", at=at)
    record_audit(
        session,
        actor,
        "retire_recommendation",
        rec,
        after={"code": rec.code, "retired_at": at.isoformat(), "reason": reason.strip()},
    )
    session.flush()
