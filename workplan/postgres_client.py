"""``pg_dump`` and ``pg_restore``: finding a client at least as new as the server, and running
it on the database an engine's SQLAlchemy URL names.

The connection goes to the client through libpq's environment variables (``PGHOST``,
``PGUSER``, ``PGPASSWORD``, ...) and the database name as a quoted ``dbname=`` argument,
never through a shell: a password never shows in the process list, and no character of the
URL is interpreted by anything but libpq.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess  # nosec B404 # run with an argument list, never through a shell
from pathlib import Path

from sqlalchemy.engine import URL, Engine

# Debian installs each major version's clients here; only the newest is on PATH, if any.
DEBIAN_CLIENTS = Path("/usr/lib/postgresql")

# Options of a SQLAlchemy URL's query string that libpq reads from the environment.
LIBPQ_VARIABLES = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}


class ClientError(Exception):
    """The client cannot be found or failed; the message says why, in one line."""


def dump(engine: Engine, target: Path) -> None:
    """Write the database behind ``engine`` to ``target`` in pg_dump's custom format,
    without owners or privileges (so it restores under another role)."""
    tool = find_tool("pg_dump", server_major(engine))
    _run(
        [
            tool,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--no-password",
            f"--file={target}",
            dbname_argument(engine.url),
        ],
        engine.url,
    )


def restore(engine: Engine, dump_file: Path) -> None:
    """Restore ``dump_file`` into the database behind ``engine`` in one transaction,
    dropping the objects it holds first (``--clean --if-exists``: an empty database works
    too)."""
    tool = find_tool("pg_restore", server_major(engine))
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--no-password",
            dbname_argument(engine.url),
            str(dump_file),
        ],
        engine.url,
    )


def server_major(engine: Engine) -> int:
    """The major version of the PostgreSQL server behind ``engine``."""
    with engine.connect() as connection:
        version = connection.dialect.server_version_info
    if not version:
        raise ClientError("cannot tell the PostgreSQL server's version")
    return int(version[0])


def find_tool(name: str, minimum_major: int) -> str:
    """The path of client ``name`` (on PATH, else under Debian's per-version folders) whose
    major version is at least ``minimum_major``: pg_dump refuses older servers' peers."""
    candidates = []
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    candidates += [
        str(path)
        for path in sorted(DEBIAN_CLIENTS.glob(f"*/bin/{name}"), key=_folder_major, reverse=True)
    ]
    if not candidates:
        raise ClientError(
            f"{name} not found on PATH or in {DEBIAN_CLIENTS}/*/bin: install the PostgreSQL "
            "client (Debian: apt-get install postgresql-client)"
        )
    found = []
    for candidate in candidates:
        major = tool_major(candidate)
        if major is not None and major >= minimum_major:
            return candidate
        found.append(f"{candidate} ({major or 'unknown version'})")
    raise ClientError(
        f"{name} must be version {minimum_major} or newer, like the server; found only "
        f"{', '.join(found)}: install postgresql-client-{minimum_major}"
    )


def tool_major(path: str) -> int | None:
    """The major version a client prints with ``--version``, or None."""
    try:
        result = subprocess.run(  # nosec B603 # fixed arguments, no shell
            [path, "--version"], capture_output=True, text=True, check=False, timeout=30
        )
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", result.stdout)
    return int(match.group(1)) if match else None


def dbname_argument(url: URL) -> str:
    """``--dbname=`` as a libpq connection string holding only the quoted database name."""
    name = (url.database or "").replace("\\", "\\\\").replace("'", "\\'")
    return f"--dbname=dbname='{name}'"


def libpq_environment(url: URL) -> dict[str, str]:
    """libpq's environment variables for the server, user and password of ``url``."""
    env = {}
    for option, variable in LIBPQ_VARIABLES.items():
        value = url.query.get(option)
        if isinstance(value, tuple):
            value = value[-1]
        if value:
            env[variable] = str(value)
    if url.host:
        env["PGHOST"] = url.host
    if url.port:
        env["PGPORT"] = str(url.port)
    if url.username:
        env["PGUSER"] = url.username
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def _run(arguments: list[str], url: URL) -> None:
    result = subprocess.run(  # nosec B603 # an argument list, no shell
        arguments,
        env={**os.environ, **libpq_environment(url)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error:" in line] or lines
        reason = errors[0] if errors else f"exit status {result.returncode}"
        raise ClientError(f"{Path(arguments[0]).name} failed: {reason}")


def _folder_major(path: Path) -> int:
    """The version in ``/usr/lib/postgresql/<version>/bin/...`` (0 if not a number)."""
    version = path.parent.parent.name
    return int(version) if version.isdigit() else 0
