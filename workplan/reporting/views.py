"""Reporting pages: "my organisation", an assignment (report, confirm, blockers), files."""

from __future__ import annotations

from typing import Any

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
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from workplan.downloads import send_stored
from workplan.extensions import db
from workplan.flashes import flash_in
from workplan.history.timeline import build_timeline
from workplan.localised import org_name
from workplan.models import Attachment, Blocker
from workplan.permissions import can
from workplan.plan.queries import organisations_in_order
from workplan.redirects import safe_target
from workplan.reporting import attachments, handover, labels, queries, services
from workplan.reporting.forms import (
    BlockerActionForm,
    BlockerForm,
    ConfirmForm,
    UpdateForm,
)
from workplan.reporting.narrative import render_narrative
from workplan.state.visibility import visible_states
from workplan.storage import StorageError, StorageFull

bp = Blueprint("reporting", __name__)


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every reporting page needs a signed-in user."""


@bp.app_template_filter("narrative")
def narrative_filter(text: str | None) -> Markup:
    return render_narrative(text)


@bp.record_once
def register_labels(state: Any) -> None:
    # A global rather than a context processor: macros imported without context see it.
    state.app.jinja_env.globals["reporting_labels"] = labels


def _safe_next(default: str) -> str:
    """The form's ``next`` if it stays on this site, else ``default``."""
    return safe_target(request.form.get("next"), default)


def _assignment_or_404(code: str, org_code: str):  # type: ignore[no-untyped-def]
    assignment = queries.get_assignment(db.session, code, org_code)
    if assignment is None:
        abort(404)
    return assignment


def _blocker_form(with_data: bool = False, csrf: bool = True) -> BlockerForm:
    meta = {"csrf": False} if not csrf else {}
    form = (
        BlockerForm(prefix="raise", meta=meta)
        if with_data
        else BlockerForm(formdata=None, prefix="raise")
    )
    language = get_locale()
    form.help_organisation.choices = [(0, _("None"))] + [
        (org.id, f"{org.code} – {org_name(org, language)}")
        for org in organisations_in_order(db.session)
    ]
    return form


def _action_form(blocker: Blocker, with_data: bool = False) -> BlockerActionForm:
    prefix = f"blocker-{blocker.id}"
    form = (
        BlockerActionForm(prefix=prefix)
        if with_data
        else BlockerActionForm(formdata=None, prefix=prefix, version=blocker.version)
    )
    actions = [
        SelectChoice(a, labels.BLOCKER_ACTION_LABELS[a])
        for a in services.allowed_actions(current_user, blocker)
    ]
    # With a choice to make, nothing is chosen for the person (see BlockerActionForm.action).
    if len(actions) > 1:
        actions.insert(0, SelectChoice("", _("Choose an action…")))
    form.action.choices = actions
    return form


def _render_assignment(assignment, status: int = 200, **forms: Any) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """The assignment page, with whatever forms the caller is re-displaying."""
    updates = queries.updates_of(db.session, [assignment.id])
    blockers = queries.blockers_of(db.session, [assignment.id])
    latest_id = updates[0].id if updates else 0
    writable = can(current_user, "write_assignment", assignment)
    update_form = forms.get("update_form")
    if update_form is None and writable:
        update_form = UpdateForm(
            formdata=None,
            version=assignment.version,
            last_seen=latest_id,
            status=assignment.status,
            progress=assignment.progress,
        )
    confirm_form = forms.get("confirm_form") or ConfirmForm(
        formdata=None, prefix="confirm", version=assignment.version, last_seen=latest_id
    )
    blocker_form = forms.get("blocker_form") or (_blocker_form() if writable else None)
    visible_blockers = [b for b in blockers if can(current_user, "view_entry", b)]
    action_forms = {b.id: _action_form(b) for b in visible_blockers}
    action_forms.update(forms.get("action_forms", {}))
    resolved = [b for b in visible_blockers if b.status == "resolved"]
    return (
        render_template(
            "reporting/assignment.html",
            a=assignment,
            state=visible_states(db.session, current_user, [assignment.id])[assignment.id],
            rec=assignment.recommendation,
            org=assignment.organisation,
            writable=writable,
            update_form=update_form,
            confirm_form=confirm_form,
            blocker_form=blocker_form,
            action_forms=action_forms,
            open_blockers=[b for b in visible_blockers if b.status != "resolved"],
            resolved_blockers=resolved,
            # A refused action on a resolved blocker (e.g. reopen) shows its form unfolded.
            resolved_open=any(action_forms[b.id].errors for b in resolved),
            entries=build_timeline(current_user, updates, blockers),
            has_reported=bool(updates),
            conflict=forms.get("conflict"),
            expired=forms.get("expired", False),
        ),
        status,
    )


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError) -> tuple[str, int]:
    """A refused token (expired session, form open for days) on a report or blocker form:
    show the form again with what was typed, rather than a page that loses it."""
    args = request.view_args or {}
    assignment = None
    if request.endpoint in ("reporting.record_update", "reporting.raise_blocker"):
        assignment = queries.get_assignment(db.session, args["code"], args["org_code"])
    if assignment is None or not can(current_user, "write_assignment", assignment):
        return render_template("errors/csrf.html", error=error), 400
    if request.endpoint == "reporting.record_update":
        form = UpdateForm(meta={"csrf": False})
        form.validate()
        return _render_assignment(assignment, 400, update_form=form, expired=True)
    blocker_form = _blocker_form(with_data=True, csrf=False)
    blocker_form.validate()
    return _render_assignment(assignment, 400, blocker_form=blocker_form, expired=True)


