"""What issue 15 calls done, as a script using only the API would do it: list the plan, post
an update for its own organisation and be refused for another's, raise a blocker and have it
resolved, create a meeting, and request and download the meeting's report (produced by the
in-process queue, as the web does without Redis)."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from tests.fixtures_reports import finish_jobs
from workplan.models.base import utcnow

NARRATIVE = "Qzapiflow calendar submitted to the UPR Secretariat."


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_a_script_using_only_the_api(app, users, api, token_of):
    focal, coordinator = token_of("focal_point"), token_of("coordinator")

    # The plan, for its own organisation.
    mine = api.get("/tasks?org=ACHPR&per_page=100", focal)
    assert mine.status_code == 200
    s4 = next(t for t in mine.get_json() if t["code"] == "S4")
    share = next(s for s in s4["responsible"] if s["org"] == "ACHPR")
    assert share["status"] == "not_started" and share["version"] == 1

    # An update for its own organisation; refused for another's.
    body = {"status": "in_progress", "progress": 60, "narrative": NARRATIVE, "version": 1}
    posted = api.post("/tasks/S4/assignments/ACHPR/updates", focal, body)
    assert posted.status_code == 201
    refused = api.post("/tasks/S4/assignments/CoE/updates", focal, body)
    assert refused.status_code == 403
    after = api.get("/tasks/S4", focal).get_json()
    assert next(s for s in after["responsible"] if s["org"] == "ACHPR")["progress"] == 60

    # A blocker raised, then resolved by the coordinator.
    raised = api.post(
        "/tasks/S4/assignments/ACHPR/blockers",
        focal,
        {"category": "administrative", "description": "Awaiting clearance."},
    )
    assert raised.status_code == 201
    blocker_id = raised.get_json()["id"]
    assert [b["id"] for b in api.get("/blockers?status=open", coordinator).get_json()] == [
        blocker_id
    ]
    resolved = api.post(f"/blockers/{blocker_id}/resolve", coordinator, {"note": "Cleared."})
    assert resolved.get_json()["status"] == "resolved"

    # A meeting, and its report.
    today = utcnow().date()
    meeting = api.post(
        "/meetings",
        coordinator,
        {
            "title": "Sixth meeting of focal points",
            "date": (today + timedelta(days=30)).isoformat(),
            "cutoff": today.isoformat(),
        },
    )
    assert meeting.status_code == 201
    meeting_id = meeting.get_json()["id"]
    requested = api.post(
        "/reports", coordinator, {"kind": "meeting", "format": "docx", "meeting": meeting_id}
    )
    assert requested.status_code == 202, requested.get_json()
    run = requested.get_json()
    assert run["status"] in ("queued", "running", "finished") and run["file_url"] is None
    assert requested.headers["Location"].endswith(f"/api/v1/reports/{run['id']}")
    finish_jobs(app)
    state = api.get(f"/reports/{run['id']}", coordinator).get_json()
    assert state["status"] == "finished", state
    assert state["file_url"].endswith(f"/api/v1/reports/{run['id']}/file")
    path = state["file_url"].split("/api/v1", 1)[1]
    document = api.get(path, coordinator)
    assert document.status_code == 200
    assert document.mimetype.endswith("wordprocessingml.document")
    text = _docx_text(document.data)
    assert "Sixth meeting of focal points" in text
    assert "Qzapiflow" in text

    # Reports are the coordinator's, as on the pages.
    assert api.get(f"/reports/{run['id']}", focal).status_code == 403
    assert api.get(path, focal).status_code == 403
    assert api.get(path, None).status_code == 401


def test_report_requests_are_checked_by_the_reports_form(users, api, token_of):
    coordinator = token_of("coordinator")
    no_meeting = api.post("/reports", coordinator, {"kind": "meeting", "format": "pdf"})
    assert no_meeting.status_code == 422
    assert "meeting" in no_meeting.get_json()["error"]["fields"]
    unknown_org = api.post(
        "/reports", coordinator, {"kind": "organisation", "format": "csv", "org": "NOPE"}
    )
    assert "org" in unknown_org.get_json()["error"]["fields"]
    backwards = api.post(
        "/reports",
        coordinator,
        {
            "kind": "organisation",
            "format": "csv",
            "org": "ECOWAS CJ",
            "start": "2026-06-01",
            "end": "2026-01-01",
        },
    )
    assert "end" in backwards.get_json()["error"]["fields"]
    assert api.get("/reports/12345", coordinator).status_code == 404
    # Beyond PostgreSQL's INTEGER ids: no such report, not a database error.
    assert api.get("/reports/3000000000/file", coordinator).status_code == 404
    refused = api.post("/reports", token_of("focal_point"), {"kind": "blockers", "format": "csv"})
    assert refused.status_code == 403
