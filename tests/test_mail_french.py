"""Every kind of e-mail, to a person who reads French: a French subject and a French body
(text and HTML) with no English words outside what people typed, French typography, and
dates written "1er décembre"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from tests import factories
from workplan.auth.mailed_links import mail_sign_in_link
from workplan.extensions import db
from workplan.mail.digests import run_digests
from workplan.mail.reminders import run_reminders
from workplan.models import Meeting, OutboxMessage, Recommendation, Role
from workplan.models.base import utcnow
from workplan.reporting import services

# Words an English template could leave; none is French.
ENGLISH_TEXT = """
    the and of to you your Your Dear was were has have is are for this This link Link
    password blocker Blocker share shares report Report meeting cut-off focal point receive
    change profile sign Sign New new work Work days hours hour asks help digest What
    happened since Every Each Geneva Seventh Not reported invited account coordinator The
    See Set acknowledged escalated resolved reopened comment raised Someone
"""
ENGLISH = set(ENGLISH_TEXT.split())
TYPED = "Budget de traduction insuffisant"  # what people typed, in French here


def _words(text: str) -> set[str]:
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)  # addresses are not words
    text = re.sub(r"<[^>]+>", " ", text)
    return set(re.findall(r"\w+(?:-\w+)*", text))


def _check(message: OutboxMessage, subject_words: set[str]) -> None:
    assert message.language == "fr"
    titles = list(db.session.scalars(select(Recommendation.title)))  # the plan's own texts
    for part in (message.subject, message.body_text, message.body_html):
        assert part, message.purpose
        for title in titles:
            part = part.replace(title, "")
        left = sorted(_words(part) & ENGLISH)
        assert left == [], f"{message.purpose}: {left} in {part[:300]!r}"
        text = re.sub(r"https?://\S+|<[^>]+>|\d+:\d+", " ", part)
        bare = re.findall(r".{0,20}[^\u202f\u00a0\s][:;?!%]", text)
        assert bare == [], f"{message.purpose}: {bare}"
    assert subject_words <= _words(message.subject), (message.purpose, message.subject)


def _sent(purpose: str, to: str) -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.purpose == purpose, OutboxMessage.recipient == to)
        .order_by(OutboxMessage.id.desc())
    ).first()


@pytest.fixture
def french(users):  # type: ignore[no-untyped-def]
    """Everyone reads French."""
    for person in (users.coordinator, users.focal_point, users.other_focal_point):
        person.language = "fr"
    db.session.commit()
    return users


@pytest.mark.parametrize(
    ("template", "subject"),
    [
        ("invitation", {"invité", "plan", "travail"}),
        ("password_reset", {"mot", "passe"}),
        ("sign_in_link", {"lien", "connexion"}),
    ],
)
def test_mailed_links_are_in_french(app, french, template, subject):
    person = french.other_focal_point
    mail_sign_in_link(
        db.session, person, template, french.coordinator, inviter=french.coordinator, sender=None
    )
    db.session.commit()
    message = _sent(template, person.email)
    _check(message, subject)
    assert "Bonjour Person" in message.body_text
    if template == "invitation":
        assert "coordonnateur principal pour CoE" in message.body_text or (
            "coordonnateur suppléant pour CoE" in message.body_text
        )


def test_reminders_and_the_missing_reports_list_are_in_french(app, french):
    today = utcnow().date()
    cutoff = datetime.combine(today + timedelta(days=21), time(23, 59), UTC)
    meeting = Meeting(
        title="Seventh meeting",
        title_fr="Septième réunion annuelle des coordonnateurs",
        held_on=today + timedelta(days=35),
        place="Geneva",
        place_fr="Genève",
        cutoff_at=cutoff,
    )
    db.session.add(meeting)
    db.session.commit()
    assert run_reminders(db.session, today, [21, 7]) > 0
    db.session.commit()
    reminder = _sent("reminder", french.focal_point.email)
    _check(reminder, {"ACHPR", "parts", "compte", "rendre"})
    assert "Septième réunion annuelle des coordonnateurs" in reminder.body_text
    assert "(dans 21\u00a0jours)" in reminder.body_text or "(dans 21 jours)" in reminder.body_text
    assert (
        "Rendre compte de S" in reminder.body_html
        and "Rendre compte\u202f: http" in reminder.body_text
    )
    run_reminders(db.session, cutoff.date() + timedelta(days=1), [21, 7])
    db.session.commit()
    missing = _sent("missing_reports", french.coordinator.email)
    _check(missing, {"Sans", "compte", "rendu"})


def test_the_first_of_the_month_is_written_1er_in_a_french_reminder(app, french):
    first = date(2027, 3, 1)
    meeting = Meeting(
        title="Eighth meeting",
        held_on=first + timedelta(days=20),
        cutoff_at=datetime.combine(first, time(23, 59), UTC),
    )
    db.session.add(meeting)
    db.session.commit()
    run_reminders(db.session, first - timedelta(days=7), [7])
    db.session.commit()
    reminder = _sent("reminder", french.focal_point.email)
    assert "1er\u00a0mars 2027" in reminder.subject and "1er\u00a0mars 2027" in reminder.body_text
    assert "(dans 7\u00a0jours)" in reminder.body_text or "(dans 7 jours)" in reminder.body_text
    assert "Eighth meeting" in reminder.body_text  # no French title given: the English one


def test_blocker_messages_and_the_digest_are_in_french(app, french):
    blocker = services.raise_blocker(
        db.session,
        french.focal_point,
        factories.assignment("S4", "ACHPR"),
        category="resources",
        description=TYPED,
        help_organisation_id=factories.organisation("CoE").id,
        visibility="network",
    )
    db.session.commit()
    raised = _sent("blocker_raised", french.other_focal_point.email)
    _check(raised, {"ACHPR", "aide", "S4"})
    assert TYPED in raised.body_text
    services.act_on_blocker(
        db.session,
        french.coordinator,
        blocker,
        action="escalate",
        comment="Soumis au bureau",
        expected_version=blocker.version,
    )
    db.session.commit()
    changed = _sent("blocker_changed", french.focal_point.email)
    _check(changed, {"obstacle", "S4", "porté", "niveau", "supérieur"})
    french.coordinator.digest = "daily"
    db.session.commit()
    assert run_digests(db.session, utcnow().date()) == 1
    db.session.commit()
    digest = _sent("digest", french.coordinator.email)
    _check(digest, {"Plan", "travail", "nouvel", "événement"})
    assert french.coordinator.role == Role.COORDINATOR
