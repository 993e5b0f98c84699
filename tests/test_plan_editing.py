"""The coordinator revises the plan in the browser: versioned edits with their audit
entries, responsibilities, new and retired recommendations, new organisations; and a share
ended before a meeting's cut-off leaves that meeting's state but not earlier ones."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tests import factories
from workplan.extensions import db
from workplan.models import AuditEntry, Organisation, Recommendation, RecommendationVersion
from workplan.plan import seeding, shares
from workplan.state.snapshot import snapshot_at

EDIT = {
    "title": "Mailing list of focal points",
    "text": "Creation of an emailing list of focal points for cooperation between United "
    "Nations and RHRMs",
    "title_fr": "Liste de diffusion des points focaux",
    "text_fr": "",
    "term": "short",
    "target_date": "2014-06-30",
    "note": "A title a person would write",
}


def _rec(code: str) -> Recommendation:
    return db.session.scalar(select(Recommendation).where(Recommendation.code == code))


def _versions(code: str) -> list[RecommendationVersion]:
    return list(
        db.session.scalars(
            select(RecommendationVersion)
            .join(Recommendation, RecommendationVersion.recommendation_id == Recommendation.id)
            .where(Recommendation.code == code)
            .order_by(RecommendationVersion.number)
        )
    )


def test_an_edit_is_a_new_version_with_who_why_and_an_audit_entry(client, users, act_as):
    act_as(users.coordinator)
    page = client.get("/plan/S1/edit")
    assert page.status_code == 200 and 'name="version" type="hidden" value="1"' in page.text
    response = client.post("/plan/S1/edit", data={**EDIT, "version": "1"})
    assert response.status_code == 302, response.text[:500]
    versions = _versions("S1")
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].title == "Creation of an emailing list"  # the annex's wording stays
    assert versions[1].title == EDIT["title"] and versions[1].note == EDIT["note"]
    assert versions[1].created_by_id == users.coordinator.id
    assert _rec("S1").title_fr == EDIT["title_fr"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "edit_recommendation"))
    assert entry.actor_id == users.coordinator.id
    assert entry.before["title"] == "Creation of an emailing list"
    assert entry.after["title"] == EDIT["title"] and entry.after["version"] == 2
    shown = client.get("/plan/S1").text
    assert "Version 2" in shown and "<ins>Mailing list</ins>" in shown
    assert "<del>Creation</del>" in shown and "<del>an emailing list</del>" in shown


def test_an_edit_on_an_old_version_is_a_conflict_that_keeps_what_was_typed(client, users, act_as):
    act_as(users.coordinator)
    assert client.post("/plan/S1/edit", data={**EDIT, "version": "1"}).status_code == 302
    late = client.post("/plan/S1/edit", data={**EDIT, "title": "My own title", "version": "1"})
    assert late.status_code == 409
    assert "Someone else saved this recommendation" in late.text
    assert 'value="My own title"' in late.text
    assert len(_versions("S1")) == 2


def test_a_rejected_edit_keeps_what_was_typed(client, users, act_as):
    act_as(users.coordinator)
    response = client.post(
        "/plan/S1/edit", data={**EDIT, "title": "Typed title", "note": "", "version": "1"}
    )
    assert response.status_code == 400 and 'value="Typed title"' in response.text
    assert len(_versions("S1")) == 1


@pytest.mark.parametrize("who", ["focal_point", "observer", "admin"])
def test_only_the_coordinator_changes_the_plan(client, users, act_as, who):
    act_as(getattr(users, who))
    assert client.get("/plan/S1/edit").status_code == 403
    assert client.post("/plan/S1/edit", data={**EDIT, "version": "1"}).status_code == 403
    assert client.post("/plan/S1/retire", data={"reason": "done"}).status_code == 403
    assert client.get("/plan/revise").status_code == 403
    assert len(_versions("S1")) == 1


def test_responsibilities_change_and_an_ended_share_leaves_the_current_plan(client, users, act_as):
    act_as(users.coordinator)
    added = client.post("/plan/S1/responsibilities/add", data={"organisation": "ACHPR"})
    assert added.status_code == 302
    share = factories.assignment("S1", "ACHPR")
    lead = client.post(
        "/plan/S1/responsibilities/ACHPR/lead", data={"lead": "1", "version": share.version}
    )
    assert lead.status_code == 302 and factories.assignment("S1", "ACHPR").is_lead
    m12 = factories.assignment("M12", "HRTD")
    ended = client.post(
        "/plan/M12/responsibilities/HRTD/end",
        data={"reason": "Treaty bodies share their lists themselves", "version": m12.version},
    )
    assert ended.status_code == 302
    page = client.get("/plan/M12").text
    assert "ended on" in page and "Treaty bodies share their lists themselves" in page
    assert "/organisations/HRTD" not in client.get("/plan").text.split('id="rec-M12"')[1][:600]
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-3:] == ["add_share", "set_lead", "end_share"]


def test_a_stale_share_form_is_refused(client, users, act_as):
    act_as(users.coordinator)
    share = factories.assignment("M12", "HRTD")
    old = share.version
    shares.set_lead(db.session, users.coordinator, share, True)
    db.session.commit()
    client.post("/plan/M12/responsibilities/HRTD/end", data={"reason": "x", "version": old})
    assert factories.assignment("M12", "HRTD").ended_at is None


def test_new_and_retired_recommendations_and_a_new_organisation(client, users, act_as):
    act_as(users.coordinator)
    new = client.post(
        "/plan/new",
        data={"term": "mid", "title": "Joint webinars", "text": "Hold joint webinars.",
              "note": "Agreed at the second meeting"},
    )  # fmt: skip
    assert new.status_code == 302 and _rec("M14") is not None  # the next free code
    org = client.post(
        "/organisations/new",
        data={"code": "EACJ", "name": "East African Court of Justice",
              "name_fr": "Cour de justice de l'Afrique de l'Est", "kind": "rhrm",
              "region": "Africa"},
    )  # fmt: skip
    assert org.status_code == 302
    assert db.session.scalar(select(Organisation).where(Organisation.code == "EACJ")) is not None
    retired = client.post("/plan/S7/retire", data={"reason": "The portal exists"})
    assert retired.status_code == 302
    assert _rec("S7").retired_at is not None
    assert factories.assignment("S7", "NIRMS").ended_at is not None
    codes = [t["code"] for t in seeding.export_plan(db.session)["tasks"]]
    assert "S7" not in codes and "M14" in codes
    assert 'id="rec-S7"' not in client.get("/plan").text
    assert "The portal exists" in client.get("/plan/S7").text  # kept with its history


def test_a_share_ended_before_a_cutoff_is_absent_from_that_meeting_and_present_before(
    seeded, users
):
    share = factories.assignment("M12", "HRTD")
    first_cutoff = datetime(2013, 12, 1, tzinfo=UTC)
    ended_at = datetime(2014, 3, 1, tzinfo=UTC)
    later_cutoff = datetime(2014, 12, 1, tzinfo=UTC)
    factories.progress_update(share, status="in_progress", at=datetime(2013, 6, 1, tzinfo=UTC))
    shares.end_share(db.session, users.coordinator, share, "Merged into M11", at=ended_at)
    db.session.commit()

    def has_share(at: datetime) -> bool:
        snapshot = snapshot_at(db.session, at, internal=True)
        return share.id in snapshot.by_assignment()

    assert has_share(first_cutoff)
    assert has_share(ended_at.replace(day=1, month=2))
    assert not has_share(ended_at)
    assert not has_share(later_cutoff)


def test_setup_records_the_seed_titles_as_the_coordinators_first_edit(app, runner):
    result = runner.invoke(args=["setup", "--coordinator-email", "c@example.org"])
    assert result.exit_code == 0, result.output
    assert "26 recommendations their short titles" in result.output
    titles = dict(db.session.execute(select(Recommendation.code, Recommendation.title)).all())
    assert titles["S4"] == "Regional input to the UPR and notice of its calendar"
    assert all("…" not in title for title in titles.values())
    second = _versions("S4")
    assert [v.number for v in second] == [1, 2] and "…" in second[0].title
    assert second[1].created_by_id is not None
    counts = db.session.scalar(select(func.count(RecommendationVersion.id)))
    again = runner.invoke(args=["setup", "--coordinator-email", "c@example.org"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count(RecommendationVersion.id))) == counts


def test_the_meeting_report_after_the_end_leaves_the_share_out_and_the_earlier_keeps_it(
    seeded, users
):
    from workplan.models import Meeting
    from workplan.reports import kinds

    earlier = Meeting(
        title="Second meeting", held_on=date(2013, 12, 10),
        cutoff_at=datetime(2013, 12, 1, tzinfo=UTC),
    )  # fmt: skip
    later = Meeting(
        title="Third meeting", held_on=date(2014, 12, 10),
        cutoff_at=datetime(2014, 12, 1, tzinfo=UTC),
    )  # fmt: skip
    db.session.add_all([earlier, later])
    share = factories.assignment("M12", "HRTD")
    shares.end_share(
        db.session, users.coordinator, share, "Merged", at=datetime(2014, 3, 1, tzinfo=UTC)
    )
    db.session.commit()

    def not_reported(meeting: Meeting) -> set[tuple[str, str]]:
        report = kinds.meeting_report(db.session, meeting, language="en", internal=True)
        rows = next(t for t in report.sheets if t.sheet == "Not reported").rows
        return {(r[0], r[1]) for r in rows}

    assert ("HRTD", "M12") in not_reported(earlier)
    later_rows = not_reported(later)
    assert ("HRTD", "M12") not in later_rows and ("HRTD", "S2") in later_rows


def test_nobody_reports_on_an_ended_share(seeded, users):
    from workplan.permissions import can

    share = factories.assignment("S4", "ACHPR")
    assert can(users.focal_point, "write_assignment", share)
    shares.end_share(db.session, users.coordinator, share, "Left the UPR work")
    db.session.commit()
    assert not can(users.focal_point, "write_assignment", share)
    assert not can(users.coordinator, "write_assignment", share)
