"""A real SMTP server on localhost (aiosmtpd) that collects what it receives, and the app
pointed at it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest


class Mailbox:
    """What the server received. ``refuse`` makes it answer "451 try later" that many times."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 try later"
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text(message: EmailMessage) -> str:
        body = message.get_body(("plain",))
        assert body is not None
        return body.get_content()  # type: ignore[no-any-return]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1: its mailbox and port."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtp(app):  # type: ignore[no-untyped-def]
    """The app sends through a real SMTP server on 127.0.0.1; yields its :class:`Mailbox`.
    Retries are due at once (no back-off) so that a test can run the sender again."""
    with smtp_server() as (mailbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_RETRY_SECONDS=0)
        yield mailbox
        for thread in app.extensions.get("mail_threads", []):
            thread.join(10)


def wait_for_mail_threads(app) -> None:  # type: ignore[no-untyped-def]
    """Wait for the sending threads that requests started (the in-process fallback)."""
    for thread in app.extensions.get("mail_threads", []):
        thread.join(10)
