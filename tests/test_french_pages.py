"""The working pages in French: a person whose profile says French reads the plan, the
reporting pages, the dashboard, the meetings and the audit trail in French, with French
plurals, days (« 1er »), percentages and punctuation (narrow no-break spaces), organisation
names and meeting titles in French where they have one. English stays the default."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from tests import factories
from workplan.extensions import db
from workplan.i18n import NBSP, NNBSP
from workplan.models import Meeting, Status

MEETING_FORM = {
    "title": "Sixth annual meeting of focal points",
    "title_fr": "Sixième réunion annuelle des coordonnateurs",
    "held_on": "2027-12-14",
    "place": "Geneva",
    "place_fr": "Genève",
    "cutoff_date": "2027-11-01",
    "cutoff_time": "12:00",
    "document_symbol": "NIRMS/FP/2027/1",
}


def _speak(person, language: str) -> None:  # type: ignore[no-untyped-def]
    person.language = language
    db.session.commit()


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return html.unescape(response.get_data(as_text=True))


def _words(page: str) -> str:
    """The visible text, one space between words (no-break spaces kept as they are)."""
    text = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"[ \t\r\n]+", " ", text)


def test_the_plan_pages_are_in_french_for_a_french_profile(client, act_as, users):
    _speak(users.focal_point, "fr")
    act_as(users.focal_point)
    plan = _words(_page(client, "/plan"))
    assert "Le plan de travail" in plan and "The work plan" not in plan
    organisations = _words(_page(client, "/organisations"))
    # The French name, with the typographic apostrophe.
    assert "Commission africaine des droits de l’homme et des peuples" in organisations
    assert "African Commission on Human and Peoples" not in organisations
    achpr = _words(_page(client, "/organisations/ACHPR"))
    assert "Coordonnateurs" in achpr and "Focal points" not in achpr


def test_counts_take_the_plural_of_each_language(client, act_as, users):
    share = factories.assignment("S4", "ACHPR")
    act_as(users.focal_point)
    seen = {}
    for count in (0, 1, 2):
        if count:
            factories.blocker(share, users.focal_point, description=f"Obstacle {count}")
        for language in ("en", "fr"):
            _speak(users.focal_point, language)
            seen[language, count] = _words(_page(client, "/my-organisation"))
    assert "0 open blockers" in seen["en", 0]
    assert "1 open blocker " in seen["en", 1] and "1 open blockers" not in seen["en", 1]
    assert "2 open blockers" in seen["en", 2]
    # French: 0 and 1 are singular.
    assert "0 obstacle ouvert " in seen["fr", 0]
    assert "1 obstacle ouvert " in seen["fr", 1]
    assert "2 obstacles ouverts" in seen["fr", 2]


def test_the_dashboard_in_french(client, act_as, users):
    share = factories.assignment("S4", "ACHPR")
    factories.progress_update(share, users.focal_point, Status.IN_PROGRESS, progress=40)
    _speak(users.coordinator, "fr")
    act_as(users.coordinator)
    page = _words(_page(client, "/dashboard"))
    assert "Tableau de bord" in page and "Avancement par échéance" in page
    assert "26 recommandations" in page and "276 parts" in page
    # The overall progress is a Babel percentage, with its narrow no-break space.
    assert re.search(rf"avancement global{NNBSP}: \d+{NNBSP}%", page), page[:2000]
    assert "Dashboard" not in page and "overall progress" not in page
    csv = client.get("/dashboard/export.csv").get_data(as_text=True)
    assert csv.splitlines()[0].lstrip("\ufeff").startswith("Échéance,Recommandation,Titre")


def test_a_share_page_in_french_shows_percentages_and_dates_the_french_way(client, act_as, users):
    share = factories.assignment("S4", "ACHPR")
    factories.progress_update(share, users.focal_point, Status.IN_PROGRESS, progress=40)
    act_as(users.focal_point)
    english = _words(_page(client, "/plan/S4/ACHPR"))
    assert "40%" in english and "Current state" in english
    _speak(users.focal_point, "fr")
    french = _words(_page(client, "/plan/S4/ACHPR"))
    assert f"40{NNBSP}%" in french and "40%" not in french
    assert "Situation actuelle" in french and "Signaler un obstacle" in french
    assert f"{NNBSP}: part de l’organisation ACHPR" in french


def test_the_meeting_form_keeps_the_french_title_and_place(client, act_as, users):
    act_as(users.coordinator)
    form_page = _page(client, "/meetings/new")
    assert 'name="title_fr"' in form_page and 'name="place_fr"' in form_page
    response = client.post("/meetings/new", data=MEETING_FORM)
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert (meeting.title_fr, meeting.place_fr) == (MEETING_FORM["title_fr"], "Genève")

    english = _words(_page(client, f"/meetings/{meeting.id}"))
    assert MEETING_FORM["title"] in english and "Geneva" in english
    assert MEETING_FORM["title_fr"] not in english
    assert f"1{NBSP}November 2027" in english

    _speak(users.coordinator, "fr")
    french = _words(_page(client, f"/meetings/{meeting.id}"))
    assert MEETING_FORM["title_fr"] in french and "Genève" in french
    assert MEETING_FORM["title"] not in french
    # The first of the month is an ordinal in French.
    assert f"1er{NBSP}novembre 2027" in french and f"14{NBSP}décembre 2027" in french
    listing = _words(_page(client, "/meetings"))
    assert MEETING_FORM["title_fr"] in listing and "Genève" in listing
    calendar = client.get(f"/meetings/{meeting.id}.ics").get_data(as_text=True)
    assert "SUMMARY:Sixième réunion annuelle des coordonnateurs" in calendar
    assert "LOCATION:Genève" in calendar


def test_a_meeting_without_a_french_title_shows_the_english_one_in_french(client, act_as, users):
    act_as(users.coordinator)
    data = {**MEETING_FORM, "title_fr": "", "place_fr": ""}
    assert client.post("/meetings/new", data=data).status_code == 302
    meeting = db.session.scalar(select(Meeting))
    _speak(users.coordinator, "fr")
    french = _words(_page(client, f"/meetings/{meeting.id}"))
    assert MEETING_FORM["title"] in french and "Geneva" in french


def test_a_refused_meeting_form_keeps_the_french_fields(client, act_as, users):
    _speak(users.coordinator, "fr")
    act_as(users.coordinator)
    response = client.post("/meetings/new", data={**MEETING_FORM, "cutoff_date": "2027-12-20"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "ne peut pas être postérieure à la réunion" in page
    assert f'value="{MEETING_FORM["title_fr"]}"' in page and 'value="Genève"' in page
    assert db.session.scalar(select(Meeting)) is None


def test_the_meeting_conflict_page_keeps_the_french_fields(client, act_as, history, users):
    act_as(users.coordinator)
    meeting = history.meeting
    form = {
        **MEETING_FORM,
        "version": meeting.version,
        "held_on": "2026-09-20",
        "cutoff_date": "2026-09-01",
        "title_fr": "Ma version",
    }
    theirs = {**form, "title_fr": "Leur version", "place_fr": "Banjul (FR)"}
    assert client.post(f"/meetings/{meeting.id}/edit", data=theirs).status_code == 302
    _speak(users.coordinator, "fr")
    response = client.post(f"/meetings/{meeting.id}/edit", data=form)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "Quelqu’un d’autre a enregistré cette réunion" in page
    # What is saved, in French, and what was typed, kept in the form.
    assert f"«{NNBSP}Leur version{NNBSP}»" in page and "Banjul (FR)" in page
    assert 'value="Ma version"' in page
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title_fr == "Leur version"


def test_the_audit_trail_in_french(client, act_as, users):
    act_as(users.coordinator)
    assert client.post("/meetings/new", data=MEETING_FORM).status_code == 302
    _speak(users.coordinator, "fr")
    page = _words(_page(client, "/audit"))
    assert "Journal des modifications" in page and "Réunion créée" in page
    assert f"Titre (en français){NNBSP}:" in page
    assert f"Tenue le{NNBSP}: 14{NBSP}décembre 2027" in page
    assert re.search(r"1 entrée\b", page)


HEADINGS = {
    "/dashboard": ("Dashboard", "Tableau de bord"),
    "/meetings": ("Meetings of focal points", "Réunions des coordonnateurs"),
    "/reports": ("Reports", "Rapports"),
    "/audit": ("Audit trail", "Journal des modifications"),
    "/blockers": ("Open blockers (0)", "Obstacles ouverts (0)"),
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_coordinators_pages_are_headed_in_the_profiles_language(
    client, act_as, users, language
):
    _speak(users.coordinator, language)
    act_as(users.coordinator)
    for url, (english, french) in HEADINGS.items():
        heading = re.search(r"<h1>(.*?)</h1>", _page(client, url), re.S).group(1)
        assert " ".join(heading.split()) == (french if language == "fr" else english), url
