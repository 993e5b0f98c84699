"""``flask users ...`` does what the people pages do: ranks, contact fields, reactivation and
e-mailed links."""

from __future__ import annotations

from sqlalchemy import select

from tests import factories
from workplan.extensions import db
from workplan.models import OutboxMessage, User


def test_create_with_rank_and_contact_fields_and_mail_the_invitation(seeded, runner):
    result = runner.invoke(
        args=[
            "users", "create", "lin@aichr.example.org", "--name", "Lin Wei",
            "--role", "focal_point", "--org", "AICHR", "--rank", "alternate",
            "--title", "Programme Officer", "--phone", "+62 1", "--language", "fr", "--mail",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "in the outbox" in result.output and "/auth/link/" not in result.output
    person = db.session.scalar(select(User).where(User.email == "lin@aichr.example.org"))
    assert (person.focal_point_rank, person.title, person.phone, person.language) == (
        "alternate",
        "Programme Officer",
        "+62 1",
        "fr",
    )
    message = db.session.scalar(select(OutboxMessage))
    assert message.purpose == "invitation" and "/auth/link/" in message.body_text


def test_reactivate_and_list_show_the_state(seeded, runner):
    person = factories.user("focal_point", "ACHPR", email="back@example.org", active=False)
    listed = runner.invoke(args=["users", "list"]).output
    assert "back@example.org" in listed and "\tdeactivated\t" in listed
    result = runner.invoke(args=["users", "reactivate", "back@example.org"])
    assert result.exit_code == 0 and "active again" in result.output
    db.session.refresh(person)
    assert person.active is True
    again = runner.invoke(args=["users", "reactivate", "back@example.org"])
    assert again.exit_code != 0 and "already active" in again.output


def test_set_role_changes_the_rank_and_sign_in_link_can_be_mailed(seeded, runner):
    person = factories.user("focal_point", "ACHPR", email="rank@example.org")
    result = runner.invoke(
        args=["users", "set-role", "rank@example.org", "focal_point", "--rank", "alternate"]
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(person)
    assert person.focal_point_rank == "alternate" and person.organisation.code == "ACHPR"
    mailed = runner.invoke(args=["users", "sign-in-link", "rank@example.org", "--mail"])
    assert mailed.exit_code == 0 and "/auth/link/" not in mailed.output
    assert db.session.scalar(select(OutboxMessage.purpose)) == "sign_in_link"
