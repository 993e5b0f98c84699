"""Backups of an installation: the database, the uploaded files and the kept report files.

A backup is a folder::

    manifest.json       every file below with its size and SHA-256, the database backend,
                        its Alembic revision, the app version and when the backup was made
    database.sqlite3    SQLite: a copy taken with SQLite's online backup API
    database.dump       PostgreSQL: ``pg_dump --format=custom``
    uploads/...         the attachments, read through :func:`workplan.storage.uploads`
    reports/...         the report files, read through :func:`workplan.storage.reports`

The files are read from, and restored to, whichever storage the app uses (local folders or
object storage, see :mod:`workplan.storage`): a backup taken from one restores into the
other. The backup itself is a folder; ``flask backup s3://...`` uploads it to object storage
(:mod:`workplan.backup_s3`).

Copying a live SQLite file by hand is not a backup: the newest commits may still be in the
``-wal`` file beside it. The backup API reads through SQLite, so the copy is one consistent
snapshot that includes them, taken while the app keeps writing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from sqlalchemy import column, inspect, literal, select, table
from sqlalchemy.engine import Engine

from workplan import postgres_client
from workplan.storage import Storage

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
UPLOADS = "uploads"
REPORTS = "reports"
ALEMBIC_TABLE = "alembic_version"


class BackupError(Exception):
    """A backup or restore cannot go ahead; the message says why, in one line."""


@dataclass(frozen=True)
class ManifestFile:
    """One file of a backup, by its path inside the backup folder (``/``-separated)."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.json`` records."""

    format: int
    backend: str
    database_file: str
    alembic_revision: str | None
    app_version: str
    created_at: str
    files: list[ManifestFile]

    def count(self, folder: str) -> int:
        """How many files the backup holds under ``folder`` (``uploads`` or ``reports``)."""
        return sum(1 for f in self.files if f.path.startswith(folder + "/"))


@dataclass(frozen=True)
class BackupSummary:
    """What ``create_backup`` wrote."""

    path: Path
    manifest: Manifest


@dataclass(frozen=True)
class RestoreSummary:
    """What ``restore_backup`` put back."""

    path: Path
    manifest: Manifest


def create_backup(engine: Engine, target: Path, *, files: Mapping[str, Storage]) -> BackupSummary:
    """Write a backup of the database behind ``engine`` and of the stored files into
    ``target``: ``files`` maps a folder of the backup (:data:`UPLOADS`, :data:`REPORTS`) to
    the storage whose files go there.

    ``target`` is created; it must not exist or be an empty folder. The database is dumped
    FIRST and the files copied AFTER: a file is written (under its pending name) before the
    row that points to it commits, and storage lists and serves pending files under their
    final names, so every file that a row in the dump refers to exists when the files are
    copied. (Files written after the dump may be copied too; they are harmless.) The
    manifest is written last, so a folder without one is an incomplete backup.
    """
    backend = backend_of(engine)
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise BackupError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: give a new or empty folder")
    created = not target.exists()
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        revision = alembic_revision(engine)
        database_file = DATABASE_FILES[backend]
        if backend == "sqlite":
            _copy_sqlite(_sqlite_path(engine), target / database_file, self_contained=True)
        else:
            _postgres(postgres_client.dump, engine, target / database_file)
        paths = [target / database_file]
        for folder, store in files.items():
            paths += _copy_files(store, target / folder)
        manifest = Manifest(
            format=MANIFEST_FORMAT,
            backend=backend,
            database_file=database_file,
            alembic_revision=revision,
            app_version=app_version(),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            files=[_describe(target, path) for path in paths],
        )
        (target / MANIFEST).write_text(
            json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8"
        )
    except BaseException:
        _remove_contents(target, remove_folder=created)
        raise
    return BackupSummary(target, manifest)


def verify_backup(source: Path) -> Manifest:
    """Read the manifest of the backup in ``source`` and check every file it lists.

    Raises :class:`BackupError` if the manifest is missing or unreadable, or a file is
    missing, of another size or of another SHA-256.
    """
    source = Path(source)
    manifest = read_manifest(source)
    for entry in manifest.files:
        path = source / entry.path
        if not path.is_file():
            raise BackupError(f"the backup is incomplete: {entry.path} is missing")
        if path.stat().st_size != entry.size or _sha256(path) != entry.sha256:
            raise BackupError(
                f"the backup is damaged: {entry.path} does not match its checksum in {MANIFEST}"
            )
    return manifest


