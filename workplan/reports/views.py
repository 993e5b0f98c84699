"""Report pages: request a report, follow its run, download its file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workplan.extensions import db
from workplan.jobs.queue import enqueue_report, job_state
from workplan.models import ReportRun, RunStatus
from workplan.permissions import can
from workplan.reports import queries, services
from workplan.reports.forms import (
    FORMAT_LABELS,
    KIND_SHORT,
    LANGUAGE_LABELS,
    RUN_STATUS_LABELS,
    ReportForm,
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
    state.app.jinja_env.globals["report_ready"] = lambda run: services.file_of(run) is not None


def report_form(meeting_id: int | None = None, with_data: bool = False) -> ReportForm:
    """The request form with its meeting and organisation choices filled in."""
    form = ReportForm() if with_data else ReportForm(formdata=None, meeting=meeting_id or 0)
    form.meeting.choices = [(0, _("None"))] + [
        (m.id, f"{m.title} ({m.held_on.isoformat()})") for m in queries.meeting_choices(db.session)
    ]
    form.organisation.choices = [(0, _("None"))] + [
        (o.id, f"{o.code} – {o.name}") for o in queries.organisation_choices(db.session)
    ]
    return form


def reap(ids: Sequence[int] | None = None) -> None:
    """Runs whose worker died are ended here too, so nobody waits on them forever."""
    services.reap_stale_runs(
        db.session,
        stale_after=timedelta(seconds=current_app.config["REPORT_STALE_AFTER"]),
        job_state=job_state(current_app),
        ids=ids,
    )


def run_json(run: ReportRun) -> dict[str, object]:
    ready = services.file_of(run) is not None
    return {
        "id": run.id,
        "status": run.status,
        "status_label": str(RUN_STATUS_LABELS.get(run.status, run.status)),
        "progress": run.progress,
        "message": run.message,
        "download_url": url_for("reports.download", run_id=run.id) if ready else None,
        "filename": run.params.get("filename") if ready else None,
        "size": run.file_size if ready else None,
        "done": run.status in (RunStatus.FINISHED, RunStatus.FAILED),
    }


@bp.get("")
def index() -> str:
    reap()
    runs = queries.recent_runs(db.session)
    return render_template("reports/index.html", form=report_form(), runs=runs)


@bp.post("")
def request_report() -> Response | tuple[str, int]:
    form = report_form(with_data=True)
    back = request.form.get("back")
    if not form.validate():
        runs = queries.recent_runs(db.session)
        return render_template("reports/index.html", form=form, runs=runs), 400
    req = services.ReportRequest(
        kind=form.kind.data,
        format=form.format.data,
        language=form.language.data,
        internal=bool(form.internal.data),
        meeting_id=form.meeting.data or None,
        organisation_id=form.organisation.data or None,
        start=form.start.data,
        end=form.end.data,
        extra=_test_params(),
    )
    try:
        run = services.request_report(db.session, current_user, req)
        db.session.commit()
    except ReportError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("reports.index"))
    enqueue_report(run)
    flash(_("The report is being produced. It appears below when it is ready."), "success")
    if back and back.startswith("/") and not back.startswith("//"):
        return redirect(f"{back}#run-{run.id}")
    return redirect(url_for("reports.index", _anchor=f"run-{run.id}"))


def _test_params() -> dict[str, object] | None:
    """Test-only hooks (a slow or failing job), accepted only by a testing app."""
    if not current_app.testing:
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
    if run.status in (RunStatus.QUEUED, RunStatus.RUNNING):
        reap(ids=[run.id])
        db.session.refresh(run)  # what the job wrote since this session loaded the run
    response = jsonify(run_json(run))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/runs/<int:run_id>/file")
def download(run_id: int) -> Response | tuple[str, int]:
    run = _run_or_404(run_id)
    path = services.file_of(run)
    if path is None:
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
    return send_file(
        path,
        mimetype=fmt.mimetype,
        as_attachment=True,
        download_name=run.params.get("filename") or f"report-{run.id}.{fmt.extension}",
        max_age=0,
    )
