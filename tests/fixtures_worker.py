"""Fixtures for tests that use real Redis and real RQ worker processes: the test app on a
queue of its own, and ``worker()`` to start ``flask jobs worker`` against it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.services import unavailable

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
STORAGE_SETTINGS = (
    "STORAGE_URL",
    "S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
)


@pytest.fixture
def rq_app(app):  # type: ignore[no-untyped-def]
    """The test app on real Redis, with a queue of its own so parallel runs never meet."""
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisError as error:
        unavailable(f"Redis is not reachable at {REDIS_URL}: {error}")
    queue_name = f"reports-test-{uuid.uuid4().hex[:10]}"
    app.config.update(
        REDIS_URL=REDIS_URL,
        REPORT_QUEUE=queue_name,
        REPORT_RETRIES=1,
        REPORT_RETRY_INTERVALS=[0],
        REPORT_STALE_AFTER=3,
    )
    yield app
    from rq import Queue

    Queue(queue_name, connection=connection).delete(delete_jobs=True)
    connection.close()


@pytest.fixture
def worker(rq_app, tmp_path):  # type: ignore[no-untyped-def]
    """``worker(burst=True)``: start ``flask jobs worker`` in its own process group, against
    the test database, the test queue and the test reports folder."""
    started: list[subprocess.Popen[bytes]] = []

    def start(burst: bool = True) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DATABASE_URL": rq_app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": REDIS_URL,
            "REPORT_QUEUE": rq_app.config["REPORT_QUEUE"],
            "REPORTS_FOLDER": rq_app.config["REPORTS_FOLDER"],
            "SECRET_KEY": "worker-test-secret",
            "REPORT_TEST_HOOKS": "1",
            "REPORT_HEARTBEAT_INTERVAL": "0.5",
            "REPORT_STALE_AFTER": str(rq_app.config["REPORT_STALE_AFTER"]),
            "FLASK_APP": "wsgi:app",
            # The storage the test app uses (tests/fixtures_s3.py), shared with the worker.
            **{
                name: str(rq_app.config[name])
                for name in STORAGE_SETTINGS
                if rq_app.config.get(name)
            },
        }
        args = [sys.executable, "-m", "flask", "jobs", "worker"] + (["--burst"] if burst else [])
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
