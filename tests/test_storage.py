"""Files live and die with the transaction that records them: a full disk keeps the typed
report and leaves nothing behind; a rolled-back write leaves no file; a saved one leaves
exactly its file."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest

from tests.fixtures_reporting import PDF, PNG, post_update, snapshot
from workplan import storage
from workplan.extensions import db
from workplan.reporting import services
from workplan.reporting.attachments import AcceptedFile


def _files(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Every file of the upload folder, temporary ones (dot files) included."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(os.listdir(folder)) if folder.exists() else []


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


def test_a_full_disk_keeps_the_typed_report_and_leaves_nothing(
    app, client, users, act_as, share, share_url, monkeypatch
):
    act_as(users.focal_point)
    before = snapshot()
    monkeypatch.setattr(storage, "_write", _disk_full_after(10))
    response = _report(client, share_url, [(io.BytesIO(PDF), "report.pdf")])
    assert response.status_code == 507
    page = response.get_data(as_text=True)
    assert "Three workshops held with the national institutions.</textarea>" in page
    assert "run out of space for files, so nothing was saved" in page
    assert snapshot() == before
    assert _files(app) == []


def test_a_full_disk_on_the_second_file_removes_the_first(
    app, client, users, act_as, share, share_url, monkeypatch
):
    act_as(users.focal_point)
    real_write = storage._write
    calls = []

    def second_fails(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            _disk_full_after(5)(path, data)
        real_write(path, data)

    monkeypatch.setattr(storage, "_write", second_fails)
    response = _report(client, share_url, [(io.BytesIO(PDF), "a.pdf"), (io.BytesIO(PNG), "b.png")])
    assert response.status_code == 507
    assert len(calls) == 2
    assert _files(app) == []


def test_a_write_rolled_back_after_storing_its_files_leaves_no_file(
    app, client, users, act_as, share, share_url, monkeypatch
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
    assert _files(app) == []


@pytest.mark.parametrize("end", ["rollback", "close"])
def test_files_of_a_transaction_that_does_not_commit_are_deleted(app, users, share, end):
    accepted = AcceptedFile("report.pdf", "application/pdf", PDF, "0" * 64)
    data = services.UpdateInput(status="in_progress", files=[accepted])
    services.record_update(db.session, users.focal_point, share, data, share.version)
    assert len(_files(app)) == 1 and _files(app)[0].endswith(".pdf.part")
    getattr(db.session, end)()
    assert _files(app) == []


def test_a_saved_upload_leaves_exactly_its_file(app, client, users, act_as, share, share_url):
    act_as(users.focal_point)
    response = _report(client, share_url, [(io.BytesIO(PDF), "report.pdf")])
    assert response.status_code == 302
    attachment = db.session.scalars(db.select(services.Attachment)).one()
    assert _files(app) == [attachment.stored_name]
    assert (Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name).read_bytes() == PDF
    download = client.get(f"/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF


def test_local_storage_serves_only_the_names_it_gave(app, tmp_path):
    files = storage.LocalStorage(tmp_path / "files")
    (tmp_path / "secret.txt").write_text("not yours")
    assert not files.exists("../secret.txt")
    with pytest.raises(FileNotFoundError):
        files.open("../secret.txt")
