"""Meetings through the API: list them (everyone: the same dates are in each meeting's
calendar file), record one (the coordinator)."""

from __future__ import annotations

from typing import Any

from flask import request

from workplan.api import bp, reads
from workplan.api.errors import ApiError
from workplan.api.forms import checked
from workplan.api.lookups import caller
from workplan.api.paging import paginate
from workplan.api.schemas import MeetingIn, MeetingList, MeetingOut, Paging
from workplan.api.spec import validate
from workplan.extensions import db
from workplan.meetings import queries, services
from workplan.meetings.forms import MeetingForm
from workplan.permissions import can


@bp.get("/meetings")
@validate("listMeetings", "HTTP_200", MeetingList, query=Paging, tags=("meetings",), paged=True)
def meetings() -> Any:
    """The meetings of focal points, the latest first, with their reporting cut-offs."""
    if not can(caller(), "view_plan"):
        raise ApiError(403)
    query = request.context.query  # type: ignore[attr-defined]
    items = [reads.meeting_json(m) for m, _ in queries.list_meetings(db.session)]
    page = paginate(items, query.page, query.per_page)
    return page.items, 200, page.headers()


@bp.post("/meetings")
@validate("createMeeting", "HTTP_201", MeetingOut, json=MeetingIn, tags=("meetings",))
def create_meeting() -> Any:
    """Record a meeting (the coordinator): its title, date, reporting cut-off and place."""
    me = caller()
    if not can(me, "manage_meetings"):
        raise ApiError(403, "Only the coordinator records meetings.")
    body: MeetingIn = request.context.json  # type: ignore[attr-defined]
    form = checked(
        MeetingForm,
        {
            "title": body.title,
            "held_on": body.date.isoformat(),
            "place": body.place,
            "cutoff_date": body.cutoff.isoformat(),
            "cutoff_time": body.cutoff_time,
            "document_symbol": body.document_symbol,
        },
        rename={"held_on": "date", "cutoff_date": "cutoff"},
    )
    data = services.MeetingData(
        title=form.title.data or "",
        held_on=form.held_on.data,  # type: ignore[arg-type]
        place=form.place.data or "",
        cutoff_date=form.cutoff_date.data,  # type: ignore[arg-type]
        cutoff_time=form.cutoff_time.data,
        document_symbol=form.document_symbol.data or "",
    )
    try:
        meeting = services.create_meeting(db.session, me, data)
    except services.InvalidMeeting as error:
        db.session.rollback()
        raise ApiError(422, fields={"body": [str(error)]}) from None
    db.session.commit()
    return reads.meeting_json(meeting), 201