def restore_backup(
    engine: Engine,
    source: Path,
    *,
    files: Mapping[str, Storage],
    force: bool = False,
) -> RestoreSummary:
    """Put the backup in ``source`` back: the database behind ``engine``, then the files of
    each folder of the backup into the storage ``files`` maps it to.

    Checks every checksum first; refuses a backup of another backend, and a database or
    storage that already holds data unless ``force`` (then the database is replaced and the
    backup's files are written over the stored ones; files not in the backup are left
    alone). The app should be stopped while it runs.
    """
    source = Path(source)
    manifest = verify_backup(source)
    backend = backend_of(engine)
    if manifest.backend != backend:
        raise BackupError(
            f"this backup is of a {manifest.backend} database; this app uses {backend}"
        )
    if not force:
        if has_data(engine):
            raise BackupError("the database already has data: give --force to replace it")
        for store in files.values():
            if store.names():
                raise BackupError(
                    f"{store.describe()} already holds files: give --force to restore"
                )
    engine.dispose()  # pooled connections must not hold locks or stale pages
    dump = source / manifest.database_file
    if backend == "sqlite":
        _copy_sqlite(dump, _sqlite_path(engine, must_exist=False), self_contained=False)
    else:
        _postgres(postgres_client.restore, engine, dump)
    engine.dispose()
    for folder, store in files.items():
        _restore_files(source, manifest, folder, store)
    return RestoreSummary(source, manifest)


def read_manifest(source: Path) -> Manifest:
    """The manifest of the backup in ``source``, its paths checked to stay inside it."""
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} is not a backup: it has no {MANIFEST}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = [ManifestFile(**entry) for entry in data.pop("files")]
        manifest = Manifest(**data, files=files)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise BackupError(f"{path} cannot be read: {error}") from error
    if manifest.format != MANIFEST_FORMAT:
        raise BackupError(f"{path} has format {manifest.format}; this version reads only 1")
    if manifest.backend not in DATABASE_FILES:
        raise BackupError(f"{path} names an unknown database backend {manifest.backend!r}")
    listed = {entry.path for entry in manifest.files}
    if manifest.database_file not in listed:
        raise BackupError(f"{path} does not list the database file {manifest.database_file}")
    for name in listed:
        parts = PurePosixPath(name).parts
        if not parts or name.startswith("/") or ".." in parts or "\\" in name:
            raise BackupError(f"{path} lists a file outside the backup: {name!r}")
    return manifest


def backend_of(engine: Engine) -> str:
    """``sqlite`` or ``postgresql``; other databases cannot be backed up here."""
    name = engine.dialect.name
    if name not in DATABASE_FILES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def alembic_revision(engine: Engine) -> str | None:
    """The database's Alembic revision, or None if it was never migrated."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(ALEMBIC_TABLE):
            return None
        version_table = table(ALEMBIC_TABLE, column("version_num"))
        return connection.scalar(select(version_table.c.version_num).limit(1))


def has_data(engine: Engine) -> bool:
    """Whether any table of the database (Alembic's own aside) holds a row."""
    with engine.connect() as connection:
        names = [n for n in inspect(connection).get_table_names() if n != ALEMBIC_TABLE]
        return any(
            connection.scalar(select(literal(1)).select_from(table(name)).limit(1)) is not None
            for name in names
        )


def app_version() -> str:
    """The installed version of workplan."""
    try:
        return metadata.version("workplan")
    except metadata.PackageNotFoundError:
        return "unknown"


def _postgres(action: Callable[[Engine, Path], None], engine: Engine, path: Path) -> None:
    """Run pg_dump or pg_restore, its failure told as a :class:`BackupError`."""
    try:
        action(engine, path)
    except postgres_client.ClientError as error:
        raise BackupError(str(error)) from error


def _sqlite_path(engine: Engine, *, must_exist: bool = True) -> Path:
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"cannot back up the SQLite database {name or ':memory:'!r}")
    path = Path(name)
    if must_exist and not path.is_file():
        raise BackupError(f"no SQLite database at {path}")
    return path


def _copy_sqlite(source: Path, target: Path, *, self_contained: bool) -> None:
    """Copy a SQLite database with the online backup API: one consistent snapshot, commits
    still in the source's WAL included, while other connections go on writing.

    ``self_contained`` leaves the copy in rollback-journal mode, a single file that opens
    read-only without ``-wal``/``-shm`` companions (for the copy kept in a backup).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)  # pages=-1: the whole database in one step, hence one snapshot
            if self_contained:
                dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _copy_files(store: Storage, target: Path) -> list[Path]:
    """Copy every file of ``store`` into the folder ``target``, streamed in blocks.

    Returns the files written. A file deleted while copying (an expired report being cleaned
    up, an upload whose write was rolled back) is skipped.
    """
    written = []
    for name in store.names():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            with store.open(name) as stream, destination.open("wb") as copy:
                shutil.copyfileobj(stream, copy, 1024 * 1024)  # type: ignore[misc]
        except FileNotFoundError:
            destination.unlink(missing_ok=True)
            continue
        written.append(destination)
    return written


def _restore_files(source: Path, manifest: Manifest, folder: str, store: Storage) -> None:
    """Write the files the manifest lists under ``folder/`` (and only those: they were
    verified) into ``store``."""
    prefix = folder + "/"
    for entry in manifest.files:
        if entry.path.startswith(prefix):
            with (source / entry.path).open("rb") as stream:
                store.put(entry.path.removeprefix(prefix), stream)


def _describe(root: Path, path: Path) -> ManifestFile:
    return ManifestFile(
        path=path.relative_to(root).as_posix(), size=path.stat().st_size, sha256=_sha256(path)
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _remove_contents(folder: Path, *, remove_folder: bool) -> None:
    """Undo a failed backup: it started from a missing or empty folder."""
    if remove_folder:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
