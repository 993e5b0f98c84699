"""Time the dashboard, the matrix and "my organisation" under gunicorn, against ``/healthz``.

For each ``--scale``: build a database with :mod:`bench.datagen` (a SQLite file under
``bench/out/``, or a fresh PostgreSQL database next to ``--database-url``), count the SQL
statements of each page in-process, start ``gunicorn wsgi:app`` on a free port, sign in
through the real form as the coordinator, an observer and a focal point, then time
``--requests`` rounds of every page (one request of each page per round, so that every page
meets the same conditions) and print the median, the 95th percentile and the ratio of each
median to the median of ``/healthz`` measured in the same run.

    python -m bench.bench_pages --scale 1 --scale 100
    python -m bench.bench_pages --scale 10 --database-url postgresql+psycopg://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PASSWORD = "benchmark password"  # what bench.datagen gives every account
PEOPLE = {
    "coordinator": "coordinator@bench.example",
    "observer": "observer@bench.example",
    "focal point": "fp1.achpr@bench.example",
}
# (label, who, path); who None = anonymous.
PAGES = [
    ("/healthz (baseline)", None, "/healthz"),
    ("/dashboard (coordinator)", "coordinator", "/dashboard"),
    ("/dashboard/matrix (coordinator)", "coordinator", "/dashboard/matrix"),
    ("/dashboard (observer)", "observer", "/dashboard"),
    ("/dashboard/matrix (observer)", "observer", "/dashboard/matrix"),
    ("/my-organisation (focal point)", "focal point", "/my-organisation"),
]


@dataclass
class Result:
    label: str
    median_ms: float
    p95_ms: float
    ratio: float
    statements: int | str
    size_kb: int


def _database_for(scale: int, base_url: str | None) -> str:
    """A fresh, empty database for one scale."""
    if base_url is None:
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"pages-s{scale}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = f"workplan_bench_s{scale}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.engine.make_url(base_url).set(database=name).render_as_string(hide_password=False)


def build(url: str, scale: int, years: int) -> tuple[dict[str, int], dict[str, int]]:
    """Fill the database and count each page's SQL statements in-process."""
    from flask import g
    from sqlalchemy import event, select

    from bench.datagen import generate
    from workplan import create_app
    from workplan.extensions import db
    from workplan.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "localhost"})
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        counts = generate(db.session, scale=scale, years=years)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # Fresh bulk-loaded tables have no statistics until autovacuum gets to them, and
            # the planner then misjudges the joins badly (minutes instead of a second).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("ANALYZE"))
        counts["seconds to generate"] = round(time.perf_counter() - started)
        client = app.test_client()
        statements: dict[str, int] = {}
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append("x")

        event.listen(db.engine, "before_cursor_execute", count)
        for label, who, path in PAGES:
            g.pop("_login_user", None)
            with client.session_transaction() as session:
                session.clear()
                if who is not None:
                    user = db.session.scalar(select(User).where(User.email == PEOPLE[who]))
                    session["_user_id"] = str(user.id)
                    session["_fresh"] = True
            seen.clear()
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            statements[label] = len(seen)
        event.remove(db.engine, "before_cursor_execute", count)
        db.engine.dispose()
    return counts, statements


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(url: str, workers: int) -> Iterator[str]:
    """``gunicorn wsgi:app`` on a free port, with this database; yields its base URL."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "benchmark-only-secret-key",
        "SIGN_IN_RATE_LIMIT": "1000 per minute",
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
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
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


def sign_in(base: str, email: str) -> urllib.request.OpenerDirector:
    """An opener with the session cookie of ``email``, signed in through the real form."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(base + "/auth/sign-in").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    if token is None:
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    data = {"email": email, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    response = opener.open(base + "/auth/sign-in", urllib.parse.urlencode(data).encode())
    if "/auth/sign-in" in response.geturl():
        raise RuntimeError(f"could not sign in as {email}")
    return opener


def time_pages(base: str, rounds: int, warmup: int = 3) -> dict[str, tuple[list[float], int]]:
    openers: dict[str | None, urllib.request.OpenerDirector] = {None: urllib.request.build_opener()}
    for who, email in PEOPLE.items():
        openers[who] = sign_in(base, email)
    timings: dict[str, list[float]] = {label: [] for label, _w, _p in PAGES}
    sizes: dict[str, int] = {}
    for n in range(warmup + rounds):
        for label, who, path in PAGES:
            started = time.perf_counter()
            body = openers[who].open(base + path).read()
            elapsed = (time.perf_counter() - started) * 1000
            if n >= warmup:
                timings[label].append(elapsed)
            sizes[label] = len(body)
    return {label: (timings[label], sizes[label]) for label in timings}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(scale: int, args: argparse.Namespace) -> list[Result]:
    url = _database_for(scale, args.database_url)
    backend = sa.engine.make_url(url).get_backend_name()
    print(f"\n## scale {scale} on {backend}", flush=True)
    counts, statements = build(url, scale, args.years)
    print("data:", ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)
    with gunicorn(url, args.workers) as base:
        timed = time_pages(base, args.requests)
    baseline = statistics.median(timed[PAGES[0][0]][0])
    results = [
        Result(
            label,
            statistics.median(values),
            p95(values),
            statistics.median(values) / baseline,
            statements[label],
            round(size / 1024),
        )
        for label, (values, size) in timed.items()
    ]
    print(f"{'page':36} {'median ms':>10} {'p95 ms':>9} {'x healthz':>10} {'SQL':>4} {'KB':>7}")
    for r in results:
        print(
            f"{r.label:36} {r.median_ms:10.1f} {r.p95_ms:9.1f} {r.ratio:10.1f} "
            f"{r.statements:>4} {r.size_kb:>7}"
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append", help="repeatable; default 1 and 100")
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite files)")
    parser.add_argument("--requests", type=int, default=30, help="timed rounds per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--years", type=int, default=3, help="years of history to generate")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"gunicorn {args.workers} workers, {args.requests} timed rounds"
    )
    for scale in args.scale or [1, 100]:
        run(scale, args)


if __name__ == "__main__":
    main()
