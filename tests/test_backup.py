"""``flask backup`` and ``flask restore``: a backup taken while the app writes holds every
committed row and every file those rows point to, and a damaged backup is never restored."""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import select

from tests import services
from tests.fixtures_s3 import everything_stored
from tests.fixtures_worker import STORAGE_SETTINGS
from tests.services import app_settings
from workplan import create_app, postgres_client, storage
from workplan.extensions import db
from workplan.models import Assignment, Attachment, ProgressUpdate, Status, User
from workplan.reporting import services as reporting
from workplan.reporting.attachments import AcceptedFile


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    """The CLI failed with a one-line message (a ClickException), not a traceback."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def _report(app: Flask, share_id: int, author_id: int, n: int) -> int:
    """Record update number ``n`` with one attached file through the service; commit."""
    share = db.session.get(Assignment, share_id)
    author = db.session.get(User, author_id)
    assert share is not None and author is not None
    data = f"Minutes of the consultation number {n}.\n".encode()
    accepted = AcceptedFile(
        f"minutes-{n}.txt", "text/plain", data, hashlib.sha256(data).hexdigest()
    )
    update = reporting.record_update(
        db.session,
        author,
        share,
        reporting.UpdateInput(
            status=Status.IN_PROGRESS, progress=n % 100, narrative=f"Step {n}", files=[accepted]
        ),
        share.version,
    )
    db.session.commit()
    return update.id


class Writer(threading.Thread):
    """Keeps reporting progress (each update with a file) until stopped, in its own app
    context, as a web process would; ``committed`` holds the ids whose commit returned."""

    def __init__(self, app: Flask, share_id: int, author_id: int) -> None:
        super().__init__(daemon=True)
        self.app, self.share_id, self.author_id = app, share_id, author_id
        self.committed: list[int] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self.app.app_context():
                n = 0
                while not self.stop.is_set():
                    n += 1
                    update_id = _report(self.app, self.share_id, self.author_id, n)
                    with self.lock:
                        self.committed.append(update_id)
                db.session.remove()
        except BaseException as error:
            self.error = error

    def count(self) -> int:
        with self.lock:
            return len(self.committed)

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = datetime.now(UTC).timestamp() + timeout
        while self.count() < count:
            assert self.error is None, self.error
            assert datetime.now(UTC).timestamp() < deadline, "the writer made no progress"
            self.stop.wait(0.02)


@pytest.fixture
def empty_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the same backend as ``app``'s."""
    folder = tmp_path / "restored"
    folder.mkdir()
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    with services.empty_database(backend, folder) as url:
        yield url


@pytest.fixture
def restored_app(empty_database: str, tmp_path: Path) -> Iterator[Flask]:
    """A second installation: the empty database, and empty upload and report folders."""
    other = create_app(app_settings(empty_database, tmp_path / "restored"))
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _restore(app: Flask, backup: Path, *args: str):  # type: ignore[no-untyped-def]
    """Run ``flask restore`` in ``app``'s own context (the test's context is another app)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["restore", *args, str(backup)])


def _same_kind_of_storage(app: Flask, other: Flask, tmp_path: Path) -> None:
    """Give ``other`` a storage of the same backend as ``app``'s, but empty and its own."""
    url = app.config.get("STORAGE_URL") or ""
    if url.startswith("s3://"):
        other.config.update(
            {name: app.config[name] for name in STORAGE_SETTINGS},
            STORAGE_URL=url.rstrip("/") + "-restored",
        )
    elif url:
        other.config["STORAGE_URL"] = (tmp_path / "restored-files").as_uri()


