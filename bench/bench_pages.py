"""Time the pages people use, and a mixed load, under gunicorn, each against ``/healthz``.

For each database (``--database sqlite``/``postgresql``) and ``--scale``: build a fresh
database with :mod:`bench.datagen` (a SQLite file under ``bench/out/``, or a uniquely named
PostgreSQL database next to ``TEST_POSTGRES_URL``, dropped afterwards), count each page's SQL
statements in-process, start ``gunicorn wsgi:app`` on 127.0.0.1, sign in through the real
form as the coordinator, an observer and a focal point, then:

- time ``--requests`` rounds of every page (one request of each page per round, so every
  page meets the same conditions): the dashboard, the matrix, my organisation, a
  recommendation, a share, the meeting page (a meeting whose cut-off has passed) and an
  update POST through the real form (fresh CSRF token and version; a POST that does not
  redirect back with "Your report is saved." stops the bench); median, 95th percentile, and
  both as ratios to ``/healthz`` timed in the same rounds;
- a load run (:mod:`bench.load`) at each ``--concurrency``: the mixed workload, then
  ``/healthz`` alone.

    python -m bench.bench_pages --scale 1 --database sqlite --requests 5 --seconds 5
    python -m bench.bench_pages --scale 1 --scale 100 --database sqlite --database postgresql \
        --write --title "before the stored state (issue 13 part 1)"
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from bench import load, results, server
from bench.browser import Visitor, hidden_fields
from bench.load import SAVED, update_fields

PEOPLE = {
    "coordinator": "coordinator@bench.example",
    "observer": "observer@bench.example",
    "focal point": "fp1.achpr@bench.example",
}
FOCAL_ORGANISATION = "ACHPR"
HEALTHZ = "/healthz (baseline)"
UPDATE_POST = "update POST (focal point)"


@dataclass
class Page:
    """A page to time: who asks (None: anonymous) and its path. ``post``: the update form of
    the share page at ``path`` is posted (the timed request is the POST)."""

    label: str
    who: str | None
    path: str
    post: bool = False


@dataclass
class Site:
    """What the generated data offers to visit."""

    pages: list[Page]
    views: list[tuple[str, str]]  # (who, path): the load run's page views, every role
    shares: dict[str, list[str]]  # focal point's e-mail -> share pages they may report on
    counts: dict[str, int] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)


def _site(session: Any, url_for: Any) -> Site:
    """Choose the pages from the data: ACHPR's share with the longest history, its
    recommendation, the latest meeting whose cut-off has passed."""
    from sqlalchemy import func, select

    from workplan.models import Assignment, Meeting, Organisation, ProgressUpdate, Recommendation
    from workplan.models.base import utcnow

    def share_path(code: str, org: str) -> str:
        return url_for("reporting.assignment", code=code, org_code=org)

    reports = func.count(ProgressUpdate.id)
    rows = session.execute(
        select(Recommendation.code, Organisation.code, Assignment.id)
        .join(Assignment.recommendation)
        .join(Assignment.organisation)
        .outerjoin(ProgressUpdate, ProgressUpdate.assignment_id == Assignment.id)
        .group_by(Recommendation.code, Organisation.code, Assignment.id)
        .order_by(reports.desc(), Assignment.id)
    ).all()
    rec_code, org_code, _id = next(r for r in rows if r[1] == FOCAL_ORGANISATION)
    meeting_id = session.scalar(
        select(Meeting.id).where(Meeting.cutoff_at < utcnow()).order_by(Meeting.cutoff_at.desc())
    )
    if meeting_id is None:
        raise RuntimeError("the generated data has no meeting whose cut-off has passed")
    share = share_path(rec_code, org_code)
    recommendation = url_for("plan.recommendation", code=rec_code)
    meeting = url_for("meetings.show", meeting_id=meeting_id)
    pages = [
        Page(HEALTHZ, None, "/healthz"),
        Page("dashboard (coordinator)", "coordinator", "/dashboard"),
        Page("dashboard (observer)", "observer", "/dashboard"),
        Page("matrix (coordinator)", "coordinator", "/dashboard/matrix"),
        Page("matrix (observer)", "observer", "/dashboard/matrix"),
        Page("my organisation (focal point)", "focal point", "/my-organisation"),
        Page("recommendation (observer)", "observer", recommendation),
        Page("share (focal point)", "focal point", share),
        Page("share (observer)", "observer", share),
        Page("meeting (coordinator)", "coordinator", meeting),
        Page(UPDATE_POST, "focal point", share, post=True),
    ]
    # The load run's writers: the first focal point of the four organisations with the most
    # shares, each reporting on its own organisation's shares.
    by_org: dict[str, list[str]] = {}
    for code, org, _aid in rows:
        by_org.setdefault(org, []).append(share_path(code, org))
    busiest = sorted(by_org, key=lambda org: (-len(by_org[org]), org))[:4]
    shares = {f"fp1.{org.replace(' ', '').lower()}@bench.example": by_org[org] for org in busiest}
    views = [(p.who, p.path) for p in pages if p.who and not p.post]
    views += [(email, "/my-organisation") for email in shares]
    return Site(pages, views, shares)


@contextmanager
def counting(engine: sa.Engine) -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block."""
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append("statement")

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def prepare(url: str, scale: int, years: int) -> Site:
    """Fill the database, choose the pages, and count each page's SQL statements in-process
    (the POST: the POST request alone)."""
    from flask import url_for
    from sqlalchemy import select

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
        with app.test_request_context():
            site = _site(db.session, url_for)
        ids = {  # what Flask-Login keeps in the session for each of them
            who: db.session.scalar(select(User).where(User.email == email)).get_id()
            for who, email in PEOPLE.items()
        }
        engine = db.engine
    site.counts = counts
    for page in site.pages:
        client = app.test_client()  # each request runs in a context of its own
        if page.who is not None:
            with client.session_transaction() as session:
                session["_user_id"] = ids[page.who]
                session["_fresh"] = True
        if page.post:
            action = page.path + "/updates"
            form = hidden_fields(client.get(page.path).get_data(as_text=True), action)
            with counting(engine) as seen:
                response = client.post(action, data={**form, **update_fields(1)})
            saved = response.status_code == 302 and SAVED in client.get(
                response.headers["Location"]
            ).get_data(as_text=True)
            if not saved:
                raise RuntimeError(f"{page.label}: not saved (HTTP {response.status_code})")
        else:
            with counting(engine) as seen:
                response = client.get(page.path)
            if response.status_code != 200:
                raise RuntimeError(f"{page.label}: HTTP {response.status_code}")
        site.statements[page.label] = len(seen)
    with app.app_context():
        db.engine.dispose()
    return site


