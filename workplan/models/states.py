"""A meeting's state at its reporting cut-off, kept once the cut-off has passed.

Updates are dated by the database when they are written (see :mod:`workplan.state.current`),
so nothing written later can change the state at a cut-off already past: it is computed once
per audience and kept, and the meeting page and reports read the kept copy. Editing the
meeting's cut-off deletes it (see :mod:`workplan.state.meeting_states`).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import UTCDateTime, choice_check, percent_check, utcnow
from workplan.models.plan import Status


class Audience(enum.StrEnum):
    """Who a kept state is for: everyone in the network, or the coordinator (internal)."""

    NETWORK = "network"
    INTERNAL = "internal"


class MeetingState(db.Model):
    """That a meeting's state for one audience was kept, and for which cut-off."""

    __tablename__ = "meeting_states"
    __table_args__ = (
        UniqueConstraint("meeting_id", "audience"),
        choice_check("audience", Audience),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A kept state is derived data: it goes with its meeting.
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    audience: Mapped[str] = mapped_column(String(12))
    cutoff_at: Mapped[datetime] = mapped_column(UTCDateTime())
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    shares: Mapped[list[MeetingShareState]] = relationship(
        back_populates="meeting_state", order_by="MeetingShareState.assignment_id"
    )


class MeetingShareState(db.Model):
    """One share as it stood at the cut-off for one audience: the newest update that audience
    may read (none: never reported) and what it said."""

    __tablename__ = "meeting_share_states"
    __table_args__ = (
        UniqueConstraint("meeting_state_id", "assignment_id"),
        choice_check("status", Status),
        percent_check("progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_state_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_states.id", ondelete="CASCADE")
    )
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    update_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[int | None]
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    meeting_state: Mapped[MeetingState] = relationship(back_populates="shares")
