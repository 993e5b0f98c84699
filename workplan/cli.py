"""Command-line interface: ``flask plan ...``, ``flask users ...``, ``flask setup``, and
``flask backup`` / ``flask restore``."""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from workplan import backup, backup_s3, storage
from workplan.auth import mailed_links
from workplan.auth import services as accounts
from workplan.errors import DATABASE_UNAVAILABLE, first_line
from workplan.extensions import db
from workplan.mail.sending import mail_status_line
from workplan.models import FocalPointRank, Language, Role, User
from workplan.plan import seeding
from workplan.revisions.cli import import_revision
from workplan.state import current, meeting_states

plan_cli = AppGroup("plan", help="Import, seed and export the work plan.")
users_cli = AppGroup("users", help="Manage accounts.")


@plan_cli.command("import-annex")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--decisions",
    type=click.Path(dir_okay=False, path_type=Path),
    default=seeding.SEEDS_DIR / "decisions.json",
    show_default=True,
    help="Recorded decisions on the points the parser cannot settle alone.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=seeding.PLAN_SEED,
    show_default=True,
)
def import_annex(path: Path, decisions: Path, out: Path) -> None:
    """Parse Annex II of the document at PATH and write the structured plan to seeds/."""
    from workplan.plan.annex import import_annex as run_import

    plan = run_import(path, decisions, out)
    click.echo(f"Wrote {out}: {len(plan.organisations)} organisations, {len(plan.tasks)} tasks.")
    undecided = [p for p in plan.points if p.needs_decision]
    for point in plan.points:
        state = "OPEN" if point.needs_decision else ("decided" if point.decided else "resolved")
        click.echo(f"  [{state}] {point.id}: {point.text!r}")
        click.echo(f"      reading: {point.reading}")
        if point.decision:
            click.echo(f"      decision: {point.decision}")
    if undecided:
        click.echo(
            f"{len(undecided)} point(s) could not be resolved with certainty: record a decision "
            f"for each in {decisions} and run again.",
            err=True,
        )


@plan_cli.command("seed")
def seed_plan() -> None:
    """Load seeds/plan.json into the database (safe to run again: adds only what is missing)."""
    result = seeding.load_seed(db.session, seeding.read_seed())
    db.session.commit()
    if result.changed:
        click.echo(
            f"Seeded {len(result.organisations)} organisations, "
            f"{len(result.recommendations)} recommendations, "
            f"{len(result.assignments)} assignments."
        )
    else:
        click.echo("The plan is already seeded; nothing to add.")


@plan_cli.command("export")
def export_plan() -> None:
    """Print the plan as JSON on standard output."""
    click.echo(json.dumps(seeding.export_plan(db.session), indent=2, ensure_ascii=False))


@plan_cli.command("verify")
def verify_plan() -> None:
    """Recompute each share's kept current state from its history and print every
    difference; exit 1 if there is any (it changes nothing)."""
    found = current.differences(db.session)
    for difference in found:
        click.echo(str(difference))
    if found:
        click.echo(f"{len(found)} difference(s) between the kept state and the history.", err=True)
        sys.exit(1)
    click.echo("The kept state of every share matches its history.")


@plan_cli.command("freeze")
def freeze_meetings() -> None:
    """Keep the state at the cut-off of every meeting whose cut-off has passed (the worker
    does this in its maintenance; safe to run again)."""
    done = meeting_states.freeze_due(db.session)
    db.session.commit()
    click.echo(f"Kept the state of {len(done)} meeting(s).")


plan_cli.add_command(import_revision)


