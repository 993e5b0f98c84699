"""Sessions can be ended: sign-out, a password change and deactivation end every session and
remember-me cookie of the person; cookie flags come from one setting."""

from __future__ import annotations

import html

import pytest
from werkzeug.security import check_password_hash

from tests import factories
from workplan import create_app
from workplan.auth import services
from workplan.extensions import db
from workplan.models import User

NEW_PASSWORD = "a fresh long passphrase"


def _sign_in(client, user, remember: bool = False, password: str = factories.PASSWORD):  # type: ignore[no-untyped-def]
    data = {"email": user.email, "password": password}
    if remember:
        data["remember"] = "y"
    response = client.post("/auth/sign-in", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def _is_signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    response = client.get("/plan")
    if response.status_code == 302:
        assert "/auth/sign-in" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def _fresh_client_with(app, name: str, value: str):  # type: ignore[no-untyped-def]
    fresh = app.test_client()
    fresh.set_cookie(name, value, domain="localhost")
    return fresh


def test_a_copied_session_cookie_is_dead_after_sign_out(app, client, users):
    _sign_in(client, users.observer)
    copied = client.get_cookie("session").value
    assert _is_signed_in(_fresh_client_with(app, "session", copied))
    client.post("/auth/sign-out")
    assert not _is_signed_in(_fresh_client_with(app, "session", copied))


def test_a_remember_me_cookie_alone_is_dead_after_sign_out(app, client, users):
    _sign_in(client, users.observer, remember=True)
    remembered = client.get_cookie("remember_token").value
    assert _is_signed_in(_fresh_client_with(app, "remember_token", remembered))
    client.post("/auth/sign-out")
    assert not _is_signed_in(_fresh_client_with(app, "remember_token", remembered))


def test_changing_the_password_signs_out_every_other_session_but_this_one(app, users):
    changer, other = app.test_client(), app.test_client()
    _sign_in(changer, users.focal_point, remember=True)
    _sign_in(other, users.focal_point, remember=True)
    old_remember = other.get_cookie("remember_token").value
    response = changer.post(
        "/auth/password",
        data={
            "current_password": factories.PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert _is_signed_in(changer)
    assert not _is_signed_in(other)
    assert not _is_signed_in(_fresh_client_with(app, "remember_token", old_remember))
    # The changer's remember-me cookie is issued again, for the new generation.
    renewed = changer.get_cookie("remember_token").value
    assert renewed != old_remember
    assert _is_signed_in(_fresh_client_with(app, "remember_token", renewed))
    assert check_password_hash(
        db.session.get(User, users.focal_point.id).password_hash, NEW_PASSWORD
    )


def test_a_wrong_current_password_is_refused_and_nothing_changes(client, users):
    _sign_in(client, users.focal_point)
    form = client.get("/auth/password").get_data(as_text=True)
    assert 'name="current_password"' in form
    response = client.post(
        "/auth/password",
        data={
            "current_password": "not my password",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "The current password is not correct." in page
    # Password fields are never filled in again: neither the wrong one nor the new one.
    assert "not my password" not in page and NEW_PASSWORD not in page
    assert 'name="password"' in page and 'name="confirm"' in page
    user = db.session.get(User, users.focal_point.id)
    assert check_password_hash(user.password_hash, factories.PASSWORD)
    assert _is_signed_in(client)


def test_a_missing_current_password_is_asked_for(client, users):
    _sign_in(client, users.focal_point)
    response = client.post(
        "/auth/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 422
    assert "Enter your current password." in response.get_data(as_text=True)


def test_arriving_by_one_time_link_sets_a_password_without_the_current_one(client, users):
    token = services.issue_sign_in_token(db.session, users.focal_point, 3600)
    db.session.commit()
    assert client.post(f"/auth/link/{token}").status_code == 302
    assert 'name="current_password"' not in client.get("/auth/password").get_data(as_text=True)
    response = client.post(
        "/auth/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert _is_signed_in(client)
    # Only right after the link: the next change asks for the password again.
    assert 'name="current_password"' in client.get("/auth/password").get_data(as_text=True)


def test_deactivation_ends_a_live_session(client, users):
    _sign_in(client, users.observer, remember=True)
    assert _is_signed_in(client)
    services.deactivate(db.session, db.session.get(User, users.observer.id))
    db.session.commit()
    assert not _is_signed_in(client)


def test_sessions_from_before_the_generation_change_load_nobody(users):
    user = users.observer
    assert services.load_user(user.get_id()) == user
    assert services.load_user(str(user.id)) is None  # the form before generations existed
    assert services.load_user("nonsense") is None
    services.end_all_sessions(user)
    assert services.load_user(f"{user.id}:0") is None
    assert services.load_user(user.get_id()) == user


@pytest.mark.parametrize("setting", ["1", ""])
def test_cookie_flags_follow_cookie_secure(_schema, tmp_path, monkeypatch, users, setting):
    from tests.services import app_settings

    monkeypatch.setenv("COOKIE_SECURE", setting)
    secure_app = create_app(app_settings(_schema, tmp_path))
    response = secure_app.test_client().post(
        "/auth/sign-in",
        data={"email": users.observer.email, "password": factories.PASSWORD, "remember": "y"},
    )
    assert response.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"session", "remember_token"}
    for header in (cookies["session"], cookies["remember_token"]):
        assert "HttpOnly" in header and "SameSite=Lax" in header
        assert ("; Secure" in header) is (setting == "1"), header
