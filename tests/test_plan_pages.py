"""The read-only plan pages show the seeded plan."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from tests import factories
from workplan.extensions import db
from workplan.plan import seeding


@pytest.fixture
def signed_in(client, users, sign_in):
    sign_in(users.observer)
    return client


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_plan_page_lists_every_recommendation_by_term(signed_in):
    page = _text(signed_in.get("/plan"))
    seed = seeding.read_seed()
    for heading in ("Short-term", "Mid-term", "Long-term"):
        assert f"{heading} recommendations" in page
    positions = []
    for task in seed["tasks"]:
        assert task["title"] in page, task["code"]
        positions.append(page.index(f'id="rec-{task["code"]}"'))
    assert positions == sorted(positions), "recommendations are not in plan order"
    # Terms come in order, and each recommendation under its own term.
    assert page.index('id="term-short"') < page.index('id="rec-S1"') < page.index('id="term-mid"')
    assert page.index('id="term-mid"') < page.index('id="rec-M1"') < page.index('id="term-long"')


def test_plan_page_marks_leads(signed_in):
    page = signed_in.get("/plan").get_data(as_text=True)
    s4 = page[page.index('id="rec-S4"') : page.index('id="rec-S5"')]
    leads = re.findall(r'<span class="org lead">\s*<a [^>]*>([^<]+)</a>', s4)
    others = re.findall(r'<span class="org">\s*<a [^>]*>([^<]+)</a>', s4)
    assert sorted(leads) == ["ACHPR", "CoE", "IACHR", "ODIHR"]
    assert "UPR" in others and "AfHPR" in others
    assert "ACPHR" not in s4  # the annex's misspelling is never shown


def test_recommendation_page_shows_text_source_and_assignments(signed_in):
    seed = seeding.read_seed()
    task = next(t for t in seed["tasks"] if t["code"] == "S6")
    page = _text(signed_in.get("/plan/s6"))
    assert task["text"] in page
    assert task["source_ref"] in page
    rows = re.findall(r'<th scope="row"><a href="/organisations/([^"]+)">', page)
    assert sorted(r.replace("%20", " ") for r in rows) == sorted(
        r["org"] for r in task["responsible"]
    )
    assert "AfHPR" not in rows  # "all RHRMs except the AfHPR"


def test_organisation_pages(signed_in):
    listing = _text(signed_in.get("/organisations"))
    seed = seeding.read_seed()
    for org in seed["organisations"]:
        assert org["name"] in listing
    page = _text(signed_in.get("/organisations/HRTD"))
    assert "Human Rights Treaties Division" in page
    expected = [
        t["code"] for t in seed["tasks"] if any(r["org"] == "HRTD" for r in t["responsible"])
    ]
    shown = re.findall(r'<span class="code">([SML]\d+)</span>', page)
    assert shown == expected
    assert f"{len(expected)} recommendations" in page


def test_organisation_code_with_a_space(signed_in):
    page = _text(signed_in.get("/organisations/ECOWAS%20CJ"))
    assert "Court of Justice" in page


def test_unknown_codes_are_404(signed_in):
    assert signed_in.get("/plan/Z9").status_code == 404
    response = signed_in.get("/organisations/NOPE")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_pages_have_landmarks_and_a_skip_link(signed_in):
    page = signed_in.get("/plan").get_data(as_text=True)
    for marker in ('<main id="main"', "<header", "<nav", "<footer", 'class="skip-link"'):
        assert marker in page
    assert '<html lang="en-GB" dir="ltr">' in page


def test_static_assets_are_local_and_csp_forbids_others(signed_in):
    response = signed_in.get("/plan")
    page = response.get_data(as_text=True)
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert [link for link in links if "//" in link and "//localhost/" not in link] == []
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    css = signed_in.get("/static/css/app.css")
    assert css.status_code == 200
    assert b".skip-link" in css.data


def test_french_follows_the_browser_then_the_profile(client, users, act_as):
    """The real catalogue: before sign-in the browser's language; signed in, the profile's."""
    french_browser = {"Accept-Language": "fr-CH, fr;q=0.9"}
    page = _text(client.get("/auth/sign-in", headers=french_browser))
    assert '<html lang="fr-FR" dir="ltr">' in page
    assert "Aller au contenu" in page and "Mot de passe oublié\u202f?" in page

    share = factories.assignment("S1", "NIRMS")
    factories.progress_update(share, at=datetime(2012, 12, 14, 10, tzinfo=UTC))
    users.coordinator.language = "fr"
    db.session.commit()
    act_as(users.coordinator)
    page = _text(client.get("/plan/S1", headers={"Accept-Language": "en"}))
    assert '<html lang="fr-FR" dir="ltr">' in page
    assert "Aller au contenu" in page and "14\u00a0décembre 2012" in page
    assert "Skip to content" not in page

    act_as(users.observer)  # profile language: English, whatever the browser says
    english = _text(client.get("/plan/S1", headers=french_browser))
    assert '<html lang="en-GB" dir="ltr">' in english and "Skip to content" in english
    assert "14 December 2012" in english


def test_the_header_names_the_person_without_repeating_the_organisation(client, users, act_as, app):
    def account(person) -> str:  # type: ignore[no-untyped-def]
        act_as(person)
        page = _text(client.get("/plan"))
        block = page[page.index('<div class="account">') :]
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block[: block.index("<form")])).strip()

    users.coordinator.name = "Coordinator (OHCHR NIRMS)"
    db.session.commit()
    assert account(users.coordinator) == "Coordinator (OHCHR NIRMS)"
    assert account(users.focal_point) == f"{users.focal_point.name} Focal point · ACHPR"
    assert account(users.observer) == f"{users.observer.name} Observer"
