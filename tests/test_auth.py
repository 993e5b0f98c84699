"""Signing in and out, one-time links, and who gets in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests import factories
from workplan.auth import services
from workplan.extensions import db
from workplan.models import AuditEntry, Role, SignInToken
from workplan.models.base import utcnow


def test_anonymous_visitor_is_sent_to_sign_in(client, seeded):
    for path in ["/", "/plan", "/plan/S1", "/organisations", "/organisations/ACHPR"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/auth/sign-in" in response.headers["Location"], path


def test_sign_in_with_password_leads_focal_point_to_its_organisation(client, users):
    response = client.post(
        "/auth/sign-in", data={"email": "ACHPR@example.org ", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    home = client.get(response.headers["Location"], follow_redirects=True)
    page = home.get_data(as_text=True)
    assert "African Commission on Human and Peoples&#39; Rights" in page
    assert users.focal_point.name in page
    assert users.focal_point.last_sign_in_at is not None


def test_coordinator_lands_on_the_dashboard(client, users, sign_in):
    sign_in(users.coordinator)
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "<h1>Dashboard</h1>" in page


def test_observer_lands_on_the_plan(client, users, sign_in):
    sign_in(users.observer)
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "<h1>The work plan</h1>" in page


def test_wrong_password_and_unknown_email_get_the_same_message(client, users):
    wrong = client.post(
        "/auth/sign-in", data={"email": users.focal_point.email, "password": "not it at all"}
    )
    unknown = client.post(
        "/auth/sign-in", data={"email": "nobody@example.org", "password": "not it at all"}
    )
    for response in (wrong, unknown):
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "E-mail or password is incorrect." in page
        assert "no account" not in page.lower()
    # The e-mail typed is kept in the form.
    assert 'value="nobody@example.org"' in unknown.get_data(as_text=True)
    assert client.get("/plan").status_code == 302


def test_empty_form_says_what_is_missing(client, seeded):
    response = client.post("/auth/sign-in", data={"email": "", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter your e-mail address." in page
    assert "Enter your password." in page


def test_deactivated_account_cannot_sign_in(client, users):
    services.deactivate(db.session, users.focal_point)
    db.session.commit()
    response = client.post(
        "/auth/sign-in", data={"email": users.focal_point.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 422
    assert "E-mail or password is incorrect." in response.get_data(as_text=True)


def test_sign_out_ends_the_session(client, users, sign_in):
    sign_in(users.observer)
    assert client.get("/plan").status_code == 200
    response = client.post("/auth/sign-out", follow_redirects=True)
    assert "You are signed out." in response.get_data(as_text=True)
    assert client.get("/plan").status_code == 302


def test_next_parameter_only_stays_on_site(client, users):
    data = {"email": users.observer.email, "password": factories.PASSWORD}
    inside = client.post("/auth/sign-in?next=/plan/S3", data=data)
    assert inside.headers["Location"].endswith("/plan/S3")
    client.post("/auth/sign-out")
    outside = client.post("/auth/sign-in?next=//evil.example/x", data=data)
    assert "evil.example" not in outside.headers["Location"]


def test_one_time_link_signs_in_once(client, users):
    token = services.issue_sign_in_token(db.session, users.coordinator, 3600)
    db.session.commit()
    # A GET (a link preview, say) shows a button but does not use the link up.
    preview = client.get(f"/auth/link/{token}")
    assert preview.status_code == 200
    assert users.coordinator.email in preview.get_data(as_text=True)
    assert client.get("/plan").status_code == 302

    used = client.post(f"/auth/link/{token}")
    assert used.status_code == 302
    assert used.headers["Location"].endswith("/auth/password")
    assert client.get("/plan").status_code == 200
    client.post("/auth/sign-out")

    again = client.post(f"/auth/link/{token}")
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert client.get("/plan").status_code == 302
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.sign_in_link"))


def test_expired_link_is_refused(client, users):
    token = services.issue_sign_in_token(db.session, users.coordinator, 3600)
    row = db.session.scalar(select(SignInToken))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(f"/auth/link/{token}")
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    assert client.get("/plan").status_code == 302


def test_unknown_link_is_refused(client, seeded):
    response = client.get("/auth/link/made-up-token")
    assert response.status_code == 410
    assert "not valid" in response.get_data(as_text=True)


def test_link_then_set_password_then_sign_in_with_it(client, seeded):
    user = services.create_user(db.session, "new@example.org", "New Person", Role.OBSERVER)
    token = services.issue_sign_in_token(db.session, user, 3600)
    db.session.commit()
    assert user.password_hash is None
    client.post(f"/auth/link/{token}")
    short = client.post("/auth/password", data={"password": "short", "confirm": "short"})
    assert short.status_code == 422
    assert "Use at least 12 characters." in short.get_data(as_text=True)
    differ = client.post(
        "/auth/password", data={"password": "a long password 1", "confirm": "a long password 2"}
    )
    assert "The two passwords differ." in differ.get_data(as_text=True)
    ok = client.post(
        "/auth/password", data={"password": "a long password 1", "confirm": "a long password 1"}
    )
    assert ok.status_code == 302
    client.post("/auth/sign-out")
    again = client.post(
        "/auth/sign-in", data={"email": "new@example.org", "password": "a long password 1"}
    )
    assert again.status_code == 302
    assert client.get("/plan").status_code == 200


def test_deactivation_voids_outstanding_links(client, users):
    token = services.issue_sign_in_token(db.session, users.observer, 3600)
    services.deactivate(db.session, users.observer)
    db.session.commit()
    response = client.post(f"/auth/link/{token}")
    assert response.status_code == 410
    assert "This sign-in link has already been used." in response.get_data(as_text=True)
    assert "/auth/sign-in" in client.get("/plan").headers["Location"]


def test_sign_in_attempts_are_limited(_schema, tmp_path, users):
    from tests.services import app_settings
    from workplan import create_app

    config = {
        **app_settings(_schema, tmp_path),
        "RATELIMIT_ENABLED": True,
        "SIGN_IN_RATE_LIMIT": "3 per minute",
    }
    limited = create_app(config).test_client()
    data = {"email": users.observer.email, "password": "wrong password!"}
    codes = [limited.post("/auth/sign-in", data=data).status_code for _ in range(4)]
    assert codes == [422, 422, 422, 429]
    blocked = limited.post("/auth/sign-in", data={**data, "password": factories.PASSWORD})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    # Reading the form is not limited.
    assert limited.get("/auth/sign-in").status_code == 200
