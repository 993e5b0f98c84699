"""Reads for the people pages and the directory, each in one statement."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from workplan.display import organisation_name
from workplan.models import FocalPointRank, Organisation, Role, User


class PersonState(enum.StrEnum):
    INVITED = "invited"  # active, never signed in
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


def state_of(user: User) -> PersonState:
    if not user.active:
        return PersonState.DEACTIVATED
    return PersonState.INVITED if user.last_sign_in_at is None else PersonState.ACTIVE


@dataclass(frozen=True)
class PeopleFilters:
    org: str | None = None
    role: str | None = None
    state: str | None = None


def list_people(session: Session, filters: PeopleFilters) -> list[User]:
    """Everyone matching the filters with their organisation, by organisation then name."""
    query = (
        select(User)
        .outerjoin(User.organisation)
        .options(contains_eager(User.organisation))
        .order_by(Organisation.position.nulls_first(), User.name, User.id)
    )
    if filters.org:
        query = query.where(Organisation.code == filters.org)
    if filters.role:
        query = query.where(User.role == filters.role)
    if filters.state == PersonState.DEACTIVATED:
        query = query.where(User.active.is_(False))
    elif filters.state == PersonState.INVITED:
        query = query.where(User.active.is_(True), User.last_sign_in_at.is_(None))
    elif filters.state == PersonState.ACTIVE:
        query = query.where(User.active.is_(True), User.last_sign_in_at.is_not(None))
    return list(session.scalars(query))


def get_person(session: Session, user_id: int) -> User | None:
    return session.scalar(
        select(User).where(User.id == user_id).options(joinedload(User.organisation))
    )


@dataclass(frozen=True)
class Listing:
    """A person as the directory shows them: the phone is empty when they hide it, so that
    the page and every download apply the same rule."""

    name: str
    title: str
    email: str
    phone: str
    rank: str
    organisation_code: str
    organisation_name: str


@dataclass
class DirectoryGroup:
    """One organisation and its active focal points, the main one first."""

    organisation: Organisation
    people: list[Listing] = field(default_factory=list)


# Main focal points first; one without a rank (older accounts) counts as a main one.
_RANK_ORDER = case((User.focal_point_rank == FocalPointRank.ALTERNATE, 1), else_=0)


def _is_listed() -> object:
    return and_(
        User.organisation_id == Organisation.id,
        User.active.is_(True),
        User.role == Role.FOCAL_POINT,
    )


def directory(session: Session) -> list[DirectoryGroup]:
    """Every organisation with its active main and alternate focal points (none: an empty
    group), in the network's order: one statement. Names are in the interface language."""
    rows = session.execute(
        select(Organisation, User)
        .outerjoin(User, _is_listed())
        .order_by(Organisation.position, Organisation.code, _RANK_ORDER, User.name, User.id)
    )
    groups: dict[int, DirectoryGroup] = {}
    for org, user in rows:
        group = groups.setdefault(org.id, DirectoryGroup(org))
        if user is not None:
            group.people.append(
                Listing(
                    name=user.name,
                    title=user.title,
                    email=user.email,
                    phone="" if user.phone_hidden else user.phone,
                    rank=user.focal_point_rank or FocalPointRank.MAIN,
                    organisation_code=org.code,
                    organisation_name=organisation_name(org),
                )
            )
    return list(groups.values())


def organisation_with_focal_points(
    session: Session, code: str
) -> tuple[Organisation | None, list[User]]:
    """The organisation with this code (any case) and its active focal points, the main one
    first, in one statement (the organisation's page keeps a fixed statement count)."""
    rows = session.execute(
        select(Organisation, User)
        .outerjoin(User, _is_listed())
        .where(func.lower(Organisation.code) == code.strip().lower())
        .order_by(_RANK_ORDER, User.name, User.id)
    ).all()
    if not rows:
        return None, []
    return rows[0][0], [user for _org, user in rows if user is not None]
