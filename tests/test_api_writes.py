"""Writing through the API follows the pages' rules, through the same services: who may
write, the optimistic lock (409 with the current version), the forms' validation (422 with
the fields), the audit trail; and every refusal is JSON in one shape."""

from __future__ import annotations

from sqlalchemy import select

from tests import factories
from tests.fixtures_reporting import snapshot
from workplan.extensions import db
from workplan.models import AuditEntry, Blocker, Meeting, ProgressUpdate, Visibility

UPDATES = "/tasks/S4/assignments/ACHPR/updates"


def _audit_actions() -> list[str]:
    """The audit trail's actions, oldest first, leaving out the tests' own tokens."""
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    return [a for a in actions if not a.startswith("api_token.")]


def _error(answer, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert answer.status_code == status, answer.get_data(as_text=True)[:300]
    assert answer.mimetype == "application/json"
    return answer.get_json()["error"]


def test_focal_point_posts_an_update_recorded_and_audited(share, users, api, token_of):
    body = {
        "status": "in_progress",
        "progress": 40,
        "narrative": "Submitted the UPR calendar.\r\nMore to come.",
        "evidence_links": ["https://example.org/upr", "https://example.org/calendar"],
        "version": share.version,
    }
    answer = api.post(UPDATES, token_of("focal_point"), body)
    assert answer.status_code == 201, answer.get_json()
    item = answer.get_json()
    assert item["status"] == "in_progress" and item["progress"] == 40
    assert item["narrative"] == "Submitted the UPR calendar.\nMore to come."
    assert item["evidence_links"] == body["evidence_links"]
    assert item["visibility"] == "network" and item["author"] == users.focal_point.name
    assert answer.headers["Location"].endswith(UPDATES.replace("ACHPR", "ACHPR"))
    db.session.refresh(share)
    assert (share.status, share.progress, share.version) == ("in_progress", 40, 2)
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "update.record")).one()
    assert audit.action == "update.record" and audit.actor_id == users.focal_point.id
    assert audit.after["narrative"] == item["narrative"]
    listed = api.get(UPDATES, token_of("observer")).get_json()
    assert [u["id"] for u in listed] == [item["id"]]


def test_completed_is_recorded_as_100(share, api, token_of):
    body = {"status": "completed", "narrative": "Done.", "version": 1}
    item = api.post(UPDATES, token_of("coordinator"), body).get_json()
    assert item["progress"] == 100


def test_refused_for_another_organisation_and_for_observers(share, api, token_of):
    roles = ("other_focal_point", "observer", "admin")
    tokens = {role: token_of(role) for role in roles}
    before = snapshot()
    body = {"status": "completed", "narrative": "Not ours.", "version": share.version}
    for role in roles:
        error = _error(api.post(UPDATES, tokens[role], body), 403)
        assert error["code"] == "forbidden"
    assert snapshot() == before


def test_a_stale_version_is_409_with_the_current_one(share, api, token_of):
    token = token_of("focal_point")  # made before the snapshot: its audit entry is not ours
    first = {"status": "in_progress", "narrative": "First.", "version": 1}
    assert api.post(UPDATES, token, first).status_code == 201
    before = snapshot()
    error = _error(api.post(UPDATES, token, first | {"narrative": "Stale."}), 409)
    assert error["code"] == "conflict" and error["current_version"] == 2
    assert snapshot() == before
    again = api.post(UPDATES, token, first | {"narrative": "Now.", "version": 2})
    assert again.status_code == 201


def test_invalid_values_are_422_with_the_fields(share, api, token_of):
    token = token_of("focal_point")
    before = snapshot()
    valid = {"status": "in_progress", "narrative": "x", "version": 1}
    cases = {
        "progress": valid | {"progress": 150},
        "evidence_links": valid | {"evidence_links": ["javascript:alert(1)"]},
        "narrative": valid | {"narrative": "x" * 20001},
        "status": valid | {"status": "finished"},
        "version": {"status": "in_progress"},
        "colour": valid | {"colour": "red"},
    }
    for field, body in cases.items():
        error = _error(api.post(UPDATES, token, body), 422)
        assert error["code"] == "invalid"
        assert field in error["fields"], (field, error)
    completed = _error(
        api.post(UPDATES, token, valid | {"status": "completed", "progress": 50}), 422
    )
    assert "100" in completed["fields"]["progress"][0]
    assert snapshot() == before


def test_bodies_that_are_not_json_objects(share, app, api, token_of):
    token = token_of("focal_point")
    headers = {"Authorization": f"Bearer {token}"}
    url = "/api/v1" + UPDATES
    form = api.client.post(url, headers=headers, data={"status": "in_progress"})
    assert _error(form, 415)["code"] == "unsupported_media_type"
    broken = api.client.post(
        url, headers=headers, data="{not json", content_type="application/json"
    )
    assert _error(broken, 400)["code"] == "bad_request"
    nul = api.post(UPDATES, token, {"status": "in_progress", "narrative": "a\x00b", "version": 1})
    assert "body" in _error(nul, 422)["fields"]
    surrogate = api.client.post(
        url,
        headers=headers,
        data='{"status": "in_progress", "narrative": "\\ud800", "version": 1}',
        content_type="application/json",
    )
    assert "body" in _error(surrogate, 422)["fields"]
    listed = api.post(UPDATES, token, ["in_progress"])
    assert _error(listed, 422)["code"] == "invalid"
    app.config["MAX_CONTENT_LENGTH"] = 1000
    large = api.post(UPDATES, token, {"status": "in_progress", "narrative": "x" * 2000})
    assert _error(large, 413)["code"] == "too_large"
    assert db.session.scalars(select(ProgressUpdate)).all() == []