def _post_through_form(visitor: Visitor, path: str, n: int) -> float:
    """Open the share page, post its update form; return the POST's time. Raises unless the
    POST redirects to the share page and that page says the report was saved."""
    page = visitor.get(path)
    answer = visitor.post_form(page.text, path + "/updates", update_fields(n))
    if answer.status != 302 or answer.location != path:
        raise RuntimeError(f"update POST to {path} failed: HTTP {answer.status}")
    if SAVED not in visitor.get(answer.location).text:
        raise RuntimeError(f"update POST to {path} redirected without saying it was saved")
    return answer.ms


def time_pages(
    base: str, site: Site, signed_in: dict[str, Visitor], rounds: int, warmup: int = 2
) -> dict[str, list[float]]:
    """Milliseconds per page over ``rounds`` rounds (after ``warmup`` untimed ones), as the
    ``signed_in`` visitors (keys of ``PEOPLE``) and an anonymous one."""
    visitors: dict[str | None, Visitor] = {None: Visitor(base), **signed_in}
    timings: dict[str, list[float]] = {page.label: [] for page in site.pages}
    for n in range(warmup + rounds):
        for page in site.pages:
            visitor = visitors[page.who]
            if page.post:
                ms = _post_through_form(visitor, page.path, n + 2)
            else:
                answer = visitor.get(page.path)
                if answer.status != 200:
                    raise RuntimeError(f"{page.label}: HTTP {answer.status}")
                ms = answer.ms
            if n >= warmup:
                timings[page.label].append(ms)
    return timings


def run_one(backend: str, scale: int, args: argparse.Namespace) -> results.Run:
    """The whole bench on one database at one scale."""
    print(f"\n## {backend}, scale {scale}", flush=True)
    load_average = os.getloadavg()[0]  # the machine is shared: say how busy it was
    with server.fresh_database(backend, f"s{scale}") as url:
        site = prepare(url, scale, args.years)
        print("data:", ", ".join(f"{k} {v:,}" for k, v in site.counts.items()), flush=True)
        with server.gunicorn(url, args.workers) as base:
            mixed = load.Workload("mixed", site.views, site.shares, PEOPLE)
            signed_in = load.sessions(base, mixed)  # once: signing in is slow by design
            timed = time_pages(base, site, signed_in, args.requests)
            page_rows = results.page_rows(timed, site.statements, HEALTHZ)
            print(results.page_table(page_rows), flush=True)
            print(results.LOAD_HEADER, flush=True)
            load_rows = []
            for concurrency in args.concurrency:
                for workload in ("mixed", "/healthz"):
                    outcome = load.run(
                        base,
                        mixed if workload == "mixed" else load.Workload(workload),
                        concurrency=concurrency,
                        seconds=args.seconds,
                        signed_in=signed_in,
                    )
                    print(results.load_line(outcome), flush=True)
                    load_rows.append(outcome)
    return results.Run(backend, scale, args.years, site.counts, page_rows, load_rows, load_average)


def main(argv: list[str] | None = None) -> list[results.Run]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append", help="repeatable; default 1, 100")
    parser.add_argument(
        "--database",
        action="append",
        choices=["sqlite", "postgresql"],
        help="repeatable; default both (PostgreSQL at TEST_POSTGRES_URL)",
    )
    parser.add_argument("--requests", type=int, default=30, help="timed rounds per page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--years", type=int, default=3, help="years of history to generate")
    parser.add_argument("--seconds", type=float, default=20, help="load run: seconds per level")
    parser.add_argument(
        "--concurrency", type=int, action="append", help="load run levels; default 1, 8, 32"
    )
    parser.add_argument("--write", action="store_true", help="add a section to RESULTS.md")
    parser.add_argument("--title", default="", help="what the written section measures")
    parser.add_argument("--note", default="", help="a remark written under the section title")
    args = parser.parse_args(argv)
    args.concurrency = args.concurrency or [1, 8, 32]
    started = time.time()
    machine = results.machine()
    print(machine, f"gunicorn {args.workers} workers, {args.requests} timed rounds", sep="\n")
    runs = [
        run_one(backend, scale, args)
        for backend in args.database or ["sqlite", "postgresql"]
        for scale in args.scale or [1, 100]
    ]
    if args.write:
        section = results.section(runs, machine, args, time.time() - started)
        results.write(section)
        print(f"\nWritten to {results.RESULTS}", flush=True)
    return runs


if __name__ == "__main__":
    main(sys.argv[1:])
