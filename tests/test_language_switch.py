"""The language switcher in every page's header, and French in forms (WTForms' own messages)."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from workplan.extensions import db
from workplan.i18n import NNBSP, text_direction
from workplan.models import AuditEntry

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def _switch(client, language: str, next_path: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/language", data={"language": language, "next": next_path, **extra})


def test_anonymous_visitor_switches_to_french_and_stays_on_the_page(client, users):
    page = _text(client.get("/auth/forgot"))
    assert '<html lang="en-GB" dir="ltr">' in page
    # The switcher offers the other language, named in itself, and sends back here.
    assert 'value="fr" lang="fr"' in page and ">Français</button>" in page
    assert '<input type="hidden" name="next" value="/auth/forgot">' in page

    response = _switch(client, "fr", "/auth/forgot")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/forgot"
    french = _text(client.get("/auth/forgot"))
    assert '<html lang="fr-FR" dir="ltr">' in french
    assert f"Mot de passe oublié{NNBSP}?" in french and "Forgot your password?" not in french
    assert ">English</button>" in french and ">Français</button>" not in french

    _switch(client, "en", "/auth/forgot")
    assert "Forgot your password?" in _text(client.get("/auth/forgot"))


def test_switcher_keeps_the_query_of_the_page(client, users, act_as):
    act_as(users.observer)
    page = _text(client.get("/plan?term=short"))
    assert '<input type="hidden" name="next" value="/plan?term=short">' in page
    response = _switch(client, "fr", "/plan?term=short")
    assert response.headers["Location"] == "/plan?term=short"


def test_signed_in_person_switch_saves_the_profile_language(client, users, act_as):
    me = users.focal_point
    act_as(me)
    assert "Your profile" in _text(client.get("/directory"))

    response = _switch(client, "fr", "/directory")
    assert response.headers["Location"] == "/directory"
    db.session.refresh(me)
    assert me.language == "fr"  # committed by the request
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "user.update_profile")
    ).one()
    assert (entry.object_id, entry.before["language"], entry.after["language"]) == (
        me.id,
        "en",
        "fr",
    )
    page = _text(client.get("/directory"))
    assert "Annuaire des coordonnateurs" in page and "Directory of focal points" not in page
    # The profile form shows the same setting.
    profile = _text(client.get("/profile"))
    assert '<option selected value="fr">Français</option>' in profile

    # Signed out, the browser decides again; signed in anew, the profile does.
    act_as(None)
    assert "Forgot your password?" in _text(client.get("/auth/sign-in"))
    act_as(me)
    assert "Votre profil" in _text(client.get("/profile"))


def test_switcher_refuses_a_post_without_csrf_token(app, client, users):
    app.config["WTF_CSRF_ENABLED"] = True
    refused = _switch(client, "fr", "/auth/sign-in")
    assert refused.status_code == 400
    assert "Forgot your password?" in _text(client.get("/auth/sign-in"))

    token = TOKEN.search(client.get("/auth/sign-in").get_data(as_text=True)).group(1)
    accepted = _switch(client, "fr", "/auth/sign-in", csrf_token=token)
    assert accepted.status_code == 302
    assert "Mot de passe oublié" in _text(client.get("/auth/sign-in"))


def test_switcher_never_sends_the_browser_to_another_site(client, users):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = _switch(client, "fr", target)
        assert response.status_code == 302
        assert response.headers["Location"] == "/", target


def test_switcher_refuses_an_unknown_language(client, users, act_as):
    act_as(users.observer)
    assert _switch(client, "de", "/plan").status_code == 400
    db.session.refresh(users.observer)
    assert users.observer.language == "en"


def test_error_pages_have_the_switcher(client, users):
    page = _text(client.get("/no-such-page"))
    assert "Page not found" in page and ">Français</button>" in page
    _switch(client, "fr", "/no-such-page")
    assert "Page introuvable" in _text(client.get("/no-such-page"))


def test_direction_comes_from_the_locale():
    assert text_direction("fr_FR") == "ltr"
    assert text_direction("ar") == "rtl"


def test_wtforms_own_messages_are_in_french_and_typeset(client, users, act_as):
    users.focal_point.language = "fr"
    db.session.commit()
    act_as(users.focal_point)
    response = client.post(
        "/profile", data={"name": "x" * 201, "language": "xx", "digest": "daily"}
    )
    assert response.status_code == 422
    page = _text(response)
    # WTForms' catalogue, through Flask-WTF: Length(max=200) and an invalid choice.
    assert "Le champ ne peut pas contenir plus de 200 caractères." in page
    assert "Field cannot be longer" not in page
    # Its apostrophe is typeset as French pages set it.
    assert "N’est pas un choix valide." in page and "Not a valid choice" not in page
    assert f"Nom{NNBSP}: Le champ ne peut pas" in page  # the error summary


def test_the_sign_in_request_is_flashed_in_the_visitors_language(client, users):
    english = client.get("/plan", follow_redirects=True)
    assert "Sign in to see this page." in _text(english)
    _switch(client, "fr", "/auth/sign-in")
    french = _text(client.get("/plan", follow_redirects=True))
    assert "Connectez-vous pour voir cette page." in french and "Sign in to see" not in french
