"""The database and the server a benchmark runs against: a fresh database per run (a SQLite
file, or a uniquely named PostgreSQL database next to a server URL, dropped afterwards) and
``gunicorn wsgi:app`` on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_server_url() -> str:
    """The PostgreSQL server to make databases on: ``TEST_POSTGRES_URL`` as the tests use."""
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@contextmanager
def fresh_database(backend: str, label: str, folder: Path = OUT) -> Iterator[str]:
    """The URL of a new, empty database of ``backend`` ("sqlite" or "postgresql"), removed
    when the block ends. PostgreSQL is shared, so the name is unique to this run."""
    if backend == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"bench-{label}-{uuid.uuid4().hex[:8]}.sqlite3"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if backend != "postgresql":
        raise ValueError(f"unknown database {backend!r}: sqlite or postgresql")
    server = postgres_server_url()
    name = f"workplan_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_version() -> str:
    """The server's version ("15.20 (Debian ...)" → "15.20"), or why it is unknown."""
    try:
        engine = sa.create_engine(postgres_server_url())
        with engine.connect() as conn:
            version = conn.scalar(sa.text("SHOW server_version"))
        engine.dispose()
        return str(version).split()[0]
    except sa.exc.SQLAlchemyError as error:
        return f"unreachable ({type(error).__name__})"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(url: str, workers: int) -> Iterator[str]:
    """``gunicorn wsgi:app`` (sync workers) on a free port, serving this database; yields
    its base URL and stops it afterwards."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "benchmark-only-secret-key",
        "SIGN_IN_RATE_LIMIT": "100000 per minute",
    }
    env.pop("REDIS_URL", None)
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "wsgi:app",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--backlog",
        "256",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}")
            try:
                urllib.request.urlopen(base + "/healthz", timeout=10).read()
                break
            except OSError:  # refused while starting, or a timeout
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
