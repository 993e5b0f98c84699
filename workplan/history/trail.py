"""The audit trail as people read it: actions as phrases, objects as words with a link, and
the values before and after as "field: old → new".

The rows store codes (``blocker.escalate``), class names and JSON snapshots; this module
turns a page of them into words, loading the objects they name in one statement per kind of
object, never one per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from workplan.display import ROLE_LABELS, STATUS_LABELS, label
from workplan.i18n import format_day
from workplan.localised import meeting_title, percent
from workplan.models import (
    Assignment,
    AuditEntry,
    Blocker,
    Meeting,
    Organisation,
    User,
)
from workplan.people.labels import DIGEST_LABELS, RANK_LABELS
from workplan.reporting.labels import BLOCKER_STATUS_LABELS, CATEGORY_LABELS, VISIBILITY_SHORT
from workplan.reports.forms import FORMAT_LABELS, KIND_SHORT, LANGUAGE_LABELS

# Every code passed to ``record_audit``; a code missing here is shown as it is.
ACTION_LABELS = {
    "user.create": _l("Account created"),
    "user.set_role": _l("Role changed"),
    "user.deactivate": _l("Account deactivated"),
    "user.set_password": _l("Password changed"),
    "user.sign_in_link": _l("Signed in with a one-time link"),
    "user.reactivate": _l("Account reactivated"),
    "user.update_profile": _l("Profile changed"),
    "user.end_sessions": _l("Signed out everywhere"),
    "user.mail_invitation": _l("Invitation e-mailed"),
    "user.mail_sign_in_link": _l("Sign-in link e-mailed"),
    "user.mail_password_reset": _l("Password reset link e-mailed"),
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
    "update.record": _l("Progress reported"),
    "update.confirm": _l("No change confirmed"),
    "blocker.raise": _l("Blocker raised"),
    "blocker.acknowledge": _l("Blocker acknowledged"),
    "blocker.escalate": _l("Blocker escalated"),
    "blocker.resolve": _l("Blocker resolved"),
    "blocker.reopen": _l("Blocker reopened"),
    "blocker.comment": _l("Comment on a blocker"),
    "create_meeting": _l("Meeting created"),
    "update_meeting": _l("Meeting changed"),
    "delete_meeting": _l("Meeting deleted"),
    "request_report": _l("Report requested"),
    "edit_recommendation": _l("Recommendation edited"),
    "add_recommendation": _l("Recommendation added"),
    "retire_recommendation": _l("Recommendation retired"),
    "add_share": _l("Organisation made responsible"),
    "end_share": _l("Share ended"),
    "set_lead": _l("Lead changed"),
    "add_organisation": _l("Organisation added"),
    "apply_plan_revision": _l("Plan revised for a meeting"),
}

# Rows written before ``record_audit`` unwrapped ``current_user`` name its proxy class.
LEGACY_TYPES = {"LocalProxy": "User"}
TYPE_LABELS = {
    "User": _l("Account"),
    "Assignment": _l("Share of a recommendation"),
    "Blocker": _l("Blocker"),
    "Meeting": _l("Meeting"),
    "ReportRun": _l("Report"),
    "Recommendation": _l("Recommendation"),
    "Organisation": _l("Organisation"),
    "PlanRevision": _l("Revision of the plan"),
}

FIELD_LABELS = {
    "status": _l("Status"),
    "progress": _l("Progress"),
    "last_update_at": _l("Last update"),
    "visibility": _l("Visible to"),
    "narrative": _l("Narrative"),
    "evidence_links": _l("Evidence links"),
    "attachments": _l("Files"),
    "category": _l("Kind of obstacle"),
    "description": _l("Description"),
    "help_organisation_id": _l("Help needed from"),
    "comment": _l("Comment"),
    "email": _l("E-mail"),
    "name": _l("Name"),
    "role": _l("Role"),
    "organisation": _l("Organisation"),
    "active": _l("Active"),
    "title": _l("Title"),
    "phone": _l("Phone"),
    "phone_hidden": _l("Phone hidden from the directory"),
    "focal_point_rank": _l("Focal point"),
    "digest": _l("Digest"),
    "held_on": _l("Held on"),
    "place": _l("Place"),
    "title_fr": _l("Title (French)"),
    "place_fr": _l("Place (French)"),
    "cutoff_at": _l("Reporting cut-off"),
    "document_symbol": _l("Document symbol"),
    "kind": _l("Kind of report"),
    "format": _l("Format"),
    "language": _l("Language"),
    "internal": _l("Internal version"),
    "meeting_id": _l("Meeting"),
    "organisation_id": _l("Organisation"),
    "params": _l("Parameters"),
    "start": _l("From"),
    "end": _l("To"),
}
# Bookkeeping for optimistic locking and row ids: meaningless to a reader of the trail.
HIDDEN_FIELDS = {"version", "update_id", "event_id"}
DATE_FIELDS = {"last_update_at", "held_on", "cutoff_at", "start", "end"}
NARRATIVE_LENGTH = 200

# Labels of coded values, per field; "status" depends on the kind of object.
VALUE_LABELS: dict[str, Mapping[str, Any]] = {
    "visibility": VISIBILITY_SHORT,
    "category": CATEGORY_LABELS,
    "role": ROLE_LABELS,
    "kind": KIND_SHORT,
    "format": FORMAT_LABELS,
    "language": LANGUAGE_LABELS,
    "focal_point_rank": RANK_LABELS,
    "digest": DIGEST_LABELS,
}


def object_type(stored: str) -> str:
    """The model name an entry's ``object_type`` stands for (old rows said "LocalProxy")."""
    return LEGACY_TYPES.get(stored, stored)


