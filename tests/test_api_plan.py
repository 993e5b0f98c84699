"""Reading the plan through the API: organisations, tasks with their shares as the caller
may see them, one task, a share's updates; paging; and restricted entries shown exactly
where the pages show them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import factories
from tests.fixtures_api import make_token
from workplan.models import Status, Visibility
from workplan.models.base import utcnow

MARK_UPDATE = "Qzapirestrictedupdate"
MARK_BLOCKER = "Qzapirestrictedblocker"
ROLES = ["coordinator", "focal_point", "other_focal_point", "observer", "admin"]
ALLOWED = {"coordinator", "focal_point"}  # focal_point: ACHPR's, whose share it is


@pytest.fixture
def reported(users):  # type: ignore[no-untyped-def]
    """ACHPR's share of S4: a network report (in progress, 30 %), then a newer restricted
    one (on hold), and a restricted blocker; CoE's share of S4 has a network blocker."""
    share = factories.assignment("S4", "ACHPR")
    now = utcnow()
    factories.progress_update(
        share,
        users.focal_point,
        Status.IN_PROGRESS,
        30,
        "Network report.",
        at=now - timedelta(days=2),
    )
    factories.progress_update(
        share,
        users.focal_point,
        Status.ON_HOLD,
        10,
        MARK_UPDATE,
        Visibility.RESTRICTED,
        at=now - timedelta(days=1),
    )
    factories.blocker(
        share, users.focal_point, description=MARK_BLOCKER, visibility=Visibility.RESTRICTED
    )
    factories.blocker(
        factories.assignment("S4", "CoE"), users.other_focal_point, description="Network blocker."
    )
    return share


def _share(task: dict, org: str) -> dict:
    return next(s for s in task["responsible"] if s["org"] == org)


def test_organisations_in_network_order_with_their_names(users, api, token_of):
    answer = api.get("/organisations", token_of("observer"))
    assert answer.status_code == 200
    items = answer.get_json()
    codes = [o["code"] for o in items]
    assert codes[:2] == ["ACHPR", "AfHPR"]
    assert "ECOWAS CJ" in codes
    achpr = items[0]
    assert achpr["name"] == "African Commission on Human and Peoples' Rights"
    assert achpr["name_fr"].startswith("Commission africaine")
    assert achpr["kind"] == "rhrm" and achpr["region"] == "Africa"
    assert answer.headers["X-Total-Count"] == str(len(items))


def test_tasks_are_paged_with_a_total_and_links(users, api, token_of):
    token = token_of("observer")
    everything = api.get("/tasks?per_page=100", token).get_json()
    first = api.get("/tasks?per_page=5", token)
    second = api.get("/tasks?per_page=5&page=2", token)
    total = int(first.headers["X-Total-Count"])
    assert total == len(everything) > 10
    assert [t["code"] for t in first.get_json()] == [t["code"] for t in everything[:5]]
    assert [t["code"] for t in second.get_json()] == [t["code"] for t in everything[5:10]]
    links = first.headers["Link"]
    assert 'page=2&per_page=5>; rel="next"' in links or 'per_page=5&page=2>; rel="next"' in links
    assert 'rel="prev"' not in links and 'rel="last"' in links
    assert 'rel="prev"' in second.headers["Link"]
    past_the_end = api.get("/tasks?per_page=5&page=999", token)
    assert past_the_end.status_code == 200 and past_the_end.get_json() == []
    too_many = api.get("/tasks?per_page=1000", token)
    assert too_many.status_code == 422
    assert "per_page" in too_many.get_json()["error"]["fields"]


