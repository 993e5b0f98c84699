"""Files in S3-compatible object storage (``STORAGE_URL=s3://BUCKET/PREFIX``), through boto3.

The transaction rule, as for the local folder: a new file is uploaded under a pending key
(``<area>/.pending/NAME``) BEFORE the commit, and copied to its final key (``<area>/NAME``,
a copy inside the server: no data through the app) and the pending key deleted AFTER it;
a transaction that does not commit deletes the pending key.

Why upload before the commit rather than after it (from a spooled file): an upload that
fails (server down, credentials refused, quota) then fails the request while it can still
be rolled back, so the person is told and nothing is recorded; uploading after the commit
would leave a committed row pointing at nothing whenever the upload failed. An object
appears whole or not at all (S3 PUT and COPY are atomic), so a row never points at a
half-written object. If the copy after the commit fails, the row already points to a name
whose pending key holds the file: :meth:`S3Storage.open` falls back to it. A process killed
between upload and commit leaves a pending key that no row points to; a bucket lifecycle
rule expiring ``*/.pending/`` after a day removes them (see the README).
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from workplan.storage.base import StorageUnavailable, StoredFile, settle_with

PENDING_FOLDER = ".pending/"
# Only names this storage gives out: no "/", no leading dot (the pending folder).
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,250}")
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}

_clients: dict[tuple[object, ...], Any] = {}
_clients_lock = threading.Lock()


def client(
    *,
    endpoint_url: str | None,
    region: str | None,
    access_key: str | None,
    secret_key: str | None,
) -> Any:
    """A boto3 S3 client for these settings, made once per process (clients are
    thread-safe; a forked RQ work horse makes its own, not sharing its parent's sockets).

    Keys left unset fall back to boto3's own chain (environment, instance role)."""
    key = (os.getpid(), endpoint_url, region, access_key, secret_key)
    with _clients_lock:
        if key not in _clients:
            import boto3
            from botocore.config import Config

            options: dict[str, Any] = {
                "connect_timeout": 5,
                "read_timeout": 60,
                "retries": {"max_attempts": 3, "mode": "standard"},
            }
            if endpoint_url:
                # MinIO, Ceph, moto and most non-AWS servers expect path-style addresses.
                options["s3"] = {"addressing_style": "path"}
            _clients[key] = boto3.client(
                "s3",
                endpoint_url=endpoint_url or None,
                region_name=region or None,
                aws_access_key_id=access_key or None,
                aws_secret_access_key=secret_key or None,
                config=Config(**options),
            )
        return _clients[key]


def client_from_config() -> Any:
    """The client for the current app's S3 settings."""
    from flask import current_app

    config = current_app.config
    return client(
        endpoint_url=config.get("S3_ENDPOINT_URL"),
        region=config.get("AWS_DEFAULT_REGION"),
        access_key=config.get("AWS_ACCESS_KEY_ID"),
        secret_key=config.get("AWS_SECRET_ACCESS_KEY"),
    )


@contextmanager
def errors_as_storage_errors() -> Iterator[None]:
    """Raise the client's errors as :class:`StorageUnavailable` (one line, no traceback)."""
    try:
        yield
    except _errors() as error:
        raise _unavailable(error) from error


def split_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> ``("bucket", "some/prefix/")`` (prefix may be "")."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"STORAGE_URL {url!r} is not s3://BUCKET/PREFIX")
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/" if prefix else ""


def _is_not_found(error: Exception) -> bool:
    from botocore.exceptions import ClientError

    if not isinstance(error, ClientError):
        return False
    info = error.response.get("Error", {})
    status = str(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
    return str(info.get("Code", "")) in _NOT_FOUND or status == "404"


def _unavailable(error: Exception) -> StorageUnavailable:
    return StorageUnavailable(f"object storage: {str(error).splitlines()[0]}")


def _errors() -> tuple[type[Exception], ...]:
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError)


@dataclass(frozen=True)
class _Copy:
    """Copy the pending key to its final key on commit, then delete it; delete it
    otherwise."""

    storage: S3Storage
    name: str

    def publish(self) -> None:
        s = self.storage
        source = {"Bucket": s.bucket, "Key": s.pending_key(self.name)}
        s.client.copy_object(CopySource=source, Bucket=s.bucket, Key=s.key(self.name))
        s.client.delete_object(Bucket=s.bucket, Key=s.pending_key(self.name))

    def discard(self) -> None:
        self.storage.client.delete_object(
            Bucket=self.storage.bucket, Key=self.storage.pending_key(self.name)
        )


@dataclass(frozen=True)
class _Delete:
    storage: S3Storage
    name: str

    def publish(self) -> None:
        self.storage.delete(self.name)

    def discard(self) -> None:
        pass


@dataclass(frozen=True)
class S3Storage:
    """Objects under ``prefix`` (ending in "/") in ``bucket``."""

    client: Any
    bucket: str
    prefix: str

    def key(self, name: str) -> str:
        if not _NAME.fullmatch(name):
            raise FileNotFoundError(name)  # only names this storage gave out
        return self.prefix + name

    def pending_key(self, name: str) -> str:
        return self.prefix + PENDING_FOLDER + self.key(name).removeprefix(self.prefix)

    def save(self, session: Session, data: bytes, extension: str, prefix: str = "") -> str:
        name = f"{prefix}{secrets.token_hex(16)}.{extension}"
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.pending_key(name), Body=data)
        except _errors() as error:
            # A PUT is whole or nothing: no partial object to remove.
            raise _unavailable(error) from error
        settle_with(session, _Copy(self, name))
        return name

    def _get(self, key: str) -> StoredFile | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=key)
        except _errors() as error:
            if _is_not_found(error):
                return None
            raise _unavailable(error) from error
        return StoredFile(answer["Body"], int(answer["ContentLength"]))

    def open(self, name: str) -> StoredFile:
        # A row that committed a moment ago (or whose copy failed) points to a name whose
        # object may still be under its pending key.
        for key in (self.key(name), self.pending_key(name), self.key(name)):
            if (found := self._get(key)) is not None:
                return found
        raise FileNotFoundError(name)

    def _head(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except _errors() as error:
            if _is_not_found(error):
                return False
            raise _unavailable(error) from error
        return True

    def exists(self, name: str) -> bool:
        try:
            key = self.key(name)
        except FileNotFoundError:
            return False
        return self._head(key) or self._head(self.pending_key(name))

    def delete(self, name: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.key(name))
        except _errors() as error:
            raise _unavailable(error) from error

    def delete_on_commit(self, session: Session, name: str) -> None:
        self.key(name)  # refuse a name this storage did not give out, now
        settle_with(session, _Delete(self, name))

    def _list(self, prefix: str) -> list[str]:
        found = []
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix, Delimiter="/"
            )
            for page in pages:
                found += [item["Key"].removeprefix(prefix) for item in page.get("Contents", [])]
        except _errors() as error:
            raise _unavailable(error) from error
        return found

    def names(self) -> list[str]:
        found = self._list(self.prefix) + self._list(self.prefix + PENDING_FOLDER)
        return sorted({name for name in found if _NAME.fullmatch(name)})

    def put(self, name: str, stream: BinaryIO) -> None:
        try:
            self.client.upload_fileobj(stream, self.bucket, self.key(name))
        except _errors() as error:
            raise _unavailable(error) from error

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"
