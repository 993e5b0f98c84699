"""The handover summary: a newcomer focal point's first visit shows what the organisation
owes, what was last reported on each share and the open blockers, until dismissed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests import factories
from tests.fixtures_dashboard import page_text
from workplan.extensions import db
from workplan.models import Assignment, BlockerStatus, Organisation, Role, User, Visibility
from workplan.models.base import utcnow

SUMMARY = "Taking over as focal point"


def _newcomer(users) -> User:  # type: ignore[no-untyped-def]
    """A second ACHPR focal point, invited after the first one had signed in."""
    predecessor = users.focal_point
    predecessor.created_at = utcnow() - timedelta(days=400)
    predecessor.last_sign_in_at = utcnow() - timedelta(days=30)
    db.session.commit()
    return factories.user(Role.FOCAL_POINT, "ACHPR", email="newcomer@example.org")


def test_newcomer_sees_the_summary_until_dismissed(users, client, act_as):
    newcomer = _newcomer(users)
    act_as(newcomer)
    first = page_text(client, "/my-organisation")
    assert SUMMARY in first
    assert "I have read this" in first
    response = client.post("/my-organisation/handover/dismiss")
    assert response.status_code == 302
    assert db.session.get(User, newcomer.id).handover_dismissed_at is not None
    act_as(db.session.get(User, newcomer.id))
    later = page_text(client, "/my-organisation")
    assert SUMMARY not in later
    # Still reachable from "my organisation", without the dismiss button.
    assert "/my-organisation?handover=1" in later
    asked = page_text(client, "/my-organisation?handover=1")
    assert SUMMARY in asked and "I have read this" not in asked


def test_not_shown_when_the_organisation_had_no_earlier_focal_point(users, client, act_as):
    # The first ACHPR focal point: nobody before them.
    act_as(users.focal_point)
    assert SUMMARY not in page_text(client, "/my-organisation")
    # A colleague invited with them who never signed in handed nothing over either.
    colleague = factories.user(Role.FOCAL_POINT, "CoE", email="colleague@example.org")
    act_as(colleague)
    assert SUMMARY not in page_text(client, "/my-organisation")


def test_summary_shows_owed_shares_last_reports_and_open_blockers(users, client, act_as):
    newcomer = _newcomer(users)
    s4 = factories.assignment("S4", "ACHPR")
    factories.progress_update(
        s4, users.focal_point, narrative="Older report OLD-NARRATIVE", at=utcnow() - timedelta(9)
    )
    factories.progress_update(
        s4,
        users.focal_point,
        status="on_hold",
        narrative="Latest report LATEST-NARRATIVE",
        visibility=Visibility.RESTRICTED,
        at=utcnow() - timedelta(2),
    )
    factories.blocker(s4, users.focal_point, description="OPEN-BLOCKER-MARK")
    factories.blocker(
        s4, users.focal_point, description="RESOLVED-BLOCKER-MARK", status=BlockerStatus.RESOLVED
    )
    other = factories.assignment("S4", "CoE")
    factories.blocker(other, users.other_focal_point, description="OTHER-ORG-BLOCKER")
    act_as(newcomer)
    page = page_text(client, "/my-organisation")
    summary = page[page.index(SUMMARY) : page.index('id="period-h"')]
    # Every share ACHPR owes is listed, each linking to its full history.
    shares = db.session.scalars(
        select(Assignment).join(Assignment.organisation).where(Organisation.code == "ACHPR")
    ).all()
    assert shares
    for share in shares:
        assert f"/plan/{share.recommendation.code}/ACHPR#history" in summary
    # The last report of S4 (restricted, but the newcomer's own organisation's) is shown.
    assert "LATEST-NARRATIVE" in summary and "OLD-NARRATIVE" not in summary
    assert "On hold" in summary
    assert "OPEN-BLOCKER-MARK" in summary
    assert "RESOLVED-BLOCKER-MARK" not in summary
    assert "OTHER-ORG-BLOCKER" not in summary
