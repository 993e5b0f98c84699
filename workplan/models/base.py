"""Column types and defaults shared by the models."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (a callable default, evaluated per row)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite keeps no time zone, PostgreSQL does: this type makes both behave the same, and
    refuses naive datetimes so that a local time never slips into the database.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def choice_check(column: str, values: Iterable[str]) -> CheckConstraint:
    """A CHECK constraint keeping ``column`` to ``values`` (an enum's members).

    Named ``<column>_valid``; the naming convention prefixes ``ck_<table>_``.
    """
    allowed = ", ".join("'" + str(value).replace("'", "''") + "'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


def percent_check(column: str) -> CheckConstraint:
    """A CHECK constraint keeping a nullable percentage between 0 and 100."""
    return CheckConstraint(
        f"{column} IS NULL OR ({column} >= 0 AND {column} <= 100)", name=f"{column}_percent"
    )
