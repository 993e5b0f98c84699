"""Unusual input (ids beyond 64 bits, NUL characters, very long file names, dates at the
edge of the calendar) gets a 4xx answer with a message, never a 500, on every route."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests import factories
from tests.fixtures_reporting import PDF
from workplan.extensions import db
from workplan.models import Attachment, Blocker, Meeting, ProgressUpdate, ReportRun
from workplan.models.base import utcnow

HUGE = "99999999999999999999"  # above 2**63: no database integer holds it
NUL = "\x00"

# Every text field the application's forms have (plausible values), and the same with NULs.
FIELDS = (
    "email",
    "password",
    "new_password",
    "confirm",
    "narrative",
    "evidence_links",
    "description",
    "raise-description",
    "comment",
    "title",
    "place",
    "document_symbol",
    "kind",
    "format",
    "language",
    "status",
    "visibility",
    "next",
    "back",
)
FORM = {name: "x" for name in FIELDS} | {"version": HUGE, "meeting": HUGE, "organisation": HUGE}
FORM_WITH_NUL = {name: f"x{NUL}y" for name in FIELDS}


VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
TEXT_VALUES = {"code": "S4", "org_code": "ACHPR"}  # an existing share; anything else "x"


def _urls(app: Flask, int_value: str, suffix: str) -> list[tuple[str, str]]:
    """(method, path) for every rule of the application: ids set to ``int_value``, text
    variables to real values followed by ``suffix``."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = VARIABLE.sub(
            lambda m: (
                int_value if m.group(1) == "int" else TEXT_VALUES.get(m.group(2), "x") + suffix
            ),
            rule.rule,
        )
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, path))
    return found


@pytest.mark.parametrize("role", ["coordinator", "focal_point", "observer", None])
def test_no_route_answers_500_to_huge_ids_or_nul_characters(app, client, users, act_as, role):
    person = getattr(users, role) if role else None
    # Rows with id 1, so that the routes given id 1 reach their views.
    factories.blocker(factories.assignment("S4", "ACHPR"))
    db.session.add(Meeting(title="M", held_on=date(2026, 5, 1), cutoff_at=utcnow()))
    db.session.commit()
    failures = []
    cases = [
        (HUGE, "", "", FORM),
        (HUGE, NUL, "", FORM),
        ("1", "", f"?page={HUGE}&actor={HUGE}", FORM),
        ("1", "", "?term=%00&org=%00&since=%00", FORM_WITH_NUL),
    ]
    for int_value, suffix, query, form in cases:
        for method, path in _urls(app, int_value, suffix):
            act_as(person)
            try:
                if method == "GET":
                    response = client.get(path + query)
                else:
                    response = client.open(path + query, method=method, data=form)
            except Exception as error:  # testing apps propagate what would be a 500
                failures.append((method, path + query, type(error).__name__))
                continue
            if response.status_code >= 500:
                failures.append((method, path + query, response.status_code))
    assert failures == []


@pytest.mark.parametrize(
    "path",
    [
        f"/attachments/{HUGE}",
        f"/meetings/{HUGE}",
        f"/meetings/{HUGE}/edit",
        f"/reports/runs/{HUGE}.json",
        f"/reports/runs/{HUGE}/file",
    ],
)
def test_an_id_beyond_64_bits_is_not_found(client, users, act_as, path):
    act_as(users.coordinator)
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_acting_on_a_blocker_beyond_64_bits_is_not_found(client, users, act_as):
    act_as(users.coordinator)
    response = client.post(f"/blockers/{HUGE}", data={"blocker-0-action": "resolve"})
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", [f"page={HUGE}", f"actor={HUGE}", "page=-3", "actor=abc"])
def test_audit_ignores_numbers_it_cannot_use(client, users, act_as, query):
    act_as(users.coordinator)
    response = client.get(f"/audit?{query}")
    assert response.status_code == 200
    assert "Audit trail" in response.get_data(as_text=True)


def test_matrix_ignores_a_page_beyond_64_bits(client, users, act_as):
    act_as(users.coordinator)
    response = client.get(f"/dashboard/matrix?page={HUGE}")
    assert response.status_code == 200
    assert "S4" in response.get_data(as_text=True)


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/plan/S4/ACHPR/updates", {"status": "in_progress", "narrative": f"a{NUL}b"}),
        ("/plan/S4/ACHPR/blockers", {"raise-category": "resources", "raise-description": NUL}),
        ("/meetings/new", {"title": f"Meeting{NUL}", "held_on": "2026-05-01"}),
    ],
)
def test_a_nul_character_in_a_form_is_refused_and_nothing_is_written(
    client, users, act_as, share, path, data
):
    act_as(users.coordinator)
    response = client.post(path, data={"version": "1", "visibility": "network", **data})
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)
    assert (_count(ProgressUpdate), _count(Blocker), _count(Meeting)) == (0, 0, 0)


def test_a_nul_character_in_the_sign_in_email_is_refused(client, users):
    response = client.post("/auth/sign-in", data={"email": f"a{NUL}@x.org", "password": "x"})
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/plan/S4%00/ACHPR", "/plan/S4%00", "/organisations/AC%00", "/auth/link/ab%00"]
)
def test_a_nul_character_in_the_address_is_refused(client, users, act_as, path):
    act_as(users.focal_point)
    response = client.get(path)
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ["term", "region", "org", "status", "since", "stale"])
def test_a_nul_character_in_a_dashboard_filter_is_refused(client, users, act_as, name):
    act_as(users.coordinator)
    response = client.get(f"/dashboard?{name}=S%00")
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)


def test_a_very_long_file_name_is_shortened_keeping_its_extension(
    client, users, act_as, share, share_url
):
    act_as(users.focal_point)
    name = "r" * 300 + ".pdf"
    response = client.post(
        share_url + "/updates",
        data={
            "version": "1",
            "status": "in_progress",
            "visibility": "network",
            "attachments": [(io.BytesIO(PDF), name)],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    stored = db.session.scalars(select(Attachment)).one()
    assert len(stored.filename) <= 255 and stored.filename.endswith("r.pdf")
    assert len(stored.stored_name) <= 255 and stored.stored_name.endswith(".pdf")


@pytest.mark.parametrize("field", ["start", "end"])
def test_an_organisation_report_period_outside_the_calendar_is_a_form_error(
    client, users, act_as, field
):
    act_as(users.coordinator)
    data = {
        "kind": "organisation",
        "organisation": factories.organisation("ACHPR").id,
        "format": "csv",
        "language": "en",
        field: "0001-01-01",
    }
    response = client.post("/reports", data=data)
    assert response.status_code == 400
    assert "Give a date between" in response.get_data(as_text=True)
    assert _count(ReportRun) == 0
