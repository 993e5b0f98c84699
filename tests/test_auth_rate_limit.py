"""Sign-in keeps working, and stays rate-limited, when Redis is down."""

from __future__ import annotations

from tests import factories
from tests.services import app_settings
from workplan import create_app
from workplan.extensions import limiter

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_sign_in_works_and_is_limited_in_memory_when_redis_is_down(
    _schema, tmp_path, monkeypatch, capsys, users
):
    monkeypatch.setenv("REDIS_URL", NOWHERE)
    # The limiter is one object for every app of the test process and remembers that its
    # storage died: start from "alive", as a new web process does (and restore it afterwards).
    monkeypatch.setattr(limiter, "_storage_dead", False)
    config = {
        **app_settings(_schema, tmp_path),
        "REDIS_URL": NOWHERE,
        "RATELIMIT_ENABLED": True,
        "SIGN_IN_RATE_LIMIT": "3 per minute",
    }
    app = create_app(config)
    assert app.config["RATELIMIT_STORAGE_URI"] == NOWHERE
    client = app.test_client()
    signed_in = client.post(
        "/auth/sign-in", data={"email": users.observer.email, "password": factories.PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.get("/plan").status_code == 200
    client.post("/auth/sign-out")  # not limited: only the sign-in form is

    wrong = {"email": users.observer.email, "password": "not the password"}
    codes = [client.post("/auth/sign-in", data=wrong).status_code for _ in range(3)]
    assert codes == [422, 422, 429]
    # Said once in the app's log, not at every request.
    assert capsys.readouterr().err.count("falling back to in-memory storage") == 1
