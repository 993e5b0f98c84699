"""``flask jobs worker`` (an RQ worker inside an app context) and ``flask reports ...``."""

from __future__ import annotations

import logging
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from rq import Worker

from workplan.extensions import db
from workplan.jobs import mail as mail_jobs
from workplan.jobs.queue import job_state, redis_connection
from workplan.reports import services

jobs_cli = AppGroup("jobs", help="Background jobs (RQ).")
reports_cli = AppGroup("reports", help="Report runs: reap dead ones, delete expired files.")


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
    # Pooled connections opened so far must not be shared with the forked work horses.
    db.engine.dispose()
    worker = ReapingWorker(
        [queue_name],
        connection=connection,
        name=name,
        maintenance_interval=current_app.config["REPORT_REAP_INTERVAL"],
    )
    click.echo(f"Worker {worker.name} listening on queue {queue_name!r}")
    worker.work(burst=burst, with_scheduler=True, logging_level="INFO")


def reap() -> list[int]:
    """End the runs whose job can no longer finish, and commit (a command's boundary)."""
    reaped = services.reap_stale_runs(
        db.session,
        stale_after=timedelta(seconds=current_app.config["REPORT_STALE_AFTER"]),
        job_state=job_state(current_app),
    )
    db.session.commit()
    return reaped


class ReapingWorker(Worker):
    """An RQ worker that, with its own periodic maintenance, ends the report runs of workers
    that died (their heartbeat stopped), so no page waits on them forever, and queues the
    mail jobs: the outbox when something is due, the day's reminders and digests hourly."""

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        try:
            reap()
        except Exception:  # maintenance must never stop the worker
            db.session.rollback()
            logging.getLogger(__name__).exception("reaping stale report runs failed")
        try:
            mail_jobs.schedule(current_app._get_current_object())  # type: ignore[attr-defined]
        except Exception:  # nor must scheduling mail: it is tried again next time
            db.session.rollback()
            logging.getLogger(__name__).exception("scheduling the mail jobs failed")


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
