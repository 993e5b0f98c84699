"""Self-service: the profile page, signing out everywhere else, and "Forgot your password?"."""

from __future__ import annotations

import re

from flask import g
from sqlalchemy import func, select

from tests import factories
from tests.services import app_settings
from workplan import create_app
from workplan.extensions import db
from workplan.models import AuditEntry, OutboxMessage, SignInToken

LINK = re.compile(r"https?://[^/\s]+(/auth/link/[A-Za-z0-9_\-]+)")


def test_profile_saves_contact_details_and_choices(client, users, act_as):
    me = users.coordinator
    act_as(me)
    page = client.get("/profile").get_data(as_text=True)
    assert "Digest of what happened" in page  # it matters to coordinators
    response = client.post(
        "/profile",
        data={
            "name": "Nadia Coordinator",
            "title": "Human Rights Officer",
            "phone": "+41 22 917 0000",
            "phone_hidden": "y",
            "language": "fr",
            "digest": "weekly",
        },
    )
    assert response.status_code == 302
    assert (me.name, me.title, me.phone, me.phone_hidden, me.language, me.digest) == (
        "Nadia Coordinator",
        "Human Rights Officer",
        "+41 22 917 0000",
        True,
        "fr",
        "weekly",
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update_profile"))
    assert entry.after["digest"] == "weekly" and entry.actor_id == me.id


def test_focal_point_profile_has_no_digest_choice_and_keeps_it(client, users, act_as):
    act_as(users.focal_point)
    assert "Digest of what happened" not in client.get("/profile").get_data(as_text=True)
    client.post("/profile", data={"name": "Awa", "language": "en"})
    assert users.focal_point.name == "Awa" and users.focal_point.digest == "daily"


def test_profile_refuses_an_empty_name_and_changes_nothing(client, users, act_as):
    act_as(users.observer)
    response = client.post("/profile", data={"name": " ", "language": "en"})
    assert response.status_code == 422 and "Enter your name." in response.get_data(as_text=True)
    assert users.observer.name != ""


def test_sign_out_everywhere_ends_other_sessions_but_keeps_this_one(app, users, act_as):
    me = users.focal_point
    here, elsewhere = app.test_client(), app.test_client()
    for browser in (here, elsewhere):
        g.pop("_login_user", None)
        with browser.session_transaction() as session:
            session["_user_id"] = me.get_id()
            session["_fresh"] = True
    assert elsewhere.get("/profile").status_code == 200
    response = here.post("/profile/sign-out-everywhere", follow_redirects=True)
    assert "signed out on every other computer" in response.get_data(as_text=True)
    g.pop("_login_user", None)
    assert here.get("/profile").status_code == 200
    g.pop("_login_user", None)
    ended = elsewhere.get("/profile")
    assert ended.status_code == 302 and "/auth/sign-in" in ended.headers["Location"]
    assert me.session_generation == 1


def _messages() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage)))


def test_forgot_password_answers_the_same_and_mails_only_an_active_account(client, users):
    gone = factories.user("observer", email="gone@example.org", active=False)
    answers = []
    for address in ("nobody@example.org", gone.email, users.other_focal_point.email):
        response = client.post("/auth/forgot", data={"email": address}, follow_redirects=True)
        answers.append((response.status_code, response.get_data(as_text=True)))
    assert answers[0] == answers[1] == answers[2]
    assert "If an account exists for this address, a link is on its way." in answers[0][1]
    messages = _messages()
    assert len(messages) == 1
    assert (messages[0].recipient, messages[0].purpose) == (
        users.other_focal_point.email,
        "password_reset",
    )
    assert db.session.scalar(select(func.count()).select_from(SignInToken)) == 1

    # The link leads to the button, then to setting a password without the old one.
    path = LINK.search(messages[0].body_text).group(1)
    assert "This link signs you in" in client.get(path).get_data(as_text=True)
    assert client.post(path).headers["Location"].endswith("/auth/password")
    form = client.get("/auth/password").get_data(as_text=True)
    assert "Current password" not in form
    client.post(
        "/auth/password",
        data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert client.post(path).status_code == 410  # single use


def test_sign_in_page_links_to_forgot_password(client, app):
    assert 'href="/auth/forgot"' in client.get("/auth/sign-in").get_data(as_text=True)


def test_forgot_password_is_rate_limited_like_sign_in(_schema, tmp_path, users):
    app = create_app(
        {
            **app_settings(_schema, tmp_path),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SIGN_IN_RATE_LIMIT": "2 per minute",
        }
    )
    client = app.test_client()
    codes = [
        client.post("/auth/forgot", data={"email": users.observer.email}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]
