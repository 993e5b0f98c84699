"""History tables refuse UPDATE and DELETE in the database itself (PostgreSQL).

Progress updates, blocker events and audit entries are append-only: corrections are new
rows. The application never changes them, and on PostgreSQL a trigger makes sure nothing
else does either (a stray script, a console session). TRUNCATE, used by restores and test
clean-up, is a table-level operation and is not refused.

The trigger is created with each table (``db.create_all``) and by migration 0003.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, MetaData, event

APPEND_ONLY_TABLES = (
    "progress_updates",
    "blocker_events",
    "audit_entries",
    "recommendation_versions",
)
FUNCTION_NAME = "workplan_refuse_history_change"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION_NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$
"""


def trigger_sql(table: str) -> str:
    """The statement that makes ``table`` refuse UPDATE and DELETE of its rows."""
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}()"
    )


def register(metadata: MetaData) -> None:
    """Create the trigger after each append-only table, on PostgreSQL only."""
    for name in APPEND_ONLY_TABLES:
        table = metadata.tables[name]
        for statement in (FUNCTION_SQL, trigger_sql(name)):
            # DDL() interpolates %(...)s placeholders: a literal % is written %%.
            ddl: Any = DDL(statement.replace("%", "%%")).execute_if(dialect="postgresql")
            event.listen(table, "after_create", ddl)
