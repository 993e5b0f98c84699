"""The API's description: the OpenAPI 3.1 document made from the code, and the reference
page made from it (public: they hold no data)."""

from __future__ import annotations


def test_openapi_document_describes_every_operation(app, client):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    doc = answer.get_json()
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    operations = {
        f"{method.upper()} {path}": op
        for path, entry in doc["paths"].items()
        for method, op in entry.items()
    }
    assert {
        "GET /api/v1/organisations",
        "GET /api/v1/tasks",
        "GET /api/v1/tasks/{code}",
        "GET /api/v1/tasks/{code}/assignments/{org_code}/updates",
        "POST /api/v1/tasks/{code}/assignments/{org_code}/updates",
        "POST /api/v1/tasks/{code}/assignments/{org_code}/blockers",
        "GET /api/v1/blockers",
        "POST /api/v1/blockers/{blocker_id}/resolve",
        "GET /api/v1/meetings",
        "POST /api/v1/meetings",
        "POST /api/v1/reports",
        "GET /api/v1/reports/{run_id}",
        "GET /api/v1/reports/{run_id}/file",
    } == set(operations)
    post = operations["POST /api/v1/tasks/{code}/assignments/{org_code}/updates"]
    assert {"201", "401", "403", "404", "409", "415", "422", "429"} <= set(post["responses"])
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/UpdateIn"
    )
    listed = operations["GET /api/v1/tasks"]["responses"]["200"]
    assert set(listed["headers"]) == {"X-Total-Count", "Link"}
    update_in = doc["components"]["schemas"]["UpdateIn"]
    assert set(update_in["required"]) == {"status", "version"}
    assert answer.headers["Cache-Control"] == "private, no-store"


def test_reference_page_lists_the_operations_without_scripts(app, client):
    answer = client.get("/api/v1/reference")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "POST /api/v1/tasks/{code}/assignments/{org_code}/updates" in page
    assert "X-Total-Count" in page
    assert 'id="schema-UpdateIn"' in page
    assert "<script" not in page
