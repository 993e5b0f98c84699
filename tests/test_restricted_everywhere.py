"""Restricted entries never leave the circle allowed to read them, on any output.

Restricted markers are planted on ACHPR's share of S4: the narrative, an evidence link and a
file name of a restricted update, the description of a restricted blocker and a comment on
it. Then every page and export the application serves (walked from its URL map, so a new
route is covered without editing this file) is fetched as each role, and every report kind
is produced in every format, for circulation and for internal use. The markers may appear
only to the coordinator and to ACHPR's focal points, and only in internal reports; positive
controls make sure the markers are found where they are allowed, so the test cannot pass by
finding nothing anywhere.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from pypdf import PdfReader

from tests import factories
from tests.fixtures_reporting import PDF
from workplan.extensions import db
from workplan.models import Meeting, ReportRun, RunStatus, Visibility
from workplan.models.base import utcnow
from workplan.reporting import services
from workplan.reporting.attachments import AcceptedFile
from workplan.reports import kinds
from workplan.reports.formats import FORMATS

MARKERS = {
    "narrative": "Qzrestrictednarrative",
    "link": "qzrestrictedlink",
    "file": "Qzrestrictedfile",
    "blocker": "Qzrestrictedblocker",
    "comment": "Qzrestrictedcomment",
}
ALLOWED = {"coordinator", "focal_point"}  # focal_point: ACHPR's, whose share it is
ROLES = ["anonymous", "observer", "other_focal_point", "admin", "focal_point", "coordinator"]


@dataclass
class Planted:
    meeting: Meeting
    restricted_file: int
    network_file: int
    blocker_id: int
    run_id: int


@pytest.fixture
def planted(users) -> Planted:  # type: ignore[no-untyped-def]
    share = factories.assignment("S4", "ACHPR")
    network = services.record_update(
        db.session,
        users.focal_point,
        share,
        services.UpdateInput(
            status="in_progress",
            progress=20,
            narrative="Network narrative everyone may read.",
            files=[AcceptedFile("network.pdf", "application/pdf", PDF, "0" * 64)],
        ),
        expected_version=share.version,
    )
    restricted = services.record_update(
        db.session,
        users.focal_point,
        share,
        services.UpdateInput(
            status="on_hold",
            progress=35,
            narrative=MARKERS["narrative"],
            evidence_links=[f"https://example.org/{MARKERS['link']}"],
            visibility=Visibility.RESTRICTED,
            files=[AcceptedFile(f"{MARKERS['file']}.pdf", "application/pdf", PDF, "1" * 64)],
        ),
        expected_version=share.version,
    )
    blocker = services.raise_blocker(
        db.session,
        users.focal_point,
        share,
        category="political",
        description=MARKERS["blocker"],
        visibility=Visibility.RESTRICTED,
    )
    services.act_on_blocker(
        db.session,
        users.coordinator,
        blocker,
        action="comment",
        comment=MARKERS["comment"],
        expected_version=blocker.version,
    )
    meeting = Meeting(
        title="Annual meeting",
        held_on=date.today() + timedelta(days=30),
        place="Geneva",
        cutoff_at=datetime.now(UTC) + timedelta(days=1),
        document_symbol="NIRMS/FP/TEST",
    )
    db.session.add(meeting)
    db.session.flush()
    run = ReportRun(
        kind="meeting",
        format="csv",
        meeting_id=meeting.id,
        status=RunStatus.QUEUED,
        created_at=utcnow(),
    )
    db.session.add(run)
    db.session.commit()
    return Planted(
        meeting, restricted.attachments[0].id, network.attachments[0].id, blocker.id, run.id
    )


def readable_text(data: bytes, mimetype: str) -> str:
    """The text a person would read in a response or file, whatever its format; spaces and
    line breaks removed, since documents wrap long words."""
    if mimetype.endswith("spreadsheetml.sheet") or mimetype.endswith("wordprocessingml.document"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = " ".join(
                archive.read(name).decode("utf-8")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
        text = re.sub(r"<[^>]+>", "", text)
    elif mimetype == "application/pdf" and data.startswith(b"%PDF") and b"startxref" in data:
        text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    else:
        text = data.decode("utf-8", errors="replace")
    return re.sub(r"\s+", "", text)


def found_markers(text: str) -> set[str]:
    return {name for name, marker in MARKERS.items() if marker in text}


def get_urls(app: Flask, planted: Planted) -> list[str]:
    """Every GET route of the application, with its arguments filled from the planted data."""
    values = {
        "code": "S4",
        "org_code": "ACHPR",
        "attachment_id": str(planted.restricted_file),
        "meeting_id": str(planted.meeting.id),
        "run_id": str(planted.run_id),
        "blocker_id": str(planted.blocker_id),
        "token": "not-a-token",
        "user_id": "1",
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)
        urls.append(url)
    # The same pages again with the filters people use, and the other organisation's pages.
    urls += [
        "/organisations/ACHPR",
        "/dashboard?org=ACHPR",
        "/dashboard/matrix?org=ACHPR",
        "/dashboard/export.csv?org=ACHPR",
        "/dashboard/export.xlsx?org=ACHPR",
        f"/attachments/{planted.network_file}",
    ]
    return sorted(set(urls))


@pytest.mark.parametrize("role", ROLES)
def test_no_page_or_export_shows_restricted_entries_to_others(
    app, client, users, act_as, planted, role
):
    act_as(None if role == "anonymous" else getattr(users, role))
    seen: dict[str, set[str]] = {}
    for url in get_urls(app, planted):
        response = client.get(url)
        assert response.status_code < 500, url
        text = readable_text(response.get_data(), response.mimetype)
        # A download's name is shown to the person too.
        text += response.headers.get("Content-Disposition", "")
        markers = found_markers(text)
        if markers:
            seen[url] = markers
    if role in ALLOWED:
        # Positive control: the markers are really on the pages they belong to.
        everything = set().union(*seen.values()) if seen else set()
        assert everything == set(MARKERS), (role, seen)
    else:
        assert seen == {}, f"{role} sees restricted entries: {seen}"


@pytest.mark.parametrize("role", ["observer", "other_focal_point", "admin", "anonymous"])
def test_a_restricted_file_is_not_served_to_others(client, users, act_as, planted, role):
    act_as(None if role == "anonymous" else getattr(users, role))
    response = client.get(f"/attachments/{planted.restricted_file}")
    assert response.status_code in (302, 404)
    assert response.get_data() != PDF


def _report(kind: str, planted: Planted, internal: bool) -> object:
    if kind == "meeting":
        return kinds.meeting_report(db.session, planted.meeting, language="en", internal=internal)
    if kind == "organisation":
        end = utcnow() + timedelta(minutes=1)
        return kinds.organisation_report(
            db.session,
            factories.organisation("ACHPR"),
            end - timedelta(days=30),
            end,
            language="en",
            internal=internal,
        )
    return kinds.blockers_report(
        db.session, utcnow() + timedelta(minutes=1), language="en", internal=internal
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("kind", ["meeting", "organisation", "blockers"])
def test_circulated_reports_leave_restricted_entries_out(app, planted, kind, fmt):
    render = FORMATS[fmt].render
    circulated = found_markers(
        readable_text(render(_report(kind, planted, internal=False)), FORMATS[fmt].mimetype)
    )
    internal = found_markers(
        readable_text(render(_report(kind, planted, internal=True)), FORMATS[fmt].mimetype)
    )
    assert circulated == set()
    # Positive control: the internal version carries what is restricted (the blocker in
    # every document; the CSV of a meeting or an organisation, one row per share, has the
    # narrative instead).
    expected = "narrative" if fmt == "csv" and kind != "blockers" else "blocker"
    assert expected in internal, (kind, fmt, internal)