def _stored_sha256(app: Flask, area: str, name: str) -> str:
    with app.app_context(), storage.area(area).open(name) as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def test_backup_taken_while_updates_are_written_restores_every_committed_one(
    app, users, share, runner, restored_app, tmp_path, storage_backend
):
    _same_kind_of_storage(app, restored_app, tmp_path)
    share_id = share.id  # the restored app's context must not load through this session
    writer = Writer(app, share_id, users.focal_point.id)
    db.session.rollback()  # the test's own session holds no transaction while others write
    writer.start()
    try:
        writer.wait_for(5)
        with writer.lock:
            committed_before = list(writer.committed)
        result = runner.invoke(args=["backup", str(tmp_path / "backup")])
        writer.wait_for(writer.count() + 3)  # still writing after the backup
    finally:
        writer.stop.set()
        writer.join(30)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output

    restored = _restore(restored_app, tmp_path / "backup")
    assert restored.exit_code == 0, restored.output
    with restored_app.app_context():
        present = set(db.session.scalars(select(ProgressUpdate.id)))
        assert set(committed_before) <= present
        files = db.session.scalars(select(Attachment)).all()
        assert {f.update_id for f in files} >= set(committed_before)
        for attachment in files:
            assert _stored_sha256(restored_app, "uploads", attachment.stored_name) == (
                attachment.sha256
            ), f"{attachment.stored_name} of update {attachment.update_id}"
        # One snapshot: the assignment's mirror of its newest update matches the restored rows.
        share_now = db.session.get(Assignment, share_id)
        newest = db.session.scalar(
            select(sa.func.max(ProgressUpdate.created_at)).where(
                ProgressUpdate.assignment_id == share_id
            )
        )
        assert share_now is not None and share_now.last_update_at == newest


