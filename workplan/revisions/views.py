"""Revising the plan from a file in the browser: upload, the differences page with accept or
reject per point, and applying the accepted ones for the meeting that decided them."""

from __future__ import annotations

import json
from dataclasses import asdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workplan.extensions import db
from workplan.meetings import queries as meeting_queries
from workplan.models import Meeting
from workplan.permissions import can
from workplan.plan.edit_forms import RevisionApplyForm, RevisionUploadForm
from workplan.reporting.forms import choices
from workplan.revisions import differences as revision
from workplan.revisions.sources import (
    Proposal,
    SourceError,
    read_source,
    template_csv,
    template_xlsx,
)

bp = Blueprint("revisions", __name__, url_prefix="/plan/revise")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
@login_required
def require_permission() -> None:
    """Only the coordinator revises the plan."""
    if not can(current_user, "manage_plan"):
        abort(403)


def _upload_form() -> RevisionUploadForm:
    form = RevisionUploadForm()
    form.meeting.choices = choices(
        {
            m.id: f"{m.title} ({m.held_on.isoformat()})"
            for m, _n in meeting_queries.list_meetings(db.session)
        }
    )
    return form


def _differences_page(form: RevisionApplyForm, proposal: Proposal, meeting: Meeting) -> str:
    found = revision.differences(db.session, proposal)
    return render_template(
        "revisions/differences.html",
        form=form,
        meeting=meeting,
        found=found,
        unsettled=proposal.unsettled,
        accepted=set(request.form.getlist("accept")) if "proposal" in request.form else None,
    )


@bp.route("", methods=["GET", "POST"])
def upload() -> Response | tuple[str, int] | str:
    form = _upload_form()
    if form.validate_on_submit():
        meeting = _meeting(form.meeting.data)
        upload = form.file.data
        try:
            proposal = read_source(db.session, upload.filename or "", upload.read())
        except SourceError as error:
            form.file.errors = [str(error)]
        else:
            if meeting is None:
                abort(400)
            apply_form = RevisionApplyForm(
                formdata=None,
                meeting=meeting.id,
                proposal=json.dumps(asdict(proposal)),
                source_name=upload.filename or "",
            )
            return _differences_page(apply_form, proposal, meeting)
    status = 400 if form.is_submitted() else 200
    return render_template("revisions/upload.html", form=form), status


def _meeting(meeting_id: int | None) -> Meeting | None:
    """The meeting of a form's id; None for an id no database integer holds."""
    if meeting_id is None or not 0 < meeting_id < 2**31:
        return None
    return db.session.get(Meeting, meeting_id)


@bp.post("/apply")
def apply() -> Response | tuple[str, int]:
    form = RevisionApplyForm()
    meeting = _meeting(form.meeting.data)
    try:
        proposal = Proposal(**json.loads(form.proposal.data or ""))
    except (TypeError, ValueError):
        abort(400)
    if not form.validate_on_submit() or meeting is None:
        return _differences_page(form, proposal, meeting or abort(400)), 400
    found = revision.differences(db.session, proposal)
    accepted = set(request.form.getlist("accept")) & {d.id for d in found}
    try:
        applied = revision.apply_revision(
            db.session, current_user, meeting, found, accepted, form.source_name.data or ""
        )
    except revision.RevisionError as error:
        db.session.rollback()
        flash(_("Nothing was applied: %(error)s", error=str(error)), "error")
        return _differences_page(form, proposal, meeting), 409
    db.session.commit()
    flash(
        _(
            "%(n)s change(s) applied for %(meeting)s.",
            n=len(applied.applied),
            meeting=meeting.title,
        ),
        "success",
    )
    return redirect(url_for("plan.index"))


@bp.get("/template.csv", defaults={"fmt": "csv"})
@bp.get("/template.xlsx", defaults={"fmt": "xlsx"})
def template(fmt: str) -> Response:
    """The current plan as the spreadsheet to edit and upload."""
    if fmt == "csv":
        response = Response(template_csv(db.session), mimetype="text/csv")
    elif fmt == "xlsx":
        response = Response(template_xlsx(db.session), mimetype=XLSX)
    else:
        abort(404)
    response.headers["Content-Disposition"] = f'attachment; filename="plan.{fmt}"'
    return response
