"""Messages that quote what someone typed (a link, a file name) show it as text, never as
markup: on the form's own page and on the page of an expired form."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest

import workplan
from tests.fixtures_reporting import post_update

SCRIPT = "<script>alert(1)</script>"
BAD_LINK = f'ftp://x">{SCRIPT}'
BAD_FILE = "<img src=x onerror=alert(1)>.exe"
BAD_PDF = "<img src=x onerror=alert(1)>.pdf"


def test_a_refused_link_is_quoted_as_text(client, users, act_as, share, share_url):
    act_as(users.focal_point)
    response = post_update(client, share_url, evidence_links=BAD_LINK)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "is not a web address" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert SCRIPT not in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (BAD_FILE, b"MZ\x90\x00", "this type of file is not accepted"),
        (BAD_PDF, b"MZ\x90\x00", "does not look like a .pdf file"),
        (BAD_PDF, b"", "is empty"),
    ],
)
def test_a_refused_file_name_is_quoted_as_text(
    client, users, act_as, share, share_url, name, content, message
):
    act_as(users.focal_point)
    response = post_update(client, share_url, attachments=[(io.BytesIO(content), name)])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page


def test_a_too_large_file_name_is_quoted_as_text(app, client, users, act_as, share, share_url):
    app.config["MAX_ATTACHMENT_BYTES"] = 10
    act_as(users.focal_point)
    response = post_update(client, share_url, attachments=[(io.BytesIO(b"%PDF-" * 10), BAD_PDF)])
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "is larger than" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page


def test_the_expired_form_page_quotes_a_refused_link_as_text(
    app, client, users, act_as, share, share_url
):
    app.config["WTF_CSRF_ENABLED"] = True
    act_as(users.focal_point)
    response = post_update(client, share_url, evidence_links=BAD_LINK)  # no CSRF token
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The form had expired" in page and "is not a web address" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert SCRIPT not in page


def _lazy_calls_with_values(path: Path) -> list[str]:
    """``lazy_gettext``/``_l`` calls in ``path`` interpolating anything but a constant."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in {"_l", "lazy_gettext"}:
            continue
        for keyword in node.keywords:
            value = keyword.value
            constant = isinstance(value, ast.Constant) or (
                isinstance(value, ast.Name) and value.id.isupper()
            )
            if not constant:
                found.append(f"{path.name}:{node.lineno} {keyword.arg}={ast.unparse(value)}")
    return found


def test_lazy_messages_interpolate_only_constants():
    """A lazy string is trusted markup to Jinja: a value in it would not be escaped."""
    package = Path(workplan.__file__).parent
    offending = [hit for path in package.rglob("*.py") for hit in _lazy_calls_with_values(path)]
    assert offending == []


@pytest.mark.parametrize(
    "link",
    ['https://x"><script>alert(1)</script>', "https://example.org/a b", "https://x/<b>"],
)
def test_links_with_characters_no_address_holds_are_refused(client, users, act_as, share_url, link):
    act_as(users.focal_point)
    response = post_update(client, share_url, evidence_links=link, narrative="Kept text")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "is not a web address" in page and "Kept text" in page
    assert "<script>alert(1)" not in page
