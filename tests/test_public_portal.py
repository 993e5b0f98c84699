"""The public page and its open data: off by default, anonymous when on, never a restricted
entry, an unpublished narrative or a person's name, cacheable, and a flat statement count."""

from __future__ import annotations

import csv
import io
import json

import pytest
from flask import g
from markupsafe import escape
from sqlalchemy import select

from bench.datagen import generate
from tests import factories
from tests.conftest import _empty_tables
from tests.fixtures_reporting import post_update
from tests.test_dashboard_queries import counting
from workplan.extensions import db
from workplan.models import ProgressUpdate, Role, Visibility
from workplan.models.base import utcnow
from workplan.public.opendata import CSV_HEADER

PATHS = ["/public", "/public/plan.json", "/public/plan.csv"]


@pytest.fixture
def portal(app):  # type: ignore[no-untyped-def]
    app.config["PUBLIC_PORTAL"] = True
    app.config["PUBLIC_LICENCE"] = "Licence line LIC-7731"
    return app


def _text(client, path: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_portal_is_off_by_default(seeded, client):
    for path in PATHS:
        assert client.get(path).status_code == 404


def test_portal_serves_anonymous_visitors_when_on(seeded, portal, client):
    page = _text(client, "/public")
    assert "S4" in page and "Progress of the work plan" in page
    assert "Licence line LIC-7731" in page
    for path in PATHS:
        response = client.get(path)
        assert response.headers["Cache-Control"] == "public, max-age=300", path
        assert response.headers["ETag"] and response.headers["Last-Modified"], path
        # Nothing personal: a shared cache may keep it.
        assert "Set-Cookie" not in response.headers, path


def test_the_report_form_offers_publishing_only_when_the_portal_is_on(users, app, client, act_as):
    box = "Publish this narrative on the public page"
    act_as(users.focal_point)
    assert box not in _text(client, "/plan/S4/ACHPR")
    app.config["PUBLIC_PORTAL"] = True
    assert box in _text(client, "/plan/S4/ACHPR")


def _marked_public(share, author, narrative: str, visibility: str) -> ProgressUpdate:  # type: ignore[no-untyped-def]
    """A report written straight to the table with the public mark (history is append-only:
    the mark cannot be added afterwards)."""
    update = ProgressUpdate(
        assignment=share,
        author=author,
        created_at=utcnow(),
        status="in_progress",
        narrative=narrative,
        visibility=visibility,
        public=True,
    )
    db.session.add(update)
    share.status, share.last_update_at = "in_progress", update.created_at
    db.session.commit()
    return update


def test_planted_markers_never_reach_the_public(users, portal, client, act_as):
    author = factories.user(
        Role.FOCAL_POINT, "CoE", name="Planted Person Zyxwv", email="planted.zyxwv@example.org"
    )
    restricted = factories.assignment("S4", "ACHPR")
    factories.progress_update(
        restricted, author, narrative="RESTRICTED-MARKER-1", visibility=Visibility.RESTRICTED
    )
    unpublished = factories.assignment("S4", "CoE")
    factories.progress_update(unpublished, author, narrative="UNPUBLISHED-MARKER-2")
    # Published through the report form's box, by ACHPR's focal point.
    act_as(users.focal_point)
    response = post_update(client, "/plan/S2/ACHPR", narrative="PUBLISHED-MARKER-3", public="y")
    assert response.status_code == 302
    # The same box on a restricted report publishes nothing: the service refuses the mark...
    response = post_update(
        client, "/plan/S3/ACHPR", narrative="RESTRICTED-PUBLIC-MARKER-4", public="y",
        visibility="restricted",
    )  # fmt: skip
    assert response.status_code == 302
    act_as(None)
    assert db.session.scalars(
        select(ProgressUpdate.public).where(ProgressUpdate.narrative.like("%MARKER-4"))
    ).all() == [False]
    # ...and the portal would not show it even if the mark were there (fail closed).
    _marked_public(
        factories.assignment("S2", "CoE"), author, "RESTRICTED-PUBLIC-MARKER-6", "restricted"
    )
    factories.blocker(restricted, author, description="BLOCKER-MARKER-5")
    for path in [*PATHS, "/public?lang=fr", "/public/plan.json?lang=fr"]:
        text = _text(client, path)
        for marker in (
            "RESTRICTED-MARKER-1",
            "UNPUBLISHED-MARKER-2",
            "RESTRICTED-PUBLIC-MARKER-4",
            "RESTRICTED-PUBLIC-MARKER-6",
            "BLOCKER-MARKER-5",
            "Planted Person Zyxwv",
            "planted.zyxwv@example.org",
            "achpr@example.org",
            users.focal_point.name,
        ):
            assert marker not in text, (path, marker)
        assert "PUBLISHED-MARKER-3" in text, path
    # The restricted report's status is not shown either: ACHPR's S4 share reads "not started".
    data = json.loads(_text(client, "/public/plan.json"))
    s4 = next(r for r in data["recommendations"] if r["code"] == "S4")
    achpr = next(s for s in s4["shares"] if s["organisation"] == "ACHPR")
    assert achpr["status"] == "not_started" and achpr["reported_on"] is None


def _narrative(client, code: str, org: str) -> str:  # type: ignore[no-untyped-def]
    data = json.loads(_text(client, "/public/plan.json"))
    recommendation = next(r for r in data["recommendations"] if r["code"] == code)
    return next(s for s in recommendation["shares"] if s["organisation"] == org)["narrative"]


def test_newest_narrative_decides_whether_one_is_published(users, portal, client, act_as):
    act_as(users.focal_point)
    post_update(client, "/plan/S4/ACHPR", narrative="Published text PUB-1", public="y")
    act_as(None)
    assert _narrative(client, "S4", "ACHPR") == "Published text PUB-1"
    # "No change" keeps it published...
    act_as(users.focal_point)
    response = client.post("/plan/S4/ACHPR/confirm", data={"confirm-version": "2"})
    assert response.status_code == 302
    act_as(None)
    confirmations = select(ProgressUpdate.id).where(ProgressUpdate.is_confirmation.is_(True))
    assert len(db.session.scalars(confirmations).all()) == 1
    assert _narrative(client, "S4", "ACHPR") == "Published text PUB-1"
    # ...a newer narrative not marked public withdraws it.
    act_as(users.focal_point)
    post_update(client, "/plan/S4/ACHPR", narrative="Internal text INT-2", version="3")
    act_as(None)
    assert _narrative(client, "S4", "ACHPR") == ""


def test_json_shape_and_french_names(seeded, portal, client):
    share = factories.assignment("S4", "CoE")
    factories.progress_update(share, status="ongoing", progress=None)
    data = json.loads(_text(client, "/public/plan.json"))
    assert set(data) == {"language", "last_change", "licence", "recommendations"}
    assert data["licence"] == "Licence line LIC-7731"
    assert data["last_change"] == share.last_update_at.date().isoformat()
    s4 = next(r for r in data["recommendations"] if r["code"] == "S4")
    assert set(s4) == {
        "code", "term", "title", "text", "target_date", "status", "progress", "shares",
    }  # fmt: skip
    coe = next(s for s in s4["shares"] if s["organisation"] == "CoE")
    assert set(coe) == {
        "organisation", "organisation_name", "lead", "status", "progress", "reported_on",
        "narrative",
    }  # fmt: skip
    assert coe["status"] == "ongoing" and coe["narrative"] == ""
    org = factories.organisation("CoE")
    assert coe["organisation_name"] == org.name
    french = json.loads(_text(client, "/public/plan.json?lang=fr"))
    s4_fr = next(r for r in french["recommendations"] if r["code"] == "S4")
    coe_fr = next(s for s in s4_fr["shares"] if s["organisation"] == "CoE")
    assert org.name_fr and coe_fr["organisation_name"] == org.name_fr
    page = _text(client, "/public?lang=fr")
    assert str(escape(org.name_fr)) in page and 'lang="fr' in page


def test_csv_header_and_rows(seeded, portal, client):
    text = _text(client, "/public/plan.csv").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_HEADER
    body = rows[1:]
    assert any(r[0] == "S4" and r[6] == "CoE" for r in body)
    assert {r[-1] for r in body} == {"Licence line LIC-7731"}


def test_repeated_request_with_the_etag_is_answered_304(seeded, portal, client):
    for path in PATHS:
        first = client.get(path)
        etag = first.headers["ETag"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path
        assert again.get_data() == b""
    # A new public report changes the ETag: the old one is then answered in full.
    before = client.get("/public/plan.json").headers["ETag"]
    factories.progress_update(factories.assignment("S4", "CoE"), narrative="x")
    after = client.get("/public/plan.json", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before


def test_statement_count_is_constant_as_the_plan_grows(app, portal, client):
    counts = []
    for scale in (1, 3):
        _empty_tables()
        generate(db.session, scale=scale, years=1)
        db.session.commit()
        db.session.expunge_all()
        measured = {}
        for path in PATHS:
            g.pop("_login_user", None)
            with counting() as statements:
                response = client.get(path)
            assert response.status_code == 200, path
            measured[path] = len(statements)
        counts.append(measured)
    assert counts[0] == counts[1]
    # The recommendations, then the shares with their newest network report.
    assert max(counts[0].values()) <= 2, counts[0]


def test_signed_in_visitors_are_not_cached_publicly(users, portal, client, act_as):
    act_as(users.focal_point)
    response = client.get("/public")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert users.focal_point.name in response.get_data(as_text=True)  # hence not shared
