"""Meeting pages (the coordinator's): list, record, edit, delete, and a meeting's page with
what changed since the previous meeting and the form that requests its reports."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workplan.extensions import db
from workplan.meetings import queries, services
from workplan.meetings.forms import DeleteForm, MeetingForm
from workplan.meetings.ics import meeting_calendar
from workplan.models import Meeting
from workplan.permissions import can
from workplan.state.meeting_states import meeting_comparison

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


@bp.before_request
@login_required
def require_permission() -> None:
    """Meetings are managed by the coordinator; focal points see the next cut-off on their
    organisation's page, and everyone signed in may put a meeting in their calendar."""
    if request.endpoint == "meetings.calendar":
        if not can(current_user, "view_plan"):
            abort(403)
        return
    if not can(current_user, "manage_meetings"):
        abort(403)


def _meeting_or_404(meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _data(form: MeetingForm) -> services.MeetingData:
    return services.MeetingData(
        title=form.title.data or "",
        held_on=form.held_on.data,
        place=form.place.data or "",
        cutoff_date=form.cutoff_date.data,
        cutoff_time=form.cutoff_time.data,
        document_symbol=form.document_symbol.data or "",
        title_fr=form.title_fr.data or "",
        place_fr=form.place_fr.data or "",
    )


@bp.get("")
def index() -> str:
    return render_template("meetings/index.html", meetings=queries.list_meetings(db.session))


@bp.route("/new", methods=["GET", "POST"])
def create() -> Response | tuple[str, int] | str:
    form = MeetingForm()
    if form.validate_on_submit():
        meeting = services.create_meeting(db.session, current_user, _data(form))
        db.session.commit()
        flash(_("The meeting is recorded."), "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    status = 400 if form.is_submitted() else 200
    return render_template("meetings/form.html", form=form, meeting=None), status


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit(meeting_id: int) -> Response | tuple[str, int] | str:
    meeting = _meeting_or_404(meeting_id)
    if request.method != "POST":
        form = MeetingForm(
            formdata=None,
            obj=meeting,
            cutoff_date=meeting.cutoff_at.date(),
            cutoff_time=meeting.cutoff_at.time().replace(second=0, microsecond=0),
        )
        return render_template("meetings/form.html", form=form, meeting=meeting)
    form = MeetingForm()
    if not form.validate():
        return render_template("meetings/form.html", form=form, meeting=meeting), 400
    try:
        services.update_meeting(db.session, current_user, meeting, _data(form), form.version.data)
    except services.MeetingConflict:
        db.session.rollback()
        current = _meeting_or_404(meeting_id)
        form.version.data = current.version
        return (
            render_template("meetings/form.html", form=form, meeting=current, conflict=current),
            409,
        )
    db.session.commit()
    flash(_("The meeting is saved."), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.get("/<int:meeting_id>")
def show(meeting_id: int) -> str:
    meeting = _meeting_or_404(meeting_id)
    previous, comparison = meeting_comparison(db.session, meeting, internal=True)
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        previous=previous,
        comparison=comparison,
        delete_form=DeleteForm(formdata=None),
    )


@bp.post("/<int:meeting_id>/delete")
def delete(meeting_id: int) -> Response:
    meeting = _meeting_or_404(meeting_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.delete_meeting(db.session, current_user, meeting)
    except services.MeetingInUse:
        flash(
            _(
                "This meeting has reports, which keep the meeting they were made for: it "
                "cannot be deleted. Edit it instead."
            ),
            "error",
        )
        return redirect(url_for("meetings.show", meeting_id=meeting_id))
    db.session.commit()
    flash(_("The meeting is deleted."), "success")
    return redirect(url_for("meetings.index"))


@bp.get("/<int:meeting_id>.ics")
def calendar(meeting_id: int) -> Response:
    """The meeting and its reporting cut-off as an iCalendar file."""
    meeting = _meeting_or_404(meeting_id)
    text = meeting_calendar(meeting, current_app.config["SERVER_BASE_URL"])
    response = Response(text, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="meeting-{meeting.id}.ics"'
    return response
