"""Files live and die with the transaction that records them, on a local folder and on
object storage (tests/fixtures_s3.py): a failed write keeps the typed report and leaves
nothing behind; a rolled-back write leaves no file; a saved one leaves exactly its file,
streamed back to those who may read it; a file that is recorded but gone is an error, said
in words and logged."""

from __future__ import annotations

import errno
import io
import logging
import os
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from tests.fixtures_reporting import PDF, PNG, post_update, snapshot
from tests.fixtures_s3 import everything_stored
from workplan import storage
from workplan.extensions import db
from workplan.reporting import services
from workplan.reporting.attachments import AcceptedFile

NARRATIVE = "Three workshops held with the national institutions."


def _report(client, url, files):  # type: ignore[no-untyped-def]
    return post_update(client, url, narrative=NARRATIVE, attachments=files)


def _disk_full_after(limit: int):  # type: ignore[no-untyped-def]
    """A low-level write that fills the disk after ``limit`` bytes, leaving a partial file."""

    def write(path: Path, data: bytes) -> None:
        with open(path, "xb") as file:
            file.write(data[:limit])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    return write


def _fail_second_write(monkeypatch, backend: str) -> list[object]:  # type: ignore[no-untyped-def]
    """Make the second file's write fail as it would on ``backend`` (a full disk; a refused
    upload). Returns the list of writes attempted."""
    calls: list[object] = []
    if backend == "local":
        real_write = storage.local._write

        def write(path: Path, data: bytes) -> None:
            calls.append(path)
            if len(calls) == 2:
                _disk_full_after(5)(path, data)
            real_write(path, data)

        monkeypatch.setattr(storage.local, "_write", write)
        return calls
    client = storage.uploads().client  # type: ignore[attr-defined]
    real_put = client.put_object

    def put_object(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["Key"])
        if len(calls) == 2:
            error = {"Error": {"Code": "ServiceUnavailable", "Message": "Slow down"}}
            raise ClientError(error, "PutObject")
        return real_put(**kwargs)

    monkeypatch.setattr(client, "put_object", put_object)
    return calls


def test_a_full_disk_keeps_the_typed_report_and_leaves_nothing(
    app, client, users, act_as, share, share_url, monkeypatch
):
    act_as(users.focal_point)
    before = snapshot()
    monkeypatch.setattr(storage.local, "_write", _disk_full_after(10))
    response = _report(client, share_url, [(io.BytesIO(PDF), "report.pdf")])
    assert response.status_code == 507
    page = response.get_data(as_text=True)
    assert "Three workshops held with the national institutions.</textarea>" in page
    assert "run out of space for files, so nothing was saved" in page
    assert snapshot() == before
    assert everything_stored(app, storage.UPLOADS) == []


def test_an_unreachable_object_store_keeps_the_typed_report_and_records_nothing(
    app, client, users, act_as, share, share_url, s3_settings
):
    # Nothing listens on port 1.
    app.config.update(s3_settings, S3_ENDPOINT_URL="http://127.0.0.1:1")
    act_as(users.focal_point)
    before = snapshot()
    response = _report(client, share_url, [(io.BytesIO(PDF), "report.pdf")])
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Three workshops held with the national institutions.</textarea>" in page
    assert "The file store cannot be reached, so nothing was saved" in page
    assert snapshot() == before
    app.config.update(s3_settings)
    assert everything_stored(app, storage.UPLOADS) == []


def test_a_failed_second_file_removes_the_first(
    app, client, users, act_as, share, share_url, monkeypatch, storage_backend
):
    act_as(users.focal_point)
    calls = _fail_second_write(monkeypatch, storage_backend)
    response = _report(client, share_url, [(io.BytesIO(PDF), "a.pdf"), (io.BytesIO(PNG), "b.png")])
    assert response.status_code == (507 if storage_backend == "local" else 503)
    assert len(calls) == 2
    assert everything_stored(app, storage.UPLOADS) == []


def test_a_write_rolled_back_after_storing_its_files_leaves_no_file(
    app, client, users, act_as, share, share_url, monkeypatch, storage_backend
):
    """A conflict found at flush time (someone else wrote meanwhile) after the files were
    written: the view rolls back, and the files go with the transaction."""

    def conflict(session, obj, expected):  # type: ignore[no-untyped-def]
        raise services.StaleVersion(obj, expected)

    monkeypatch.setattr(services, "_flush", conflict)
    act_as(users.focal_point)
    before = snapshot()
    response = _report(client, share_url, [(io.BytesIO(PDF), "report.pdf")])
    assert response.status_code == 409
    assert "Three workshops held" in response.get_data(as_text=True)
    assert snapshot() == before
    assert everything_stored(app, storage.UPLOADS) == []