def _get_user(email: str) -> User:
    user = accounts.find_user(db.session, email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    return user


def _print_link(user: User) -> None:
    max_age = current_app.config["SIGN_IN_LINK_MAX_AGE"]
    token = accounts.issue_sign_in_token(db.session, user, max_age)
    db.session.commit()
    hours = max_age // 3600
    click.echo(f"One-time sign-in link for {user.email} (valid {hours} h, works once):")
    click.echo(f"  {mailed_links.link_url(token)}")
    click.echo("After signing in you are asked to set a password.")


RANKS = [r.value for r in FocalPointRank]
LANGUAGES = [lang.value for lang in Language]


def _mail_link(user: User, template: str) -> None:
    mailed_links.mail_sign_in_link(db.session, user, template, None)
    db.session.commit()
    click.echo(f"A one-time sign-in link for {user.email} is in the outbox.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--org", "org_code", help="Organisation code (required for focal points).")
@click.option("--rank", type=click.Choice(RANKS), help="Focal points: main (default) or alternate.")
@click.option("--title", default="", help="Job title, shown in the directory.")
@click.option("--phone", default="", help="Phone number, shown in the directory.")
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--mail", is_flag=True, help="E-mail the invitation with its link instead of printing it."
)
def create_user(
    email: str,
    name: str,
    role: str,
    org_code: str | None,
    rank: str | None,
    title: str,
    phone: str,
    language: str,
    password_stdin: bool,
    mail: bool,
) -> None:
    """Create an account; without a password, print (or e-mail) a one-time sign-in link."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    contact = accounts.Contact(title=title, phone=phone, language=language)
    try:
        user = accounts.create_user(
            db.session, email, name, role, org_code, password, rank=rank, contact=contact
        )
        if mail and password is None:
            # The same message as the web's invitation, in the same transaction as the account.
            mailed_links.mail_sign_in_link(db.session, user, "invitation", None, inviter=None)
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")
    if password is None:
        if mail:
            click.echo(f"The invitation to {user.email} is in the outbox.")
        else:
            _print_link(user)


@users_cli.command("list")
def list_users() -> None:
    """List accounts: e-mail, name, role, organisation, active or deactivated, then (added
    last, so that scripts reading the first five columns keep working) the focal-point rank
    and the last sign-in ("never" for an invitation not yet used)."""
    for user in db.session.scalars(
        select(User).options(joinedload(User.organisation)).order_by(User.email)
    ):
        org = user.organisation.code if user.organisation else "-"
        state = "active" if user.active else "deactivated"
        last = user.last_sign_in_at.strftime("%Y-%m-%d %H:%M") if user.last_sign_in_at else "never"
        click.echo(
            f"{user.email}\t{user.name}\t{user.role}\t{org}\t{state}"
            f"\t{user.focal_point_rank or '-'}\t{last}"
        )


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
@click.option("--org", "org_code", help="Organisation code (required for focal points).")
@click.option("--rank", type=click.Choice(RANKS), help="Focal points: main or alternate.")
def set_role(email: str, role: str, org_code: str | None, rank: str | None) -> None:
    """Change an account's role (and organisation, and focal-point rank)."""
    user = _get_user(email)
    try:
        accounts.set_role(db.session, user, role, org_code, rank=rank)
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{user.email} is now {user.role}.")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Deactivate an account: it can no longer sign in; its history stays."""
    user = _get_user(email)
    accounts.deactivate(db.session, user)
    db.session.commit()
    click.echo(f"{user.email} is deactivated.")


@users_cli.command("reactivate")
@click.argument("email")
def reactivate(email: str) -> None:
    """Let a deactivated account sign in again (with its password, or a new link)."""
    user = _get_user(email)
    try:
        accounts.reactivate(db.session, user)
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{user.email} is active again.")


@users_cli.command("sign-in-link")
@click.argument("email")
@click.option("--mail", is_flag=True, help="E-mail the link instead of printing it.")
def sign_in_link(email: str, mail: bool) -> None:
    """Print (or e-mail) a new one-time sign-in link for an account."""
    user = _get_user(email)
    try:
        if mail:
            _mail_link(user, "sign_in_link")
        else:
            _print_link(user)
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
def api_token(email: str, name: str) -> None:
    """Create a personal access token for the API and print it (only once: only a hash of
    it is kept). It acts with exactly the account's permissions."""
    from workplan.api import tokens

    user = _get_user(email)
    if not user.active:
        raise click.ClickException(f"{email} is deactivated: its tokens would not work")
    _, secret = tokens.create_token(db.session, None, user, name)
    db.session.commit()
    click.echo(f"API token {name!r} for {user.email} (shown once; keep it secret):")
    click.echo(f"  {secret}")


