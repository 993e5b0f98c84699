"""Revising the plan in one step: a modified copy of the plan export and of the annex shows
exactly the differences made, and only the accepted ones are applied."""

from __future__ import annotations

import copy
import html
import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from tests import factories
from workplan.extensions import db
from workplan.models import AuditEntry, Meeting, PlanRevision, Recommendation
from workplan.plan import seeding
from workplan.revisions.differences import apply_revision, differences
from workplan.revisions.sources import read_source

ANNEX = Path(__file__).resolve().parent.parent / "seeds" / "source_document.txt"


def _meeting() -> Meeting:
    meeting = Meeting(
        title="Second annual meeting",
        held_on=date(2013, 12, 10),
        cutoff_at=datetime(2013, 12, 1, tzinfo=UTC),
    )
    db.session.add(meeting)
    db.session.commit()
    return meeting


def _modified_export() -> dict:
    plan = copy.deepcopy(seeding.export_plan(db.session))
    plan["tasks"].append(
        {
            "code": "S10",
            "term": "short",
            "title": "Annual cooperation report",
            "text": "An annual report on cooperation should be published.",
            "responsible": [{"org": "NIRMS", "lead": True}],
        }
    )
    s1 = next(t for t in plan["tasks"] if t["code"] == "S1")
    s1["responsible"].append({"org": "ACHPR", "lead": False})
    plan["organisations"] = [o for o in plan["organisations"] if o["code"] != "AHRC"]
    for task in plan["tasks"]:
        task["responsible"] = [s for s in task["responsible"] if s["org"] != "AHRC"]
    return plan


def test_the_export_unchanged_has_no_difference(seeded):
    data = json.dumps(seeding.export_plan(db.session)).encode()
    assert differences(db.session, read_source(db.session, "plan.json", data)) == []


def test_a_modified_export_shows_exactly_its_differences_and_applies_the_accepted(seeded, users):
    meeting = _meeting()
    data = json.dumps(_modified_export()).encode()
    found = differences(db.session, read_source(db.session, "plan.json", data))
    assert sorted(d.id for d in found) == ["new:S10", "org-:AHRC", "share+:S1:ACHPR"]
    ahrc_shares = len(seeding.export_plan(db.session)["tasks"])  # checked below by absence

    revision = apply_revision(
        db.session, users.coordinator, meeting, found, {"new:S10", "org-:AHRC"}, "plan.json"
    )
    db.session.commit()

    plan = seeding.export_plan(db.session)
    codes = [t["code"] for t in plan["tasks"]]
    assert "S10" in codes and len(codes) == ahrc_shares + 1
    s10 = next(t for t in plan["tasks"] if t["code"] == "S10")
    assert s10["responsible"] == [{"org": "NIRMS", "lead": True}]
    assert all(s["org"] != "AHRC" for t in plan["tasks"] for s in t["responsible"])
    s1 = next(t for t in plan["tasks"] if t["code"] == "S1")
    assert [s["org"] for s in s1["responsible"]] == ["NIRMS"]  # the rejected point
    # AHRC's shares are ended, not deleted: their history stays.
    ended = factories.assignment("M11", "AHRC")
    assert ended.ended_at is not None and "AHRC left the network" in ended.ended_reason
    stored = db.session.get(PlanRevision, revision.id)
    assert stored.meeting_id == meeting.id
    assert sorted(p["id"] for p in stored.applied) == ["new:S10", "org-:AHRC"]
    assert stored.rejected == ["share+:S1:ACHPR"]
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"apply_plan_revision", "add_recommendation", "end_share"} <= actions
    # Applied once, the file now differs only by the point rejected.
    again = differences(db.session, read_source(db.session, "plan.json", data))
    assert [d.id for d in again] == ["share+:S1:ACHPR"]


