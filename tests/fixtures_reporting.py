"""Fixtures of the reporting feature: an assignment to report on, files, and a snapshot of
everything a refused request must leave unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import g
from sqlalchemy import func, select

from tests import factories
from workplan.extensions import db
from workplan.models import (
    Assignment,
    Attachment,
    AuditEntry,
    Blocker,
    BlockerEvent,
    ProgressUpdate,
    User,
)

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    assignments: list[tuple[Any, ...]]
    blockers: list[tuple[Any, ...]]
    dismissed: list[tuple[Any, ...]]


def snapshot() -> Snapshot:
    """Row counts of every table the reporting feature writes, and the mutable columns of
    every assignment and blocker."""
    db.session.expire_all()
    counts = {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (ProgressUpdate, Attachment, Blocker, BlockerEvent, AuditEntry)
    }
    assignments = db.session.execute(
        select(
            Assignment.id,
            Assignment.status,
            Assignment.progress,
            Assignment.last_update_at,
            Assignment.version,
        ).order_by(Assignment.id)
    ).all()
    blockers = db.session.execute(
        select(Blocker.id, Blocker.status, Blocker.version).order_by(Blocker.id)
    ).all()
    # The one column of people the reporting pages write: the handover summary dismissed.
    dismissed = db.session.execute(
        select(User.id, User.handover_dismissed_at).order_by(User.id)
    ).all()
    return Snapshot(
        counts,
        [tuple(r) for r in assignments],
        [tuple(r) for r in blockers],
        [tuple(r) for r in dismissed],
    )


@pytest.fixture
def share(users):  # type: ignore[no-untyped-def]
    """ACHPR's share of S4 (CoE shares S4 too)."""
    return factories.assignment("S4", "ACHPR")


@pytest.fixture
def share_url(share) -> str:  # type: ignore[no-untyped-def]
    return "/plan/S4/ACHPR"


@pytest.fixture
def act_as(client):  # type: ignore[no-untyped-def]
    """Be signed in as ``person`` (None: anonymous) without posting the sign-in form.

    The real form is covered by tests/test_auth.py and by the landing-page test; checking a
    password costs ~0.1 s on purpose, which the many requests here should not pay.
    """

    def do(person) -> None:  # type: ignore[no-untyped-def]
        # The test's app context outlives requests: drop the user Flask-Login cached in ``g``.
        g.pop("_login_user", None)
        with client.session_transaction() as session:
            session.clear()
            if person is not None:
                session["_user_id"] = person.get_id()
                session["_fresh"] = True

    return do


def post_update(client, url: str, **fields: object):  # type: ignore[no-untyped-def]
    """Post the report form of the share at ``url`` as a browser would: every field the form
    sends, with defaults for those the test does not set (a file list goes in
    ``attachments``)."""
    data = {
        "version": "1",
        "last_seen": "0",
        "status": "in_progress",
        "progress": "",
        "narrative": "",
        "evidence_links": "",
        "visibility": "network",
        **fields,
    }
    return client.post(url + "/updates", data=data, content_type="multipart/form-data")
