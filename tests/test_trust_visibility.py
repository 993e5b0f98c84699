"""Restricted reports stay restricted: a "No change" confirmation never publishes them, and
every reader treats any visibility but "network" as private (fail closed)."""

from __future__ import annotations

import csv
import html
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import literal, select

from tests import factories
from tests.fixtures_reporting import post_update
from workplan.extensions import db
from workplan.models import Meeting, ProgressUpdate, Visibility
from workplan.permissions import can
from workplan.reporting import services
from workplan.reports import kinds
from workplan.reports.formats import FORMATS
from workplan.state.visibility import visible_clause

SECRET_PROGRESS = "88"


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def _csv_row(client, code: str, org: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    response = client.get("/dashboard/export.csv")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig")))
    return next(r for r in rows if code in r.values() and org in r.values())


@pytest.fixture
def confirmed_restricted(client, users, act_as):  # type: ignore[no-untyped-def]
    """CoE reports S2 as restricted (in progress, 88 %), then presses *No change*."""
    act_as(users.other_focal_point)
    response = post_update(
        client,
        "/plan/S2/CoE",
        progress=SECRET_PROGRESS,
        narrative="Internal consultations only.",
        visibility="restricted",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    version = factories.assignment("S2", "CoE").version
    response = client.post("/plan/S2/CoE/confirm", data={"confirm-version": str(version)})
    assert response.status_code == 302
    return factories.assignment("S2", "CoE")


def test_no_change_on_a_restricted_report_is_itself_restricted(confirmed_restricted):
    entries = db.session.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.assignment_id == confirmed_restricted.id)
        .order_by(ProgressUpdate.id)
    ).all()
    assert [(e.is_confirmation, e.visibility) for e in entries] == [
        (False, Visibility.RESTRICTED),
        (True, Visibility.RESTRICTED),
    ]


@pytest.mark.parametrize("viewer", ["observer", "focal_point"])
def test_no_change_does_not_show_restricted_progress_to_others(
    client, users, act_as, confirmed_restricted, viewer
):
    act_as(getattr(users, viewer))
    page = _page(client, "/plan/S2/CoE")
    assert f"{SECRET_PROGRESS} %" not in page and f"{SECRET_PROGRESS}%" not in page
    assert "Internal consultations only." not in page
    row = _csv_row(client, "S2", "CoE")
    assert SECRET_PROGRESS not in row.values()


def test_the_coordinator_and_the_organisation_still_see_the_confirmed_state(
    client, users, act_as, confirmed_restricted
):
    for person in (users.coordinator, users.other_focal_point):
        act_as(person)
        assert SECRET_PROGRESS in _page(client, "/plan/S2/CoE")


def test_no_change_stays_out_of_the_circulation_meeting_report(app, users, confirmed_restricted):
    meeting = Meeting(
        title="Annual meeting",
        held_on=date.today() + timedelta(days=30),
        place="Geneva",
        cutoff_at=datetime.now(UTC) + timedelta(days=1),
    )
    db.session.add(meeting)
    db.session.commit()

    def share_line(internal: bool) -> str:
        report = kinds.meeting_report(db.session, meeting, language="en", internal=internal)
        text = FORMATS["csv"].render(report).decode("utf-8-sig")
        return next(line for line in text.splitlines() if "S2" in line and "CoE" in line)

    assert SECRET_PROGRESS in share_line(internal=True)
    assert SECRET_PROGRESS not in share_line(internal=False)


def test_confirming_a_network_report_stays_network(app, users):
    share = factories.assignment("S4", "ACHPR")
    factories.progress_update(share, users.focal_point, progress=40)
    entry = services.confirm_no_change(db.session, users.focal_point, share, share.version)
    db.session.commit()
    assert (entry.visibility, entry.progress) == (Visibility.NETWORK, 40)


@pytest.mark.parametrize("value", ["Restricted", "private", "", "network "])
def test_a_visibility_other_than_network_is_private_everywhere(app, users, value):
    """Rows written before validation existed (or by hand) fail closed."""
    share = factories.assignment("S4", "ACHPR")
    entry = ProgressUpdate(assignment=share, status="in_progress", progress=61)
    entry.visibility = value
    # The permission function and the SQL clause agree without touching the database.
    assert not can(users.observer, "view_entry", entry)
    assert not can(users.other_focal_point, "view_entry", entry)
    assert can(users.focal_point, "view_entry", entry)
    assert can(users.coordinator, "view_entry", entry)


@pytest.mark.parametrize("value", ["network", "restricted", "Restricted", "private", ""])
def test_the_sql_visibility_clause_fails_closed(app, users, value):
    """The SQL form of ``view_entry`` shows others only the exact value "network", evaluated
    by the database itself (the CHECK constraint keeps other values out of real rows)."""
    org_id = factories.organisation("CoE").id
    for viewer in (users.observer, users.focal_point):
        clause = visible_clause(literal(value), literal(org_id), viewer)
        assert bool(db.session.scalar(select(clause))) is (value == "network")
    own = visible_clause(literal(value), literal(org_id), users.other_focal_point)
    assert db.session.scalar(select(own))


@pytest.mark.parametrize(
    "field, value",
    [("visibility", "public"), ("status", "done"), ("progress", 140)],
)
def test_services_refuse_values_outside_the_model(app, users, field, value):
    share = factories.assignment("S4", "ACHPR")
    data = services.UpdateInput(status="in_progress", progress=10)
    setattr(data, field, value)
    with pytest.raises(services.InvalidInput):
        services.record_update(db.session, users.focal_point, share, data, share.version)
    db.session.rollback()
    assert db.session.scalars(select(ProgressUpdate)).all() == []


def test_blocker_service_refuses_unknown_category_and_visibility(app, users):
    share = factories.assignment("S4", "ACHPR")
    for values in ({"category": "weather"}, {"category": "resources", "visibility": "public"}):
        with pytest.raises(services.InvalidInput):
            services.raise_blocker(db.session, users.focal_point, share, description="x", **values)
    db.session.rollback()


def test_completed_means_one_hundred_percent(client, users, act_as):
    act_as(users.focal_point)
    data = {"status": "completed", "progress": "40", "narrative": "Typed narrative kept."}
    refused = post_update(client, "/plan/S4/ACHPR", **data)
    assert refused.status_code == 422
    page = html.unescape(refused.get_data(as_text=True))
    assert "A completed share is at 100 %" in page and "Typed narrative kept." in page
    data["progress"] = ""
    saved = post_update(client, "/plan/S4/ACHPR", **data)
    assert saved.status_code == 302
    assert factories.assignment("S4", "ACHPR").progress == 100
