"""Personal access tokens: made on the profile's token page or with ``flask users token``,
shown once and stored as a hash, refused once revoked or once their owner is deactivated;
only ``Authorization: Bearer`` opens the API (a session cookie does not), and each token has
its own rate limit."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.fixtures_api import Api, make_token
from tests.services import app_settings
from workplan import create_app
from workplan.api.tokens import hash_secret
from workplan.auth import services as accounts
from workplan.extensions import db
from workplan.models import ApiToken, AuditEntry

TOKEN = re.compile(r"wpt_[A-Za-z0-9_-]{40,}")


def test_cli_prints_a_working_token_once_and_keeps_only_its_hash(runner, users, api):
    result = runner.invoke(
        args=["users", "token", users.focal_point.email, "--name", "ACHPR website"]
    )
    assert result.exit_code == 0, result.output
    secrets = TOKEN.findall(result.output)
    assert len(secrets) == 1
    stored = db.session.scalars(select(ApiToken)).one()
    assert stored.name == "ACHPR website"
    assert stored.user_id == users.focal_point.id
    assert stored.token_hash == hash_secret(secrets[0])
    assert secrets[0] not in {stored.token_hash, stored.prefix}
    assert secrets[0].startswith(stored.prefix)

    answer = api.get("/tasks/S4", secrets[0])
    assert answer.status_code == 200
    assert answer.get_json()["code"] == "S4"


def test_cli_refuses_unknown_and_deactivated_accounts(runner, users):
    unknown = runner.invoke(args=["users", "token", "nobody@example.org"])
    assert unknown.exit_code != 0
    assert "no account for nobody@example.org" in unknown.output
    accounts.deactivate(db.session, users.observer)
    db.session.commit()
    closed = runner.invoke(args=["users", "token", users.observer.email])
    assert closed.exit_code != 0
    assert "deactivated" in closed.output
    assert db.session.scalars(select(ApiToken)).all() == []


def test_token_page_creates_lists_last_use_and_revokes(client, act_as, users, api):
    act_as(users.focal_point)
    profile = client.get("/profile").get_data(as_text=True)
    assert 'href="/profile/tokens"' in profile

    created = client.post("/profile/tokens", data={"name": "Court website"})
    page = created.get_data(as_text=True)
    assert created.status_code == 201
    secrets = TOKEN.findall(page)
    assert len(secrets) == 1
    assert "it will not be shown again" in page
    assert "Court website" in page and "Never" in page

    assert api.get("/organisations", secrets[0]).status_code == 200
    act_as(users.focal_point)
    listed = client.get("/profile/tokens").get_data(as_text=True)
    assert secrets[0] not in listed  # shown once only
    assert "Never" not in listed  # the use just made is shown instead
    assert "Court website" in listed

    token = db.session.scalars(select(ApiToken)).one()
    assert token.last_used_at is not None
    revoked = client.post(f"/profile/tokens/{token.id}/revoke")
    assert revoked.status_code == 302
    answer = api.get("/organisations", secrets[0])
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "unauthorized"
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["api_token.create", "api_token.revoke"]


def test_token_page_requires_a_name_and_keeps_others_tokens_hidden(client, act_as, users):
    act_as(users.focal_point)
    refused = client.post("/profile/tokens", data={"name": "  "})
    assert refused.status_code == 422
    assert "Give the token a name." in refused.get_data(as_text=True)
    assert db.session.scalars(select(ApiToken)).all() == []

    theirs = make_token(users.other_focal_point, "CoE site")
    token = db.session.scalars(select(ApiToken)).one()
    assert "CoE site" not in client.get("/profile/tokens").get_data(as_text=True)
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None
    assert theirs


def test_deactivated_owners_token_stops_working(users, api):
    token = make_token(users.focal_point)
    assert api.get("/tasks", token).status_code == 200
    accounts.deactivate(db.session, users.focal_point)
    db.session.commit()
    refused = api.get("/tasks", token)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    accounts.reactivate(db.session, users.focal_point)
    db.session.commit()
    assert api.get("/tasks", token).status_code == 200


def test_missing_or_wrong_token_is_401_in_json(users, api):
    for token in (None, "wpt_not-a-real-token", "something-else"):
        answer = api.get("/tasks", token)
        assert answer.status_code == 401
        assert answer.mimetype == "application/json"
        assert answer.get_json()["error"]["code"] == "unauthorized"
    basic = api.client.get("/api/v1/tasks", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status_code == 401


def test_a_session_cookie_alone_opens_nothing(client, act_as, users, share):
    act_as(users.coordinator)
    assert client.get("/plan").status_code == 200  # the cookie works on the pages
    read = client.get("/api/v1/tasks")
    assert read.status_code == 401
    write = client.post(
        "/api/v1/tasks/S4/assignments/ACHPR/updates",
        json={"status": "completed", "narrative": "x", "version": share.version},
    )
    assert write.status_code == 401
    db.session.refresh(share)
    assert share.version == 1
    assert share.status == "not_started"


def test_the_token_decides_who_acts_whatever_the_cookie_says(client, act_as, users, api):
    act_as(users.coordinator)
    observer_token = make_token(users.observer)
    answer = client.post(
        "/api/v1/meetings",
        headers={"Authorization": f"Bearer {observer_token}"},
        json={"title": "Sixth meeting", "date": "2027-12-01", "cutoff": "2027-11-01"},
    )
    assert answer.status_code == 403  # the observer's, not the coordinator's


def test_each_token_has_its_own_rate_limit(_schema, tmp_path, users, monkeypatch):
    from workplan.extensions import limiter

    monkeypatch.setattr(limiter, "_storage_dead", False)
    app = create_app(
        {
            **app_settings(_schema, tmp_path),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "API_RATE_LIMIT": "3 per minute",
        }
    )
    first, second = make_token(users.focal_point), make_token(users.focal_point)
    with app.app_context():
        api = Api(app.test_client())
        codes = [api.get("/organisations", first).status_code for _ in range(4)]
        limited = api.get("/organisations", first)
        other = api.get("/organisations", second)
        assert codes == [200, 200, 200, 429]
        assert limited.status_code == 429
        assert limited.get_json()["error"]["code"] == "rate_limited"
        assert "Retry-After" in limited.headers
        assert other.status_code == 200
        db.engine.dispose()
