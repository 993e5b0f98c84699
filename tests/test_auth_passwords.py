"""One password rule for the command line and the password form: long, and not easy to guess."""

from __future__ import annotations

import html

import pytest

from tests import factories
from workplan.auth import services

EMAIL = "amina.mohammed.achpr@example.org"

REFUSED = [
    ("short pass", "Use at least 12 characters."),
    (EMAIL, "Do not use your e-mail address as your password."),
    ("Amina.Mohammed.ACHPR", "Do not use your e-mail address as your password."),
    ("amina.mohammed.achpr2026!", "Do not use your e-mail address as your password."),
    ("aaaaaaaaaaaaaaaa", "Do not use one character repeated as your password."),
    ("abcabcabcabc", "Do not use a short pattern repeated"),
    ("Ab1!Ab1!Ab1!Ab1!", "Do not use a short pattern repeated"),
    ("qwertyuiop123", "This is one of the most common passwords"),
    ("1qaz2wsx3edc", "This is one of the most common passwords"),
    ("Password2026!!", "This is one of the most common passwords"),
]


@pytest.mark.parametrize(("password", "reason"), REFUSED)
def test_each_kind_of_weak_password_is_refused_with_its_reason(password, reason):
    with pytest.raises(services.AccountError) as refused:
        services.validate_password(password, EMAIL)
    assert str(refused.value).startswith(reason)


@pytest.mark.parametrize(
    "password", ["a long password 1", "coordinator pass 1", "Kigali, le 12 mai", "ab" * 6 + "c"]
)
def test_long_unusual_passwords_are_accepted(password):
    services.validate_password(password, EMAIL)


def test_the_form_refuses_a_common_password_and_says_why(client, users):
    client.post(
        "/auth/sign-in", data={"email": users.observer.email, "password": factories.PASSWORD}
    )
    response = client.post(
        "/auth/password",
        data={
            "current_password": factories.PASSWORD,
            "password": "qwertyuiop123",
            "confirm": "qwertyuiop123",
        },
    )
    assert response.status_code == 422
    assert "This is one of the most common passwords" in html.unescape(
        response.get_data(as_text=True)
    )


def test_the_cli_refuses_the_address_as_password_and_says_why(seeded, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            EMAIL,
            "--name",
            "Amina",
            "--role",
            "observer",
            "--password-stdin",
        ],
        input=EMAIL + "\n",
    )
    assert result.exit_code != 0
    assert "Do not use your e-mail address as your password." in result.output
    assert services.find_user(services.db.session, EMAIL) is None
