"""Timelines say who changed what and when; the audit trail records every write, read-only."""

from __future__ import annotations

import html
from datetime import timedelta

from tests import factories
from workplan.audit import record_audit
from workplan.extensions import db
from workplan.models import Status
from workplan.models.base import utcnow


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_recommendation_timeline_shows_every_organisation_newest_first(client, users, act_as):
    now = utcnow()
    achpr = factories.assignment("S4", "ACHPR")
    coe = factories.assignment("S4", "CoE")
    factories.progress_update(
        achpr,
        users.focal_point,
        status=Status.IN_PROGRESS,
        progress=20,
        narrative="Started the survey.",
        at=now - timedelta(days=10),
    )
    factories.progress_update(
        coe,
        users.other_focal_point,
        status=Status.COMPLETED,
        narrative="Published.",
        at=now - timedelta(days=5),
    )
    factories.progress_update(
        achpr,
        users.focal_point,
        status=Status.IN_PROGRESS,
        progress=60,
        narrative="Survey half done.",
        at=now - timedelta(days=1),
    )
    act_as(users.observer)
    page = _text(client.get("/plan/S4/history"))
    order = [page.index(t) for t in ("Survey half done.", "Published.", "Started the survey.")]
    assert order == sorted(order)
    assert "progress: 20% → <strong>60%</strong>" in page
    assert "Not started → <strong>Completed</strong>" in page
    assert users.focal_point.name in page and users.other_focal_point.name in page


def test_audit_trail_is_for_the_coordinator_and_filters(client, users, act_as):
    for n in range(60):
        record_audit(
            db.session,
            users.focal_point,
            "update.record",
            factories.assignment("S4", "ACHPR"),
            {"status": "not_started"},
            {"status": f"in_progress-{n}"},
        )
    record_audit(
        db.session,
        users.coordinator,
        "blocker.resolve",
        factories.assignment("S5", "ACHPR"),
        None,
        {"status": "resolved"},
    )
    db.session.commit()
    for person in (users.focal_point, users.observer, users.other_focal_point):
        act_as(person)
        assert client.get("/audit").status_code == 403
    act_as(users.coordinator)
    page = _text(client.get("/audit"))
    assert "61 entries" in page and "Page 1 of 2" in page
    assert "Blocker resolved" in page and "Not started → <strong>in_progress-59</strong>" in page
    assert "in_progress-0<" not in page
    second = _text(client.get("/audit?page=2"))
    assert "in_progress-0<" in second
    only_coordinator = _text(client.get(f"/audit?actor={users.coordinator.id}"))
    assert (
        "1 entry" in only_coordinator
        and "Progress reported" not in only_coordinator.split("<table")[1]
    )


def test_audit_trail_has_no_route_that_changes_it(app):
    audit_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("history.")]
    for rule in audit_rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
