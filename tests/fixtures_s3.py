"""Fixtures for object storage: an S3-compatible server (moto in server mode) on 127.0.0.1,
started once per test session in a process of its own, and each test's own prefix in its
bucket.

``s3_settings`` is what an app (or a worker process, or the end-to-end layout) needs to use
it: ``STORAGE_URL``, ``S3_ENDPOINT_URL`` and the keys. ``storage_backend`` runs a test
twice, on a local folder (``file://``) and on the S3 server. Without moto the S3 tests are
skipped, saying why; in CI (``CI=true``) they fail.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.services import unavailable

BUCKET = "workplan-test"
KEYS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # nosec B105 # moto accepts any key
    "AWS_DEFAULT_REGION": "us-east-1",
}
STARTUP_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(endpoint: str) -> bool:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(endpoint + "/moto-api/", timeout=1):  # nosec B310
            return True
    except urllib.error.HTTPError:
        return True  # it answers, whatever it says
    except OSError:
        return False


def _s3_client(endpoint: str):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=KEYS["AWS_DEFAULT_REGION"],
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The endpoint URL of a moto S3 server on a free port of 127.0.0.1, with the test
    bucket created; stopped at the end of the session."""
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError as error:
        unavailable(f"moto[server] and boto3 are needed for the S3 tests: {error}")
    log_path = tmp_path_factory.mktemp("s3") / "moto.log"
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(endpoint):
            if process.poll() is not None or time.monotonic() > deadline:
                output = log_path.read_text(errors="replace")[-2000:]
                unavailable(f"the moto S3 server did not start on {endpoint}: {output}")
            time.sleep(0.1)
        _s3_client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


@pytest.fixture
def s3_settings(s3_server: str) -> dict[str, str]:
    """Settings for object storage under a prefix of this test's own in the test bucket."""
    return {
        "STORAGE_URL": f"s3://{BUCKET}/test-{uuid.uuid4().hex[:12]}",
        "S3_ENDPOINT_URL": s3_server,
        **KEYS,
    }


def local_settings(folder: Path) -> dict[str, str]:
    """Settings for the local backend named by a URL (a folder hosts could share)."""
    return {"STORAGE_URL": folder.as_uri()}


@pytest.fixture(params=["local", "s3"])
def storage_backend(request: pytest.FixtureRequest, app: Flask, tmp_path: Path) -> str:
    """Run the test on a local folder and on object storage: ``app`` is set to use it."""
    if request.param == "s3":
        app.config.update(request.getfixturevalue("s3_settings"))
    else:
        app.config.update(local_settings(tmp_path / "shared-files"))
    return request.param


def everything_stored(app: Flask, area: str) -> list[str]:
    """Every file or object of ``area`` (``uploads``, ``reports``) as the backend holds it,
    pending ones included (a dot file, or a key under ``.pending/``): what a test checks to
    see that nothing is left behind."""
    from workplan import storage

    with app.app_context():
        store = storage.area(area)
    if isinstance(store, storage.LocalStorage):
        folder = store.folder
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    assert isinstance(store, storage.S3Storage)
    pages = store.client.get_paginator("list_objects_v2").paginate(
        Bucket=store.bucket, Prefix=store.prefix
    )
    keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
    return sorted(key.removeprefix(store.prefix) for key in keys)
