"""Dashboard pages (read-only: every route is a GET and nothing here writes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user, login_required

from workplan.dashboard import charts, exports, queries
from workplan.dashboard.figures import Figures, dashboard_figures
from workplan.dashboard.filters import FilterForm, has_errors, parse_filters
from workplan.dashboard.matrix import OUTSIDE, build_matrix
from workplan.dashboard.summary import STATUS_SEQUENCE, Summary, region_label, summarise
from workplan.display import STATUS_LABELS, STATUS_SYMBOLS, elapsed
from workplan.exports.download import download
from workplan.extensions import db
from workplan.models import Organisation
from workplan.permissions import can
from workplan.request_guards import page_number
from workplan.state.rollup import RULE

# The page lists this many of the oldest blockers; the exports and /blockers have them all.
QUEUE_LENGTH = 50
# ... this many of the newest updates (each share's page has its whole history) ...
RECENT_LENGTH = 12
# ... and this many organisations not reported (the matrix, filtered, shows them all).
NOT_REPORTED_LENGTH = 20
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every dashboard page needs a signed-in user allowed to see it."""
    if not can(current_user, "view_dashboard"):
        abort(403)


def _network() -> tuple[list[Organisation], set[int]]:
    """Every organisation in the network's order, and the ids of those someone can report
    for (an active focal point)."""
    found, reachable = queries.organisations_and_reach(db.session)
    return queries.network_order(found), reachable


def _view(narratives: bool = False) -> tuple[Summary, FilterForm, set[int]]:
    """The filters of the query string applied to the plan as the current user may see it,
    share by share (the matrix and the exports list every share in the view)."""
    organisations, reachable = _network()
    filters, form = parse_filters(request.args, organisations)
    state = queries.load_plan_state(
        db.session, current_user, filters, organisations, narratives=narratives
    )
    return summarise(state, filters), form, reachable


def _links(summary: Summary | Figures) -> dict[str, str]:
    """The addresses the filter form links to. Keys must not be names of ``dict`` methods:
    Jinja's ``links.clear`` would find the method before the key."""
    args = summary.filters.query_args()
    return {
        "dashboard": url_for(".index", **args),
        "matrix": url_for(".matrix", **args),
        "csv": url_for(".export_csv", **args),
        "xlsx": url_for(".export_xlsx", **args),
        # The same page without filters; a refused export goes back to the dashboard.
        "unfiltered": url_for(".matrix" if request.endpoint == "dashboard.matrix" else ".index"),
    }


def _context(summary: Summary | Figures, form: FilterForm) -> dict[str, Any]:
    return {
        "summary": summary,
        "form": form,
        "form_has_errors": has_errors(form),
        "links": _links(summary),
        "statuses": STATUS_SEQUENCE,
        "region_label": region_label,
    }


@bp.route("")
def index() -> str:
    """Where the plan stands: by term, who has not reported, the blocker queue, recent
    activity. Figures are aggregated by the database (:mod:`workplan.dashboard.figures`)."""
    organisations, reachable = _network()
    filters, form = parse_filters(request.args, organisations)
    figures = dashboard_figures(
        db.session, current_user, filters, organisations, queue_length=QUEUE_LENGTH
    )
    recent = queries.recent_activity(db.session, current_user, filters, limit=RECENT_LENGTH)
    queue = queries.blockers_by_id(db.session, figures.oldest_blocker_ids)
    return render_template(
        "dashboard/index.html",
        **_context(figures, form),
        recent=recent,
        queue=queue,
        # Organisations in the view with a share to report on and nobody who can report it.
        unreachable=[
            o.org for o in figures.organisations if o.shares and o.org.id not in reachable
        ],
        rule=RULE,
        term_chart=charts.term_chart(figures.terms),
        reporting_chart=charts.reporting_chart(figures.organisations),
        not_reported_length=NOT_REPORTED_LENGTH,
    )


def _share_url() -> Callable[[str, str], str]:
    """The address of a share's page, built once and filled in per cell (``url_for`` for
    each of thousands of cells would be most of the matrix's time)."""
    pattern = url_for("reporting.assignment", code="REC", org_code="ORG")
    head, tail = pattern.split("REC", 1)
    middle, end = tail.split("ORG", 1)

    def build(rec_code: str, org_code: str) -> str:
        return head + quote(rec_code, safe="") + middle + quote(org_code, safe="") + end

    return build


@bp.route("/matrix")
def matrix() -> str:
    """Recommendations by organisations, one cell per share."""
    summary, form, _reachable = _view()
    page = request.args.get("page", 1, type=page_number)
    grid = build_matrix(summary, page, _share_url(), elapsed)
    args = summary.filters.query_args()
    return render_template(
        "dashboard/matrix.html",
        **_context(summary, form),
        matrix=grid,
        OUTSIDE=OUTSIDE,
        status_text={s: str(STATUS_LABELS[s]) for s in STATUS_LABELS},
        status_symbol=STATUS_SYMBOLS,
        page_url=lambda n: url_for(".matrix", **args, **({"page": n} if n > 1 else {})),
    )


def _download(content: bytes, mimetype: str, extension: str, summary: Summary) -> Response:
    return download(content, mimetype, exports.export_name(extension, summary.state.now))


def _export(kind: str) -> Response | tuple[str, int]:
    """The current view as a file; with invalid filters, the filters to correct instead (an
    export must hold what was asked for, not a wider view)."""
    summary, form, _reachable = _view(narratives=True)
    if has_errors(form):
        return render_template("dashboard/export_refused.html", **_context(summary, form)), 400
    if kind == "csv":
        return _download(exports.export_csv(summary), "text/csv; charset=utf-8", "csv", summary)
    blockers = queries.blockers_by_id(db.session, [b.id for b in summary.blockers])
    return _download(exports.export_xlsx(summary, blockers), XLSX_MIMETYPE, "xlsx", summary)


@bp.route("/export.csv")
def export_csv() -> Response | tuple[str, int]:
    return _export("csv")


@bp.route("/export.xlsx")
def export_xlsx() -> Response | tuple[str, int]:
    return _export("xlsx")