@bp.route("/my-organisation")
def my_organisation() -> str | Response:
    """A focal point's landing page: what its organisation owes and what needs a report."""
    org = current_user.organisation
    if org is None:
        return redirect(url_for("plan.index"))
    data = queries.my_organisation(db.session, org, current_user)
    summary = handover.summary(
        db.session, current_user, data, asked=request.args.get("handover") == "1"
    )
    return render_template("reporting/my_organisation.html", data=data, handover=summary)


@bp.route("/my-organisation/handover/dismiss", methods=["POST"])
def dismiss_handover() -> Response:
    """The newcomer has read the handover summary: stop showing it on its own."""
    handover.dismiss(db.session, current_user)
    db.session.commit()
    return redirect(url_for(".my_organisation"))


@bp.route("/blockers")
def blockers() -> str:
    """Open blockers of the whole plan (the coordinator's working list)."""
    items = [b for b in queries.open_blockers(db.session) if can(current_user, "view_entry", b)]
    return render_template(
        "reporting/blockers.html",
        blockers=items,
        action_forms={b.id: _action_form(b) for b in items},
    )


@bp.route("/plan/<code>/<org_code>")
def assignment(code: str, org_code: str) -> tuple[str, int]:
    return _render_assignment(_assignment_or_404(code, org_code))


