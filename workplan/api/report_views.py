"""Reports through the API (the coordinator's, as on the pages): request one, follow its
run, download its file with the same token."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, send_file, url_for

from workplan.api import bp
from workplan.api.errors import ApiError
from workplan.api.forms import form_data, form_errors
from workplan.api.lookups import ROW_ID, caller
from workplan.api.schemas import ReportIn, ReportOut
from workplan.api.spec import validate
from workplan.extensions import db
from workplan.jobs.queue import QueueUnavailable, enqueue_report, job_state
from workplan.models import ReportRun, RunStatus
from workplan.permissions import can
from workplan.plan.queries import get_organisation
from workplan.reports import services
from workplan.reports.formats import FORMATS
from workplan.reports.forms import report_form
from workplan.reports.parts import ReportError


def _require_reports() -> Any:
    me = caller()
    if not can(me, "request_reports"):
        raise ApiError(403, "Reports are the coordinator's.")
    return me


def _run_or_404(run_id: int) -> ReportRun:
    run = db.session.get(ReportRun, run_id)
    if run is None:
        raise ApiError(404, "No such report.")
    return run


def run_json(run: ReportRun) -> dict[str, Any]:
    """A run's state. One whose job can no longer finish shows as failed at once (the
    reaper records it: a GET writes nothing)."""
    status, message = run.status, run.message
    if services.is_dead(run, services.stale_limit(), job_state(current_app)):
        status, message = RunStatus.FAILED, services.STALE_MESSAGE
    ready = status == RunStatus.FINISHED and services.has_file(run)
    return {
        "id": run.id,
        "status": status,
        "progress": run.progress,
        "error": (message or None) if status == RunStatus.FAILED else None,
        "file_url": url_for(".report_file", run_id=run.id, _external=True) if ready else None,
    }


@bp.post("/reports")
@validate("requestReport", "HTTP_202", ReportOut, 503, json=ReportIn, tags=("reports",))
def request_report() -> Any:
    """Request a report (the coordinator). It is produced in the background: follow it with
    `GET /reports/{id}` until `file_url` appears."""
    me = _require_reports()
    body: ReportIn = request.context.json  # type: ignore[attr-defined]
    organisation_id = 0
    if body.org:
        organisation = get_organisation(db.session, body.org)
        if organisation is None:
            raise ApiError(422, fields={"org": ["There is no such organisation."]})
        organisation_id = organisation.id
    values = body.model_dump(mode="json", exclude={"org"}) | {"organisation": organisation_id}
    form = report_form(db.session, with_data=True, formdata=form_data(values), meta={"csrf": False})
    if not form.validate():
        raise ApiError(422, fields=form_errors(form, {"organisation": "org"}))
    req = form.to_request()
    # As on the pages: runs whose worker died are ended before a new one starts.
    services.reap_stale_runs(db.session, job_state=job_state(current_app))
    try:
        run = services.request_report(db.session, me, req)
    except ReportError as error:
        db.session.rollback()
        raise ApiError(422, fields={"body": [str(error)]}) from None
    db.session.commit()
    try:
        enqueue_report(run)
    except QueueUnavailable:
        services.mark_failed(db.session, run.id, services.QUEUE_DOWN_MESSAGE)
        db.session.commit()
        raise ApiError(503, services.QUEUE_DOWN_MESSAGE) from None
    db.session.commit()
    location = url_for(".report", run_id=run.id)
    return run_json(run), 202, {"Location": location}


@bp.get(f"/reports/<{ROW_ID}:run_id>")
@validate("getReport", "HTTP_200", ReportOut, tags=("reports",))
def report(run_id: int) -> Any:
    """A report's state: `queued`, `running`, `finished` (with `file_url`) or `failed`
    (with the `error`)."""
    _require_reports()
    response = run_json(_run_or_404(run_id))
    return response, 200, {"Cache-Control": "no-store"}


# Not wrapped by spectree, which would read the whole file to check it: the operation is
# described in workplan.api.spec.FILE_OPERATION.
@bp.get(f"/reports/<{ROW_ID}:run_id>/file")
def report_file(run_id: int) -> Any:
    """A finished report's file (Word, PDF, Excel or CSV)."""
    _require_reports()
    run = _run_or_404(run_id)
    file = services.open_file(run)
    if file is None:
        if run.status == RunStatus.FINISHED:
            raise ApiError(
                410, "This report's file was deleted at the end of its retention period."
            )
        raise ApiError(404, "This report has no file (not ready yet, or failed).")
    fmt = FORMATS[run.format]
    response = send_file(
        file,
        mimetype=fmt.mimetype,
        as_attachment=True,
        download_name=run.params.get("filename") or f"report-{run.id}.{fmt.extension}",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
