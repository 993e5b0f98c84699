"""Focal points raise blockers; the coordinator acknowledges, comments, escalates, resolves."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlalchemy import select

from tests import factories
from tests.fixtures_reporting import snapshot
from workplan.extensions import db
from workplan.models import AuditEntry, Blocker, BlockerEvent
from workplan.models.base import utcnow


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _raise(client, url, **fields):  # type: ignore[no-untyped-def]
    data = {
        "raise-category": "resources",
        "raise-description": "No travel budget until March.",
        "raise-help_organisation": "0",
        "raise-visibility": "network",
        **fields,
    }
    return client.post(url + "/blockers", data=data)


def _act(client, blocker, action, comment="", version=None, **extra):  # type: ignore[no-untyped-def]
    prefix = f"blocker-{blocker.id}-"
    data = {
        prefix + "action": action,
        prefix + "comment": comment,
        prefix + "version": str(version if version is not None else blocker.version),
        **extra,
    }
    return client.post(f"/blockers/{blocker.id}", data=data)


def test_focal_point_raises_a_blocker_and_the_coordinator_resolves_it(
    client, users, act_as, share, share_url
):
    coe = factories.organisation("CoE")
    act_as(users.focal_point)
    response = _raise(client, share_url, **{"raise-help_organisation": str(coe.id)})
    assert response.status_code == 302
    blocker = db.session.scalars(select(Blocker)).one()
    assert (blocker.status, blocker.raised_by_id, blocker.help_organisation_id) == (
        "open",
        users.focal_point.id,
        coe.id,
    )
    page = _text(client.get(share_url))
    assert "No travel budget until March." in page and "Help needed from: Council of Europe" in page

    act_as(users.coordinator)
    listing = _text(client.get("/blockers"))
    assert "No travel budget until March." in listing and "S4" in listing
    assert _act(client, blocker, "acknowledge").status_code == 302
    db.session.expire_all()
    assert _act(client, blocker, "comment", "Asking the donors.").status_code == 302
    db.session.expire_all()
    response = _act(client, blocker, "resolve", "Budget found.", next="/blockers")
    assert response.status_code == 302 and response.headers["Location"].endswith("/blockers")
    db.session.expire_all()
    blocker = db.session.get(Blocker, blocker.id)
    assert blocker.status == "resolved" and blocker.resolved_at is not None
    assert [e.action for e in blocker.events] == ["acknowledge", "comment", "resolve"]
    assert [a.action for a in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))] == [
        "blocker.raise",
        "blocker.acknowledge",
        "blocker.comment",
        "blocker.resolve",
    ]
    assert "No travel budget" not in _text(client.get("/blockers"))

    # The raiser sees what happened, on "my organisation" and on the assignment page.
    act_as(users.focal_point)
    mine = _text(client.get("/my-organisation"))
    assert "Resolved" in mine and "Budget found." in mine and "Asking the donors." in mine
    assignment_page = _text(client.get(share_url))
    assert "resolved the blocker" in assignment_page


def test_open_blockers_show_with_their_age_on_plan_pages(client, users, act_as, share):
    factories.blocker(
        share,
        users.focal_point,
        description="Waiting for the minister.",
        at=utcnow() - timedelta(days=21),
    )
    factories.blocker(share, users.focal_point, description="Old and solved.", status="resolved")
    act_as(users.observer)
    for path in ("/plan/S4", "/organisations/ACHPR", "/plan/S4/ACHPR"):
        page = _text(client.get(path))
        section = page[page.index("Open blockers") :]
        section = section[: section.index("</section>")]
        assert "Waiting for the minister." in section, path
        assert "3 weeks ago" in section, path
        assert "Old and solved." not in section, path
    assert "Open blockers (0)" in _text(client.get("/organisations/CoE"))


def test_restricted_blockers_are_hidden_from_observers_and_other_orgs(
    client, users, act_as, share, share_url
):
    act_as(users.focal_point)
    _raise(
        client,
        share_url,
        **{"raise-description": "Sensitive matter.", "raise-visibility": "restricted"},
    )
    blocker = db.session.scalars(select(Blocker)).one()
    for person in (users.observer, users.other_focal_point):
        act_as(person)
        for path in (
            "/plan/S4",
            "/organisations/ACHPR",
            share_url,
            "/blockers",
            "/plan/S4/history",
        ):
            assert "Sensitive matter." not in _text(client.get(path)), (person.email, path)
        before = snapshot()
        assert _act(client, blocker, "comment", "peek").status_code == 404
        assert snapshot() == before
    act_as(users.coordinator)
    assert "Sensitive matter." in _text(client.get("/blockers"))


def test_invalid_blocker_is_shown_again_with_the_text(client, users, act_as, share, share_url):
    act_as(users.focal_point)
    before = snapshot()
    response = _raise(
        client, share_url, **{"raise-description": "   ", "raise-category": "weather"}
    )
    assert response.status_code == 422
    page = _text(response)
    assert "Describe the obstacle in a few words." in page
    assert "Not a valid choice" in page
    assert snapshot() == before


def test_a_stale_blocker_action_is_refused_with_a_409(client, users, act_as, share):
    blocker = factories.blocker(share, users.focal_point)
    second = factories.user("coordinator", "NIRMS", name="Second Coordinator")
    act_as(second)
    assert _act(client, blocker, "escalate", "To the High Commissioner.").status_code == 302
    act_as(users.coordinator)
    before = snapshot()
    response = _act(client, blocker, "resolve", "My careful resolution", version=1)
    page = _text(response)
    assert response.status_code == 409
    assert "Someone else acted on this blocker meanwhile" in page and "Escalated" in page
    assert "My careful resolution</textarea>" in page
    assert snapshot() == before
    version = re.search(
        rf'name="blocker-{blocker.id}-version" type="hidden" value="(\d+)"', page
    ).group(1)
    assert _act(client, blocker, "resolve", "ok", version=int(version)).status_code == 302


def test_coordinator_can_reopen_and_focal_point_can_only_comment(client, users, act_as, share):
    blocker = factories.blocker(share, users.focal_point, status="resolved")
    act_as(users.focal_point)
    before = snapshot()
    assert _act(client, blocker, "reopen").status_code == 422
    assert snapshot() == before
    assert _act(client, blocker, "comment", "Thanks!").status_code == 302
    act_as(users.coordinator)
    db.session.expire_all()
    assert _act(client, blocker, "reopen").status_code == 302
    db.session.expire_all()
    assert db.session.get(Blocker, blocker.id).status == "open"
    assert [e.action for e in db.session.scalars(select(BlockerEvent))] == ["comment", "reopen"]


def _action_select(page: str, blocker) -> str:  # type: ignore[no-untyped-def]
    start = page.index(f'id="blocker-{blocker.id}-action"')
    return page[start : page.index("</select>", start)]


def test_a_resolved_blocker_can_be_reopened_from_the_assignment_page(
    client, users, act_as, share, share_url
):
    blocker = factories.blocker(
        share, users.focal_point, description="Solved last year.", status="resolved"
    )
    act_as(users.coordinator)
    page = _text(client.get(share_url))
    resolved = page[page.index('<details class="resolved-blockers"') :]
    resolved = resolved[: resolved.index("</details>")]
    assert "Resolved blockers (1)" in resolved and "Solved last year." in resolved
    assert f'action="/blockers/{blocker.id}"' in resolved
    assert '<option value="reopen">Reopen</option>' in _action_select(resolved, blocker)
    assert _act(client, blocker, "reopen", "It is back.").status_code == 302
    db.session.expire_all()
    assert db.session.get(Blocker, blocker.id).status == "open"
    page = _text(client.get(share_url))
    assert "Open blockers (1)" in page and "resolved-blockers" not in page


def test_the_action_list_of_an_escalated_blocker_chooses_nothing_in_advance(
    client, users, act_as, share, share_url
):
    blocker = factories.blocker(share, users.focal_point, status="escalated")
    act_as(users.coordinator)
    for url in (share_url, "/blockers"):
        select_html = _action_select(_text(client.get(url)), blocker)
        options = re.findall(r"<option([^>]*)>([^<]*)</option>", select_html)
        assert options[0] == (' value=""', "Choose an action…"), url
        assert [text for _attrs, text in options[1:]] == ["Resolve", "Comment only"], url
        assert "selected" not in select_html, url


def test_an_action_posted_without_choosing_one_changes_nothing(client, users, act_as, share):
    blocker = factories.blocker(share, users.focal_point, status="escalated")
    act_as(users.coordinator)
    before = snapshot()
    prefix = f"blocker-{blocker.id}-"
    for chosen in ({prefix + "action": ""}, {}):  # the empty choice, or no field at all
        data = {prefix + "comment": "", prefix + "version": str(blocker.version), **chosen}
        response = client.post(f"/blockers/{blocker.id}", data=data)
        assert response.status_code == 422
        assert "Choose an action." in _text(response)
        assert snapshot() == before