def stored_types(shown: str) -> list[str]:
    """The ``object_type`` values a filter on ``shown`` must match."""
    return [shown, *(old for old, new in LEGACY_TYPES.items() if new == shown)]


def type_label(name: str) -> str:
    return label(TYPE_LABELS, object_type(name))


def action_label(code: str) -> str:
    return label(ACTION_LABELS, code)


@dataclass(frozen=True)
class Change:
    """One field of an entry: ``before`` is None for a value set by a creation."""

    label: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ObjectRef:
    text: str
    url: str | None = None


@dataclass
class AuditRow:
    entry: AuditEntry
    action: str
    kind: str
    obj: ObjectRef
    changes: list[Change] = field(default_factory=list)


def _as_date(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return format_day(moment, get_locale())


class _Lookups:
    """The objects a page of entries names, loaded in one statement per kind."""

    def __init__(self, session: Session, entries: list[AuditEntry]) -> None:
        ids: dict[str, set[int]] = defaultdict(set)
        for entry in entries:
            if entry.object_id is not None:
                ids[object_type(entry.object_type)].add(entry.object_id)
            for values in (entry.before or {}, entry.after or {}):
                if values.get("meeting_id"):
                    ids["Meeting"].add(values["meeting_id"])
        self.users = self._load(session, User, ids["User"])
        self.meetings = self._load(session, Meeting, ids["Meeting"])
        self.assignments = self._load(
            session,
            Assignment,
            ids["Assignment"],
            joinedload(Assignment.recommendation),
            joinedload(Assignment.organisation),
        )
        self.blockers = self._load(
            session,
            Blocker,
            ids["Blocker"],
            joinedload(Blocker.assignment).joinedload(Assignment.recommendation),
            joinedload(Blocker.assignment).joinedload(Assignment.organisation),
        )
        mentions_org = any(
            (values or {}).get(key)
            for e in entries
            for values in (e.before, e.after)
            for key in ("help_organisation_id", "organisation_id")
        )
        # A few dozen organisations: all of them, once, and only when a page names one.
        self.organisations = (
            {o.id: o for o in session.scalars(select(Organisation))} if mentions_org else {}
        )

    @staticmethod
    def _load(session: Session, model: Any, ids: set[int], *options: Any) -> dict[int, Any]:
        if not ids:
            return {}
        rows = session.scalars(select(model).where(model.id.in_(ids)).options(*options))
        return {row.id: row for row in rows.unique()}


def _assignment_ref(assignment: Assignment, anchor: str = "") -> ObjectRef:
    code, org = assignment.recommendation.code, assignment.organisation.code
    return ObjectRef(
        f"{code} / {org}", url_for("reporting.assignment", code=code, org_code=org) + anchor
    )


def _object(entry: AuditEntry, found: _Lookups) -> ObjectRef:
    kind, oid = object_type(entry.object_type), entry.object_id
    snapshot = entry.after or entry.before or {}
    if kind == "User":
        user = found.users.get(oid)  # type: ignore[arg-type]
        if user is None:
            return ObjectRef(f"#{oid}")
        return ObjectRef(f"{user.name} ({user.email})", url_for("people.person", user_id=user.id))
    if kind == "Assignment" and oid in found.assignments:
        return _assignment_ref(found.assignments[oid])
    if kind == "Blocker" and oid in found.blockers:
        # Shown after the kind ("Blocker: S4 / ACHPR"), linked to the blocker on its page.
        return _assignment_ref(found.blockers[oid].assignment, f"#blocker-{oid}")
    if kind == "Meeting":
        meeting = found.meetings.get(oid)  # type: ignore[arg-type]
        if meeting is not None:
            return ObjectRef(
                meeting_title(meeting, get_locale()), url_for("meetings.show", meeting_id=oid)
            )
        # A deleted meeting keeps its title in the entry that deleted it.
        return ObjectRef(snapshot.get("title") or f"#{oid}")
    if kind == "ReportRun":
        return ObjectRef(_("report %(num)s", num=oid), url_for("reports.index"))
    return ObjectRef(f"{type_label(entry.object_type)} #{oid}")


def _value(name: str, value: Any, kind: str, found: _Lookups) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if name == "status":
        return label(BLOCKER_STATUS_LABELS if kind == "Blocker" else STATUS_LABELS, value)
    if name == "progress":
        return percent(value, get_locale())
    if name in DATE_FIELDS:
        return _as_date(value)
    if name in ("help_organisation_id", "organisation_id"):
        org = found.organisations.get(value)
        return org.code if org else f"#{value}"
    if name == "meeting_id":
        meeting = found.meetings.get(value)
        return meeting_title(meeting, get_locale()) if meeting else f"#{value}"
    if name == "narrative" and len(str(value)) > NARRATIVE_LENGTH:
        return str(value)[:NARRATIVE_LENGTH].rstrip() + "…"
    if isinstance(value, dict):
        return "; ".join(
            _("%(field)s: %(value)s", field=label(FIELD_LABELS, k), value=_value(k, v, kind, found))
            for k, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if name in VALUE_LABELS:
        return label(VALUE_LABELS[name], value)  # type: ignore[arg-type]
    return str(value)


def _changes(entry: AuditEntry, found: _Lookups) -> list[Change]:
    """What the action set or changed; a field whose value stayed the same is left out."""
    before, after = entry.before or {}, entry.after or {}
    kind = object_type(entry.object_type)
    changes = []
    for name in [*after, *(k for k in before if k not in after)]:
        if name in HIDDEN_FIELDS:
            continue
        text = label(FIELD_LABELS, name)
        if name in before and name in after:
            if before[name] != after[name]:
                old, new = (_value(name, v, kind, found) for v in (before[name], after[name]))
                changes.append(Change(text, old, new))
        else:  # set by a creation, or last seen by a deletion; nothing to say when empty
            value = after[name] if name in after else before[name]
            if value in (None, "", [], {}):
                continue
            changes.append(Change(text, None, _value(name, value, kind, found)))
    return changes


def readable(session: Session, entries: Iterable[AuditEntry]) -> list[AuditRow]:
    """A page of entries in words, in the order given."""
    entries = list(entries)
    found = _Lookups(session, entries)
    return [
        AuditRow(
            entry=e,
            action=action_label(e.action),
            kind=type_label(e.object_type),
            obj=_object(e, found),
            changes=_changes(e, found),
        )
        for e in entries
    ]
