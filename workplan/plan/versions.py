"""A recommendation's history as its page shows it: each version with what it changed
(a word-level difference with the one before), and the shares that ended."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from workplan.models import Assignment, Recommendation, RecommendationVersion

COMPARED = ("title", "text", "title_fr", "text_fr", "term", "target_date")


@dataclass(frozen=True)
class Piece:
    """A run of words: ``kind`` is "same", "removed" or "added"."""

    kind: str
    words: str


@dataclass(frozen=True)
class FieldChange:
    name: str
    pieces: list[Piece]


@dataclass(frozen=True)
class VersionRow:
    version: RecommendationVersion
    changes: list[FieldChange]


@dataclass(frozen=True)
class RecommendationHistory:
    versions: list[VersionRow]  # newest first
    ended: list[Assignment]

    @property
    def current_number(self) -> int:
        return self.versions[0].version.number if self.versions else 0


def word_diff(before: str, after: str) -> list[Piece]:
    """The words of ``after`` against ``before``: kept, removed and added runs (difflib)."""
    old, new = before.split(), after.split()
    pieces = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", " ".join(new[j1:j2])))
    return pieces


def history_of(session: Session, rec: Recommendation) -> RecommendationHistory:
    """Versions (two statements with the ended shares), each compared with the previous."""
    versions = list(
        session.scalars(
            select(RecommendationVersion)
            .where(RecommendationVersion.recommendation_id == rec.id)
            .options(joinedload(RecommendationVersion.created_by))
            .order_by(RecommendationVersion.number)
        )
    )
    rows, previous = [], None
    for version in versions:
        changes = []
        if previous is not None:
            for name in COMPARED:
                before, after = getattr(previous, name), getattr(version, name)
                if before != after:
                    changes.append(
                        FieldChange(name, word_diff(str(before or ""), str(after or "")))
                    )
        rows.append(VersionRow(version, changes))
        previous = version
    ended = list(
        session.scalars(
            select(Assignment)
            .where(Assignment.recommendation_id == rec.id, Assignment.ended_at.is_not(None))
            .options(joinedload(Assignment.organisation))
            .order_by(Assignment.ended_at)
        )
    )
    return RecommendationHistory(list(reversed(rows)), ended)
