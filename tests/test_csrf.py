"""With CSRF protection on (as in production), forms without a token are refused."""

from __future__ import annotations

import re

from tests import factories


def test_sign_in_without_token_is_refused_and_with_token_accepted(app, client, users):
    app.config["WTF_CSRF_ENABLED"] = True
    data = {"email": users.observer.email, "password": factories.PASSWORD}
    refused = client.post("/auth/sign-in", data=data)
    assert refused.status_code == 400
    assert client.get("/plan").status_code == 302

    page = client.get("/auth/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post("/auth/sign-in", data={**data, "csrf_token": token})
    assert accepted.status_code == 302
    assert client.get("/plan").status_code == 200


def test_sign_out_needs_a_token(app, client, users, sign_in):
    sign_in(users.observer)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/auth/sign-out").status_code == 400
    assert client.get("/plan").status_code == 200
