"""Rules that need no database: what a narrative may contain, which files are accepted."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from workplan.reporting.attachments import AttachmentRefused, check_file
from workplan.reporting.forms import split_links
from workplan.reporting.narrative import render_narrative


def test_narrative_keeps_the_small_markdown_subset():
    html = render_narrative("Met **twice**, *informally*.\n\n- one\n- [report](https://e.org/r)")
    assert "<strong>twice</strong>" in html and "<em>informally</em>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://e.org/r" rel="noopener noreferrer nofollow">report</a>' in html


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("[click](javascript:alert(1))", 'href="javascript'),
        ("![pixel](https://tracker.example/p.png)", "<img"),
        ("# Shouting heading", "<h1"),
        ('<a href="https://e.org" onclick="x()">a</a>', '<a href="https://e.org" onclick'),
    ],
)
def test_narrative_never_lets_markup_through(text, forbidden):
    assert forbidden not in render_narrative(text)


def test_plain_text_line_breaks_are_kept():
    assert "line one<br>" in render_narrative("line one\nline two")


def _upload(name: str, data: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("r.pdf", b"%PDF-1.7 ...", "application/pdf"),
        (
            "r.DOCX",
            b"PK\x03\x04 zip",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 ole", "application/msword"),
        ("t.ods", b"PK\x03\x04 zip", "application/vnd.oasis.opendocument.spreadsheet"),
        ("p.jpeg", b"\xff\xd8\xff\xe0 jfif", "image/jpeg"),
        ("list.csv", "organisation;pays\nCADHP;Gambie\n".encode("cp1252"), "text/csv"),
        ("notes.txt", "Réunion à Genève".encode(), "text/plain"),
    ],
)
def test_accepted_files(name, data, content_type):
    accepted = check_file(_upload(name, data), max_bytes=1000)
    assert accepted.content_type == content_type and accepted.data == data
    assert accepted.filename == name and len(accepted.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("page.html", b"<html>"),
        ("image.svg", b"<svg onload=alert(1)>"),
        ("no-extension", b"%PDF-1.7"),
        ("fake.png", b"GIF89a"),
        ("fake.docx", b"%PDF-1.7"),
        ("empty.pdf", b""),
        ("big.pdf", b"%PDF-" + b"x" * 2000),
    ],
)
def test_refused_files(name, data):
    with pytest.raises(AttachmentRefused):
        check_file(_upload(name, data), max_bytes=1000)


def test_evidence_links_are_one_per_line():
    assert split_links(" https://a.org \n\n http://b.org/x\n") == [
        "https://a.org",
        "http://b.org/x",
    ]
