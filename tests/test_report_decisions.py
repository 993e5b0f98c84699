"""What a blocker asks the meeting to decide: typed in the blocker form, shown on the share's
page and printed in the meeting report's table of blockers for decision."""

from __future__ import annotations

import html
import io

from docx import Document
from sqlalchemy import select

from tests import factories
from workplan.extensions import db
from workplan.models import Blocker
from workplan.reports import kinds
from workplan.reports.formats import FORMATS

ASKED = "Ask the secretariats to fund two travel grants\r\nbefore the next session."


def test_the_blocker_form_records_what_is_asked_of_the_meeting(
    client, users, act_as, share, share_url
):
    act_as(users.focal_point)
    page = html.unescape(client.get(share_url).get_data(as_text=True))
    assert "What do you ask the meeting to decide? (optional)" in page
    response = client.post(
        share_url + "/blockers",
        data={
            "raise-category": "resources",
            "raise-description": "No travel budget until March.",
            "raise-help_organisation": "0",
            "raise-decision_asked": ASKED,
            "raise-visibility": "network",
        },
    )
    assert response.status_code == 302
    blocker = db.session.scalars(select(Blocker)).one()
    # Line endings typed in Windows are stored as "\n" (they would break a Word table).
    assert blocker.decision_asked == (
        "Ask the secretariats to fund two travel grants\nbefore the next session."
    )
    page = html.unescape(client.get(share_url).get_data(as_text=True))
    assert "Asked of the meeting:" in page
    assert "Ask the secretariats to fund two travel grants" in page


def test_the_question_is_optional(client, users, act_as, share, share_url):
    act_as(users.focal_point)
    response = client.post(
        share_url + "/blockers",
        data={
            "raise-category": "resources",
            "raise-description": "No travel budget until March.",
            "raise-help_organisation": "0",
            "raise-visibility": "network",
        },
    )
    assert response.status_code == 302
    assert db.session.scalars(select(Blocker)).one().decision_asked == ""
    page = html.unescape(client.get(share_url).get_data(as_text=True))
    assert "Asked of the meeting:" not in page


def test_the_meeting_report_prints_the_decision_asked(app, history, users):
    share = factories.assignment("S8", "CoE")
    blocker = factories.blocker(share, users.other_focal_point, at=history.t1)
    blocker.decision_asked = "Agree a **joint** letter to the treaty bodies."
    db.session.commit()
    report = kinds.meeting_report(db.session, history.meeting, language="en", internal=False)
    table = next(t for t in report.sheets if t.sheet == "Blockers")
    column = list(table.header).index("Decision asked of the meeting")
    row = next(r for r in table.rows if r[1] == "S8" and r[2] == "CoE")
    # Markdown is rendered, not printed: the cell carries the words without the markers.
    assert str(row[column]) == "Agree a joint letter to the treaty bodies."
    others = [r for r in table.rows if r is not row]
    assert others and all(str(r[column]) == "" for r in others)
    text = "\n".join(
        cell.text
        for t in Document(io.BytesIO(FORMATS["docx"].render(report))).tables
        for r in t.rows
        for cell in r.cells
    )
    assert "Agree a joint letter to the treaty bodies." in text and "**" not in text
