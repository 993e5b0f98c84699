"""The coordinator's people pages: invitations, changes, deactivation and reactivation, new
links; who may use them; and the dashboard's flag for an organisation nobody can report for."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.test_dashboard_queries import counting
from workplan.extensions import db
from workplan.models import AuditEntry, OutboxMessage, SignInToken, User

INVITATION = {
    "name": "Mariam Haidari",
    "email": "Mariam.Haidari@aichr.example.org",
    "role": "focal_point",
    "organisation": "AICHR",
    "rank": "alternate",
    "title": "Legal Officer",
    "phone": "+62 21 000 111",
    "language": "fr",
}
LINK = re.compile(r"https?://[^/\s]+(/auth/link/[A-Za-z0-9_\-]+)")


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


def _actions(user: User) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "User", AuditEntry.object_id == user.id)
            .order_by(AuditEntry.id)
        )
    )


@pytest.mark.parametrize("role", ["focal_point", "observer"])
def test_focal_point_and_observer_cannot_manage_people(client, users, act_as, role):
    act_as(getattr(users, role))
    target = users.other_focal_point
    before = (_count(User), _count(OutboxMessage), _count(SignInToken), _count(AuditEntry))
    assert client.get("/people").status_code == 403
    assert client.get("/people/invite").status_code == 403
    assert client.get(f"/people/{target.id}").status_code == 403
    assert client.post("/people/invite", data=INVITATION).status_code == 403
    for action in ("deactivate", "send-link"):
        assert client.post(f"/people/{target.id}/{action}").status_code == 403
    assert client.post(f"/people/{target.id}", data={"role": "coordinator"}).status_code == 403
    after = (_count(User), _count(OutboxMessage), _count(SignInToken), _count(AuditEntry))
    assert after == before
    assert target.active and target.role == "focal_point"
    assert "People" not in client.get("/plan").get_data(as_text=True).split("<main")[0]


def test_invite_creates_the_account_a_link_and_one_invitation_that_signs_in(client, users, act_as):
    act_as(users.coordinator)
    response = client.post("/people/invite", data=INVITATION)
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "mariam.haidari@aichr.example.org"))
    assert person is not None and person.password_hash is None
    assert (person.organisation.code, person.focal_point_rank) == ("AICHR", "alternate")
    assert (person.title, person.phone, person.language) == (
        "Legal Officer",
        "+62 21 000 111",
        "fr",
    )
    assert response.headers["Location"].endswith(f"/people/{person.id}")
    assert _count(SignInToken) == 1
    messages = list(db.session.scalars(select(OutboxMessage)))
    assert len(messages) == 1
    message = messages[0]
    assert (message.recipient, message.purpose, message.status) == (
        person.email,
        "invitation",
        "pending",
    )
    assert "Mariam Haidari" in message.body_text and "AICHR" in message.body_text
    path = LINK.search(message.body_text).group(1)
    assert path in message.body_html
    assert _actions(person) == ["user.create", "user.mail_invitation"]

    act_as(None)
    page = client.get(path)
    assert page.status_code == 200 and "Mariam Haidari" in page.get_data(as_text=True)
    used = client.post(path)
    assert used.headers["Location"].endswith("/auth/password")
    assert client.get("/profile").status_code == 200  # signed in as the new person


def test_invite_of_an_existing_address_changes_nothing(client, users, act_as):
    act_as(users.coordinator)
    before = (_count(User), _count(OutboxMessage), _count(SignInToken))
    response = client.post("/people/invite", data={**INVITATION, "email": users.observer.email})
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert (_count(User), _count(OutboxMessage), _count(SignInToken)) == before


def test_invite_of_a_focal_point_without_organisation_is_refused(client, users, act_as):
    act_as(users.admin)
    response = client.post("/people/invite", data={**INVITATION, "organisation": ""})
    assert response.status_code == 422
    assert "A focal point needs an organisation." in response.get_data(as_text=True)
    assert _count(OutboxMessage) == 0


def test_change_of_role_organisation_and_rank_is_audited(client, users, act_as):
    act_as(users.coordinator)
    person = users.focal_point
    response = client.post(
        f"/people/{person.id}",
        data={"role": "focal_point", "organisation": "IACHR", "rank": "alternate"},
    )
    assert response.status_code == 302
    assert (person.organisation.code, person.focal_point_rank) == ("IACHR", "alternate")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.set_role"))
    assert entry.actor_id == users.coordinator.id
    assert (entry.before["organisation"], entry.after["organisation"]) == ("ACHPR", "IACHR")
    audit = client.get("/audit").get_data(as_text=True)
    assert "Role changed" in audit and "Alternate" in audit


def test_deactivated_person_cannot_sign_in_and_reactivation_lets_them_back(
    client, users, act_as, sign_in
):
    person = users.focal_point
    act_as(users.coordinator)
    assert client.post(f"/people/{person.id}/deactivate").status_code == 302
    assert person.active is False
    assert "achpr@example.org" not in client.get("/directory").get_data(as_text=True)
    act_as(None)
    refused = client.post(
        "/auth/sign-in", data={"email": person.email, "password": factories.PASSWORD}
    )
    assert refused.status_code == 422

    act_as(users.coordinator)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Deactivated" in page and "Reactivate" in page
    assert client.post(f"/people/{person.id}/reactivate").status_code == 302
    assert person.active is True
    sign_in(person)
    assert "achpr@example.org" in client.get("/directory").get_data(as_text=True)
    assert _actions(person) == ["user.deactivate", "user.reactivate"]


def test_nobody_can_deactivate_their_own_account(client, users, act_as):
    act_as(users.coordinator)
    client.post(f"/people/{users.coordinator.id}/deactivate")
    assert users.coordinator.active is True
    assert "cannot change your own role" in client.get("/people").get_data(as_text=True)


def test_a_new_link_is_mailed_and_the_earlier_one_stops_working(client, users, act_as):
    act_as(users.coordinator)
    person = users.other_focal_point
    client.post(f"/people/{person.id}/send-link")
    client.post(f"/people/{person.id}/send-link")
    messages = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [m.purpose for m in messages] == ["sign_in_link", "sign_in_link"]
    first, second = (LINK.search(m.body_text).group(1) for m in messages)
    act_as(None)
    refused = client.get(first)
    assert refused.status_code == 410
    assert "already been used" in refused.get_data(as_text=True)
    offered = client.get(second)
    assert offered.status_code == 200
    assert person.name in offered.get_data(as_text=True)


def test_people_list_filters_by_state_and_organisation(client, users, act_as):
    invited = factories.user("focal_point", "AICHR", name="Invited Person")
    gone = factories.user("focal_point", "AICHR", name="Gone Person", active=False)
    users.focal_point.last_sign_in_at = invited.created_at
    db.session.commit()
    act_as(users.coordinator)

    def names(query: str) -> str:
        return client.get(f"/people?{query}").get_data(as_text=True)

    page = names("")
    assert "Invited Person" in page and "Gone Person" in page and "Never" in page
    assert "Invited Person" in names("state=invited")
    assert "Invited Person" not in names("state=active")
    assert users.focal_point.name in names("state=active")
    only_gone = names("state=deactivated")
    assert gone.name in only_gone and invited.name not in only_gone
    aichr = names("org=AICHR&role=focal_point")
    assert invited.name in aichr and users.focal_point.name not in aichr


def test_people_list_reads_in_a_fixed_number_of_statements(client, users, act_as):
    def statements() -> int:
        act_as(users.coordinator)
        with counting() as seen:
            assert client.get("/people").status_code == 200
        return len(seen)

    few = statements()
    for org in ("AICHR", "IACHR", "ACHPR"):
        factories.user("focal_point", org)
    assert statements() == few <= 4


def test_dashboard_flags_an_organisation_nobody_can_report_for(client, users, act_as):
    act_as(users.coordinator)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Nobody can report for AICHR" in page
    assert "Nobody can report for ACHPR" not in page
    factories.user("focal_point", "AICHR")
    assert "Nobody can report for AICHR" not in client.get("/dashboard").get_data(as_text=True)


def test_organisation_page_lists_its_active_focal_points(client, users, act_as):
    factories.user("focal_point", "ACHPR", name="Alt Person", focal_point_rank="alternate")
    factories.user("focal_point", "ACHPR", name="Former Person", active=False)
    factories.user("focal_point", "ACHPR", name="Quiet Person", phone="+220 999", phone_hidden=True)
    act_as(users.observer)
    page = client.get("/organisations/ACHPR").get_data(as_text=True)
    section = page.split('class="focal-points"')[1].split("</section>")[0]
    assert users.focal_point.email in section and "Alt Person" in section
    assert "(alternate)" in section
    assert "Former Person" not in section and "+220 999" not in section
    assert "Manage" not in section
    assert "Nobody can report for AICHR" in client.get("/organisations/AICHR").get_data(
        as_text=True
    )