def test_manifest_lists_every_file_with_size_and_checksum(app, users, share, runner, tmp_path):
    _report(app, share.id, users.focal_point.id, 1)
    reports = Path(app.config["REPORTS_FOLDER"])
    reports.mkdir(parents=True)
    (reports / "run-1-abcd1234.pdf").write_bytes(b"%PDF-1.4 report\n")
    version_table = sa.Table(
        "alembic_version", sa.MetaData(), sa.Column("version_num", sa.String(32))
    )
    version_table.create(db.engine)
    try:
        with db.engine.begin() as connection:
            connection.execute(version_table.insert().values(version_num="0002"))
        result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    finally:
        version_table.drop(db.engine)
    assert result.exit_code == 0, result.output

    backup = tmp_path / "backup"
    manifest = json.loads((backup / "manifest.json").read_text())
    backend = db.engine.dialect.name
    assert manifest["backend"] == backend
    assert manifest["alembic_revision"] == "0002"
    assert manifest["app_version"] == metadata.version("workplan")
    created = datetime.fromisoformat(manifest["created_at"])
    assert created.utcoffset() is not None and created.utcoffset().total_seconds() == 0
    on_disk = {
        p.relative_to(backup).as_posix()
        for p in backup.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    assert {f["path"] for f in manifest["files"]} == on_disk
    attachment = db.session.scalars(select(Attachment)).one()
    assert {
        manifest["database_file"],
        f"uploads/{attachment.stored_name}",
        "reports/run-1-abcd1234.pdf",
    } == on_disk
    for entry in manifest["files"]:
        assert entry["size"] == (backup / entry["path"]).stat().st_size
        assert entry["sha256"] == _sha256(backup / entry["path"])


def test_restore_refuses_a_tampered_or_missing_file(
    app, users, share, runner, restored_app, tmp_path
):
    _report(app, share.id, users.focal_point.id, 1)
    backup = tmp_path / "backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    stored = next((backup / "uploads").iterdir())
    original = stored.read_bytes()
    stored.write_bytes(original.replace(b"Minutes", b"Minutez"))

    message = _one_line_error(_restore(restored_app, backup))
    assert f"uploads/{stored.name} does not match its checksum" in message
    stored.unlink()
    message = _one_line_error(_restore(restored_app, backup))
    assert f"uploads/{stored.name} is missing" in message
    with restored_app.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
    assert not Path(restored_app.config["UPLOAD_FOLDER"]).exists()


def test_restore_refuses_a_database_with_data_unless_forced(app, users, share, runner, tmp_path):
    first = _report(app, share.id, users.focal_point.id, 1)
    backup = tmp_path / "backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    later = _report(app, share.id, users.focal_point.id, 2)

    message = _one_line_error(runner.invoke(args=["restore", str(backup)]))
    assert "already has data" in message and "--force" in message
    assert db.session.get(ProgressUpdate, later) is not None

    result = runner.invoke(args=["restore", "--force", str(backup)])
    assert result.exit_code == 0, result.output
    db.session.remove()
    ids = set(db.session.scalars(select(ProgressUpdate.id)))
    assert first in ids and later not in ids


def test_restore_refuses_a_backup_of_the_other_backend(app, users, runner, restored_app, tmp_path):
    backup = tmp_path / "backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    manifest = json.loads((backup / "manifest.json").read_text())
    other = "postgresql" if manifest["backend"] == "sqlite" else "sqlite"
    manifest["backend"] = other
    (backup / "manifest.json").write_text(json.dumps(manifest))
    message = _one_line_error(_restore(restored_app, backup))
    assert f"this backup is of a {other} database" in message


def test_backup_refuses_a_folder_that_is_not_empty(app, runner, tmp_path):
    target = tmp_path / "backup"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    message = _one_line_error(runner.invoke(args=["backup", str(target)]))
    assert "is not empty" in message
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_restore_of_a_folder_without_manifest_is_refused(app, runner, tmp_path):
    message = _one_line_error(runner.invoke(args=["restore", str(tmp_path)]))
    assert "is not a backup" in message


def test_missing_pg_dump_is_told_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(postgres_client, "DEBIAN_CLIENTS", tmp_path / "postgresql")
    with pytest.raises(postgres_client.ClientError) as error:
        postgres_client.find_tool("pg_dump", 15)
    assert "pg_dump not found" in str(error.value)
    assert "\n" not in str(error.value)


def test_pg_dump_older_than_the_server_is_refused(monkeypatch, tmp_path):
    old = tmp_path / "postgresql" / "11" / "bin" / "pg_dump"
    old.parent.mkdir(parents=True)
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 11.22'\n")
    old.chmod(0o755)
    newer = tmp_path / "postgresql" / "16" / "bin" / "pg_dump"
    newer.parent.mkdir(parents=True)
    newer.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 16.4'\n")
    newer.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(postgres_client, "DEBIAN_CLIENTS", tmp_path / "postgresql")
    assert postgres_client.find_tool("pg_dump", 15) == str(newer)
    with pytest.raises(postgres_client.ClientError, match="install postgresql-client-17"):
        postgres_client.find_tool("pg_dump", 17)


def test_connection_goes_to_the_client_through_libpq_variables():
    url = sa.engine.make_url("postgresql+psycopg://app:s3cret@db.example:6543/it's?sslmode=require")
    assert postgres_client.libpq_environment(url) == {
        "PGHOST": "db.example",
        "PGPORT": "6543",
        "PGUSER": "app",
        "PGPASSWORD": "s3cret",
        "PGSSLMODE": "require",
    }
    assert postgres_client.dbname_argument(url) == "--dbname=dbname='it\\'s'"


def test_restore_copies_only_the_files_the_manifest_lists(
    app, users, share, runner, restored_app, tmp_path
):
    _report(app, share.id, users.focal_point.id, 1)
    backup = tmp_path / "backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    (backup / "uploads" / "slipped-in.txt").write_text("not in the manifest")
    result = _restore(restored_app, backup)
    assert result.exit_code == 0, result.output
    assert "1 uploaded file(s)" in result.output
    restored = [p.name for p in Path(restored_app.config["UPLOAD_FOLDER"]).iterdir()]
    assert len(restored) == 1 and "slipped-in.txt" not in restored


@pytest.mark.parametrize(
    ("source", "target"),
    [("s3", "s3"), ("s3", "local"), ("local", "s3")],
    ids=["s3-to-s3", "s3-to-local", "local-to-s3"],
)
def test_files_go_through_storage_both_ways(
    app, users, share, runner, restored_app, tmp_path, s3_settings, source, target
):
    """A backup reads the files from the app's storage and a restore writes them into the
    other app's, whichever backend each uses."""
    restored_s3 = {**s3_settings, "STORAGE_URL": s3_settings["STORAGE_URL"] + "-restored"}
    if source == "s3":
        app.config.update(s3_settings)
    if target == "s3":
        restored_app.config.update(restored_s3)
    _report(app, share.id, users.focal_point.id, 1)
    storage.reports().put("run-1-abcd1234.pdf", io.BytesIO(b"%PDF-1.4 report\n"))
    backup = tmp_path / "backup"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert "1 uploaded file(s), 1 report file(s)" in result.output
    attachment = db.session.scalars(select(Attachment)).one()
    assert (backup / "uploads" / attachment.stored_name).read_bytes() == (
        b"Minutes of the consultation number 1.\n"
    )

    restored = _restore(restored_app, backup)
    assert restored.exit_code == 0, restored.output
    assert everything_stored(restored_app, "uploads") == [attachment.stored_name]
    assert everything_stored(restored_app, "reports") == ["run-1-abcd1234.pdf"]
    assert _stored_sha256(restored_app, "uploads", attachment.stored_name) == attachment.sha256
    with restored_app.app_context(), storage.reports().open("run-1-abcd1234.pdf") as stored:
        assert stored.read() == b"%PDF-1.4 report\n"


def test_restore_refuses_an_object_store_that_holds_files_unless_forced(
    app, users, share, runner, restored_app, tmp_path, s3_settings
):
    _report(app, share.id, users.focal_point.id, 1)
    backup = tmp_path / "backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    restored_app.config.update(s3_settings)
    with restored_app.app_context():
        storage.uploads().put("already-there.txt", io.BytesIO(b"kept"))
    message = _one_line_error(_restore(restored_app, backup))
    prefix = s3_settings["STORAGE_URL"]
    assert f"{prefix}/uploads/ already holds files: give --force" in message
    assert everything_stored(restored_app, "uploads") == ["already-there.txt"]
    with restored_app.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
    result = _restore(restored_app, backup, "--force")
    assert result.exit_code == 0, result.output
    assert len(everything_stored(restored_app, "uploads")) == 2


def test_a_backup_kept_in_object_storage_restores(
    app, users, share, runner, restored_app, tmp_path, s3_settings
):
    """``flask backup s3://...`` uploads the backup, the manifest last; ``flask restore
    s3://...`` downloads and verifies it; a prefix that holds anything is refused."""
    app.config.update(s3_settings)  # files and backup in the bucket; restored to a disk
    restored_app.config.update({k: v for k, v in s3_settings.items() if k != "STORAGE_URL"})
    _report(app, share.id, users.focal_point.id, 1)
    url = s3_settings["STORAGE_URL"] + "-backups/2026-12-02"
    result = runner.invoke(args=["backup", url])
    assert result.exit_code == 0, result.output
    assert f"Backup written to {url}" in result.output
    bucket, prefix = url.removeprefix("s3://").split("/", 1)
    client = storage.s3.client_from_config()
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"]]
    attachment = db.session.scalars(select(Attachment)).one()
    database_file = (
        "database.dump" if db.engine.dialect.name == "postgresql" else "database.sqlite3"
    )
    assert sorted(k.removeprefix(prefix + "/") for k in keys) == sorted(
        ["manifest.json", database_file, f"uploads/{attachment.stored_name}"]
    )
    assert "not empty" in _one_line_error(runner.invoke(args=["backup", url]))

    restored = _restore(restored_app, url)
    assert restored.exit_code == 0, restored.output
    assert "1 uploaded file(s)" in restored.output
    with restored_app.app_context():
        assert db.session.get(Attachment, attachment.id) is not None
    assert _stored_sha256(restored_app, "uploads", attachment.stored_name) == attachment.sha256

    client.delete_object(Bucket=bucket, Key=f"{prefix}/uploads/{attachment.stored_name}")
    message = _one_line_error(_restore(restored_app, url, "--force"))
    assert f"uploads/{attachment.stored_name} is missing" in message
