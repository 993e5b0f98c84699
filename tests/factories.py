"""Test data builders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import count

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from workplan.extensions import db
from workplan.models import (
    Assignment,
    Blocker,
    BlockerStatus,
    Organisation,
    ProgressUpdate,
    Recommendation,
    Role,
    Status,
    User,
    Visibility,
)
from workplan.models.base import utcnow
from workplan.state import current

PASSWORD = "correct horse battery staple"
# Hashed once: hashing is slow on purpose, and tests create many users.
_PASSWORD_HASH = generate_password_hash(PASSWORD)
_serial = count(1)


def organisation(code: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.code == code))
    assert org is not None, f"organisation {code} is not seeded"
    return org


def user(role: str = Role.FOCAL_POINT, org: str | None = None, **values: object) -> User:
    n = next(_serial)
    person = User(
        email=values.pop("email", f"person{n}@example.org"),
        name=values.pop("name", f"Person {n}"),
        role=role,
        organisation=organisation(org) if org else None,
        password_hash=_PASSWORD_HASH,
        **values,
    )
    db.session.add(person)
    db.session.commit()
    return person


@dataclass
class People:
    coordinator: User
    focal_point: User  # of ACHPR
    other_focal_point: User  # of CoE
    observer: User
    admin: User


def people() -> People:
    return People(
        coordinator=user(Role.COORDINATOR, "NIRMS", email="coordinator@example.org"),
        focal_point=user(Role.FOCAL_POINT, "ACHPR", email="achpr@example.org"),
        other_focal_point=user(Role.FOCAL_POINT, "CoE", email="coe@example.org"),
        observer=user(Role.OBSERVER, email="observer@example.org"),
        admin=user(Role.ADMIN, email="admin@example.org"),
    )


def assignment(recommendation_code: str, org_code: str) -> Assignment:
    found = db.session.scalar(
        select(Assignment)
        .join(Assignment.recommendation)
        .join(Assignment.organisation)
        .where(Recommendation.code == recommendation_code, Organisation.code == org_code)
    )
    assert found is not None, f"{org_code} has no share in {recommendation_code}"
    return found


def progress_update(
    share: Assignment,
    author: User | None = None,
    status: str = Status.IN_PROGRESS,
    progress: int | None = None,
    narrative: str = "",
    visibility: str = Visibility.NETWORK,
    at: datetime | None = None,
) -> ProgressUpdate:
    """A progress update written straight to the tables (and kept on the assignment),
    for tests of pages that read history; tests of reporting itself go through the service."""
    at = at or utcnow()
    update = ProgressUpdate(
        assignment=share,
        author=author,
        created_at=at,
        status=status,
        progress=progress,
        narrative=narrative,
        visibility=visibility,
    )
    db.session.add(update)
    db.session.flush()
    # The share's kept current state, recomputed from its history (the update may be older
    # than the newest one).
    current.fill(db.session, [share.id])
    db.session.commit()
    return update


def blocker(
    share: Assignment,
    raised_by: User | None = None,
    category: str = "resources",
    description: str = "No budget for travel this year.",
    visibility: str = Visibility.NETWORK,
    status: str = BlockerStatus.OPEN,
    at: datetime | None = None,
) -> Blocker:
    at = at or utcnow()
    item = Blocker(
        assignment=share,
        raised_by=raised_by,
        raised_at=at,
        category=category,
        description=description,
        visibility=visibility,
        status=status,
        resolved_at=at if status == BlockerStatus.RESOLVED else None,
    )
    db.session.add(item)
    db.session.commit()
    return item
