"""The page bench and load run work end to end, at a tiny size, so that they cannot rot:
a real gunicorn, sign-in through the real form, update POSTs with CSRF tokens, a load run,
and a section added to RESULTS.md that keeps the older ones."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from bench import bench_pages, results, server
from bench.browser import hidden_fields
from tests.services import unavailable

PAGES = [
    "/healthz (baseline)",
    "dashboard (coordinator)",
    "dashboard (observer)",
    "matrix (coordinator)",
    "matrix (observer)",
    "my organisation (focal point)",
    "recommendation (observer)",
    "share (focal point)",
    "share (observer)",
    "meeting (coordinator)",
    "update POST (focal point)",
]


@pytest.fixture
def results_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "RESULTS.md"
    path.write_text(
        "# Benchmark results\n\n## Reports\n\nKept as it is.\n\n"
        f"{results.HEADER}\n\n{results.MARKER}\n\n### 2026-11-28: an older run\n\nOld figures.\n"
    )
    monkeypatch.setattr(results, "RESULTS", path)
    return path


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_bench_runs_every_page_and_a_load_run_and_writes_a_section(
    backend: str, results_file: Path
) -> None:
    if backend == "postgresql":
        try:
            sa.create_engine(server.postgres_server_url()).connect().close()
        except sa.exc.OperationalError as error:
            unavailable(f"PostgreSQL is not reachable: {error.orig}")
    [run] = bench_pages.main(
        [
            f"--database={backend}",
            "--scale=1",
            "--years=1",
            "--requests=1",
            "--workers=1",
            "--seconds=1",
            "--concurrency=2",
            "--write",
            "--title=tiny test run",
        ]
    )
    assert [row.label for row in run.pages] == PAGES
    rows = {row.label: row for row in run.pages}
    assert rows["/healthz (baseline)"].statements == 0
    assert rows["/healthz (baseline)"].p50_ratio == 1.0
    assert all(row.statements > 0 and row.p50_ms > 0 for row in run.pages[1:])
    assert run.counts["assignments"] == 276 and run.counts["meetings"] >= 1
    mixed, healthz = run.load
    assert (mixed.workload, healthz.workload) == ("mixed", "/healthz")
    assert mixed.requests > 0 and mixed.errors == 0, mixed.first_error
    assert healthz.requests > 0 and healthz.errors == 0, healthz.first_error
    text = results_file.read_text()
    assert text.index("Kept as it is.") < text.index(results.MARKER)
    assert text.index(results.MARKER) < text.index(": tiny test run") < text.index("an older run")
    assert f"#### {backend}, scale 1" in text
    assert "| update POST (focal point) |" in text and "| mixed | 2 |" in text


def test_a_pg_bench_database_is_dropped_afterwards() -> None:
    try:
        with server.fresh_database("postgresql", "test") as url:
            name = sa.engine.make_url(url).database
            engine = sa.create_engine(url)
            with engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT current_database()")) == name
            engine.dispose()
    except sa.exc.OperationalError as error:
        unavailable(f"PostgreSQL is not reachable: {error.orig}")
    admin = sa.create_engine(server.postgres_server_url())
    with admin.connect() as conn:
        left = conn.scalar(
            sa.text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": name}
        )
    admin.dispose()
    assert left == 0


def test_hidden_fields_come_from_the_form_that_posts_to_the_action() -> None:
    page = (
        '<form method="post" action="/a/confirm"><input type="hidden" name="version" value="3">'
        '</form><form method="post" action="/a/updates" class="report-form">'
        '<input id="csrf_token" name="csrf_token" type="hidden" value="tok&amp;en">'
        '<input name="version" type="hidden" value="7"><input name="status" value="x"></form>'
    )
    assert hidden_fields(page, "/a/updates") == {"csrf_token": "tok&en", "version": "7"}
    with pytest.raises(LookupError):
        hidden_fields(page, "/elsewhere")
