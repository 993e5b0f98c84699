"""Migrations build the schema from nothing, on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tests import services
from workplan import create_app
from workplan.extensions import db


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path):
    with services.empty_database(request.param, tmp_path) as url:
        yield url


def test_upgrade_from_empty_then_models_match(empty_database: str, tmp_path: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    with app.app_context():
        upgrade()
        inspector = sa.inspect(db.engine)
        tables = set(inspector.get_table_names())
        assert {
            "organisations",
            "users",
            "recommendations",
            "assignments",
            "progress_updates",
            "blockers",
            "meetings",
            "report_runs",
            "audit_entries",
            "alembic_version",
        } <= tables
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
            )
        assert diff == [], f"models and migrations differ: {diff}"
        # And the way back works too, so a bad release can be rolled back.
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "p.sqlite3")})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with app.app_context():
        db.engine.dispose()


def test_migrated_database_has_the_models_checks_and_history_triggers(
    empty_database: str, tmp_path: Path
):
    """Alembic's comparison ignores CHECK constraints and triggers: compare them here."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    with app.app_context():
        upgrade()
        inspector = sa.inspect(db.engine)
        for table in db.metadata.sorted_tables:
            expected = {c.name for c in table.constraints if isinstance(c, sa.CheckConstraint)}
            found = {c["name"] for c in inspector.get_check_constraints(table.name)}
            assert expected == found, table.name
            for fk in inspector.get_foreign_keys(table.name):
                model_fk = next(
                    f.constraint for f in table.foreign_keys if f.constraint.name == fk["name"]
                )
                assert (fk["options"].get("ondelete") or None) == model_fk.ondelete, fk["name"]
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                triggers = set(
                    conn.execute(
                        sa.text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
                    ).scalars()
                )
            assert triggers == {
                "progress_updates_append_only",
                "blocker_events_append_only",
                "audit_entries_append_only",
                "recommendation_versions_append_only",
            }
        db.engine.dispose()