@pytest.mark.parametrize("end", ["rollback", "close"])
def test_files_of_a_transaction_that_does_not_commit_are_deleted(
    app, users, share, end, storage_backend
):
    accepted = AcceptedFile("report.pdf", "application/pdf", PDF, "0" * 64)
    data = services.UpdateInput(status="in_progress", files=[accepted])
    services.record_update(db.session, users.focal_point, share, data, share.version)
    (pending,) = everything_stored(app, storage.UPLOADS)
    if storage_backend == "local":
        assert pending.startswith(".") and pending.endswith(".pdf.part")
    else:
        assert pending.startswith(".pending/") and pending.endswith(".pdf")
    getattr(db.session, end)()
    assert everything_stored(app, storage.UPLOADS) == []


def test_a_saved_upload_leaves_exactly_its_file(
    app, client, users, act_as, share, share_url, storage_backend
):
    act_as(users.focal_point)
    response = _report(client, share_url, [(io.BytesIO(PDF), "report.pdf")])
    assert response.status_code == 302
    attachment = db.session.scalars(db.select(services.Attachment)).one()
    assert everything_stored(app, storage.UPLOADS) == [attachment.stored_name]
    with storage.uploads().open(attachment.stored_name) as stored:
        assert stored.read() == PDF and stored.size == len(PDF)
    download = client.get(f"/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Length"] == str(len(PDF))
    assert download.headers["Cache-Control"] == "private, no-store"


def test_a_large_download_is_streamed_in_blocks(
    app, client, users, act_as, share, share_url, storage_backend, monkeypatch
):
    app.config["MAX_ATTACHMENT_BYTES"] = app.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024
    big = PDF + os.urandom(3 * 1024 * 1024)
    act_as(users.focal_point)
    assert _report(client, share_url, [(io.BytesIO(big), "big.pdf")]).status_code == 302
    attachment = db.session.scalars(db.select(services.Attachment)).one()
    reads: list[int] = []
    real_read = storage.StoredFile.read

    def read(self, size: int = -1) -> bytes:  # type: ignore[no-untyped-def]
        reads.append(size)
        return real_read(self, size)

    monkeypatch.setattr(storage.StoredFile, "read", read)
    download = client.get(f"/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == big
    assert download.headers["Content-Length"] == str(len(big))
    assert len(reads) > 10 and all(0 < size <= 64 * 1024 for size in reads), reads[:5]


def test_a_missing_file_is_an_error_in_words_and_logged(
    app, client, users, act_as, share, share_url, storage_backend, caplog
):
    act_as(users.focal_point)
    _report(client, share_url, [(io.BytesIO(PDF), "report.pdf")])
    attachment = db.session.scalars(db.select(services.Attachment)).one()
    storage.uploads().delete(attachment.stored_name)
    with caplog.at_level(logging.ERROR, logger="workplan.downloads"):
        response = client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 500
    assert "The file is missing" in response.get_data(as_text=True)
    assert any(
        r.levelno == logging.ERROR and attachment.stored_name in r.getMessage()
        for r in caplog.records
    )


def test_an_unreachable_store_on_download_is_a_503(
    app, client, users, act_as, share, share_url, s3_settings
):
    app.config.update(s3_settings)
    act_as(users.focal_point)
    _report(client, share_url, [(io.BytesIO(PDF), "report.pdf")])
    attachment = db.session.scalars(db.select(services.Attachment)).one()
    app.config["S3_ENDPOINT_URL"] = "http://127.0.0.1:1"
    response = client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "The file store is unavailable" in response.get_data(as_text=True)


def test_a_deletion_waits_for_the_commit(app, users, share, storage_backend):
    files = storage.uploads()
    accepted = AcceptedFile("report.pdf", "application/pdf", PDF, "0" * 64)
    data = services.UpdateInput(status="in_progress", files=[accepted])
    services.record_update(db.session, users.focal_point, share, data, share.version)
    db.session.commit()
    (name,) = files.names()
    files.delete_on_commit(db.session, name)
    assert files.exists(name)
    db.session.rollback()
    assert files.exists(name)
    files.delete_on_commit(db.session, name)
    db.session.commit()
    assert not files.exists(name)
    assert everything_stored(app, storage.UPLOADS) == []


def test_storage_serves_only_the_names_it_gave(app, tmp_path, storage_backend):
    files = storage.uploads()
    (tmp_path / "secret.txt").write_text("not yours")
    for name in ("../secret.txt", ".pending/x.pdf", "a/b.pdf", ""):
        assert not files.exists(name)
        with pytest.raises(FileNotFoundError):
            files.open(name)


def test_an_unknown_storage_url_is_refused_at_start_up(tmp_path):
    from tests.services import app_settings
    from workplan import create_app

    for url in ("ftp://host/files", "s3:///no-bucket", "file://"):
        settings = {**app_settings("sqlite://", tmp_path), "STORAGE_URL": url}
        with pytest.raises(ValueError, match="STORAGE_URL"):
            create_app(settings)
