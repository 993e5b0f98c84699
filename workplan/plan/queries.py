"""Reads for the plan pages, each in a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from workplan.models import (
    OPEN_BLOCKER_STATUSES,
    Assignment,
    Blocker,
    BlockerEvent,
    Organisation,
    Recommendation,
)
from workplan.models.plan import TERM_ORDER
from workplan.state.scope import current_assignment_clause, current_recommendation_clause


@dataclass(frozen=True)
class TermGroup:
    term: str
    recommendations: list[Recommendation]


def _with_assignments():  # type: ignore[no-untyped-def]
    return selectinload(Recommendation.assignments.and_(current_assignment_clause())).joinedload(
        Assignment.organisation
    )


def plan_by_term(session: Session) -> list[TermGroup]:
    """Every recommendation, in plan order, grouped by term, with its organisations loaded."""
    recommendations = session.scalars(
        select(Recommendation)
        .where(current_recommendation_clause())
        .options(_with_assignments())
        .order_by(Recommendation.position)
    ).all()
    by_term = {term: list(items) for term, items in groupby(recommendations, key=lambda r: r.term)}
    return [TermGroup(term, by_term[term]) for term in TERM_ORDER if term in by_term]


def sorted_assignments(recommendation: Recommendation) -> list[Assignment]:
    """A recommendation's assignments: leads first, then in the organisations' order."""
    return sorted(
        recommendation.assignments,
        key=lambda a: (not a.is_lead, a.organisation.position, a.organisation.code),
    )


def get_recommendation(session: Session, code: str) -> Recommendation | None:
    return session.scalar(
        select(Recommendation)
        .where(func.upper(Recommendation.code) == code.upper())
        .options(_with_assignments())
    )


def list_organisations(session: Session) -> list[tuple[Organisation, int, int]]:
    """Organisations in network order with how many assignments they have, and how many lead."""
    rows = session.execute(
        select(
            Organisation,
            func.count(Assignment.id),
            func.count(Assignment.id).filter(Assignment.is_lead.is_(True)),
        )
        .outerjoin(
            Assignment,
            (Assignment.organisation_id == Organisation.id) & current_assignment_clause(),
        )
        .group_by(Organisation.id)
        .order_by(Organisation.position, Organisation.code)
    ).all()
    return [(org, total, leads) for org, total, leads in rows]


def organisations_in_order(session: Session) -> list[Organisation]:
    """Every organisation in the network's order: what the forms that choose one offer."""
    return list(
        session.scalars(select(Organisation).order_by(Organisation.position, Organisation.code))
    )


def get_organisation(session: Session, code: str) -> Organisation | None:
    return session.scalar(
        select(Organisation).where(func.lower(Organisation.code) == code.strip().lower())
    )


def assignments_of(session: Session, organisation: Organisation) -> list[Assignment]:
    """Everything an organisation is responsible for, in plan order."""
    return list(
        session.scalars(
            select(Assignment)
            .join(Assignment.recommendation)
            .where(Assignment.organisation_id == organisation.id, current_assignment_clause())
            .options(selectinload(Assignment.recommendation))
            .order_by(Recommendation.position)
        )
    )


def open_blockers_for(
    session: Session, *, recommendation_id: int | None = None, organisation_id: int | None = None
) -> list[Blocker]:
    """Open blockers of one recommendation or one organisation, oldest first, in one statement.

    Callers still filter with ``can(user, "view_entry", blocker)``: restricted ones are loaded
    with their assignment so that the check needs no further query.
    """
    stmt = (
        select(Blocker)
        .join(Blocker.assignment)
        .where(Blocker.status.in_(OPEN_BLOCKER_STATUSES))
        .options(
            joinedload(Blocker.assignment).joinedload(Assignment.organisation),
            joinedload(Blocker.assignment).joinedload(Assignment.recommendation),
            joinedload(Blocker.raised_by),
            joinedload(Blocker.help_organisation),
            selectinload(Blocker.events).joinedload(BlockerEvent.actor),
        )
        .order_by(Blocker.raised_at)
    )
    if recommendation_id is not None:
        stmt = stmt.where(Assignment.recommendation_id == recommendation_id)
    if organisation_id is not None:
        stmt = stmt.where(Assignment.organisation_id == organisation_id)
    return list(session.scalars(stmt).unique())