@click.command("setup")
@click.option(
    "--coordinator-email",
    default=lambda: os.environ.get("WORKPLAN_COORDINATOR_EMAIL", "coordinator@workplan.local"),
    show_default="$WORKPLAN_COORDINATOR_EMAIL or coordinator@workplan.local",
)
def setup_command(coordinator_email: str) -> None:
    """First-run set-up: seed the plan, make sure a coordinator exists, say how to sign in."""
    result = seeding.load_seed(db.session, seeding.read_seed())
    db.session.commit()
    if result.changed:
        click.echo(f"Seeded the plan: {len(result.recommendations)} recommendations.")
    coordinator = db.session.scalar(
        select(User).where(User.role == Role.COORDINATOR, User.active.is_(True)).limit(1)
    )
    if coordinator is None:
        coordinator = accounts.create_user(
            db.session, coordinator_email, "Coordinator (OHCHR NIRMS)", Role.COORDINATOR, "NIRMS"
        )
        db.session.commit()
        click.echo(f"Created the coordinator account {coordinator.email}.")
    retitled = seeding.apply_seed_titles(db.session, coordinator)
    db.session.commit()
    if retitled:
        click.echo(f"Gave {len(retitled)} recommendations their short titles (version 2).")
    click.echo(mail_status_line(current_app.config))
    if coordinator.password_hash is None:
        _print_link(coordinator)
    else:
        click.echo(
            f"Sign in as {coordinator.email} with its password, or get a new link with "
            f"'flask users sign-in-link {coordinator.email}'."
        )


def report_unreachable_database(command: click.Command) -> None:
    """Make ``command`` and its subcommands end with one line and a non-zero status, not a
    traceback, when the database cannot be reached (``create_app`` applies it to every
    command of the application)."""
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            report_unreachable_database(subcommand)
    callback = command.callback
    if callback is None or getattr(callback, "reports_unreachable_database", False):
        return

    @functools.wraps(callback)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except DATABASE_UNAVAILABLE as error:
            raise click.ClickException(
                f"the database cannot be reached ({first_line(error)}). "
                "Check DATABASE_URL and that the database server is running."
            ) from None

    guarded.reports_unreachable_database = True  # type: ignore[attr-defined]
    command.callback = guarded


@contextmanager
def _backup_errors() -> Iterator[None]:
    """A backup or restore that cannot go ahead ends with one line, not a traceback."""
    try:
        yield
    except (backup.BackupError, OSError, sqlite3.Error, SQLAlchemyError) as error:
        raise click.ClickException(first_line(error)) from error


def _stored_files() -> dict[str, storage.Storage]:
    """The folders of a backup, and the storage each one is read from or restored to."""
    return {backup.UPLOADS: storage.uploads(), backup.REPORTS: storage.reports()}


@contextmanager
def _local_folder(path: str, *, writing: bool) -> Iterator[Path]:
    """The folder of the backup PATH: the folder itself, or for ``s3://BUCKET/FOLDER`` a
    temporary one, uploaded after a backup is written into it or downloaded before a
    restore."""
    if not backup_s3.is_remote(path):
        yield Path(path)
    elif writing:
        with backup_s3.uploaded_after(path) as folder:
            yield folder
    else:
        with backup_s3.downloaded(path) as folder:
            yield folder


@click.command("backup")
@click.argument("path")
@with_appcontext
def backup_command(path: str) -> None:
    """Write a backup (database, uploaded files, kept reports, manifest) into folder PATH,
    or into object storage at s3://BUCKET/FOLDER.

    Safe while the app runs; PATH must be new or empty.
    """
    with _backup_errors(), _local_folder(path, writing=True) as folder:
        summary = backup.create_backup(db.engine, folder, files=_stored_files())
    manifest = summary.manifest
    click.echo(
        f"Backup written to {path}: the {manifest.backend} database "
        f"(revision {manifest.alembic_revision or 'none'}), "
        f"{manifest.count(backup.UPLOADS)} uploaded file(s), "
        f"{manifest.count(backup.REPORTS)} report file(s)."
    )


@click.command("restore")
@click.argument("path")
@click.option("--force", is_flag=True, help="Replace a database (and files) that hold data.")
@with_appcontext
def restore_command(path: str, force: bool) -> None:
    """Check the backup in folder PATH (or at s3://BUCKET/FOLDER), then restore the database
    and the files from it.

    Stop the app first. Refuses a database that has data unless --force is given.
    """
    db.session.remove()  # this command's own session must not hold locks on the tables
    with _backup_errors(), _local_folder(path, writing=False) as folder:
        summary = backup.restore_backup(db.engine, folder, files=_stored_files(), force=force)
    manifest = summary.manifest
    click.echo(
        f"Restored the backup of {manifest.created_at} (workplan {manifest.app_version}, "
        f"revision {manifest.alembic_revision or 'none'}): the {manifest.backend} database, "
        f"{manifest.count(backup.UPLOADS)} uploaded file(s), "
        f"{manifest.count(backup.REPORTS)} report file(s). "
        "Run 'flask db upgrade' if this version of workplan is newer."
    )
