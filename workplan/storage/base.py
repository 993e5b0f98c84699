"""What every storage backend shares: the interface, its errors, and the rule that a file
belongs to the database transaction that records it.

A backend writes a new file under a *pending* name and registers a :class:`Settlement` on
the session. When the session commits, the settlement publishes the file (moves or copies it
to its final name); when the outermost transaction ends any other way, it discards it. A
deletion recorded in a transaction (an expired report) is settled the same way: the file
goes only once the row that no longer points to it has committed.
"""

from __future__ import annotations

import logging
from typing import BinaryIO, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

log = logging.getLogger("workplan.storage")

# session.info key: the settlements waiting for the end of the transaction
PENDING = "workplan.storage.pending"


class StorageError(OSError):
    """A file could not be written or read for a reason other than its absence."""


class StorageFull(StorageError):
    """No space left for the file: nothing was written."""


class StorageUnavailable(StorageError):
    """The file store cannot be reached (object storage down, credentials refused)."""


class StoredFile:
    """A kept file open for reading, read in blocks (never whole into memory), with its
    size; closes what it wraps."""

    def __init__(self, stream: BinaryIO, size: int) -> None:
        self.stream = stream
        self.size = size

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> StoredFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Storage(Protocol):
    """Where one kind of file is kept (attachments, report files), by name."""

    def save(self, session: Session, data: bytes, extension: str, prefix: str = "") -> str:
        """Keep ``data`` once ``session`` commits; return the name to record.

        Raises :class:`StorageError` (nothing kept) when it cannot be written."""

    def open(self, name: str) -> StoredFile:
        """The stored file for reading; :class:`FileNotFoundError` when it is gone."""

    def exists(self, name: str) -> bool: ...

    def delete(self, name: str) -> None:
        """Remove the file now (nothing happens when it is already gone)."""

    def delete_on_commit(self, session: Session, name: str) -> None:
        """Remove the file once ``session`` commits (kept if it rolls back)."""

    def names(self) -> list[str]:
        """Every name a row may point to, for backups: the kept files, and files whose
        transaction committed a moment ago and that are still being moved into place."""

    def put(self, name: str, stream: BinaryIO) -> None:
        """Write ``stream`` under ``name`` now, outside any transaction (restoring a
        backup)."""

    def describe(self) -> str:
        """Where the files are, for messages (a folder, or ``s3://bucket/prefix/``)."""


class Settlement(Protocol):
    """What to do with a file when its transaction ends."""

    def publish(self) -> None:
        """The transaction committed."""

    def discard(self) -> None:
        """The transaction ended without a commit."""


def settle_with(session: Session, settlement: Settlement) -> None:
    """Run ``settlement`` when the transaction of ``session`` ends."""
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        session.begin()  # so that the end of this transaction settles the file
    session.info.setdefault(PENDING, []).append(settlement)


def _publish(session: Session) -> None:
    """After a commit: put the session's new files in place, remove the deleted ones."""
    for settlement in session.info.pop(PENDING, []):
        try:
            settlement.publish()
        except Exception:
            # The row has committed: a file not moved is still served from its pending
            # name (see the backends' ``open``); the error is for the administrator.
            log.exception("could not settle a stored file after the commit")


def _discard(session: Session, transaction: SessionTransaction) -> None:
    """When the outermost transaction ends without a commit (after a commit the list is
    already empty): delete the files it wrote."""
    if transaction.parent is not None:
        return
    for settlement in session.info.pop(PENDING, []):
        try:
            settlement.discard()
        except Exception:
            log.exception("could not remove a stored file of a transaction that did not commit")


def listen() -> None:
    """Settle files with their transactions, for every session (once per process)."""
    if not event.contains(Session, "after_commit", _publish):
        event.listen(Session, "after_commit", _publish)
        event.listen(Session, "after_transaction_end", _discard)