def test_tasks_filter_by_term_organisation_and_status(reported, api, token_of):
    token = token_of("coordinator")
    mid = api.get("/tasks?term=mid&per_page=100", token).get_json()
    assert mid and {t["term"] for t in mid} == {"mid"}
    with_ecowas = api.get("/tasks?org=ECOWAS%20CJ&per_page=100", token).get_json()
    assert with_ecowas
    assert all(any(s["org"] == "ECOWAS CJ" for s in t["responsible"]) for t in with_ecowas)
    # S4 rolls up from what each caller may see: on hold for the coordinator (ACHPR's
    # restricted report), in progress for an observer (ACHPR's network report).
    on_hold = api.get("/tasks?status=on_hold&per_page=100", token).get_json()
    assert [t["code"] for t in on_hold] == ["S4"]
    observer = token_of("observer")
    in_progress = api.get("/tasks?status=in_progress&per_page=100", observer).get_json()
    assert [t["code"] for t in in_progress] == ["S4"]
    assert api.get("/tasks?status=on_hold", observer).get_json() == []
    assert api.get("/tasks?status=nonsense", token).status_code == 422


def test_task_shows_text_shares_and_open_blockers(reported, api, token_of):
    task = api.get("/tasks/s4", token_of("focal_point")).get_json()
    assert task["code"] == "S4" and task["term"] == "short"
    assert task["text"].startswith("Information regarding countries")
    achpr = _share(task, "ACHPR")
    assert achpr["lead"] is True
    assert achpr["status"] == "on_hold" and achpr["progress"] == 10
    assert achpr["blocked"] is True
    assert achpr["version"] == reported.version  # ACHPR's focal point may write to it
    assert _share(task, "CoE")["version"] is None  # but not to CoE's
    assert _share(task, "CoE")["blocked"] is True
    assert {b["description"] for b in task["blockers"]} == {MARK_BLOCKER, "Network blocker."}
    assert api.get("/tasks/Z99", token_of("focal_point")).status_code == 404


def test_updates_of_a_share_newest_first(reported, users, api, token_of):
    answer = api.get("/tasks/S4/assignments/achpr/updates", token_of("coordinator"))
    items = answer.get_json()
    assert [u["narrative"] for u in items] == [MARK_UPDATE, "Network report."]
    assert items[0]["visibility"] == "restricted" and items[0]["status"] == "on_hold"
    assert items[1]["progress"] == 30
    assert items[1]["author"] == users.focal_point.name
    # Organisation codes with a space travel URL-encoded.
    ecowas = api.get("/tasks/S2/assignments/ECOWAS%20CJ/updates", token_of("coordinator"))
    assert ecowas.status_code == 200 and ecowas.get_json() == []
    unknown = api.get("/tasks/S4/assignments/NOPE/updates", token_of("coordinator"))
    assert unknown.status_code == 404
    assert unknown.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("role", ROLES)
def test_restricted_entries_only_where_the_pages_show_them(
    reported, client, act_as, users, api, role
):
    person = getattr(users, role)
    act_as(person)
    page = client.get("/plan/S4/ACHPR").get_data(as_text=True)
    page_shows = MARK_UPDATE in page
    assert page_shows == (role in ALLOWED)  # the pages' rule, checked here too

    token = make_token(person)
    updates = api.get("/tasks/S4/assignments/ACHPR/updates", token).get_json()
    task = api.get("/tasks/S4", token).get_json()
    tasks = api.get("/tasks?per_page=100", token).get_data(as_text=True)
    blockers = api.get("/blockers", token).get_data(as_text=True)
    seen = {
        "updates": any(u["narrative"] == MARK_UPDATE for u in updates),
        "task blockers": any(b["description"] == MARK_BLOCKER for b in task["blockers"]),
        "blockers": MARK_BLOCKER in blockers,
    }
    assert seen == dict.fromkeys(seen, page_shows)
    # The share's state: the restricted report (on hold) only for those who may read it;
    # everyone else sees the newest report they may read (in progress, 30 %).
    achpr = _share(task, "ACHPR")
    expected = ("on_hold", 10) if page_shows else ("in_progress", 30)
    assert (achpr["status"], achpr["progress"]) == expected
    assert MARK_UPDATE not in tasks
    assert any(u["narrative"] == "Network report." for u in updates)  # a positive control
