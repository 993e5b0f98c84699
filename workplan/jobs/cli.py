"""``flask jobs worker`` (an RQ worker inside an app context) and ``flask reports ...``."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from rq import Worker
from sqlalchemy import select

from workplan import logs
from workplan.extensions import db
from workplan.i18n import LANGUAGE_NAMES as LANGUAGES
from workplan.jobs import mail as mail_jobs
from workplan.jobs import tasks
from workplan.jobs.queue import job_state, redis_connection
from workplan.models import Meeting, Organisation, ReportRun
from workplan.models.base import utcnow
from workplan.reports import services
from workplan.reports.formats import FORMATS
from workplan.reports.parts import ReportError, no_progress
from workplan.state import meeting_states

log = logging.getLogger(__name__)
jobs_cli = AppGroup("jobs", help="Background jobs (RQ).")
reports_cli = AppGroup("reports", help="Reports: make one, reap dead runs, delete expired files.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--name", default=None, help="The worker's name (default: host and pid).")
def worker_command(burst: bool, name: str | None) -> None:
    """Run an RQ worker for the report queue (reports and mail), inside this application's
    context."""
    connection = redis_connection()
    if connection is None:
        raise click.ClickException(
            "REDIS_URL is not set: without Redis, reports are produced inside the web process "
            "and no worker is needed."
        )
    queue_name = current_app.config["REPORT_QUEUE"]
    interval = max(1, current_app.config["REPORT_REAP_INTERVAL"])
    # Pooled connections opened so far must not be shared with the forked work horses.
    db.engine.dispose()
    worker = ReapingWorker(
        [queue_name],
        connection=connection,
        name=name,
        maintenance_interval=interval,
        # An idle worker waits for a job for worker_ttl - 15 seconds (RQ's rule) before it
        # looks at its maintenance again: 405 s by default. This makes it the interval.
        worker_ttl=interval + 15,
    )
    # On standard error: standard output is for log lines (JSON with LOG_FORMAT=json).
    click.echo(f"Worker {worker.name} listening on queue {queue_name!r}", err=True)
    worker.work(burst=burst, with_scheduler=True, logging_level="INFO")


def _freeze_meeting_states() -> None:
    """Keep the state of each meeting whose cut-off has passed (the worker's maintenance)."""
    meeting_states.freeze_due(db.session)
    db.session.commit()


def reap() -> list[int]:
    """End the runs whose job can no longer finish, and commit (a command's boundary)."""
    reaped = services.reap_stale_runs(db.session, job_state=job_state(current_app))
    db.session.commit()
    return reaped


class ReapingWorker(Worker):
    """An RQ worker that, with its own periodic maintenance, ends the report runs of workers
    that died (their heartbeat stopped), so no page waits on them forever, and queues the
    housekeeping jobs: the outbox when something is due, the day's reminders and digests and
    the deletion of expired report files hourly; and keeps the state of each meeting whose
    cut-off has passed. Each job it runs gets a log line."""

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        chores = (
            ("reaping stale report runs", reap),
            ("keeping past meeting states", _freeze_meeting_states),
            ("scheduling the mail jobs", lambda: mail_jobs.schedule(app)),
            ("scheduling the report files cleanup", lambda: tasks.schedule_cleanup(app)),
        )
        for what, chore in chores:
            try:
                chore()
            except Exception:  # maintenance must never stop the worker: tried again next time
                db.session.rollback()
                log.exception("%s failed", what)

    def perform_job(self, job, queue) -> bool:  # type: ignore[no-untyped-def]
        """Run the job (in the work horse), then log its line."""
        started = time.perf_counter()
        succeeded = False
        try:
            succeeded = super().perform_job(job, queue)
            return succeeded
        finally:
            logs.log_job(
                job.id,
                job.func_name,
                "finished" if succeeded else "failed",
                (time.perf_counter() - started) * 1000,
                queue=queue.name,
                worker=self.name,
            )


@reports_cli.command("reap")
def reap_command() -> None:
    """Mark as failed the runs whose worker stopped (no heartbeat) or whose job failed."""
    reaped = reap()
    click.echo(f"{len(reaped)} run(s) marked failed" + (f": {reaped}" if reaped else "."))


@reports_cli.command("cleanup")
def cleanup_command() -> None:
    """Delete the files of report runs past their retention period (the runs stay listed)."""
    count = services.cleanup_expired(db.session)
    db.session.commit()
    click.echo(f"{count} expired file(s) deleted.")


@reports_cli.command("make")
@click.option("--kind", type=click.Choice(services.KINDS), required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True)
@click.option("--lang", type=click.Choice(sorted(LANGUAGES)), default="en", show_default=True)
@click.option("--meeting", "meeting_id", type=int, help="The meeting (meeting, blockers).")
@click.option("--org", "org_code", help="The organisation's code (organisation).")
@click.option("--start", help="First day, YYYY-MM-DD (organisation; default: a year back).")
@click.option("--end", help="Last day, YYYY-MM-DD (organisation; default: today).")
@click.option("--internal", is_flag=True, help="Include restricted entries, marked.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
def make_command(
    kind: str,
    fmt: str,
    lang: str,
    meeting_id: int | None,
    org_code: str | None,
    start: str | None,
    end: str | None,
    internal: bool,
    output: str,
) -> None:
    """Produce a report file directly, for scripts and cron: the same document the web's
    report runs produce (no run is recorded)."""
    meeting = db.session.get(Meeting, meeting_id) if meeting_id is not None else None
    if meeting_id is not None and meeting is None:
        raise click.ClickException(f"No meeting with id {meeting_id}.")
    if kind == "meeting" and meeting is None:
        raise click.ClickException("--meeting is required for a meeting report.")
    organisation = None
    if org_code is not None:
        organisation = db.session.scalar(select(Organisation).where(Organisation.code == org_code))
        if organisation is None:
            raise click.ClickException(f"No organisation with code {org_code!r}.")
    if kind == "organisation" and organisation is None:
        raise click.ClickException("--org is required for an organisation's report.")
    params = {key: value for key, value in (("start", start), ("end", end)) if value}
    # A transient run: services.build reads what a recorded one would, nothing is saved.
    run = ReportRun(
        kind=kind,
        format=fmt,
        language=lang,
        internal=internal,
        params=params,
        created_at=utcnow(),
    )
    with db.session.no_autoflush:
        run.meeting, run.organisation = meeting, organisation
        try:
            report = services.build(db.session, run, no_progress)
        except (ReportError, ValueError) as error:
            raise click.ClickException(str(error)) from error
        finally:
            if run in db.session:
                db.session.expunge(run)
    data = FORMATS[fmt].render(report)
    Path(output).write_bytes(data)
    db.session.rollback()
    click.echo(f"{output}: {len(data)} bytes")