def test_unknown_addresses_and_methods_are_json(users, api, token_of):
    token = token_of("observer")
    assert _error(api.get("/nothing-here", token), 404)["code"] == "not_found"
    assert _error(api.get("/nothing-here", None), 404)["code"] == "not_found"
    refused = api.client.delete("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert _error(refused, 405)["code"] == "method_not_allowed"
    assert "GET" in refused.headers["Allow"]
    huge = api.post("/blockers/99999999999999999999999/resolve", token, {"note": "x"})
    assert _error(huge, 404)["code"] == "not_found"


def test_an_unexpected_error_is_json_without_a_traceback(users, app, api, token_of, monkeypatch):
    from workplan.api import reads

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    monkeypatch.setattr(reads, "tasks", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    answer = api.get("/tasks", token_of("observer"))
    error = _error(answer, 500)
    assert error["code"] == "server_error"
    assert "secret internals" not in answer.get_data(as_text=True)
    assert "Traceback" not in answer.get_data(as_text=True)


def test_an_answer_off_its_description_is_a_server_error(users, app, api, token_of, monkeypatch):
    from workplan.api import reads

    real = reads.organisation_json
    monkeypatch.setattr(reads, "organisation_json", lambda org: real(org) | {"kind": "planet"})
    app.config["PROPAGATE_EXCEPTIONS"] = False
    answer = api.get("/organisations", token_of("observer"))
    assert _error(answer, 500)["code"] == "server_error"
    assert "planet" not in answer.get_data(as_text=True)


def test_blocker_raised_listed_and_resolved_by_the_coordinator(share, users, api, token_of):
    focal = token_of("focal_point")
    body = {"category": "resources", "description": "No travel budget.", "help_from": "coe"}
    raised = api.post("/tasks/S4/assignments/ACHPR/blockers", focal, body)
    assert raised.status_code == 201, raised.get_json()
    blocker = raised.get_json()
    assert blocker["help_from"] == "CoE" and blocker["status"] == "open"
    assert blocker["task"] == "S4" and blocker["org"] == "ACHPR"
    assert blocker["raised_by"] == users.focal_point.name
    listed = api.get("/blockers?status=open", token_of("observer")).get_json()
    assert [b["id"] for b in listed] == [blocker["id"]]
    assert api.get("/tasks/S4", focal).get_json()["responsible"][0]["blocked"] is True

    resolve = f"/blockers/{blocker['id']}/resolve"
    assert _error(api.post(resolve, focal, {"note": "Mine now."}), 403)["code"] == "forbidden"
    stale = _error(api.post(resolve, token_of("coordinator"), {"note": "x", "version": 7}), 409)
    assert stale["current_version"] == 1
    done = api.post(resolve, token_of("coordinator"), {"note": "Budget found.", "version": 1})
    assert done.status_code == 200
    assert done.get_json()["status"] == "resolved"
    assert api.get("/blockers", focal).get_json() == []
    again = _error(api.post(resolve, token_of("coordinator"), {"note": "Again."}), 409)
    assert again["current_status"] == "resolved"
    assert _audit_actions() == ["blocker.raise", "blocker.resolve"]
    stored = db.session.get(Blocker, blocker["id"])
    assert stored.events[-1].comment == "Budget found."


def test_blocker_refusals(share, users, api, token_of):
    url = "/tasks/S4/assignments/ACHPR/blockers"
    body = {"category": "resources", "description": "x"}
    assert _error(api.post(url, token_of("other_focal_point"), body), 403)
    assert (
        "help_from"
        in _error(api.post(url, token_of("focal_point"), body | {"help_from": "NOPE"}), 422)[
            "fields"
        ]
    )
    assert (
        "description"
        in _error(api.post(url, token_of("focal_point"), body | {"description": "   "}), 422)[
            "fields"
        ]
    )
    assert (
        "category"
        in _error(api.post(url, token_of("focal_point"), body | {"category": "weather"}), 422)[
            "fields"
        ]
    )
    hidden = factories.blocker(share, users.focal_point, visibility=Visibility.RESTRICTED)
    # Restricted: another organisation is not told it exists.
    refused = api.post(f"/blockers/{hidden.id}/resolve", token_of("other_focal_point"), {})
    assert _error(refused, 404)["code"] == "not_found"
    assert db.session.scalars(select(Blocker.id)).all() == [hidden.id]


def test_meetings_listed_for_all_and_created_by_the_coordinator(users, api, token_of):
    body = {
        "title": "Sixth meeting",
        "date": "2027-12-01",
        "cutoff": "2027-11-01",
        "place": "Strasbourg",
    }
    created = api.post("/meetings", token_of("coordinator"), body)
    assert created.status_code == 201, created.get_json()
    item = created.get_json()
    assert item["title"] == "Sixth meeting" and item["place"] == "Strasbourg"
    assert item["date"] == "2027-12-01" and item["cutoff"].startswith("2027-11-01T23:59")
    listed = api.get("/meetings", token_of("focal_point")).get_json()
    assert [m["id"] for m in listed] == [item["id"]]
    assert _audit_actions() == ["create_meeting"]

    assert _error(api.post("/meetings", token_of("focal_point"), body), 403)
    late = _error(
        api.post("/meetings", token_of("coordinator"), body | {"cutoff": "2028-01-01"}), 422
    )
    assert "cutoff" in late["fields"]
    untitled = _error(api.post("/meetings", token_of("coordinator"), body | {"title": ""}), 422)
    assert "title" in untitled["fields"]
    assert len(db.session.scalars(select(Meeting)).all()) == 1
