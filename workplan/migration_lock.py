"""One schema change at a time: ``flask db upgrade`` (and every other Alembic command) holds
a PostgreSQL advisory lock while it runs, so a release may run it on every host at once.

The first process to take the lock applies the migrations; the others wait for it, then find
the schema at its newest revision and have nothing left to do. Without the lock two of them
would both create ``alembic_version`` (or both apply the same revision), and all but one
would fail half-way. The lock belongs to the database connection: a process that dies
releases it. SQLite, a single-host database, needs none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

# "workplan" in ASCII as one 64-bit number: the application's key among advisory locks.
UPGRADE_LOCK_KEY = int.from_bytes(b"workplan", "big")


@contextmanager
def upgrade_lock(connection: Connection) -> Iterator[None]:
    """Hold the schema lock on ``connection`` (waiting for it) for the ``with`` block.

    The lock is taken and given back in transactions of their own, so the block starts and
    ends with no transaction open: Alembic then runs the migrations in its own."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": UPGRADE_LOCK_KEY})
    connection.commit()
    try:
        yield
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": UPGRADE_LOCK_KEY})
        connection.commit()
