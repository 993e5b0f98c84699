"""Display labels of the reporting feature's codes (blocker categories, statuses, visibility)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CATEGORY_LABELS = {
    "resources": _l("Resources"),
    "administrative": _l("Administrative obstacles"),
    "confidentiality": _l("Confidentiality"),
    "political": _l("Political will"),
    "other": _l("Other"),
}
BLOCKER_STATUS_LABELS = {
    "open": _l("Open"),
    "acknowledged": _l("Acknowledged"),
    "escalated": _l("Escalated"),
    "resolved": _l("Resolved"),
}
BLOCKER_ACTION_LABELS = {
    "acknowledge": _l("Acknowledge"),
    "comment": _l("Comment only"),
    "escalate": _l("Escalate"),
    "resolve": _l("Resolve"),
    "reopen": _l("Reopen"),
}
BLOCKER_EVENT_LABELS = {
    "acknowledge": _l("acknowledged"),
    "comment": _l("commented"),
    "escalate": _l("escalated"),
    "resolve": _l("resolved"),
    "reopen": _l("reopened"),
}
VISIBILITY_LABELS = {
    "network": _l("The network (everyone who can read the plan)"),
    "restricted": _l("Restricted (the coordinator and my organisation only)"),
}
VISIBILITY_SHORT = {"network": _l("Network"), "restricted": _l("Restricted")}