def _conflict(assignment, last_seen: int | None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """What was recorded on the assignment since the person opened the form."""
    updates = queries.updates_of(db.session, [assignment.id])
    since = [u for u in updates if u.id > (last_seen or 0) and can(current_user, "view_entry", u)]
    return {"updates": since, "latest_id": updates[0].id if updates else 0}


@bp.route("/plan/<code>/<org_code>/updates", methods=["POST"])
def record_update(code: str, org_code: str) -> Response | tuple[str, int]:
    assignment = _assignment_or_404(code, org_code)
    if not can(current_user, "write_assignment", assignment):
        abort(403)
    form = UpdateForm()
    if not form.validate_on_submit():
        return _render_assignment(assignment, 422, update_form=form)
    files, problems = _accepted_files(form)
    if problems:
        form.attachments.errors = problems
        return _render_assignment(assignment, 422, update_form=form)
    data = form.to_input(files)
    try:
        services.record_update(db.session, current_user, assignment, data, form.version.data)
    except StorageError as error:
        # The rollback deletes whatever part of the files was written; the text stays in
        # the form, so the person loses nothing they typed.
        db.session.rollback()
        if isinstance(error, StorageFull):
            problem, status = _("The server has run out of space for files"), 507
        else:
            problem, status = _("The file store cannot be reached"), 503
        form.attachments.errors = [
            _(
                "%(problem)s, so nothing was saved. Your text is kept below: save it without "
                "the files, or try again later, and tell the coordinator.",
                problem=problem,
            )
        ]
        return _render_assignment(_assignment_or_404(code, org_code), status, update_form=form)
    except services.StaleVersion:
        db.session.rollback()
        assignment = _assignment_or_404(code, org_code)
        conflict = _conflict(assignment, form.last_seen.data)
        form.version.data = assignment.version
        form.last_seen.data = conflict["latest_id"]
        return _render_assignment(assignment, 409, update_form=form, conflict=conflict)
    db.session.commit()
    flash_in("history", _("Your report is saved."))
    return redirect(url_for(".assignment", code=code, org_code=org_code) + "#history")


def _accepted_files(form: UpdateForm) -> tuple[list[attachments.AcceptedFile], list[str]]:
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    accepted, problems = [], []
    for upload in form.attachments.data or []:
        if not getattr(upload, "filename", None):
            continue  # the empty part browsers send when no file is chosen
        try:
            accepted.append(attachments.check_file(upload, limit))
        except attachments.AttachmentRefused as refused:
            problems.append(str(refused))
    if sum(f.size for f in accepted) > limit:
        problems.append(_("The files together are larger than %(mb)d MB.", mb=limit // 2**20))
    return accepted, problems


@bp.route("/plan/<code>/<org_code>/confirm", methods=["POST"])
def confirm(code: str, org_code: str) -> Response | tuple[str, int]:
    assignment = _assignment_or_404(code, org_code)
    if not can(current_user, "write_assignment", assignment):
        abort(403)
    form = ConfirmForm(prefix="confirm")
    if not form.validate_on_submit():
        abort(400)
    try:
        services.confirm_no_change(db.session, current_user, assignment, form.version.data)
    except services.StaleVersion:
        db.session.rollback()
        assignment = _assignment_or_404(code, org_code)
        conflict = _conflict(assignment, form.last_seen.data)
        return _render_assignment(assignment, 409, conflict=conflict)
    db.session.commit()
    flash(
        _(
            "Recorded: no change on %(code)s since your last report.",
            code=assignment.recommendation.code,
        ),
        "success",
    )
    default = url_for(".assignment", code=code, org_code=org_code)
    return redirect(_safe_next(default))


@bp.route("/plan/<code>/<org_code>/blockers", methods=["POST"])
def raise_blocker(code: str, org_code: str) -> Response | tuple[str, int]:
    assignment = _assignment_or_404(code, org_code)
    if not can(current_user, "write_assignment", assignment):
        abort(403)
    form = _blocker_form(with_data=True)
    if not form.validate_on_submit():
        return _render_assignment(assignment, 422, blocker_form=form)
    services.raise_blocker(db.session, current_user, assignment, **form.blocker_fields())
    db.session.commit()
    flash_in("blockers", _("The blocker is raised. The coordinator will see it."))
    return redirect(url_for(".assignment", code=code, org_code=org_code) + "#blockers")


@bp.route("/blockers/<int:blocker_id>", methods=["POST"])
def act_on_blocker(blocker_id: int) -> Response | tuple[str, int]:
    blocker = queries.get_blocker(db.session, blocker_id)
    if blocker is None or not can(current_user, "view_entry", blocker):
        abort(404)
    if not services.allowed_actions(current_user, blocker) and not can(
        current_user, "handle_blockers"
    ):
        abort(403)
    form = _action_form(blocker, with_data=True)
    assignment = blocker.assignment
    if not form.validate_on_submit():
        return _render_assignment(assignment, 422, action_forms={blocker.id: form})
    try:
        services.act_on_blocker(
            db.session,
            current_user,
            blocker,
            action=form.action.data,
            comment=form.comment.data or "",
            expected_version=form.version.data,
        )
    except services.StaleVersion:
        db.session.rollback()
        blocker = queries.get_blocker(db.session, blocker_id)
        form = _action_form(blocker, with_data=True)
        form.version.data = blocker.version
        form.action.errors = [
            _(
                "Someone else acted on this blocker meanwhile: it is now “%(status)s”. "
                "Nothing was saved; check and record again.",
                status=labels.BLOCKER_STATUS_LABELS[blocker.status],
            )
        ]
        return _render_assignment(blocker.assignment, 409, action_forms={blocker.id: form})
    except services.InvalidTransition:
        db.session.rollback()
        form.action.errors = [_("This action is not possible now.")]
        return _render_assignment(assignment, 422, action_forms={blocker.id: form})
    db.session.commit()
    default = url_for(
        ".assignment", code=assignment.recommendation.code, org_code=assignment.organisation.code
    )
    target = _safe_next(default + "#blockers")
    if target == default + "#blockers":
        flash_in("blockers", _("Recorded on the blocker."))
    else:
        flash(_("Recorded on the blocker."), "success")
    return redirect(target)


@bp.route("/attachments/<int:attachment_id>")
def attachment(attachment_id: int) -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """A file, only to those who may see its update; 404 otherwise, so as not to reveal it."""
    item = db.session.get(Attachment, attachment_id)
    if item is None or not can(current_user, "view_attachment", item):
        abort(404)
    return send_stored(
        lambda: attachments.open_stored(item.stored_name),
        mimetype=item.content_type,
        name=item.filename,
        what=f"attachment {item.id} ({item.stored_name})",
    )
