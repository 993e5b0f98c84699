"""The pieces the reports share: the error a requester can act on, the reports received in a
period, the heading block of a UN document, and the tables (assignments, blockers, matrix,
updates) that appear in several reports and as spreadsheet sheets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workplan.meetings.snapshot import (
    BlockerState,
    Snapshot,
)
from workplan.models import (
    Assignment,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Visibility,
)
from workplan.reports.document import Table
from workplan.reports.wording import code_label, long_date, text

Progress = Callable[[int], None]


class ReportError(Exception):
    """A report cannot be produced for a reason the requester can act on."""


def no_progress(_: int) -> None:
    return None


@dataclass(frozen=True)
class UpdateRow:
    created_at: datetime
    code: str
    org_code: str
    status: str
    progress: int | None
    narrative: str
    restricted: bool


def updates_between(
    session: Session,
    since: datetime | None,
    until: datetime,
    *,
    internal: bool,
    organisation_id: int | None = None,
) -> list[UpdateRow]:
    """Progress updates in (since, until], oldest first, in one statement."""
    stmt = (
        select(
            ProgressUpdate.created_at,
            Recommendation.code,
            Organisation.code,
            ProgressUpdate.status,
            ProgressUpdate.progress,
            ProgressUpdate.narrative,
            ProgressUpdate.visibility,
        )
        .join(Assignment, ProgressUpdate.assignment_id == Assignment.id)
        .join(Recommendation, Assignment.recommendation_id == Recommendation.id)
        .join(Organisation, Assignment.organisation_id == Organisation.id)
        .where(ProgressUpdate.created_at <= until)
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
    )
    if since is not None:
        stmt = stmt.where(ProgressUpdate.created_at > since)
    if not internal:
        stmt = stmt.where(ProgressUpdate.visibility == Visibility.NETWORK)
    if organisation_id is not None:
        stmt = stmt.where(Assignment.organisation_id == organisation_id)
    return [
        UpdateRow(at, code, org, status, progress, narrative or "", vis != Visibility.NETWORK)
        for at, code, org, status, progress, narrative, vis in session.execute(stmt)
    ]


def heading_block(lang: str, internal: bool, symbol: str, when: datetime) -> list[str]:
    lines = [text(lang, "network")]
    if symbol:
        lines.append(symbol)
    lines += [
        text(lang, "distr_restricted" if internal else "distr_general"),
        long_date(lang, when),
        text(lang, "original"),
    ]
    return lines


def marked(lang: str, value: str, restricted: bool) -> str:
    return f"{value} [{text(lang, 'restricted')}]" if restricted and value else value


def share_rows(lang: str, snapshot: Snapshot) -> list[list[object]]:
    rows: list[list[object]] = []
    for rec, share in snapshot.shares():
        rows.append(
            [
                rec.code,
                code_label(lang, "term", rec.term),
                rec.title,
                share.organisation.code,
                share.is_lead,
                code_label(lang, "status", share.status),
                share.progress,
                share.reported_at,
                marked(lang, share.narrative, share.restricted),
                len(share.open_blockers),
            ]
        )
    return rows


def share_header(lang: str) -> list[str]:
    return [
        text(lang, "code"),
        text(lang, "term"),
        text(lang, "title"),
        text(lang, "organisation"),
        text(lang, "lead"),
        text(lang, "status"),
        text(lang, "progress"),
        text(lang, "reported_on"),
        text(lang, "latest_report"),
        text(lang, "open_blockers"),
    ]


def blocker_table(lang: str, title: str, blockers: list[BlockerState]) -> Table:
    return Table(
        title,
        [
            text(lang, "recommendation"),
            text(lang, "organisation"),
            text(lang, "category"),
            text(lang, "description"),
            text(lang, "status"),
            text(lang, "raised_on"),
            text(lang, "last_comment"),
        ],
        [
            [
                b.recommendation_code,
                b.organisation.code,
                code_label(lang, "category", b.category),
                marked(lang, b.description, b.restricted),
                code_label(lang, "blocker_status", b.status),
                b.raised_at,
                b.last_comment,
            ]
            for b in blockers
        ],
        widths=(1, 1.2, 1.5, 4, 1.3, 1.5, 2.5),
        sheet=text(lang, "blockers_sheet"),
    )


def matrix_table(lang: str, snapshot: Snapshot) -> Table:
    orgs = [o for o in snapshot.organisations]
    rows = []
    for rec in snapshot.recommendations:
        by_org = {s.organisation.id: s for s in rec.shares}
        cells: list[object] = [rec.code]
        for org in orgs:
            share = by_org.get(org.id)
            label = code_label(lang, "status", share.status) if share else ""
            cells.append(label + (" *" if share and share.is_lead else ""))
        rows.append(cells)
    return Table(
        text(lang, "annex_matrix"),
        [text(lang, "code"), *[o.code for o in orgs]],
        rows,
        widths=(1, *[1] * len(orgs)),
        sheet=text(lang, "matrix_sheet"),
    )


def updates_table(lang: str, title: str, updates: list[UpdateRow]) -> Table:
    return Table(
        title,
        [
            text(lang, "date"),
            text(lang, "recommendation"),
            text(lang, "organisation"),
            text(lang, "status"),
            text(lang, "progress"),
            text(lang, "narrative"),
        ],
        [
            [
                u.created_at,
                u.code,
                u.org_code,
                code_label(lang, "status", u.status),
                u.progress,
                marked(lang, u.narrative, u.restricted),
            ]
            for u in updates
        ],
        widths=(1.6, 1, 1.2, 1.4, 1, 5),
        sheet=text(lang, "updates_sheet"),
    )
