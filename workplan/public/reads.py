"""What the public may read of the plan: the state a network reader sees, nothing more.

This is the one module of the public portal that reads the state of the shares: the state
is taken from :mod:`workplan.state.visibility` with a *network audience* (a reader of the
whole network with no organisation of their own, so never a restricted entry) and rolled up
by :mod:`workplan.state.rollup`. A share's narrative is public only when the report holding
its newest network narrative was marked public by the focal point; names, e-mail addresses,
files and blockers are never read here at all.

Two statements, whatever the size of the plan: the recommendations, then every share with
its organisation and its kept network state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import ScalarSelect

from workplan.models import (
    Assignment,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Role,
    Status,
)
from workplan.state.rollup import Share, rollup
from workplan.state.scope import current_assignment_clause, current_recommendation_clause
from workplan.state.visibility import visible_clause, visible_columns


@dataclass(frozen=True)
class NetworkAudience:
    """A reader of the whole network with no organisation: sees network entries only.

    Not a person: it only answers what :func:`workplan.state.visibility.visible_clause` and
    :func:`workplan.permissions.can` ask of a viewer.
    """

    role: str = Role.OBSERVER
    organisation_id: None = None
    is_authenticated: bool = True
    is_active: bool = True


NETWORK_AUDIENCE = NetworkAudience()


@dataclass(frozen=True)
class PublicShare:
    """One organisation's share as the public sees it."""

    organisation_code: str
    organisation_name: str  # in the page's language
    lead: bool
    status: str
    progress: int | None
    reported_at: datetime | None
    narrative: str  # "" unless the newest network report was marked public


@dataclass(frozen=True)
class PublicRecommendation:
    code: str
    term: str
    title: str
    text: str
    target_date: date | None
    status: str
    progress: int
    shares: list[PublicShare]


@dataclass(frozen=True)
class PublicPlan:
    recommendations: list[PublicRecommendation]
    last_change: datetime | None  # the newest date of anything shown

    @property
    def terms(self) -> list[tuple[str, list[PublicRecommendation]]]:
        """The recommendations grouped by term, in plan order."""
        groups: dict[str, list[PublicRecommendation]] = {}
        for recommendation in self.recommendations:
            groups.setdefault(recommendation.term, []).append(recommendation)
        return list(groups.items())


def organisation_name(name: str, name_fr: str | None, language: str) -> str:
    """An organisation's name in ``language`` (French when it has one, else English)."""
    return name_fr or name if language == "fr" else name


def public_narrative() -> ScalarSelect[str]:
    """A scalar subquery, correlated with :class:`Assignment`: the share's newest narrative
    the network may read, when its focal point marked that report public, else "".

    The newest narrative decides: a "no change" confirmation (no narrative) keeps the one
    before it published, and a newer narrative not marked public withdraws it.
    """
    pu = aliased(ProgressUpdate)
    return (
        select(case((pu.public.is_(True), pu.narrative), else_=""))
        .where(
            pu.assignment_id == Assignment.id,
            pu.narrative != "",
            visible_clause(pu.visibility, Assignment.organisation_id, NETWORK_AUDIENCE),
        )
        .order_by(pu.created_at.desc(), pu.id.desc())
        .limit(1)
        .correlate(Assignment)
        .scalar_subquery()
    )


def public_plan(session: Session, language: str) -> PublicPlan:
    """The plan as the public sees it, with organisation names in ``language``."""
    recommendations = session.execute(
        select(
            Recommendation.id,
            Recommendation.code,
            Recommendation.term,
            Recommendation.title,
            Recommendation.text,
            Recommendation.target_date,
            Recommendation.created_at,
        )
        .where(current_recommendation_clause())
        .order_by(Recommendation.position)
    ).all()
    status, progress, at, _update_id = visible_columns(NETWORK_AUDIENCE)
    rows = session.execute(
        select(
            Assignment.recommendation_id,
            Assignment.is_lead,
            Organisation.code,
            Organisation.name,
            Organisation.name_fr,
            status,
            progress,
            at,
            public_narrative(),
        )
        .join(Assignment.organisation)
        .where(current_assignment_clause())
        .order_by(
            Assignment.recommendation_id,
            Assignment.is_lead.desc(),
            Organisation.position,
            Organisation.code,
        )
    ).all()
    shares: dict[int, list[PublicShare]] = {}
    for rec_id, lead, code, name, name_fr, status, progress, at, narrative in rows:
        shares.setdefault(rec_id, []).append(
            PublicShare(
                organisation_code=code,
                organisation_name=organisation_name(name, name_fr, language),
                lead=bool(lead),
                status=(status or Status.NOT_STARTED) if at is not None else Status.NOT_STARTED,
                progress=progress if at is not None else None,
                reported_at=at,
                narrative=narrative or "",
            )
        )
    items = []
    dates: list[datetime] = []
    for rec_id, code, term, title, text, target, created_at in recommendations:
        own = shares.get(rec_id, [])
        total = rollup(Share(s.status, s.progress) for s in own)
        items.append(
            PublicRecommendation(code, term, title, text, target, total.status, total.progress, own)
        )
        dates.append(created_at)
        dates.extend(s.reported_at for s in own if s.reported_at is not None)
    return PublicPlan(items, max(dates) if dates else None)
