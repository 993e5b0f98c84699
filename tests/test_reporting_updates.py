"""Focal points report progress on their organisation's assignments; nothing is ever lost."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests import factories
from tests.fixtures_reporting import PDF, PNG, post_update, snapshot
from workplan.extensions import db
from workplan.models import (
    Assignment,
    Attachment,
    AuditEntry,
    BlockerEvent,
    Meeting,
    ProgressUpdate,
    Status,
)
from workplan.models.base import utcnow
from workplan.reporting import services


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_focal_point_lands_on_my_organisation_with_cutoff_and_stale_assignments(
    client, users, sign_in, share
):
    now = utcnow()
    db.session.add_all(
        [
            Meeting(
                title="Fifth meeting",
                held_on=(now - timedelta(days=20)).date(),
                cutoff_at=now - timedelta(days=30),
            ),
            Meeting(
                title="Sixth meeting",
                held_on=(now + timedelta(days=60)).date(),
                cutoff_at=now + timedelta(days=40),
            ),
        ]
    )
    db.session.commit()
    factories.progress_update(
        factories.assignment("S5", "ACHPR"),
        users.focal_point,
        status=Status.IN_PROGRESS,
        at=now - timedelta(days=2),
    )
    response = sign_in(users.focal_point)
    assert response.headers["Location"].endswith("/")
    landing = client.get("/", follow_redirects=True)
    page = _text(landing)
    assert landing.request.path == "/my-organisation"
    assert "African Commission on Human and Peoples' Rights" in page
    assert "Next reporting cut-off" in page and "Sixth meeting" in page
    s4 = page[page.index(">S4<") :]
    s4 = s4[: s4.index("</li>")]
    s5 = page[page.index(">S5<") :]
    s5 = s5[: s5.index("</li>")]
    assert "Not updated since the last meeting" in s4
    assert "Not updated since the last meeting" not in s5
    assert 'href="/plan/S4/ACHPR#report"' in page
    # Grouped by term, then status: S5 (in progress) under its own status heading.
    assert page.index("Short-term recommendations") < page.index("In progress (1)")
    # The nav marks where we are.
    assert 'href="/my-organisation" aria-current="page"' in page


def test_observer_and_coordinator_land_on_the_plan(client, users, act_as):
    act_as(users.observer)
    assert client.get("/").headers["Location"].endswith("/plan")
    assert client.get("/my-organisation").headers["Location"].endswith("/plan")


def test_focal_point_reports_progress_and_the_assignment_follows(
    client, users, act_as, share, share_url
):
    act_as(users.focal_point)
    response = post_update(
        client,
        share_url,
        status="in_progress",
        progress="40",
        narrative="Translated **the guide**.\n\n<script>alert(1)</script>",
        evidence_links="https://achpr.example.org/guide\n\nhttp://example.org/b",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assignment = db.session.get(Assignment, share.id)
    assert (assignment.status, assignment.progress, assignment.version) == ("in_progress", 40, 2)
    entry = db.session.scalars(select(ProgressUpdate)).one()
    assert entry.author_id == users.focal_point.id
    assert entry.evidence_links == ["https://achpr.example.org/guide", "http://example.org/b"]
    assert assignment.last_update_at == entry.created_at
    audit = db.session.scalars(select(AuditEntry)).one()
    assert audit.action == "update.record"
    assert audit.before["status"] == "not_started" and audit.after["status"] == "in_progress"

    page = client.get(share_url).get_data(as_text=True)
    assert "<strong>the guide</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "Not started → <strong>In progress</strong>" in page
    assert "Your report is saved." in page


def _section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


def test_the_confirmation_is_shown_where_the_person_lands(client, users, act_as, share, share_url):
    act_as(users.focal_point)
    response = post_update(client, share_url, narrative="Survey sent.")
    fragment = response.headers["Location"].rsplit("#", 1)[1]
    page = _text(client.get(share_url))
    assert "Your report is saved." in _section(page, fragment)
    assert page.count("Your report is saved.") == 1  # not also at the top, out of view

    response = client.post(
        share_url + "/blockers",
        data={
            "raise-category": "resources",
            "raise-description": "No budget.",
            "raise-help_organisation": "0",
            "raise-visibility": "network",
        },
    )
    fragment = response.headers["Location"].rsplit("#", 1)[1]
    page = _text(client.get(share_url))
    assert "The blocker is raised." in _section(page, fragment)


def test_a_message_for_a_section_the_page_lacks_is_shown_at_the_top(app, client, users, act_as):
    act_as(users.focal_point)
    with client.session_transaction() as session:
        session["_flashes"] = [("success@history", "Saved elsewhere.")]
    page = _text(client.get("/plan"))
    top = page[page.index('<main id="main"') :]
    assert '<div class="flashes" role="status" id="messages">' in top
    assert "Saved elsewhere." in top and "success@history" not in page


def test_a_correction_is_a_new_entry(client, users, act_as, share, share_url):
    act_as(users.focal_point)
    post_update(client, share_url, status="completed", narrative="Done.")
    post_update(client, share_url, version="2", status="in_progress", narrative="Not quite.")
    entries = db.session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id)).all()
    assert [e.narrative for e in entries] == ["Done.", "Not quite."]
    db.session.expire_all()
    assert db.session.get(Assignment, share.id).status == "in_progress"


def test_invalid_input_is_shown_again_with_what_was_typed(client, users, act_as, share, share_url):
    act_as(users.focal_point)
    before = snapshot()
    response = post_update(
        client,
        share_url,
        progress="150",
        narrative="My long text",
        evidence_links="ftp://files.example.org/x\njavascript:alert(1)",
    )
    page = _text(response)
    assert response.status_code == 422
    assert "Give a whole number from 0 to 100." in page
    assert "is not a web address starting with https://" in page
    assert "My long text</textarea>" in page
    assert 'value="150"' in page
    assert snapshot() == before


def test_second_submission_on_an_old_version_is_refused_showing_what_changed(
    client, users, act_as, share, share_url
):
    colleague = factories.user("focal_point", "ACHPR", name="Colleague Amadou")
    act_as(colleague)
    post_update(client, share_url, status="completed", narrative="Signed the agreement.")
    act_as(users.focal_point)
    before = snapshot()
    response = post_update(
        client, share_url, version="1", last_seen="0", narrative="My own careful text"
    )
    page = _text(response)
    assert response.status_code == 409
    assert snapshot() == before
    assert "Someone else reported on this recommendation meanwhile" in page
    assert "Colleague Amadou" in page and "Signed the agreement." in page
    assert "My own careful text</textarea>" in page
    # The form now carries the current version: resubmitting it works.
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    assert version == "2"
    last_seen = re.search(r'name="last_seen" type="hidden" value="(\d+)"', page).group(1)
    again = post_update(
        client, share_url, version=version, last_seen=last_seen, narrative="My own careful text"
    )
    assert again.status_code == 302
    assert (
        db.session.scalar(select(ProgressUpdate).order_by(ProgressUpdate.id.desc())).narrative
        == "My own careful text"
    )


def test_a_true_race_is_caught_by_the_version_column(app, users, share):
    """Both requests read version 1; the second write finds the row changed under it."""
    assignment = db.session.get(Assignment, share.id)
    assert assignment.version == 1
    # Another process writes between our check and our flush.
    with db.engine.begin() as other:
        other.execute(update(Assignment).where(Assignment.id == share.id).values(version=2))
    with pytest.raises(services.StaleVersion):
        services.record_update(
            db.session,
            users.focal_point,
            assignment,
            services.UpdateInput(status="completed", narrative="lost?"),
            expected_version=1,
        )
    db.session.rollback()
    assert db.session.scalars(select(ProgressUpdate)).all() == []
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_no_change_confirmation_in_one_click(client, users, act_as, share, share_url):
    factories.progress_update(
        share,
        users.focal_point,
        status=Status.IN_PROGRESS,
        progress=30,
        at=utcnow() - timedelta(days=100),
    )
    act_as(users.focal_point)
    page = client.get("/my-organisation").get_data(as_text=True)
    assert 'action="/plan/S4/ACHPR/confirm"' in page
    db.session.expire_all()
    version = db.session.get(Assignment, share.id).version
    response = client.post(
        share_url + "/confirm", data={"confirm-version": str(version), "next": "/my-organisation"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/my-organisation")
    db.session.expire_all()
    latest = db.session.scalar(select(ProgressUpdate).order_by(ProgressUpdate.id.desc()))
    assert latest.is_confirmation and (latest.status, latest.progress) == ("in_progress", 30)
    assignment = db.session.get(Assignment, share.id)
    assert assignment.last_update_at == latest.created_at
    assert "confirmed no change" in client.get(share_url).get_data(as_text=True)


def test_attachment_is_stored_outside_static_and_served_as_download(
    app, client, users, act_as, share, share_url
):
    act_as(users.focal_point)
    response = post_update(
        client,
        share_url,
        narrative="See the report.",
        attachments=[(io.BytesIO(PDF), "Rapport annuel.pdf"), (io.BytesIO(PNG), "photo.png")],
    )
    assert response.status_code == 302
    entry = db.session.scalars(select(ProgressUpdate)).one()
    pdf, png = entry.attachments
    assert png.content_type == "image/png"
    assert pdf.filename == "Rapport annuel.pdf" and pdf.content_type == "application/pdf"
    stored = Path(app.config["UPLOAD_FOLDER"]) / pdf.stored_name
    assert stored.read_bytes() == PDF
    assert "Rapport" not in pdf.stored_name
    assert "static" not in str(stored)
    page = client.get(share_url).get_data(as_text=True)
    assert f'href="/attachments/{pdf.id}"' in page
    act_as(users.observer)
    download = client.get(f"/attachments/{pdf.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "this type of file is not accepted"),
        ("report.pdf", b"MZ\x90\x00 an executable in disguise", "does not look like a .pdf file"),
        ("notes.txt", b"\x00\x01\x02binary", "does not look like a .txt file"),
    ],
)
def test_refused_files_are_reported_next_to_the_field(
    client, users, act_as, share, share_url, name, content, message
):
    act_as(users.focal_point)
    before = snapshot()
    response = post_update(
        client, share_url, narrative="Kept text", attachments=[(io.BytesIO(content), name)]
    )
    assert response.status_code == 422
    page = _text(response)
    assert message in page and "Kept text</textarea>" in page
    assert snapshot() == before


def test_size_limits(app, client, users, act_as, share, share_url):
    app.config["MAX_ATTACHMENT_BYTES"] = 1000
    app.config["MAX_CONTENT_LENGTH"] = 5000
    act_as(users.focal_point)
    before = snapshot()
    too_big = post_update(client, share_url, attachments=[(io.BytesIO(PDF + b"x" * 1500), "a.pdf")])
    assert too_big.status_code == 422
    assert "a.pdf is larger than" in _text(too_big)
    huge = post_update(client, share_url, attachments=[(io.BytesIO(PDF + b"x" * 9000), "b.pdf")])
    assert huge.status_code == 413
    assert "File too large" in _text(huge)
    assert snapshot() == before
    assert (
        list(Path(app.config["UPLOAD_FOLDER"]).glob("*")) == []
        or not Path(app.config["UPLOAD_FOLDER"]).exists()
    )


def test_restricted_entries_and_files_are_hidden_from_observers_and_other_orgs(
    client, users, act_as, share, share_url
):
    act_as(users.focal_point)
    post_update(
        client,
        share_url,
        narrative="Confidential budget talks.",
        visibility="restricted",
        attachments=[(io.BytesIO(PDF), "budget.pdf")],
    )
    attachment_id = db.session.scalars(select(ProgressUpdate)).one().attachments[0].id
    for person in (users.observer, users.other_focal_point):
        act_as(person)
        page = client.get(share_url).get_data(as_text=True)
        assert "Confidential budget talks." not in page
        assert "budget.pdf" not in page
        assert "Confidential budget talks." not in client.get("/plan/S4/history").get_data(
            as_text=True
        )
        assert client.get(f"/attachments/{attachment_id}").status_code == 404
    for person in (users.coordinator, users.focal_point):
        act_as(person)
        assert "Confidential budget talks." in client.get(share_url).get_data(as_text=True)
        assert client.get(f"/attachments/{attachment_id}").status_code == 200


def test_missing_token_is_refused_when_csrf_is_on_and_the_text_kept(
    app, client, users, act_as, share, share_url
):
    act_as(users.focal_point)
    app.config["WTF_CSRF_ENABLED"] = True
    before = snapshot()
    response = post_update(client, share_url, narrative="Typed before lunch")
    assert response.status_code == 400
    assert "The form had expired" in _text(response)
    assert "Typed before lunch</textarea>" in _text(response)
    blocker = client.post(share_url + "/blockers", data={"raise-description": "Kept blocker"})
    assert blocker.status_code == 400 and "Kept blocker</textarea>" in _text(blocker)
    assert snapshot() == before
    page = client.get(share_url).get_data(as_text=True)
    assert page.count('name="csrf_token"') + page.count('-csrf_token"') >= 3


def test_pages_read_in_a_fixed_number_of_statements(app, client, users, act_as, share, share_url):
    from sqlalchemy import event

    def count_for(path: str) -> int:
        statements: list[str] = []

        def record(*args, **kwargs):  # type: ignore[no-untyped-def]
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    def add_history(codes: tuple[str, ...]) -> None:
        for code in codes:
            a = factories.assignment(code, "ACHPR")
            update = factories.progress_update(a, users.focal_point, narrative="more")
            db.session.add(
                Attachment(
                    update=update,
                    filename="a.pdf",
                    stored_name=f"{update.id}.pdf",
                    content_type="application/pdf",
                    size=1,
                    sha256="0" * 64,
                )
            )
            blocker = factories.blocker(a, users.focal_point)
            db.session.add(
                BlockerEvent(
                    blocker=blocker,
                    actor=users.coordinator,
                    action="comment",
                    status_after="open",
                    comment="Seen",
                )
            )
            db.session.commit()

    act_as(users.focal_point)
    paths = [
        "/my-organisation",
        share_url,
        "/plan/S4",
        "/organisations/ACHPR",
        "/plan/S4/history",
        "/blockers",
    ]
    add_history(("S4",))
    first = {p: count_for(p) for p in paths}
    add_history(("S2", "S3", "S4", "S5", "S6", "S4"))
    factories.blocker(factories.assignment("S4", "CoE"), users.other_focal_point)
    assert {p: count_for(p) for p in paths} == first


def test_only_those_who_may_write_see_the_forms(client, users, act_as, share, share_url):
    for person, sees_forms in (
        (users.focal_point, True),
        (users.coordinator, True),
        (users.other_focal_point, False),
        (users.observer, False),
    ):
        act_as(person)
        page = client.get(share_url).get_data(as_text=True)
        assert ('id="report-h"' in page) is sees_forms, person.email
        assert ('id="raise-h"' in page) is sees_forms, person.email
        assert 'id="history-h"' in page
