"""``flask mail send|outbox``, ``flask reminders run``, ``flask digests run`` (for cron when
there is no Redis worker; see the README, "E-mail, reminders and digests")."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from workplan.extensions import db
from workplan.mail import digests, queries, reminders, sending
from workplan.models.base import utcnow

mail_cli = AppGroup("mail", help="The outbox: send what is due, list it.")
reminders_cli = AppGroup("reminders", help="Reminders before reporting cut-offs.")
digests_cli = AppGroup("digests", help="The coordinators' digests.")

TODAY = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Act as if today were this date (YYYY-MM-DD; default: today, UTC).",
)


def _day(today: object) -> date:
    return today.date() if today is not None else utcnow().date()  # type: ignore[attr-defined]


def _send_now() -> None:
    """Send what was just queued (a command has no worker or thread to do it)."""
    if sending.mail_configured(current_app.config):
        outcome = sending.deliver_due(db.session, current_app.config)
        click.echo(f"Sent {outcome.sent}, to retry {outcome.retrying}, failed {outcome.failed}.")
    else:
        click.echo(sending.mail_status_line(current_app.config))


@mail_cli.command("send")
def send_command() -> None:
    """Send the messages that are due (and retry those whose time has come)."""
    _send_now()


@mail_cli.command("outbox")
@click.option("--limit", default=50, show_default=True)
def outbox_command(limit: int) -> None:
    """List the newest messages: id, status, attempts, recipient, purpose, subject."""
    page = queries.outbox_page(db.session, 1, limit)
    click.echo(sending.mail_status_line(current_app.config))
    for m in page.items:
        error = f"\t{m.last_error.splitlines()[0]}" if m.last_error else ""
        click.echo(
            f"{m.id}\t{m.status}\t{m.attempts}\t{m.recipient}\t{m.purpose}\t{m.subject}{error}"
        )
    click.echo(f"{page.total} message(s) in all; {page.pending} pending.")


@reminders_cli.command("run")
@TODAY
def reminders_command(today: object) -> None:
    """Queue the reminders (and missing-report lists) due today, then send them."""
    count = reminders.run_reminders(db.session, _day(today), current_app.config["REMINDER_DAYS"])
    db.session.commit()
    click.echo(f"{count} reminder message(s) queued.")
    _send_now()


@digests_cli.command("run")
@TODAY
def digests_command(today: object) -> None:
    """Queue the coordinators' digests due today, then send them."""
    count = digests.run_digests(db.session, _day(today))
    db.session.commit()
    click.echo(f"{count} digest(s) queued.")
    _send_now()
