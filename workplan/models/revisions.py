"""How the plan changes after the first meeting: each version of a recommendation's wording,
and each revision of the plan applied in one step for a meeting.

Versions are append-only (a PostgreSQL trigger refuses UPDATE and DELETE, see
``models/append_only.py``): the first is the annex's wording, every edit adds one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import UTCDateTime, choice_check, utcnow
from workplan.models.meetings import Meeting
from workplan.models.organisations import User
from workplan.models.plan import Term


class PlanRevision(db.Model):
    """A set of changes to the plan decided by a meeting and applied in one transaction
    (from a file, in the browser or with ``flask plan import-revision``)."""

    __tablename__ = "plan_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="RESTRICT"), index=True
    )
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source_name: Mapped[str] = mapped_column(String(300), default="")
    # The accepted points as applied (their ids, kinds and values) and the rejected ids.
    applied: Mapped[list] = mapped_column(JSON, default=list)
    rejected: Mapped[list] = mapped_column(JSON, default=list)

    meeting: Mapped[Meeting] = relationship()
    applied_by: Mapped[User | None] = relationship()


class RecommendationVersion(db.Model):
    """The wording of a recommendation from one edit on: who changed it, when, and why."""

    __tablename__ = "recommendation_versions"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "number"),
        choice_check("term", Term),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    title_fr: Mapped[str] = mapped_column(String(300), default="")
    text_fr: Mapped[str] = mapped_column(Text, default="")
    term: Mapped[str] = mapped_column(String(10))
    target_date: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    plan_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_revisions.id", ondelete="RESTRICT")
    )

    created_by: Mapped[User | None] = relationship()
