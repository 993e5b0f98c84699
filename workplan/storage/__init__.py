"""Where files are kept: attachments of progress updates, the files of report runs, and (read
and written by ``flask backup``/``flask restore``) both of them in a backup.

Callers see a small interface (:class:`Storage`: save, open, exists, delete...) and never
know which backend holds the files:

- ``STORAGE_URL`` unset: local folders, ``UPLOAD_FOLDER`` and ``REPORTS_FOLDER`` (the
  embedded default, one machine);
- ``STORAGE_URL=file:///path``: the folders ``/path/uploads`` and ``/path/reports``;
- ``STORAGE_URL=s3://BUCKET/PREFIX``: S3-compatible object storage, keys
  ``PREFIX/uploads/...`` and ``PREFIX/reports/...``, reached with ``S3_ENDPOINT_URL`` (a
  non-AWS server), ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``.
  Every web process and worker, on any host, then sees the same files.

A file belongs to the database transaction that records it (:mod:`workplan.storage.base`):
it appears under its final name only when the transaction commits, and is removed when the
transaction ends any other way. So a row never points at a half-written file, and no file is
left behind by a write that did not happen.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app

from workplan.storage import local, s3
from workplan.storage.base import (
    Storage,
    StorageError,
    StorageFull,
    StorageUnavailable,
    StoredFile,
    listen,
)
from workplan.storage.local import LocalStorage
from workplan.storage.s3 import S3Storage

UPLOADS = "uploads"
REPORTS = "reports"
_FOLDER_SETTINGS = {UPLOADS: "UPLOAD_FOLDER", REPORTS: "REPORTS_FOLDER"}

__all__ = [
    "REPORTS",
    "UPLOADS",
    "LocalStorage",
    "S3Storage",
    "Storage",
    "StorageError",
    "StorageFull",
    "StorageUnavailable",
    "StoredFile",
    "area",
    "check_url",
    "init_app",
    "local",
    "reports",
    "s3",
    "uploads",
]


def check_url(url: str | None) -> None:
    """Refuse, at start-up, a ``STORAGE_URL`` that names no backend we know (an unknown one
    must not quietly fall back to the local disk of one host)."""
    if not url:
        return
    scheme = urlsplit(url).scheme
    if scheme == "s3":
        s3.split_url(url)
    elif scheme != "file" or not urlsplit(url).path:
        raise ValueError(f"STORAGE_URL {url!r}: give file:///path or s3://BUCKET/PREFIX")


def area(name: str) -> Storage:
    """The storage of one kind of file (:data:`UPLOADS` or :data:`REPORTS`), from the
    current app's settings."""
    config = current_app.config
    url = config.get("STORAGE_URL")
    if not url:
        return LocalStorage(Path(config[_FOLDER_SETTINGS[name]]))
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalStorage(Path(unquote(parts.path)) / name)
    if parts.scheme != "s3":
        raise ValueError(f"STORAGE_URL {url!r}: give file:///path or s3://BUCKET/PREFIX")
    bucket, prefix = s3.split_url(url)
    return S3Storage(s3.client_from_config(), bucket, f"{prefix}{name}/")


def uploads() -> Storage:
    """Where attachments of progress updates are kept."""
    return area(UPLOADS)


def reports() -> Storage:
    """Where the files of report runs are kept."""
    return area(REPORTS)


def init_app(app: Flask) -> None:
    """Check the storage setting, and settle files with their transactions (for every
    session, once per process)."""
    check_url(app.config.get("STORAGE_URL"))
    listen()
