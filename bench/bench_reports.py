"""Time and peak memory to produce the meeting status report in each format.

For each scale (1: the seeded plan with three years of updates, 100: a hundred times that),
a database is generated once with :mod:`bench.datagen`; then each format is produced in a
subprocess of its own, so that its peak memory (the process's maximum resident set size) is
not inflated by the formats measured before it. The figures are the job's real work: build
the document model from the kept state at the latest meeting's cut-off (kept beforehand, as
the worker's maintenance does once a cut-off has passed), then render it.

Run ``make bench-reports`` (or ``python -m bench.bench_reports --scales 1 100``); add
``--write`` to replace the "Reports" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench import results

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
RESULTS = BENCH / "RESULTS.md"
FORMATS = ["docx", "pdf", "xlsx", "csv"]
BEGIN, END = "<!-- reports:begin -->", "<!-- reports:end -->"


def _app(database_url: str):  # type: ignore[no-untyped-def]
    from workplan import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})


def prepare(scale: int, years: int) -> tuple[str, dict[str, int], float]:
    """A database at ``scale`` (reused when it exists) and its row counts."""
    from workplan.extensions import db

    OUT.mkdir(exist_ok=True)
    path = OUT / f"reports-s{scale}-y{years}.sqlite3"
    url = f"sqlite:///{path}"
    counts_file = path.with_suffix(".json")
    if path.exists() and counts_file.exists():
        return url, json.loads(counts_file.read_text()), 0.0
    path.unlink(missing_ok=True)
    from bench.datagen import generate

    started = time.perf_counter()
    app = _app(url)
    with app.app_context():
        db.create_all()
        counts = generate(db.session, scale=scale, years=years)
        db.session.commit()
        db.engine.dispose()
    seconds = time.perf_counter() - started
    counts_file.write_text(json.dumps(counts))
    return url, counts, seconds


def measure_one(database_url: str, fmt: str) -> dict[str, object]:
    """Produce one file (in this process) and report what it cost."""
    from sqlalchemy import select

    from workplan.extensions import db
    from workplan.models import Meeting
    from workplan.reports import kinds
    from workplan.reports.formats import FORMATS as RENDERERS
    from workplan.state.meeting_states import freeze_due

    app = _app(database_url)
    with app.app_context():
        # The meetings' states at their cut-offs are kept once the cut-off has passed (the
        # worker's maintenance does it then, not when a report is asked for): untimed.
        freeze_due(db.session)
        db.session.commit()
        meeting = db.session.scalars(select(Meeting).order_by(Meeting.cutoff_at.desc())).first()
        started = time.perf_counter()
        report = kinds.meeting_report(db.session, meeting, language="en", internal=False)
        built = time.perf_counter()
        data = RENDERERS[fmt].render(report)
        rendered = time.perf_counter()
    (OUT / f"meeting-report.{fmt}").write_bytes(data)
    return {
        "format": fmt,
        "build_s": round(built - started, 2),
        "render_s": round(rendered - built, 2),
        "total_s": round(rendered - started, 2),
        "size_kb": round(len(data) / 1024),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def machine() -> str:
    return results.machine(postgres=False)


def run(scales: list[int], years: int, timeout: int) -> str:
    lines = [
        "## Reports",
        "",
        BEGIN,
        "",
        "`make bench-reports` (bench/bench_reports.py): the meeting status report at the latest",
        "meeting's cut-off, for circulation, in English; each format produced in a fresh",
        "subprocess. *build*: reading the history and building the document model; *render*:",
        "writing the file; *peak RSS*: the subprocess's maximum resident memory (the Python",
        "interpreter with the application loaded takes about 120 MB).",
        "",
        f"Machine: {machine()}. Measured {time.strftime('%Y-%m-%d', time.gmtime())}.",
        "",
    ]
    for scale in scales:
        url, counts, seconds = prepare(scale, years)
        described = ", ".join(f"{v:,} {k}" for k, v in counts.items())
        lines += [
            f"### Scale {scale} ({years} years of updates)",
            "",
            f"Data: {described}" + (f" (generated in {seconds:.0f} s)." if seconds else "."),
            "",
            "| format | build (s) | render (s) | total (s) | file (KB) | peak RSS (MB) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for fmt in FORMATS:
            try:
                result = subprocess.run(
                    [sys.executable, "-m", "bench.bench_reports", "--one", fmt, "--url", url],
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    check=True,
                    cwd=BENCH.parent,
                )
                row = json.loads(result.stdout.strip().splitlines()[-1])
                lines.append(
                    f"| {fmt} | {row['build_s']} | {row['render_s']} | {row['total_s']} | "
                    f"{row['size_kb']:,} | {row['peak_rss_mb']:,} |"
                )
            except subprocess.TimeoutExpired:
                lines.append(f"| {fmt} | — | — | > {timeout} | — | — |")
            except subprocess.CalledProcessError as error:
                lines.append(f"| {fmt} | failed: {error.stderr.strip().splitlines()[-1]} |||||")
            print(lines[-1], flush=True)
        lines.append("")
    lines += [END, ""]
    return "\n".join(lines)


def write(section: str) -> None:
    """Replace the Reports section of RESULTS.md (other sections are left as they are)."""
    existing = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    pattern = re.compile(
        r"## Reports\n\n" + re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n", re.S
    )
    if pattern.search(existing):
        updated = pattern.sub(lambda _: section, existing)
    else:
        updated = existing.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(updated)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=900, help="seconds per format")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.url, args.one)))
        return
    section = run(args.scales, args.years, args.timeout)
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()
