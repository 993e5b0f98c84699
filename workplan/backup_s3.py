"""Backups kept in object storage: ``flask backup s3://BUCKET/FOLDER`` and ``flask restore
s3://BUCKET/FOLDER``, with the same S3 settings as the files (``S3_ENDPOINT_URL``, ``AWS_*``).

The backup is the same folder as on disk (see :mod:`workplan.backup`): it is written to a
temporary folder first (``pg_dump`` writes a file), then uploaded with ``manifest.json``
last, so a prefix without a manifest is an incomplete backup. A restore downloads it to a
temporary folder, where every checksum is verified before anything is touched.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from workplan.backup import MANIFEST, BackupError
from workplan.storage import s3


def is_remote(target: str) -> bool:
    """Whether ``target`` names a backup in object storage rather than a folder."""
    return target.startswith("s3://")


def _location(url: str) -> tuple[Any, str, str]:
    try:
        bucket, prefix = s3.split_url(url)
    except ValueError as error:
        raise BackupError(str(error).replace("STORAGE_URL", "the backup")) from error
    if not prefix:
        raise BackupError(f"{url}: give a folder inside the bucket, s3://BUCKET/FOLDER")
    return s3.client_from_config(), bucket, prefix


def _keys(client: Any, bucket: str, prefix: str) -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


@contextmanager
def uploaded_after(url: str) -> Iterator[Path]:
    """A new temporary folder to write a backup into; when the block ends without error,
    its files are uploaded under ``url`` (which must hold nothing), the manifest last."""
    client, bucket, prefix = _location(url)
    with s3.errors_as_storage_errors():
        if _keys(client, bucket, prefix):
            raise BackupError(f"{url} is not empty: give a new folder")
    with tempfile.TemporaryDirectory(prefix="workplan-backup-") as temporary:
        folder = Path(temporary) / "backup"
        yield folder
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        files.sort(key=lambda p: p.name == MANIFEST and p.parent == folder)
        with s3.errors_as_storage_errors():
            for path in files:
                key = prefix + path.relative_to(folder).as_posix()
                client.upload_file(str(path), bucket, key)


@contextmanager
def downloaded(url: str) -> Iterator[Path]:
    """The backup under ``url``, downloaded to a temporary folder for the block."""
    client, bucket, prefix = _location(url)
    with tempfile.TemporaryDirectory(prefix="workplan-restore-") as temporary:
        folder = Path(temporary)
        with s3.errors_as_storage_errors():
            for key in _keys(client, bucket, prefix):
                relative = PurePosixPath(key.removeprefix(prefix))
                if not relative.parts or ".." in relative.parts:
                    continue  # not a file a backup writes; the manifest check decides
                target = folder.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                client.download_file(bucket, key, str(target))
        yield folder
