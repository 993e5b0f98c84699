"""The work plan: recommendations and each organisation's share of them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import UTCDateTime, choice_check, percent_check, utcnow
from workplan.models.organisations import Organisation


class Term(enum.StrEnum):
    SHORT = "short"
    MID = "mid"
    LONG = "long"


# Terms in the order pages and reports list them.
TERM_ORDER = [Term.SHORT, Term.MID, Term.LONG]


class Status(enum.StrEnum):
    """The status of an assignment, as reported by its organisation."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ONGOING = "ongoing"  # a recurring practice now in place
    COMPLETED = "completed"
    ON_HOLD = "on_hold"


class Recommendation(db.Model):
    """One item of the plan (a "task"), coded S1.., M1.., L1.. in the order of the annex."""

    __tablename__ = "recommendations"
    __table_args__ = (choice_check("term", Term),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    term: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    source_ref: Mapped[str] = mapped_column(String(200))
    implementation: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The French wording, when the coordinator gives it (empty: the English one is shown).
    title_fr: Mapped[str] = mapped_column(String(300), default="", server_default="")
    text_fr: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A retired recommendation keeps its history but leaves the current plan
    # (``workplan.state.scope``).
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retired_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="recommendation", order_by="Assignment.id"
    )

    def __repr__(self) -> str:
        return f"<Recommendation {self.code}>"


class Assignment(db.Model):
    """One organisation's share of one recommendation, with its own status and history.

    The current state is kept, not recomputed, per audience (see :mod:`workplan.state.current`):
    ``latest_update_id`` points at the newest progress update and ``status``, ``progress`` and
    ``last_update_at`` repeat what it says (the *internal* state: the coordinator and the
    share's own organisation); ``latest_network_update_id`` and the ``network_*`` columns do
    the same for the newest update the whole network may read. Both are set in the
    transaction that writes the update. ``version`` increases with every write and guards
    against two people overwriting each other (optimistic locking).
    """

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "organisation_id"),
        choice_check("status", Status),
        percent_check("progress"),
        choice_check("network_status", Status),
        percent_check("network_progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="RESTRICT"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=Status.NOT_STARTED)
    progress: Mapped[int | None]
    last_update_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Pointers into the history: progress_updates also points at assignments, hence use_alter
    # (the tables can still be created and dropped in order). SET NULL only matters when a
    # whole history is emptied (tests, restores): history rows are otherwise never deleted.
    latest_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="SET NULL", use_alter=True)
    )
    latest_network_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="SET NULL", use_alter=True)
    )
    network_status: Mapped[str] = mapped_column(
        String(20), default=Status.NOT_STARTED, server_default=Status.NOT_STARTED.value
    )
    network_progress: Mapped[int | None]
    network_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)
    # An ended share keeps its history but leaves the current plan from ``ended_at`` on
    # (``workplan.state.scope``); reports at earlier cut-offs still show it.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    recommendation: Mapped[Recommendation] = relationship(back_populates="assignments")
    organisation: Mapped[Organisation] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Assignment {self.recommendation_id}x{self.organisation_id}>"
