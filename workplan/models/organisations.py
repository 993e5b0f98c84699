"""Organisations of the network and the people who sign in for them."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import UTCDateTime, choice_check, utcnow


class OrgKind(enum.StrEnum):
    RHRM = "rhrm"
    OHCHR = "ohchr"


class Role(enum.StrEnum):
    FOCAL_POINT = "focal_point"
    COORDINATOR = "coordinator"
    OBSERVER = "observer"
    ADMIN = "admin"


class FocalPointRank(enum.StrEnum):
    """Each organisation designates one main and one or more alternate focal points."""

    MAIN = "main"
    ALTERNATE = "alternate"


class Language(enum.StrEnum):
    """Languages people read the application and its messages in."""

    EN = "en"
    FR = "fr"


class Digest(enum.StrEnum):
    """How often a person receives the digest of what happened (coordinators)."""

    DAILY = "daily"
    WEEKLY = "weekly"
    NONE = "none"


class TokenPurpose(enum.StrEnum):
    """What a one-time link does once its button is pressed."""

    SIGN_IN = "sign_in"  # an invitation, a new link from the coordinator, "forgot password"
    REPORT = "report"  # a reminder's link: sign in and land on a share's report form
    NO_CHANGE = "no_change"  # a reminder's link: sign in and confirm "no change" on a share


class Organisation(db.Model):
    """A regional mechanism or an OHCHR unit taking part in the plan."""

    __tablename__ = "organisations"
    __table_args__ = (choice_check("kind", OrgKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.code}>"


class User(UserMixin, db.Model):
    """A person who signs in. Focal points belong to one organisation."""

    __tablename__ = "users"
    __table_args__ = (
        choice_check("role", Role),
        choice_check("focal_point_rank", FocalPointRank),
        choice_check("language", Language),
        choice_check("digest", Digest),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of the session's identity (see ``get_id``): bumping it ends every session and
    # remember-me cookie of the account (sign-out, password change, deactivation).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # What the directory shows (Annex II S1, S9) and how the person is reached.
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(50), default="", server_default="")
    phone_hidden: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    focal_point_rank: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(5), default=Language.EN, server_default="en")
    digest: Mapped[str] = mapped_column(String(10), default=Digest.DAILY, server_default="daily")
    # When a focal point who took over from an earlier one dismissed the handover summary
    # (see workplan.reporting.handover); NULL while it is still shown.
    handover_dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sessions of deactivated accounts.
        return self.active

    def get_id(self) -> str:
        """The identity Flask-Login keeps in the session and the remember-me cookie.

        The generation is part of it, so that bumping it makes every cookie issued before
        unknown to ``workplan.auth.services.load_user``.
        """
        return f"{self.id}:{self.session_generation}"

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class SignInToken(db.Model):
    """A one-time, expiring sign-in link. Only a hash of the token is stored."""

    __tablename__ = "sign_in_tokens"
    __table_args__ = (choice_check("purpose", TokenPurpose),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(
        String(20), default=TokenPurpose.SIGN_IN, server_default="sign_in"
    )
    # Where the link leads once used (a share's report form), and the share it acts on.
    next_path: Mapped[str | None] = mapped_column(String(300))
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
