"""`flask db upgrade` is safe to run from every host at once on PostgreSQL: concurrent runs
wait for one another on an advisory lock, and all end well."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from tests import services
from workplan.migration_lock import UPGRADE_LOCK_KEY

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_postgres():  # type: ignore[no-untyped-def]
    url = services.create_postgres_database()
    yield url
    services.drop_postgres_database(url)


def _upgrade(url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "migration-lock-test",
        "FLASK_APP": "wsgi:app",
    }
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _advisory_locks(conn: sa.Connection, granted: bool) -> int:
    """Advisory locks on this database (the server is shared) held, or waited for."""
    count = conn.execute(
        sa.text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted = :granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ),
        {"granted": granted},
    ).scalar()
    conn.commit()  # each look is a fresh snapshot
    return int(count or 0)


def _head() -> str:
    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()  # type: ignore[return-value]


def test_concurrent_upgrades_wait_for_each_other_and_all_succeed(
    fresh_postgres: str, tmp_path: Path
):
    engine = sa.create_engine(fresh_postgres)
    try:
        with engine.connect() as holder:
            # Someone (a third host, say) is upgrading: the lock is taken.
            holder.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": UPGRADE_LOCK_KEY})
            holder.commit()
            runs = [_upgrade(fresh_postgres, tmp_path / f"upgrade-{i}.log") for i in range(2)]
            # Both reach the lock and wait there (however long they take to start).
            deadline = time.monotonic() + 60
            while _advisory_locks(holder, granted=False) < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
            logs = [p.read_text() for p in sorted(tmp_path.glob("upgrade-*.log"))]
            assert _advisory_locks(holder, granted=False) == 2, logs
            time.sleep(1)
            assert [run.poll() for run in runs] == [None, None], logs
            # They wait without having touched the schema.
            assert not sa.inspect(holder).has_table("alembic_version")
            holder.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": UPGRADE_LOCK_KEY})
            holder.commit()
        codes = [run.wait(120) for run in runs]
        logs = [p.read_text() for p in sorted(tmp_path.glob("upgrade-*.log"))]
        assert codes == [0, 0], logs
        with engine.connect() as conn:
            versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
            assert versions == [(_head(),)]
            assert sa.inspect(conn).has_table("report_runs")
            # Nobody holds the lock any more.
            assert _advisory_locks(conn, granted=True) == 0
    finally:
        engine.dispose()


def test_an_upgrade_at_the_newest_revision_changes_nothing(fresh_postgres: str, tmp_path: Path):
    assert _upgrade(fresh_postgres, tmp_path / "first.log").wait(120) == 0
    assert _upgrade(fresh_postgres, tmp_path / "again.log").wait(120) == 0
    engine = sa.create_engine(fresh_postgres)
    try:
        with engine.connect() as conn:
            versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
        assert versions == [(_head(),)]
    finally:
        engine.dispose()
