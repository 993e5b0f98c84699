"""Using the application over real HTTP as a browser would: a session with its cookies, and
forms submitted with the values the page put in them (the CSRF token, hidden versions,
selected options), changed only where the test types something."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import requests


class _Forms(HTMLParser):
    """The forms of a page: their action and the values a browser would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._fields = {}
            self.forms.append((a.get("action", ""), self._fields))
        if self._fields is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self._fields[name] = a.get("value", "on")
            elif kind not in ("submit", "file", "button"):
                self._fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self._fields.setdefault(self._select, value)
            if "selected" in a:
                self._fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self._fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_values(html: str, action: str) -> dict[str, str]:
    """The values of the page's form posting to ``action`` ("" for a form posting to the
    page itself)."""
    parser = _Forms()
    parser.feed(html)
    for form_action, fields in parser.forms:
        if urlsplit(form_action).path == action:
            return dict(fields)
    raise AssertionError(f"no form posting to {action!r} on the page")


class Browser:
    """A person's browser on the application at ``base`` (cookies kept between requests)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.base + path, timeout=30, **kwargs)

    def submit(
        self,
        page: str,
        action: str | None = None,
        fields: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> requests.Response:
        """Open ``page``, fill in its form posting to ``action`` (default: the page) with
        ``fields``, and send it; the answer is returned as is (redirects not followed)."""
        shown = self.get(page)
        assert shown.status_code == 200, (page, shown.status_code, shown.text[:500])
        target = action or urlsplit(page).path
        values = {**form_values(shown.text, "" if action is None else action), **(fields or {})}
        return self.session.post(
            self.base + target, data=values, files=files, allow_redirects=False, timeout=60
        )

    def sign_in(self, email: str, password: str) -> None:
        response = self.submit("/auth/sign-in", fields={"email": email, "password": password})
        assert response.status_code == 302, response.text[:500]
