"""Progress updates (append-only), their attachments, and blockers."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import UTCDateTime, choice_check, percent_check, utcnow
from workplan.models.organisations import Organisation, User
from workplan.models.plan import Assignment, Status


class Visibility(enum.StrEnum):
    NETWORK = "network"  # everyone who can read the plan
    RESTRICTED = "restricted"  # the coordinator and the reporting organisation only


class ProgressUpdate(db.Model):
    """A dated progress report on an assignment. Never edited: a correction is a new entry."""

    __tablename__ = "progress_updates"
    # Each assignment's newest update (the visible state of every share, on every dashboard
    # view) is found by walking this index backwards instead of sorting the history.
    __table_args__ = (
        Index("ix_progress_updates_assignment_id_created_at", "assignment_id", "created_at"),
        choice_check("status", Status),
        choice_check("visibility", Visibility),
        percent_check("progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # History is never erased with what it is about: RESTRICT, and no index of its own (the
    # index on (assignment_id, created_at) serves lookups by assignment).
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="RESTRICT"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[int | None]
    narrative: Mapped[str] = mapped_column(Text, default="")
    evidence_links: Mapped[list[str]] = mapped_column(JSON, default=list)
    visibility: Mapped[str] = mapped_column(String(12), default=Visibility.NETWORK)
    is_confirmation: Mapped[bool] = mapped_column(default=False)
    # The focal point allows the public portal to show this report's narrative (only ever
    # read together with the network visibility: a restricted report is never public).
    public: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    # The assignment also points at its newest updates: name the key this relationship uses.
    assignment: Mapped[Assignment] = relationship(foreign_keys=[assignment_id])
    author: Mapped[User | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="update", order_by="Attachment.id"
    )


class Attachment(db.Model):
    """A file attached to a progress update, stored outside the static folder."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="RESTRICT"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    update: Mapped[ProgressUpdate] = relationship(back_populates="attachments")


class BlockerCategory(enum.StrEnum):
    RESOURCES = "resources"
    ADMINISTRATIVE = "administrative"
    CONFIDENTIALITY = "confidentiality"
    POLITICAL = "political"
    OTHER = "other"


class BlockerStatus(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    ESCALATED = "escalated"
    RESOLVED = "resolved"


class BlockerAction(enum.StrEnum):
    """What a blocker event records."""

    ACKNOWLEDGE = "acknowledge"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    COMMENT = "comment"


OPEN_BLOCKER_STATUSES = (BlockerStatus.OPEN, BlockerStatus.ACKNOWLEDGED, BlockerStatus.ESCALATED)


class Blocker(db.Model):
    """Something that stops an assignment, raised by a focal point, handled by the coordinator."""

    __tablename__ = "blockers"
    __table_args__ = (
        choice_check("category", BlockerCategory),
        choice_check("visibility", Visibility),
        choice_check("status", BlockerStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="RESTRICT"), index=True
    )
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    help_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    # What the focal point asks the annual meeting to decide (the report's "for decision").
    decision_asked: Mapped[str] = mapped_column(Text, default="", server_default="")
    visibility: Mapped[str] = mapped_column(String(12), default=Visibility.NETWORK)
    status: Mapped[str] = mapped_column(String(12), default=BlockerStatus.OPEN, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    assignment: Mapped[Assignment] = relationship()
    raised_by: Mapped[User | None] = relationship()
    help_organisation: Mapped[Organisation | None] = relationship()
    events: Mapped[list[BlockerEvent]] = relationship(
        back_populates="blocker", order_by="BlockerEvent.id"
    )

    __mapper_args__ = {"version_id_col": version}


class BlockerEvent(db.Model):
    """What happened to a blocker: acknowledged, commented, escalated, resolved, reopened."""

    __tablename__ = "blocker_events"
    __table_args__ = (
        choice_check("action", BlockerAction),
        choice_check("status_after", BlockerStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("blockers.id", ondelete="RESTRICT"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[str] = mapped_column(String(20))
    status_after: Mapped[str] = mapped_column(String(12))
    comment: Mapped[str] = mapped_column(Text, default="")

    blocker: Mapped[Blocker] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
