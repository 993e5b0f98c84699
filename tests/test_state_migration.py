"""Migration 0006 fills each existing share's kept state from its history, on SQLite and
PostgreSQL, so that ``flask plan verify`` finds nothing to report after an upgrade."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests import services
from workplan import create_app
from workplan.extensions import db
from workplan.state import current


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path):
    with services.empty_database(request.param, tmp_path) as url:
        yield url


def _at(day: int) -> datetime:
    return datetime(2026, 6, day, 9, tzinfo=UTC)


def test_upgrade_fills_the_pointers_from_the_history(empty_database: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    with app.app_context():
        upgrade(revision="0005")
        rows = [
            "INSERT INTO organisations (id, code, name, kind, position) "
            "VALUES (1, 'ACHPR', 'African Commission', 'rhrm', 1)",
            "INSERT INTO recommendations (id, code, term, position, title, text, source_ref, "
            "implementation, created_at) VALUES (1, 'S1', 'short', 1, 't', 't', 'r', '', :at)",
            "INSERT INTO recommendations (id, code, term, position, title, text, source_ref, "
            "implementation, created_at) VALUES (2, 'S2', 'short', 2, 't', 't', 'r', '', :at)",
            "INSERT INTO assignments (id, recommendation_id, organisation_id, is_lead, status, "
            "version) VALUES (1, 1, 1, false, 'not_started', 1)",
            "INSERT INTO assignments (id, recommendation_id, organisation_id, is_lead, status, "
            "version) VALUES (2, 2, 1, false, 'not_started', 1)",
        ]
        updates = [
            # (id, assignment, day, status, progress, visibility); written out of date order.
            (1, 1, 3, "in_progress", 20, "network"),
            (2, 1, 9, "on_hold", 30, "restricted"),
            (3, 1, 5, "in_progress", 40, "network"),
            (4, 2, 4, "completed", 100, "restricted"),
        ]
        with db.engine.begin() as conn:
            for statement in rows:
                conn.execute(sa.text(statement), {"at": _at(1)})
            for uid, aid, day, status, progress, visibility in updates:
                conn.execute(
                    sa.text(
                        "INSERT INTO progress_updates (id, assignment_id, created_at, status, "
                        "progress, narrative, evidence_links, visibility, is_confirmation) "
                        "VALUES (:id, :aid, :at, :status, :progress, '', '[]', :vis, false)"
                    ),
                    {
                        "id": uid,
                        "aid": aid,
                        "at": _at(day),
                        "status": status,
                        "progress": progress,
                        "vis": visibility,
                    },
                )
        upgrade(revision="0006")
        with db.engine.connect() as conn:
            found = conn.execute(
                sa.text(
                    "SELECT id, latest_update_id, status, progress, latest_network_update_id, "
                    "network_status, network_progress FROM assignments ORDER BY id"
                )
            ).all()
        assert [tuple(r) for r in found] == [
            (1, 2, "on_hold", 30, 3, "in_progress", 40),
            (2, 4, "completed", 100, None, "not_started", None),
        ]
        # The check reads through today's models: bring the schema up to them first (later
        # migrations add columns and keep the pointers as they are).
        upgrade()
        assert current.differences(db.session) == []
        db.session.remove()
        db.engine.dispose()
