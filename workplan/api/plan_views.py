"""The plan through the API: organisations, tasks, a share's updates (read and post)."""

from __future__ import annotations

from typing import Any

from flask import request, url_for

from workplan.api import bp, reads
from workplan.api.errors import ApiError
from workplan.api.forms import checked
from workplan.api.lookups import caller, share_or_404
from workplan.api.paging import paginate
from workplan.api.schemas import (
    OrganisationList,
    Paging,
    TaskDetail,
    TaskFilters,
    TaskList,
    UpdateIn,
    UpdateList,
    UpdateOut,
)
from workplan.api.spec import validate
from workplan.extensions import db
from workplan.permissions import can
from workplan.plan.queries import organisations_in_order
from workplan.reporting import services
from workplan.reporting.forms import UpdateForm


@bp.get("/organisations")
@validate(
    "listOrganisations", "HTTP_200", OrganisationList, query=Paging, tags=("plan",), paged=True
)
def organisations() -> Any:
    """The organisations of the network, in the network's order."""
    query = request.context.query  # type: ignore[attr-defined]
    items = [reads.organisation_json(o) for o in organisations_in_order(db.session)]
    page = paginate(items, query.page, query.per_page)
    return page.items, 200, page.headers()


@bp.get("/tasks")
@validate("listTasks", "HTTP_200", TaskList, query=TaskFilters, tags=("plan",), paged=True)
def tasks() -> Any:
    """The tasks of the plan (the recommendations), with each organisation's share.

    Statuses and progress are what you may see: a restricted report counts only for the
    coordinator and the reporting organisation. `org` keeps the tasks that organisation
    has a share in; `status` filters on the task's overall status."""
    query = request.context.query  # type: ignore[attr-defined]
    items = reads.tasks(db.session, caller(), term=query.term, org=query.org, status=query.status)
    page = paginate(items, query.page, query.per_page)
    return page.items, 200, page.headers()


@bp.get("/tasks/<code>")
@validate("getTask", "HTTP_200", TaskDetail, tags=("plan",))
def task(code: str) -> Any:
    """One task, with its text and the open blockers you may see."""
    item = reads.task(db.session, caller(), code)
    if item is None:
        raise ApiError(404, "No such task.")
    return item


@bp.get("/tasks/<code>/assignments/<org_code>/updates")
@validate("listUpdates", "HTTP_200", UpdateList, query=Paging, tags=("reporting",), paged=True)
def updates(code: str, org_code: str) -> Any:
    """An organisation's reports on a task that you may read, newest first."""
    query = request.context.query  # type: ignore[attr-defined]
    items = reads.updates(db.session, caller(), share_or_404(code, org_code))
    page = paginate(items, query.page, query.per_page)
    return page.items, 200, page.headers()


@bp.post("/tasks/<code>/assignments/<org_code>/updates")
@validate("postUpdate", "HTTP_201", UpdateOut, 409, json=UpdateIn, tags=("reporting",))
def post_update(code: str, org_code: str) -> Any:
    """Report on a share (focal points of its organisation, the coordinator).

    Send the share's `version` as you read it: if someone wrote since, nothing is saved and
    the answer is 409 with the `current_version`. A completed share is 100 % done."""
    assignment = share_or_404(code, org_code)
    me = caller()
    if not can(me, "write_assignment", assignment):
        raise ApiError(403, "You may not report on this organisation's share.")
    body: UpdateIn = request.context.json  # type: ignore[attr-defined]
    form = checked(UpdateForm, body.model_dump(mode="json"))
    data = form.to_input()
    try:
        update = services.record_update(db.session, me, assignment, data, form.version.data)
    except services.StaleVersion:
        db.session.rollback()
        current = share_or_404(code, org_code)
        raise ApiError(
            409,
            "Someone reported on this share since you read it: nothing was saved. Read it "
            "again and send the current version.",
            current_version=current.version,
        ) from None
    except services.InvalidInput as error:
        db.session.rollback()
        raise ApiError(422, fields={"body": [str(error)]}) from None
    db.session.commit()
    location = url_for(
        ".updates", code=assignment.recommendation.code, org_code=assignment.organisation.code
    )
    return reads.update_json(update), 201, {"Location": location}