def _modified_annex() -> str:
    text = ANNEX.read_text(encoding="utf-8")
    changes = [
        (  # a changed responsibility: ACHPR joins S7
            "**Implementation: focal point OHCHR NIRMS.**",
            "**Implementation: focal point OHCHR NIRMS and focal points ACHPR.**",
        ),
        (  # an organisation removed from S5
            "**Implementation: focal points ACHPR, IACHR, CoE, ODIHR and focal points SPB, HRTD.**",
            "**Implementation: focal points ACHPR, IACHR, CoE and focal points SPB, HRTD.**",
        ),
        (  # an added long-term recommendation, after the last one
            "RDD, UPR, and FOTCD.**",
            "RDD, UPR, and FOTCD.**\n\nAn annual **report on cooperation** should be published "
            "by the network.\n\n**Implementation: focal point OHCHR NIRMS.**",
        ),
    ]
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_a_modified_annex_shows_exactly_its_differences(seeded, users):
    meeting = _meeting()
    proposal = read_source(db.session, "annex.txt", _modified_annex().encode())
    found = differences(db.session, proposal)
    assert sorted(d.id for d in found) == ["new:L5", "share+:S7:ACHPR", "share-:S5:ODIHR"]
    new = next(d for d in found if d.kind == "new")
    assert new.after["responsible"] == [{"org": "NIRMS", "lead": False}]

    apply_revision(db.session, users.coordinator, meeting, found, {"new:L5", "share-:S5:ODIHR"})
    db.session.commit()
    after = differences(db.session, read_source(db.session, "a.txt", _modified_annex().encode()))
    assert [d.id for d in after] == ["share+:S7:ACHPR"]
    rec = db.session.scalar(select(Recommendation).where(Recommendation.code == "L5"))
    assert rec is not None and rec.term == "long" and "report on cooperation" in rec.text
    assert factories.assignment("S5", "ODIHR").ended_at is not None


def test_the_command_lists_then_applies_for_the_meeting(seeded, runner, tmp_path):
    meeting = _meeting()
    path = tmp_path / "revised.json"
    path.write_text(json.dumps(_modified_export()), encoding="utf-8")
    listed = runner.invoke(args=["plan", "import-revision", str(path), "--meeting", meeting.id])
    assert listed.exit_code == 0, listed.output
    assert "new:S10" in listed.output and "3 difference(s)" in listed.output
    assert db.session.scalar(select(PlanRevision.id)) is None
    applied = runner.invoke(
        args=["plan", "import-revision", str(path), "--meeting", str(meeting.id), "--apply",
              "--reject", "org-:AHRC"]
    )  # fmt: skip
    assert applied.exit_code == 0, applied.output
    assert "Applied 2 difference(s)" in applied.output
    db.session.expire_all()
    assert factories.assignment("S1", "ACHPR").ended_at is None
    assert factories.assignment("M11", "AHRC").ended_at is None


def test_the_spreadsheet_template_reads_back_as_the_plan(seeded):
    from workplan.revisions.sources import template_csv, template_xlsx

    csv_data = template_csv(db.session).encode()
    assert differences(db.session, read_source(db.session, "plan.csv", csv_data)) == []
    xlsx = template_xlsx(db.session)
    assert differences(db.session, read_source(db.session, "plan.xlsx", xlsx)) == []
    changed = csv_data.decode().replace("Creation of an emailing list", "Mailing list", 1)
    found = differences(db.session, read_source(db.session, "plan.csv", changed.encode()))
    assert [d.id for d in found] == ["text:S1"]


def test_the_revision_page_shows_the_differences_and_applies_only_the_accepted(
    client, users, act_as
):
    meeting = _meeting()
    act_as(users.coordinator)
    assert client.get("/plan/revise").status_code == 200
    data = json.dumps(_modified_export()).encode()
    page = client.post(
        "/plan/revise",
        data={"meeting": str(meeting.id), "file": (io.BytesIO(data), "revised.json")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200, page.text[:500]
    boxes = re.findall(r'name="accept" value="([^"]+)"', page.text)
    assert sorted(boxes) == ["new:S10", "org-:AHRC", "share+:S1:ACHPR"]
    proposal = html.unescape(
        re.search(r'name="proposal" type="hidden" value="([^"]*)"', page.text)[1]
    )
    applied = client.post(
        "/plan/revise/apply",
        data={"meeting": str(meeting.id), "proposal": proposal, "source_name": "revised.json",
              "accept": ["share+:S1:ACHPR"]},
    )  # fmt: skip
    assert applied.status_code == 302, applied.text[:500]
    assert factories.assignment("S1", "ACHPR").ended_at is None
    assert factories.assignment("M11", "AHRC").ended_at is None
    assert "S10" not in [t["code"] for t in seeding.export_plan(db.session)["tasks"]]
    revision = db.session.scalar(select(PlanRevision))
    assert revision.applied_by_id == users.coordinator.id
    assert sorted(revision.rejected) == ["new:S10", "org-:AHRC"]


def test_the_spreadsheet_template_downloads(client, users, act_as):
    act_as(users.coordinator)
    response = client.get("/plan/revise/template.csv")
    assert response.status_code == 200
    assert response.text.splitlines()[0].startswith("code,term,title,text")
    assert "Creation of an emailing list" in response.text
