"""Blocker notifications and digests: the right people, restricted entries only to those who
may read them, coordinators by digest, once."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from tests import factories
from tests.fixtures_mail import wait_for_mail_threads
from workplan.extensions import db
from workplan.mail import sending
from workplan.mail.digests import run_digests
from workplan.models import Notification, OutboxMessage
from workplan.reporting import services


def _raise(users, visibility: str = "network", help_org: str = "CoE"):  # type: ignore[no-untyped-def]
    blocker = services.raise_blocker(
        db.session,
        users.focal_point,
        factories.assignment("S4", "ACHPR"),
        category="resources",
        description="SECRET budget detail",
        help_organisation_id=factories.organisation(help_org).id,
        visibility=visibility,
    )
    db.session.commit()
    return blocker


def _outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_blocker_asking_help_tells_that_organisation_and_the_coordinator_by_digest(
    app, users, smtp
):
    _raise(users)
    sending.deliver_due(db.session, current_app.config)
    (to_coe,) = smtp.to(users.other_focal_point.email)
    assert "asks for your help on S4" in to_coe["Subject"]
    assert "SECRET budget detail" in smtp.text(to_coe)
    assert "focal point of CoE" in smtp.text(to_coe)
    # The coordinator is told in the digest, not at once; nobody else is told.
    assert {m["To"] for m in smtp.messages} == {users.other_focal_point.email}
    (note,) = db.session.scalars(select(Notification)).all()
    assert note.user_id == users.coordinator.id


def test_a_restricted_blocker_never_reaches_another_organisation_or_an_observer(app, users, smtp):
    _raise(users, visibility="restricted")
    sending.deliver_due(db.session, current_app.config)
    assert smtp.messages == []
    assert all("SECRET" not in m.body_text for m in _outbox())
    assert [n.user_id for n in db.session.scalars(select(Notification))] == [users.coordinator.id]


def test_the_raiser_is_told_when_the_coordinator_resolves_their_blocker(app, users, smtp):
    blocker = _raise(users, help_org="ACHPR")
    services.act_on_blocker(
        db.session,
        users.coordinator,
        blocker,
        action="resolve",
        comment="Funds found.",
        expected_version=blocker.version,
    )
    db.session.commit()
    sending.deliver_due(db.session, current_app.config)
    (told,) = smtp.to(users.focal_point.email)
    assert "was resolved" in told["Subject"]
    assert "Funds found." in smtp.text(told)
    assert smtp.to(users.observer.email) == []


def test_a_coordinators_digest_goes_once_and_includes_each_event_once(app, users):
    _raise(users)
    _raise(users, help_org="ACHPR")
    assert run_digests(db.session, date(2026, 12, 1)) == 1
    db.session.commit()
    assert run_digests(db.session, date(2026, 12, 1)) == 0
    assert run_digests(db.session, date(2026, 12, 2)) == 0  # nothing new since
    (digest,) = [m for m in _outbox() if m.purpose == "digest"]
    assert digest.recipient == users.coordinator.email
    assert digest.body_text.count("New blocker on S4") == 2
    assert "SECRET" not in digest.body_text


def test_a_weekly_digest_waits_for_monday_and_none_means_none(app, users):
    users.coordinator.digest = "weekly"
    db.session.commit()
    _raise(users)
    assert run_digests(db.session, date(2026, 12, 1)) == 0  # a Tuesday
    assert run_digests(db.session, date(2026, 12, 7)) == 1  # a Monday
    users.coordinator.digest = "none"
    db.session.commit()
    _raise(users)
    assert db.session.scalar(select(Notification).where(Notification.digested_at.is_(None))) is None


def test_help_asked_of_us_is_listed_on_my_organisation(app, users, client, act_as):
    _raise(users)
    _raise(users, visibility="restricted")
    act_as(users.other_focal_point)
    page = client.get("/my-organisation").get_data(as_text=True)
    section = page.split('id="help-asked"', 1)[1]
    assert "Help asked of us" in page
    assert section.count("SECRET budget detail") == 1  # the restricted one is not shown


def test_a_blocker_raised_on_the_web_is_mailed_right_after_the_commit(
    app, users, smtp, client, act_as
):
    """Without Redis, the request's commit starts a thread that sends what it queued."""
    coe = factories.organisation("CoE")
    act_as(users.focal_point)
    response = client.post(
        "/plan/S4/ACHPR/blockers",
        data={
            "raise-category": "resources",
            "raise-description": "No travel budget until March.",
            "raise-help_organisation": str(coe.id),
            "raise-visibility": "network",
        },
    )
    assert response.status_code in (302, 303)
    wait_for_mail_threads(app)
    (told,) = smtp.to(users.other_focal_point.email)
    assert "No travel budget until March." in smtp.text(told)
