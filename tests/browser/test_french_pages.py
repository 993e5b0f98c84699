"""In a real browser: each role switches to French and walks its main pages; no English word
of the interface is left in what the page shows (the plan's own texts, names and codes, which
stay as entered until a French text exists, are taken out first)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.fixtures_reporting_browser import ARTEFACTS
from workplan.plan import seeding

pytestmark = pytest.mark.browser

# Words and phrases of the English interface that French pages must not show. Function words
# catch whole English sentences; the others are labels, buttons and states.
ENGLISH_WORDS = [
    "the", "and", "of", "to", "with", "for", "from", "this", "your", "You", "Your", "ago",
    "days", "weeks", "months", "since", "yes", "no", "None", "All", "Never", "Back", "Show",
    "Sign in", "Sign out", "Skip to content", "Work plan", "The plan", "My organisation",
    "Dashboard", "Directory", "Blocker", "Blockers", "Meeting", "Meetings", "Report",
    "Reports", "People", "Profile", "Audit trail", "History", "Outbox", "Status", "Progress",
    "Not started", "In progress", "Ongoing practice", "Completed", "On hold", "Short term",
    "Mid term", "Long term", "Lead", "Focal point", "Coordinator", "Observer", "Download",
    "Name", "Role", "Phone", "Password", "Filter", "Apply", "Save", "Edit", "Delete", "New",
    "Request", "Recommendation", "recommendation", "updated", "open", "resolved",
]  # fmt: skip
_ENGLISH = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH_WORDS)) + r")(?![\w-])")

COMMON = ["/plan", "/plan/S1", "/plan/S1/history", "/organisations", "/organisations/ACHPR"]
COMMON += ["/directory", "/blockers", "/dashboard", "/profile"]
PAGES = {
    "coordinator": [
        *COMMON,
        "/dashboard/matrix",
        "/audit",
        "/meetings",
        "/meetings/1",
        "/meetings/new",
        "/reports",
        "/outbox",
        "/people",
        "/people/invite",
        "/plan/S2/ACHPR",
    ],
    "focal_point": [*COMMON, "/my-organisation", "/plan/S2/ACHPR", "/auth/password"],
    "observer": COMMON,
}


def _plan_texts() -> list[str]:
    """What the pages show as entered, not as the interface writes it: the annex's texts,
    organisation names and codes, and the browser fixtures' people, meetings and reports."""
    seed = seeding.read_seed()
    texts = [seed["source"]["meeting"]]
    for org in seed["organisations"]:
        texts += [org["code"], org["name"], org.get("name_fr") or ""]
    for task in seed["tasks"]:
        texts += [task["code"], task["title"], task["text"], task.get("source_ref") or ""]
        texts.append(task.get("implementation") or "")
    texts += [
        "Fourth meeting of focal points",
        "Fifth meeting of focal points",
        "Geneva",
        "Banjul",
        "Amadou Diallo",
        "Contact list shared with the network.",
        "Focal point designated.",
        "No budget for travel this year.",
    ]
    return sorted({t for t in texts if t}, key=len, reverse=True)


PLAN_TEXTS = _plan_texts()
_DATA = re.compile(r"\S+@\S+|Person \d+|https?://\S+")


def english_left(text: str) -> list[str]:
    """The English interface words in ``text`` once the plan's own texts are taken out."""
    for entered in PLAN_TEXTS:
        text = text.replace(entered, " ")
    return sorted(set(_ENGLISH.findall(_DATA.sub(" ", text))))


def _walk(page: Any, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "fr-FR", path
        words = english_left(page.inner_text("body"))
        if words:
            found[path] = words
    return found


def _in_french(page: Any) -> None:
    """Press the header's switcher (for a signed-in person it sets the profile language)."""
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr-FR"


def _back_in_english(page: Any) -> None:
    # The browser tests share one database: leave the profile as the other tests expect it.
    page.goto("/profile")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en-GB"


def test_the_filter_of_plan_texts_leaves_interface_words():
    text = "Creation of an emailing list · ACHPR · Not started · Person 12 · 3 days ago"
    assert english_left(text) == ["Not started", "ago", "days"]
    assert english_left("Création d’une liste · Non commencé · il y a 3 jours") == []


@pytest.mark.parametrize("role", sorted(PAGES))
def test_each_role_reads_its_main_pages_in_french(open_page, role):
    page = open_page(role)
    _in_french(page)
    try:
        found = _walk(page, PAGES[role])
        if role == "coordinator":
            page.goto("/people")
            person = page.locator("table.people tbody a").first.get_attribute("href")
            found.update(_walk(page, [person]))
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.goto(PAGES[role][0])
        page.screenshot(path=str(ARTEFACTS / f"french-{role}.png"), full_page=True)
    finally:
        _back_in_english(page)
    assert found == {}, "English left on French pages: " + "; ".join(
        f"{path}: {', '.join(words)}" for path, words in found.items()
    )


def test_sign_in_pages_follow_a_french_browser(chromium, live_app):
    context = chromium.new_context(base_url=live_app.url, locale="fr-FR")
    try:
        page = context.new_page()
        found = _walk(page, ["/auth/sign-in", "/auth/forgot"])
        assert found == {}, found
        assert page.get_by_role("button", name="M’envoyer un lien de connexion").is_visible()
    finally:
        context.close()
