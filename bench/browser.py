"""A signed-in visitor of the served app, for the page bench and the load run.

Plain ``http.client`` with a cookie dict: gunicorn's sync workers close the connection after
each response anyway, redirects are not followed (the caller checks where they lead), and
the cost per request on the client side stays small next to the server's.
"""

from __future__ import annotations

import html
import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass

PASSWORD = "benchmark password"  # what bench.datagen gives every account
_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)


@dataclass
class Answer:
    """One response: status, where a redirect leads, body and time taken (ms)."""

    status: int
    location: str
    body: bytes
    ms: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def hidden_fields(page: str, action: str) -> dict[str, str]:
    """The hidden inputs (CSRF token, version, ...) of the form posting to ``action`` (""
    for a form without an action, which posts to its own page)."""
    for opening, inner in _FORM.findall(page):
        if html.unescape(dict(_ATTRIBUTE.findall(opening)).get("action", "")) != action:
            continue
        fields = {}
        for tag in _INPUT.findall(inner):
            attributes = dict(_ATTRIBUTE.findall(tag))
            if attributes.get("type") == "hidden" and "name" in attributes:
                fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
        return fields
    raise LookupError(f"no form posting to {action}")


class Visitor:
    """Someone using the site from ``base`` (``http://127.0.0.1:PORT``), keeping cookies."""

    def __init__(self, base: str, timeout: float = 120) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        """One request; a form is sent url-encoded. Times the whole exchange."""
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        ms = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if not value:  # how a server deletes a cookie
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        location = urllib.parse.urlsplit(response.headers.get("Location", ""))
        where = location.path + (f"?{location.query}" if location.query else "")
        return Answer(response.status, where, data, ms)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post_form(
        self, page: str, action: str, fields: dict[str, str], form_action: str | None = None
    ) -> Answer:
        """Post to ``action`` the form of ``page`` whose action attribute is ``form_action``
        (default: ``action``): its hidden fields (CSRF token, version...) plus ``fields``."""
        hidden = hidden_fields(page, action if form_action is None else form_action)
        return self.request("POST", action, {**hidden, **fields})

    def sign_in(self, email: str, password: str = PASSWORD) -> Visitor:
        """Sign in through the real form; raises if the site does not let us in."""
        page = self.get("/auth/sign-in").text
        answer = self.post_form(
            page, "/auth/sign-in", {"email": email, "password": password}, form_action=""
        )
        if answer.status != 302 or answer.location.startswith("/auth/sign-in"):
            raise RuntimeError(f"could not sign in as {email}: HTTP {answer.status}")
        return self
