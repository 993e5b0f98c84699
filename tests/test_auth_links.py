"""One-time sign-in links work once, even for requests racing with the same link, and only the
newest link of a person works."""

from __future__ import annotations

import contextlib
import threading

from sqlalchemy import select

from workplan.auth import services
from workplan.extensions import db
from workplan.models import SignInToken


def test_two_simultaneous_redemptions_of_one_link_let_exactly_one_in(app, users, monkeypatch):
    token = services.issue_sign_in_token(db.session, users.focal_point, 3600)
    db.session.commit()
    # The worst interleaving, made certain: whoever gets past the claim waits, just before its
    # commit, for the other to get there too (a check-then-write lets both through here).
    both_claimed = threading.Barrier(2, timeout=1.5)
    record_audit = services.record_audit

    def audit_after_the_other(*args, **kwargs):  # type: ignore[no-untyped-def]
        # Broken when the other request is held by our claim and never gets here.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_claimed.wait()
        return record_audit(*args, **kwargs)

    monkeypatch.setattr(services, "record_audit", audit_after_the_other)
    start = threading.Barrier(2)
    outcomes: list[str | None] = []
    failures: list[BaseException] = []

    def redeem() -> None:
        try:
            with app.app_context():
                start.wait()
                result = services.redeem_sign_in_token(db.session, token)
                if result.user is None:
                    db.session.rollback()
                else:
                    db.session.commit()
                outcomes.append(result.problem)
                db.session.remove()
        except BaseException as error:  # reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=redeem) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert sorted(outcomes, key=str) == [None, "used"]
    db.session.expire_all()
    assert db.session.scalar(select(SignInToken)).used_at is not None


def test_a_new_link_revokes_the_older_unused_ones(client, users):
    first = services.issue_sign_in_token(db.session, users.focal_point, 3600)
    other_person = services.issue_sign_in_token(db.session, users.observer, 3600)
    second = services.issue_sign_in_token(db.session, users.focal_point, 3600)
    db.session.commit()
    assert services.check_sign_in_token(db.session, first).problem == "used"
    refused = client.post(f"/auth/link/{first}")
    assert refused.status_code == 410
    assert "already been used" in refused.get_data(as_text=True)
    assert services.check_sign_in_token(db.session, other_person).problem is None
    assert client.post(f"/auth/link/{second}").status_code == 302
    assert client.get("/plan").status_code == 200
