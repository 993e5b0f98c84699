"""/healthz answers without a session and without touching the database."""

from __future__ import annotations

from sqlalchemy import event

from workplan.extensions import db


def test_healthz_answers_ok_without_sign_in_or_database(client):
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append("x")

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get("/healthz")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.mimetype == "text/plain"
    assert statements == []
