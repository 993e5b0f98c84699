"""Blockers through the API: raise one on a share, list the open ones, resolve one."""

from __future__ import annotations

from typing import Any

from flask import request

from workplan.api import bp, reads
from workplan.api.errors import ApiError
from workplan.api.forms import checked
from workplan.api.lookups import ROW_ID, caller, share_or_404, visible_blocker_or_404
from workplan.api.paging import paginate
from workplan.api.schemas import BlockerFilters, BlockerIn, BlockerList, BlockerOut, ResolveIn
from workplan.api.spec import validate
from workplan.extensions import db
from workplan.permissions import can
from workplan.plan.queries import organisations_in_order
from workplan.reporting import queries as reporting_queries
from workplan.reporting import services
from workplan.reporting.forms import BlockerActionForm, BlockerForm


@bp.post("/tasks/<code>/assignments/<org_code>/blockers")
@validate("raiseBlocker", "HTTP_201", BlockerOut, json=BlockerIn, tags=("blockers",))
def raise_blocker(code: str, org_code: str) -> Any:
    """Raise a blocker on a share (focal points of its organisation, the coordinator).
    The coordinator, and the organisation asked for help, are told."""
    assignment = share_or_404(code, org_code)
    me = caller()
    if not can(me, "write_assignment", assignment):
        raise ApiError(403, "You may not raise a blocker on this organisation's share.")
    body: BlockerIn = request.context.json  # type: ignore[attr-defined]
    organisations = organisations_in_order(db.session)
    help_id = 0
    if body.help_from:
        wanted = body.help_from.strip().lower()
        found = [o.id for o in organisations if o.code.lower() == wanted]
        if not found:
            raise ApiError(422, fields={"help_from": ["There is no such organisation."]})
        help_id = found[0]

    def offer_organisations(form: BlockerForm) -> None:
        form.help_organisation.choices = [(0, "")] + [(o.id, o.code) for o in organisations]

    values = body.model_dump(mode="json", exclude={"help_from"}) | {"help_organisation": help_id}
    form = checked(
        BlockerForm,
        values,
        prepare=offer_organisations,
        rename={"help_organisation": "help_from"},
    )
    blocker = services.raise_blocker(db.session, me, assignment, **form.blocker_fields())
    db.session.commit()
    return reads.blocker_json(reporting_queries.get_blocker(db.session, blocker.id)), 201  # type: ignore[arg-type]


@bp.get("/blockers")
@validate(
    "listBlockers", "HTTP_200", BlockerList, query=BlockerFilters, tags=("blockers",), paged=True
)
def blockers() -> Any:
    """The open blockers you may see, oldest first."""
    query = request.context.query  # type: ignore[attr-defined]
    page = paginate(reads.open_blockers(db.session, caller()), query.page, query.per_page)
    return page.items, 200, page.headers()


@bp.post(f"/blockers/<{ROW_ID}:blocker_id>/resolve")
@validate("resolveBlocker", "HTTP_200", BlockerOut, 409, json=ResolveIn, tags=("blockers",))
def resolve_blocker(blocker_id: int) -> Any:
    """Resolve a blocker (the coordinator), with a note saying how. Send its `version` to
    be sure nobody acted on it since you read it."""
    me = caller()
    blocker = visible_blocker_or_404(blocker_id)
    if not can(me, "handle_blockers"):
        raise ApiError(403, "Only the coordinator resolves blockers.")
    body: ResolveIn = request.context.json  # type: ignore[attr-defined]

    def offer_resolve(form: BlockerActionForm) -> None:
        form.action.choices = [("resolve", "")]

    form = checked(
        BlockerActionForm,
        {
            "action": "resolve",
            "comment": body.note,
            "version": blocker.version if body.version is None else body.version,
        },
        prepare=offer_resolve,
        rename={"comment": "note"},
    )
    try:
        services.act_on_blocker(
            db.session,
            me,
            blocker,
            action="resolve",
            comment=form.comment.data or "",
            expected_version=form.version.data,
        )
    except services.StaleVersion:
        db.session.rollback()
        current = reporting_queries.get_blocker(db.session, blocker_id)
        raise ApiError(
            409,
            "Someone acted on this blocker since you read it: nothing was saved.",
            current_version=current.version if current else None,
            current_status=current.status if current else None,
        ) from None
    except services.InvalidTransition:
        db.session.rollback()
        raise ApiError(
            409, "This blocker cannot be resolved now.", current_status=blocker.status
        ) from None
    db.session.commit()
    return reads.blocker_json(reporting_queries.get_blocker(db.session, blocker_id))  # type: ignore[arg-type]
