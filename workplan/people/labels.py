"""Labels of the people feature's codes, shared by pages, downloads and the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

RANK_LABELS = {"main": _l("Main"), "alternate": _l("Alternate")}
# The rank with the role, as one phrase: word order and agreement differ between languages
# ("main focal point", « coordonnateur principal »).
RANK_TITLES = {"main": _l("Main focal point"), "alternate": _l("Alternate focal point")}
STATE_LABELS = {
    "invited": _l("Invited (never signed in)"),
    "active": _l("Active"),
    "deactivated": _l("Deactivated"),
}
DIGEST_LABELS = {
    "daily": _l("Daily"),
    "weekly": _l("Weekly"),
    "none": lazy_pgettext("digest", "None"),
}
