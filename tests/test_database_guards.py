"""The database itself guards what must always hold: enumerated columns and percentages are
checked, history cannot be erased with what it is about, and on PostgreSQL the history
tables refuse UPDATE and DELETE whoever asks."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from tests import factories
from workplan.extensions import db
from workplan.models import AuditEntry, BlockerEvent, BlockerStatus, ProgressUpdate
from workplan.reporting import services


def _refused(statement: str, **params: object) -> None:
    with pytest.raises((IntegrityError, DBAPIError)):
        db.session.execute(text(statement), params)
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE assignments SET status = 'done' WHERE id = :id",
        "UPDATE assignments SET progress = 101 WHERE id = :id",
        "UPDATE assignments SET progress = -1 WHERE id = :id",
        "UPDATE users SET role = 'superuser' WHERE id = :user",
        "UPDATE recommendations SET term = 'someday' WHERE id = :rec",
        "UPDATE organisations SET kind = 'ngo' WHERE id = :org",
        "INSERT INTO progress_updates (assignment_id, created_at, status, narrative, "
        "evidence_links, visibility, is_confirmation) VALUES (:id, CURRENT_TIMESTAMP, "
        "'in_progress', '', '[]', 'public', false)",
        "INSERT INTO blockers (assignment_id, raised_at, category, description, visibility, "
        "status, version) VALUES (:id, CURRENT_TIMESTAMP, 'weather', 'x', 'network', 'open', 1)",
        "INSERT INTO blockers (assignment_id, raised_at, category, description, visibility, "
        "status, version) VALUES (:id, CURRENT_TIMESTAMP, 'other', 'x', 'network', 'closed', 1)",
        "INSERT INTO report_runs (kind, format, language, internal, params, status, progress, "
        "message, attempts, created_at) VALUES ('meeting', 'odt', 'en', false, '{}', "
        "'queued', 0, '', 0, CURRENT_TIMESTAMP)",
        "INSERT INTO report_runs (kind, format, language, internal, params, status, progress, "
        "message, attempts, created_at) VALUES ('meeting', 'pdf', 'de', false, '{}', "
        "'queued', 0, '', 0, CURRENT_TIMESTAMP)",
    ],
)
def test_values_outside_the_enumerations_are_refused_by_the_database(app, users, statement):
    share = factories.assignment("S4", "ACHPR")
    ids = {
        "id": share.id,
        "user": users.observer.id,
        "rec": share.recommendation_id,
        "org": share.organisation_id,
    }
    names = [name for name in ids if f":{name}" in statement]
    _refused(statement, **{name: ids[name] for name in names})


def test_valid_rows_pass_the_same_checks(app, users):
    """Positive control for the test above: the same statements with allowed values work."""
    share = factories.assignment("S4", "ACHPR")
    db.session.execute(
        text("UPDATE assignments SET status = 'completed', progress = 100 WHERE id = :id"),
        {"id": share.id},
    )
    db.session.commit()
    assert factories.assignment("S4", "ACHPR").progress == 100


def test_a_recommendation_with_history_cannot_be_deleted(app, users):
    share = factories.assignment("S4", "ACHPR")
    factories.progress_update(share, users.focal_point, progress=10)
    _refused("DELETE FROM recommendations WHERE id = :id", id=share.recommendation_id)
    _refused("DELETE FROM assignments WHERE id = :id", id=share.id)
    blocker = factories.blocker(share, users.focal_point)
    services.act_on_blocker(
        db.session,
        users.coordinator,
        blocker,
        action="acknowledge",
        expected_version=blocker.version,
    )
    db.session.commit()
    _refused("DELETE FROM blockers WHERE id = :id", id=blocker.id)
    assert db.session.query(ProgressUpdate).count() == 1
    assert db.session.query(BlockerEvent).count() == 1


@pytest.fixture
def history_rows(app, users):  # type: ignore[no-untyped-def]
    share = factories.assignment("S4", "ACHPR")
    update = services.record_update(
        db.session, users.focal_point, share, services.UpdateInput("in_progress", 20), 1
    )
    blocker = services.raise_blocker(
        db.session, users.focal_point, share, category="resources", description="No budget."
    )
    event = services.act_on_blocker(
        db.session, users.coordinator, blocker, action="acknowledge", expected_version=1
    )
    db.session.commit()
    audit = db.session.query(AuditEntry).order_by(AuditEntry.id).first()
    return {"progress_updates": update.id, "blocker_events": event.id, "audit_entries": audit.id}


@pytest.mark.parametrize("table", ["progress_updates", "blocker_events", "audit_entries"])
def test_history_tables_refuse_update_and_delete_on_postgresql(app, history_rows, table):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (SQLite has RESTRICT keys only)")
    row_id = history_rows[table]
    column = {"progress_updates": "narrative", "blocker_events": "comment"}.get(table, "action")
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(
            text(f"UPDATE {table} SET {column} = 'rewritten' WHERE id = :id"), {"id": row_id}
        )
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(f"DELETE FROM {table} WHERE id = :id"), {"id": row_id})
    db.session.rollback()
    # Appending still works: a new update on the same share.
    share = factories.assignment("S4", "ACHPR")
    db.session.add(ProgressUpdate(assignment=share, status="in_progress", progress=30))
    db.session.commit()
    assert db.session.query(ProgressUpdate).count() == 2


def test_resolving_a_blocker_writes_an_event_and_changes_only_the_blocker(app, users):
    """The blocker row itself is current state (it may change); its events are history."""
    share = factories.assignment("S4", "ACHPR")
    blocker = factories.blocker(share, users.focal_point)
    services.act_on_blocker(
        db.session, users.coordinator, blocker, action="resolve", expected_version=1
    )
    db.session.commit()
    db.session.expire_all()
    assert blocker.status == BlockerStatus.RESOLVED
    assert [e.action for e in blocker.events] == ["resolve"]
