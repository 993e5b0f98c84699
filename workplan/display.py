"""How values are shown to people: labels for codes, dates and ages, localised.

Messages that carry a value (a link or file name someone typed, a status, a number) are
formatted with ``gettext`` at the moment they are needed: the result is a plain ``str``, which
templates escape like any other text. ``lazy_gettext`` is kept for fixed text defined at
import time (labels, field descriptions) and takes no values other than constants of the code:
Jinja treats a lazy string as trusted markup (it has ``__html__``), so a value interpolated
into it would reach the page unescaped. ``tests/test_robust_messages.py`` holds the code to
this rule.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_date, format_timedelta, get_locale, lazy_gettext

from workplan.i18n import format_day, language_of, text_direction, typeset
from workplan.localised import org_name
from workplan.models.base import utcnow

TERM_LABELS = {
    "short": lazy_gettext("Short-term recommendations"),
    "mid": lazy_gettext("Mid-term recommendations"),
    "long": lazy_gettext("Long-term recommendations"),
}
STATUS_LABELS = {
    "not_started": lazy_gettext("Not started"),
    "in_progress": lazy_gettext("In progress"),
    "ongoing": lazy_gettext("Ongoing practice"),
    "completed": lazy_gettext("Completed"),
    "on_hold": lazy_gettext("On hold"),
}
TERM_SHORT_LABELS = {
    "short": lazy_gettext("Short term"),
    "mid": lazy_gettext("Mid term"),
    "long": lazy_gettext("Long term"),
}
# Shown next to a status so that it never rests on colour alone.
STATUS_SYMBOLS = {
    "not_started": "○",
    "in_progress": "◐",
    "ongoing": "↻",
    "completed": "✓",
    "on_hold": "‖",
}
ROLE_LABELS = {
    "focal_point": lazy_gettext("Focal point"),
    "coordinator": lazy_gettext("Coordinator"),
    "observer": lazy_gettext("Observer"),
    "admin": lazy_gettext("Administrator"),
}
KIND_LABELS = {
    "rhrm": lazy_gettext("Regional human rights mechanism"),
    "ohchr": lazy_gettext("OHCHR unit"),
}


def label(mapping: dict[str, object], value: str | None) -> str:
    """The display label of a code, or the code itself when it has none."""
    if value is None:
        return ""
    return str(mapping.get(value, value))


def organisation_name(org: Any, language: Any = None) -> str:
    """An organisation's name in ``language`` (default: the interface's): see
    :func:`workplan.localised.org_name`."""
    return org_name(org, language or get_locale())


def long_date(value: date | datetime | None) -> str:
    """A date written out ("14 December 2012", « 1er décembre 2026 »), never ISO."""
    if value is None:
        return ""
    locale = get_locale()
    if language_of(locale) == "fr":
        # The first of the month is an ordinal in French, which Babel's pattern cannot say.
        return format_day(value, locale)
    return format_date(value, format="long")


def age(value: datetime | None) -> str:
    """How long ago something happened ("3 weeks ago")."""
    if value is None:
        return ""
    return format_timedelta(value - utcnow(), add_direction=True, threshold=1.0)


def elapsed(value: datetime | None) -> str:
    """How long ago, without "ago" ("3 months"): for tight spaces such as the matrix."""
    if value is None:
        return ""
    return format_timedelta(utcnow() - value, threshold=1.0)


def _names(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def account_note(user: Any) -> str:
    """Role and organisation code to show after a person's name ("Focal point · ACHPR"),
    leaving out what the name already says ("Coordinator (OHCHR NIRMS)" needs nothing)."""
    parts = [label(ROLE_LABELS, user.role)]
    if user.organisation is not None:
        parts.append(user.organisation.code)
    return " · ".join(part for part in parts if part and not _names(user.name, part))


def register(app: Flask) -> None:
    """Make the labels and formatters available in templates."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["text_direction"] = text_direction
    app.jinja_env.filters["typeset"] = lambda text: typeset(str(text), get_locale())
    app.jinja_env.filters["term_label"] = lambda v: label(TERM_LABELS, v)
    app.jinja_env.filters["status_label"] = lambda v: label(STATUS_LABELS, v)
    app.jinja_env.filters["role_label"] = lambda v: label(ROLE_LABELS, v)
    app.jinja_env.filters["kind_label"] = lambda v: label(KIND_LABELS, v)
    app.jinja_env.filters["term_short"] = lambda v: label(TERM_SHORT_LABELS, v)
    app.jinja_env.filters["status_symbol"] = lambda v: STATUS_SYMBOLS.get(v, "")
    app.jinja_env.filters["elapsed"] = elapsed
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["age"] = age
    app.jinja_env.filters["account_note"] = account_note
