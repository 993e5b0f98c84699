"""Where files are kept: attachments of progress updates and the files of report runs.

Callers see a small interface (:class:`Storage`: save, open, exists, delete) so that an
object-storage backend can replace the local folder later without touching them.

A file belongs to the database transaction that records it. :meth:`LocalStorage.save` writes
it under a temporary name and notes it in the session; when the session commits, the file is
moved to its final name (an atomic rename); when the transaction ends any other way
(rollback, conflict, the session closed on an error), the temporary file is deleted. So a row
never points at a half-written file, and no file is left behind by a write that did not
happen. A full disk raises :class:`StorageFull` with nothing left on it.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

log = logging.getLogger(__name__)

# session.info key: (temporary path, final path) of files waiting for the commit
PENDING = "workplan.storage.pending"
_FULL = {errno.ENOSPC, errno.EDQUOT}


class StorageFull(OSError):
    """No space left for the file: nothing was written."""


class Storage(Protocol):
    def save(self, session: Session, data: bytes, extension: str, prefix: str = "") -> str:
        """Keep ``data`` once ``session`` commits; return the name to record."""

    def open(self, name: str) -> BinaryIO:
        """The stored file for reading; :class:`FileNotFoundError` when it is gone."""

    def exists(self, name: str) -> bool: ...

    def delete(self, name: str) -> None:
        """Remove the file now (nothing happens when it is already gone)."""


def _write(path: Path, data: bytes) -> None:
    with open(path, "xb") as file:
        file.write(data)


@dataclass(frozen=True)
class LocalStorage:
    """Files in a folder of the server's disk."""

    folder: Path

    def save(self, session: Session, data: bytes, extension: str, prefix: str = "") -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{prefix}{secrets.token_hex(16)}.{extension}"
        temporary = self.folder / f".{name}.part"
        try:
            _write(temporary, data)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            if error.errno in _FULL:
                raise StorageFull(error.errno, os.strerror(error.errno)) from error
            raise
        if isinstance(session, scoped_session):
            session = session()
        if not session.in_transaction():
            session.begin()  # so that the end of this transaction settles the file
        session.info.setdefault(PENDING, []).append((temporary, self.folder / name))
        return name

    def _path(self, name: str) -> Path:
        path = self.folder / name
        if path.parent != self.folder or name.startswith("."):
            raise FileNotFoundError(name)  # only names this storage gave out
        return path

    def open(self, name: str) -> BinaryIO:
        return self._path(name).open("rb")

    def exists(self, name: str) -> bool:
        try:
            return self._path(name).is_file()
        except FileNotFoundError:
            return False

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


def uploads() -> Storage:
    """Where attachments of progress updates are kept."""
    return LocalStorage(Path(current_app.config["UPLOAD_FOLDER"]))


def reports() -> Storage:
    """Where the files of report runs are kept."""
    return LocalStorage(Path(current_app.config["REPORTS_FOLDER"]))


def _publish(session: Session) -> None:
    """After a commit: move the session's new files into place."""
    for temporary, final in session.info.pop(PENDING, []):
        try:
            os.replace(temporary, final)
        except OSError:
            log.exception("could not move %s into place after the commit", temporary)


def _discard(session: Session, transaction: SessionTransaction) -> None:
    """When the outermost transaction ends without a commit (after a commit the list is
    already empty): delete the files it wrote."""
    if transaction.parent is not None:
        return
    for temporary, _final in session.info.pop(PENDING, []):
        temporary.unlink(missing_ok=True)


def init_app() -> None:
    """Settle files with their transactions, for every session (once per process)."""
    if not event.contains(Session, "after_commit", _publish):
        event.listen(Session, "after_commit", _publish)
        event.listen(Session, "after_transaction_end", _discard)
