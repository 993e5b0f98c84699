"""``flask plan import-revision``: the plan revised from one file, on the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from workplan.extensions import db
from workplan.models import Meeting
from workplan.revisions import differences as revision
from workplan.revisions.sources import SourceError, read_source


@click.command("import-revision")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--meeting", "meeting_id", type=int, required=True, help="The deciding meeting.")
@click.option("--apply", "apply_", is_flag=True, help="Apply the differences (else only list).")
@click.option("--reject", multiple=True, help="A difference's id to leave out (repeatable).")
def import_revision(path: Path, meeting_id: int, apply_: bool, reject: tuple[str, ...]) -> None:
    """List the differences between the plan in PATH (JSON export, XLSX, CSV or annex-style
    text) and the current plan; with --apply, apply them (except --reject ones) in one
    transaction tied to the meeting."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise click.ClickException(f"no meeting {meeting_id}")
    try:
        proposal = read_source(db.session, path.name, path.read_bytes())
    except SourceError as error:
        raise click.ClickException(str(error)) from error
    found = revision.differences(db.session, proposal)
    for point in proposal.unsettled:
        click.echo(f"  [to settle] {point['id']}: {point['reading']}")
    for diff in found:
        mark = "reject" if diff.id in reject else diff.kind
        click.echo(f"  [{mark}] {diff.id}: {diff.summary}")
    click.echo(f"{len(found)} difference(s).")
    if not apply_:
        return
    accepted = {d.id for d in found} - set(reject)
    try:
        applied = revision.apply_revision(
            db.session, None, meeting, found, accepted, source_name=path.name
        )
    except revision.RevisionError as error:
        db.session.rollback()
        raise click.ClickException(f"nothing applied: {error}") from error
    db.session.commit()
    click.echo(f"Applied {len(applied.applied)} difference(s) for {meeting.title}.")
