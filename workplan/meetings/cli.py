"""``flask meetings create|list``: meetings from the command line, for scripting."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from workplan.extensions import db
from workplan.meetings import services
from workplan.models import Meeting

meetings_cli = AppGroup("meetings", help="Meetings of focal points.")


@meetings_cli.command("create")
@click.argument("title")
@click.option("--date", "held_on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option(
    "--cutoff",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The reporting cut-off (the end of that day, UTC).",
)
@click.option("--place", default="")
def create_command(title: str, held_on, cutoff, place: str) -> None:  # type: ignore[no-untyped-def]
    """Record a meeting and print its id."""
    data = services.MeetingData(
        title=title,
        held_on=held_on.date(),
        place=place,
        cutoff_date=cutoff.date(),
        cutoff_time=None,
        document_symbol="",
    )
    try:
        meeting = services.create_meeting(db.session, None, data)
    except services.InvalidMeeting as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(meeting.id)


@meetings_cli.command("list")
def list_command() -> None:
    """One line per meeting: id, date, cut-off, title, place."""
    for m in db.session.scalars(select(Meeting).order_by(Meeting.held_on, Meeting.id)):
        click.echo(
            f"{m.id}\t{m.held_on.isoformat()}\t{m.cutoff_at.date().isoformat()}\t{m.title}"
            f"\t{m.place}"
        )
