"""Report pages: request a report, follow its run, download its file."""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workplan.downloads import send_stored
from workplan.extensions import db
from workplan.jobs.queue import QueueUnavailable, enqueue_report, job_state
from workplan.models import ReportRun, RunStatus
from workplan.permissions import can
from workplan.redirects import safe_target
from workplan.reports import queries, services
from workplan.reports.forms import (
    FORMAT_LABELS,
    KIND_SHORT,
    LANGUAGE_LABELS,
    RUN_STATUS_LABELS,
    ReportForm,
    report_form,
)
from workplan.reports.parts import ReportError

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.before_request
@login_required
def require_permission() -> None:
    """Reports are the coordinator's: they show every organisation's entries."""
    if not can(current_user, "request_reports"):
        abort(403)


@bp.record_once
def register_labels(state) -> None:  # type: ignore[no-untyped-def]
    state.app.jinja_env.globals["report_labels"] = {
        "kind": KIND_SHORT,
        "format": FORMAT_LABELS,
        "language": LANGUAGE_LABELS,
        "status": RUN_STATUS_LABELS,
    }
    state.app.jinja_env.globals["report_ready"] = services.has_file
    state.app.jinja_env.globals["meeting_reports"] = meeting_reports


@dataclass(frozen=True)
class MeetingReports:
    """What a meeting's page shows of its reports: the latest runs and the request form."""

    runs: list[ReportRun]
    form: ReportForm


def meeting_reports(meeting_id: int) -> MeetingReports:
    """The reports part of a meeting's page. A template global, so that the meetings feature
    shows it without importing this one (features import what lies below them only)."""
    return MeetingReports(
        queries.recent_runs(db.session, meeting_id=meeting_id), report_form(db.session, meeting_id)
    )


def run_json(run: ReportRun) -> dict[str, object]:
    """A run's state for the page that follows it. A run whose job can no longer finish is
    shown as failed at once; the reaper records it (a GET writes nothing)."""
    ready = services.has_file(run)
    status, message = run.status, run.message
    if services.is_dead(run, services.stale_limit(), job_state(current_app)):
        status, message = RunStatus.FAILED, services.STALE_MESSAGE
    return {
        "id": run.id,
        "status": status,
        "status_label": str(RUN_STATUS_LABELS.get(status, status)),
        "progress": run.progress,
        "message": message,
        "download_url": url_for("reports.download", run_id=run.id) if ready else None,
        "filename": run.params.get("filename") if ready else None,
        "size": run.file_size if ready else None,
        "done": status in (RunStatus.FINISHED, RunStatus.FAILED),
    }


@bp.get("")
def index() -> str:
    runs = queries.recent_runs(db.session)
    return render_template("reports/index.html", form=report_form(db.session), runs=runs)


@bp.post("")
def request_report() -> Response | tuple[str, int]:
    form = report_form(db.session, with_data=True)
    back = request.form.get("back")
    if not form.validate():
        runs = queries.recent_runs(db.session)
        return render_template("reports/index.html", form=form, runs=runs), 400
    req = form.to_request(extra=_test_params())
    # Runs whose worker died are ended before a new one starts, so none waits forever.
    services.reap_stale_runs(db.session, job_state=job_state(current_app))
    try:
        run = services.request_report(db.session, current_user, req)
        db.session.commit()
    except ReportError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("reports.index"))
    try:
        enqueue_report(run)
    except QueueUnavailable:
        services.mark_failed(db.session, run.id, services.QUEUE_DOWN_MESSAGE)
        db.session.commit()
        flash(
            _(
                "The report queue is unavailable, so the report was not started. Nothing else "
                "is affected; try again in a few minutes, or tell the administrator."
            ),
            "error",
        )
        return redirect(url_for("reports.index", _anchor=f"run-{run.id}"))
    db.session.commit()
    flash(_("The report is being produced. It appears below when it is ready."), "success")
    # Back to the page the request came from (a meeting's page, say), at the new run.
    back_to = safe_target(back, url_for("reports.index"))
    return redirect(f"{back_to.partition('#')[0]}#run-{run.id}")


def _test_params() -> dict[str, object] | None:
    """Test-only hooks (a slow or failing job), accepted only when enabled for tests."""
    if not services.job_test_hooks_enabled():
        return None
    names = ("_test_sleep", "_test_fail", "_test_fail_with")
    hooks = {k: request.form[k] for k in names if request.form.get(k)}
    return hooks or None


def _run_or_404(run_id: int) -> ReportRun:
    run = db.session.get(ReportRun, run_id)
    if run is None:
        abort(404)
    return run


@bp.get("/runs/<int:run_id>.json")
def run_status(run_id: int) -> Response:
    run = _run_or_404(run_id)
    response = jsonify(run_json(run))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/runs/<int:run_id>/file")
def download(run_id: int) -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    run = _run_or_404(run_id)
    if not services.has_file(run):
        if run.status == RunStatus.FINISHED:
            message = _("This report's file was deleted at the end of its retention period.")
            code = 410
        elif run.status == RunStatus.FAILED:
            message = _("This report failed, so it has no file: %(why)s", why=run.message)
            code = 404
        else:
            message = _("This report is not ready yet.")
            code = 404
        return render_template("reports/no_file.html", run=run, message=message), code
    from workplan.reports.formats import FORMATS

    fmt = FORMATS[run.format]
    return send_stored(
        lambda: services.open_file(run),
        mimetype=fmt.mimetype,
        name=run.params.get("filename") or f"report-{run.id}.{fmt.extension}",
        what=f"report run {run.id} ({run.file_path})",
    )
