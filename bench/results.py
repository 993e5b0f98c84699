"""Tables of the page bench and load run, the machine they ran on, and the dated sections of
``bench/RESULTS.md`` (each run adds one below the marker, newest first; older ones stay)."""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench import server
from bench.load import Outcome, percentile

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
MARKER = "<!-- bench-pages: new sections go below this line, newest first -->"
HEADER = "## Pages and load (`make bench`)"


@dataclass
class PageRow:
    label: str
    p50_ms: float
    p95_ms: float
    p50_ratio: float  # to /healthz's median in the same rounds
    p95_ratio: float  # to /healthz's 95th percentile
    statements: int


@dataclass
class Run:
    backend: str
    scale: int
    years: int
    counts: dict[str, int]
    pages: list[PageRow]
    load: list[Outcome]
    load_average: float = 0.0  # the machine's, over 1 minute, when this run started


def machine(postgres: bool = True) -> str:
    """CPUs (count and model), memory, Python, SQLite (and PostgreSQL) versions, kernel."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    databases = f"SQLite {sqlite3.sqlite_version}"
    if postgres:
        databases += f", PostgreSQL {server.postgres_version()} (same machine)"
    return (
        f"{os.cpu_count()} CPUs ({cpu}){memory}, Python {platform.python_version()}, "
        f"{databases}, {platform.system()} {platform.release()}"
    )


def page_rows(timed: dict[str, list[float]], statements: dict[str, int], baseline: str):
    """One row per page, the ratios taken to ``baseline``'s timings of the same rounds."""
    base50 = statistics.median(timed[baseline])
    base95 = percentile(timed[baseline], 0.95)
    return [
        PageRow(
            label,
            statistics.median(values),
            percentile(values, 0.95),
            statistics.median(values) / base50,
            percentile(values, 0.95) / base95,
            statements[label],
        )
        for label, values in timed.items()
    ]


def page_table(rows: list[PageRow]) -> str:
    lines = [
        "| page | p50 ms | p95 ms | p50 × /healthz | p95 × /healthz | SQL |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.label} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.p50_ratio:.1f} | "
        f"{r.p95_ratio:.1f} | {r.statements} |"
        for r in rows
    ]
    return "\n".join(lines)


def load_line(o: Outcome) -> str:
    """A row of the load table (also printed as each level ends)."""
    return (
        f"| {o.workload} | {o.concurrency} | {o.requests:,} | {o.throughput:.1f} | "
        f"{o.p50_ms:.1f} | {o.p95_ms:.1f} | {o.errors} | {o.posts:,} | {o.conflicts} | "
        f"{o.client_cpu:.0%} |"
    )


LOAD_HEADER = (
    "| workload | concurrency | requests | req/s | p50 ms | p95 ms | errors | POSTs | 409 | "
    "client CPU |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def load_table(outcomes: list[Outcome]) -> str:
    lines = [LOAD_HEADER] + [load_line(o) for o in outcomes]
    by_level = {(o.workload, o.concurrency): o for o in outcomes}
    ratios = [
        f"{c}: {by_level['/healthz', c].throughput / by_level['mixed', c].throughput:.1f}"
        for c in sorted({o.concurrency for o in outcomes})
        if ("mixed", c) in by_level
        and by_level["mixed", c].throughput
        and ("/healthz", c) in by_level
    ]
    errors = [f"{o.workload} at {o.concurrency}: {o.first_error}" for o in outcomes if o.errors]
    notes = ["", "/healthz throughput ÷ mixed throughput, by concurrency: " + ", ".join(ratios)]
    if errors:
        notes.append("First error of each level with errors: " + "; ".join(errors))
    return "\n".join(lines + notes)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{v:,} {k}" for k, v in counts.items() if k != "seconds to generate")


def section(runs: list[Run], machine_line: str, args: argparse.Namespace, took: float) -> str:
    """A dated Markdown section with every run's tables."""
    today = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    title = f"### {today}" + (f": {args.title}" if args.title else "")
    load_avg = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        title,
        "",
        f"Machine: {machine_line}. Load average when written: {load_avg}.",
        f"Settings: gunicorn {args.workers} sync workers; {args.requests} timed rounds per "
        f"page; load run {args.seconds:g} s per level; {args.years} years of history; whole "
        f"run {took / 60:.0f} min.",
    ]
    if args.note:
        lines += ["", args.note]
    for run in runs:
        generated = run.counts.get("seconds to generate")
        lines += [
            "",
            f"#### {run.backend}, scale {run.scale}",
            "",
            f"Data: {_counts(run.counts)}"
            + (f" (generated in {generated} s)." if generated is not None else ".")
            + f" Load average when this run started: {run.load_average:.1f}.",
            "",
            page_table(run.pages),
            "",
            load_table(run.load),
        ]
    return "\n".join(lines) + "\n"


def write(new_section: str, path: Path | None = None) -> None:
    """Add ``new_section`` under the marker of the pages part of ``path`` (default
    ``RESULTS``; the part is made if missing), keeping every earlier section below it."""
    path = path or RESULTS
    existing = path.read_text() if path.exists() else "# Benchmark results\n"
    if MARKER not in existing:
        existing = existing.rstrip("\n") + f"\n\n{HEADER}\n\n{MARKER}\n"
    head, _, tail = existing.partition(MARKER)
    path.write_text(f"{head}{MARKER}\n\n{new_section}{tail}")
