"""``flask users ...`` and ``flask setup``."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from workplan.auth import services
from workplan.extensions import db
from workplan.models import AuditEntry, User


def test_create_with_password_from_stdin_then_sign_in(seeded, runner, client):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Amina@Example.org",
            "--name",
            "Amina",
            "--role",
            "focal_point",
            "--org",
            "achpr",
            "--password-stdin",
        ],
        input="a very good password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created amina@example.org (focal_point)." in result.output
    assert "sign-in link" not in result.output
    user = services.find_user(db.session, "amina@example.org")
    assert user.organisation.code == "ACHPR"
    response = client.post(
        "/auth/sign-in", data={"email": "amina@example.org", "password": "a very good password"}
    )
    assert response.status_code == 302


def test_create_without_password_prints_a_working_link(seeded, runner, client):
    result = runner.invoke(
        args=["users", "create", "obs@example.org", "--name", "Obs", "--role", "observer"]
    )
    assert result.exit_code == 0, result.output
    link = re.search(r"https?://\S+/auth/link/(\S+)", result.output)
    assert link, result.output
    assert client.post(f"/auth/link/{link.group(1)}").status_code == 302
    assert client.get("/plan").status_code == 200


def test_create_refuses_bad_input(seeded, runner):
    no_org = runner.invoke(
        args=["users", "create", "a@example.org", "--name", "A", "--role", "focal_point"]
    )
    assert no_org.exit_code != 0
    assert "needs an organisation" in no_org.output
    bad_org = runner.invoke(
        args=[
            "users",
            "create",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "focal_point",
            "--org",
            "XYZ",
        ]
    )
    assert "no organisation with code 'XYZ'" in bad_org.output
    bad_role = runner.invoke(
        args=["users", "create", "a@example.org", "--name", "A", "--role", "king"]
    )
    assert bad_role.exit_code != 0
    short = runner.invoke(
        args=[
            "users",
            "create",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "observer",
            "--password-stdin",
        ],
        input="short\n",
    )
    assert "at least 12 characters" in short.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_duplicate_email_is_refused(seeded, runner):
    args = ["users", "create", "dup@example.org", "--name", "D", "--role", "observer"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=[*args[:2], "DUP@example.org", *args[3:]])
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_list_set_role_and_deactivate(seeded, runner):
    runner.invoke(args=["users", "create", "p@example.org", "--name", "P", "--role", "observer"])
    changed = runner.invoke(
        args=["users", "set-role", "p@example.org", "focal_point", "--org", "CoE"]
    )
    assert changed.exit_code == 0, changed.output
    listing = runner.invoke(args=["users", "list"]).output
    assert "p@example.org\tP\tfocal_point\tCoE\tactive" in listing
    off = runner.invoke(args=["users", "deactivate", "p@example.org"])
    assert off.exit_code == 0
    assert (
        "p@example.org\tP\tfocal_point\tCoE\tdeactivated"
        in runner.invoke(args=["users", "list"]).output
    )
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["user.create", "user.set_role", "user.deactivate"]
    missing = runner.invoke(args=["users", "deactivate", "ghost@example.org"])
    assert missing.exit_code != 0
    assert "no account for ghost@example.org" in missing.output


def test_setup_creates_the_coordinator_once_and_prints_a_link(app, runner, client):
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "Created the coordinator account coordinator@workplan.local." in first.output
    link = re.search(r"/auth/link/(\S+)", first.output).group(1)
    second = runner.invoke(args=["setup"])
    assert "Created the coordinator" not in second.output
    assert db.session.scalar(select(func.count(User.id))) == 1
    # Each run prints a fresh link until a password is set; only the newest one works.
    newest = re.search(r"/auth/link/(\S+)", second.output).group(1)
    assert client.post(f"/auth/link/{link}").status_code == 410
    assert client.post(f"/auth/link/{newest}").status_code == 302
    client.post(
        "/auth/password", data={"password": "coordinator pass 1", "confirm": "coordinator pass 1"}
    )
    third = runner.invoke(args=["setup"])
    assert "/auth/link/" not in third.output
    assert "Sign in as coordinator@workplan.local with its password" in third.output
