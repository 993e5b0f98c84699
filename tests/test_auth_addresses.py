"""One rule for e-mail addresses: the command line and the sign-in form agree."""

from __future__ import annotations

import html

import pytest

from workplan.auth.addresses import InvalidEmail, check_email


def _create(runner, email: str, password: str = "a very good password"):  # type: ignore[no-untyped-def]
    args = ["users", "create", email, "--name", "C", "--role", "coordinator", "--org", "NIRMS"]
    return runner.invoke(
        args=[*args, "--password-stdin"],
        input=password + "\n",
    )


def test_cli_created_local_coordinator_signs_in_through_the_form(seeded, runner, client):
    created = _create(runner, "coordinator@workplan.local")
    assert created.exit_code == 0, created.output
    response = client.post(
        "/auth/sign-in",
        data={"email": "Coordinator@workplan.local", "password": "a very good password"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "<h1>Dashboard</h1>" in client.get("/", follow_redirects=True).get_data(as_text=True)


@pytest.mark.parametrize("email", ["person@example", "a b@example.org", "x@y.invalid", "x@local"])
def test_address_refused_by_the_cli_is_refused_by_the_form_for_the_same_reason(
    seeded, runner, client, email
):
    created = _create(runner, email)
    assert created.exit_code != 0
    reason = created.output.removeprefix("Error: ").strip()
    assert reason.startswith("Not a valid e-mail address: ")
    response = client.post("/auth/sign-in", data={"email": email, "password": "whatever it is"})
    assert response.status_code == 422
    assert reason in html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("coordinator@workplan.local", "coordinator@workplan.local"),
        ("Someone@Host.Test ", "someone@host.test"),
        ("Amina@Example.org", "amina@example.org"),
    ],
)
def test_private_and_ordinary_addresses_are_accepted_and_normalised(typed, stored):
    assert check_email(typed) == stored


@pytest.mark.parametrize("email", ["no-at-sign", "x@localhost", "x@test", "two@@example.org"])
def test_malformed_or_reserved_addresses_are_refused(email):
    with pytest.raises(InvalidEmail, match="Not a valid e-mail address"):
        check_email(email)
