"""Browser fixtures: the app served from a thread on a SQLite file, and one headless Chromium
for the whole session (Debian's ``/usr/bin/chromium`` driven by Playwright for Python)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests import factories
from tests.fixtures_mail import Mailbox, smtp_server
from tests.services import served, unavailable
from workplan import create_app
from workplan.extensions import db
from workplan.models import Meeting, Status
from workplan.models.base import utcnow
from workplan.plan import seeding

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTEFACTS = Path(__file__).resolve().parent / "artefacts"


@dataclass(frozen=True)
class LiveApp:
    url: str
    people: dict[str, str]  # role -> e-mail
    upload_folder: Path
    mailbox: Mailbox  # what the app sent through its SMTP server


def _populate() -> dict[str, str]:
    seeding.load_seed(db.session, seeding.read_seed())
    db.session.commit()
    people = factories.people()
    now = utcnow()
    db.session.add_all(
        [
            Meeting(
                title="Fourth meeting of focal points",
                held_on=(now - timedelta(days=20)).date(),
                place="Geneva",
                cutoff_at=now - timedelta(days=35),
            ),
            Meeting(
                title="Fifth meeting of focal points",
                held_on=(now + timedelta(days=60)).date(),
                place="Banjul",
                cutoff_at=now + timedelta(days=45),
            ),
        ]
    )
    db.session.commit()
    colleague = factories.user("focal_point", "ACHPR", name="Amadou Diallo")
    factories.progress_update(
        factories.assignment("S2", "ACHPR"),
        colleague,
        status=Status.IN_PROGRESS,
        progress=40,
        narrative="Contact list shared with the network.",
        at=now - timedelta(days=10),
    )
    factories.progress_update(
        factories.assignment("S3", "ACHPR"),
        colleague,
        status=Status.ONGOING,
        narrative="Focal point designated.",
        at=now - timedelta(days=80),
    )
    return {
        "focal_point": people.focal_point.email,
        "coordinator": people.coordinator.email,
        "observer": people.observer.email,
    }


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The application on a SQLite file, served on a free port of 127.0.0.1, sending its
    mail through a real SMTP server on 127.0.0.1."""
    instance = tmp_path_factory.mktemp("browser-instance")
    with smtp_server() as (mailbox, port):
        yield from _serve(instance, mailbox, port)


def _serve(instance: Path, mailbox: Mailbox, smtp_port: int) -> Iterator[LiveApp]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret-key",
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(instance / "browser.sqlite3"),
            "UPLOAD_FOLDER": str(instance / "uploads"),
            "REPORTS_FOLDER": str(instance / "reports"),
            "REDIS_URL": None,
            "WTF_CSRF_ENABLED": True,
            # Every browser test signs people in afresh: more than the limit a minute allows
            # one person (tests/test_auth_rate_limit.py tests the limit itself).
            "SIGN_IN_RATE_LIMIT": "1000 per minute",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_port,
        }
    )
    with app.app_context():
        db.create_all()
        people = _populate()
        db.session.remove()
    with served(app) as base:
        yield LiveApp(base, people, instance / "uploads", mailbox)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def open_page(chromium, live_app):  # type: ignore[no-untyped-def]
    """``open_page(role)``: a new browser context signed in as that person (None: nobody)."""
    contexts = []

    def do(role: str | None = None):  # type: ignore[no-untyped-def]
        context = chromium.new_context(
            base_url=live_app.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if role is not None:
            sign_in(page, live_app.people[role])
        return page

    yield do
    for context in contexts:
        context.close()


def serious_accessibility_problems(page: Any, paths: list[str]) -> list[str]:
    """axe-core's serious and critical violations on each page, as readable lines."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        unavailable("axe-playwright-python is not installed (pip install -e '.[test]')")
    axe = Axe()
    problems = []
    for path in paths:
        page.goto(path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"]][:3]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    return problems


def sign_in(page: Any, email: str) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    # Say so here when signing in failed (a wrong password, the rate limit), not three steps on.
    assert "/auth/sign-in" not in page.url, page.inner_text("main")[:300]
