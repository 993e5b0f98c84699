"""Files in a folder of the server's disk (the default, and ``STORAGE_URL=file:///path``).

A new file is written as ``.NAME.part`` and renamed to ``NAME`` (atomic) when its
transaction commits; it is deleted when the transaction ends any other way. A full disk
raises :class:`StorageFull` with nothing left on it.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from workplan.storage.base import StorageFull, StoredFile, settle_with

_FULL = {errno.ENOSPC, errno.EDQUOT}
PART = ".part"


def _write(path: Path, data: bytes) -> None:
    with open(path, "xb") as file:
        file.write(data)


def _pending(folder: Path, name: str) -> Path:
    return folder / f".{name}{PART}"


@dataclass(frozen=True)
class _Move:
    """Rename the written file into place on commit; delete it otherwise."""

    temporary: Path
    final: Path

    def publish(self) -> None:
        os.replace(self.temporary, self.final)

    def discard(self) -> None:
        self.temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Delete:
    """Delete the file on commit; keep it otherwise."""

    path: Path

    def publish(self) -> None:
        self.path.unlink(missing_ok=True)

    def discard(self) -> None:
        pass


@dataclass(frozen=True)
class LocalStorage:
    """Files in a folder of the server's disk."""

    folder: Path

    def save(self, session: Session, data: bytes, extension: str, prefix: str = "") -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{prefix}{secrets.token_hex(16)}.{extension}"
        temporary = _pending(self.folder, name)
        try:
            _write(temporary, data)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            if error.errno in _FULL:
                raise StorageFull(error.errno, os.strerror(error.errno)) from error
            raise
        settle_with(session, _Move(temporary, self.folder / name))
        return name

    def _path(self, name: str) -> Path:
        path = self.folder / name
        if path.parent != self.folder or name.startswith(".") or not name:
            raise FileNotFoundError(name)  # only names this storage gave out
        return path

    def open(self, name: str) -> StoredFile:
        path = self._path(name)
        # A row that committed a moment ago may point to a file not yet renamed into place.
        for candidate in (path, _pending(self.folder, name), path):
            try:
                stream = candidate.open("rb")
            except FileNotFoundError:
                continue
            return StoredFile(stream, os.fstat(stream.fileno()).st_size)
        raise FileNotFoundError(name)

    def exists(self, name: str) -> bool:
        try:
            path = self._path(name)
        except FileNotFoundError:
            return False
        return path.is_file() or _pending(self.folder, name).is_file()

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def delete_on_commit(self, session: Session, name: str) -> None:
        settle_with(session, _Delete(self._path(name)))

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        found = set()
        for path in self.folder.iterdir():
            if not path.is_file() or path.is_symlink():
                continue
            name = path.name
            if name.startswith(".") and name.endswith(PART):
                name = name[1 : -len(PART)]
            if name and not name.startswith("."):
                found.add(name)
        return sorted(found)

    def put(self, name: str, stream: BinaryIO) -> None:
        path = self._path(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = _pending(self.folder, name)
        with temporary.open("wb") as target:
            shutil.copyfileobj(stream, target)
        os.replace(temporary, path)

    def describe(self) -> str:
        return str(self.folder)
