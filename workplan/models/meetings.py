"""Annual meetings of focal points, and the report runs generated for them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import UTCDateTime, choice_check, percent_check, utcnow
from workplan.models.organisations import Organisation, User


class Meeting(db.Model):
    """An annual meeting of focal points. Its cut-off fixes the state its reports show."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    # The French title and place, when the coordinator gives them: the French version of a
    # report uses them, and falls back to the English ones when they are empty.
    title_fr: Mapped[str] = mapped_column(String(300), default="", server_default="")
    held_on: Mapped[date] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    place_fr: Mapped[str] = mapped_column(String(200), default="", server_default="")
    cutoff_at: Mapped[datetime] = mapped_column(UTCDateTime())
    document_symbol: Mapped[str] = mapped_column(String(100), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class ReportKind(enum.StrEnum):
    MEETING = "meeting"
    ORGANISATION = "organisation"
    BLOCKERS = "blockers"


class ReportFormat(enum.StrEnum):
    DOCX = "docx"
    PDF = "pdf"
    XLSX = "xlsx"
    CSV = "csv"


class ReportLanguage(enum.StrEnum):
    EN = "en"
    FR = "fr"


class ReportRun(db.Model):
    """One request for a report: who asked, with what parameters, and what came of it."""

    __tablename__ = "report_runs"
    __table_args__ = (
        choice_check("kind", ReportKind),
        choice_check("format", ReportFormat),
        choice_check("language", ReportLanguage),
        choice_check("status", RunStatus),
        percent_check("progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    format: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(5), default="en")
    internal: Mapped[bool] = mapped_column(default=False)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default=RunStatus.QUEUED, index=True)
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    file_path: Mapped[str | None] = mapped_column(String(300))
    file_size: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    meeting: Mapped[Meeting | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    requested_by: Mapped[User | None] = relationship()
