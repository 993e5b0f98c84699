"""Values shown in the reader's language on pages: an organisation's name, a meeting's title
and place, a day, a percentage.

Each takes the language explicitly (a code or a locale) so that a document or an e-mail can
pass its own; the template filters use the language of the page being rendered.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel.numbers import format_percent
from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from workplan.i18n import LOCALES, format_day, language_of, typeset

# The regions organisations are grouped in (the plan's seed data names them in English).
REGION_LABELS = {
    "Africa": _l("Africa"),
    "Americas": _l("Americas"),
    "Asia-Pacific": _l("Asia-Pacific"),
    "Europe": _l("Europe"),
    "Middle East and OIC": _l("Middle East and OIC"),
}


def region_name(region: str | None) -> str:
    """A region in the current language (a region without a label is shown as stored)."""
    if not region:
        return ""
    return str(REGION_LABELS.get(region, region))


def org_name(org: Any, language: Any) -> str:
    """The organisation's name in ``language``: its French name on French pages where it has
    one, otherwise the name it is registered under."""
    if org is None:
        return ""
    name_fr = getattr(org, "name_fr", None)
    if language_of(language) == "fr" and name_fr:
        return typeset(name_fr, "fr")
    return str(getattr(org, "name", "") or "")


def meeting_title(meeting: Any, language: Any) -> str:
    """The meeting's title in ``language`` (the French one when given, on French pages)."""
    return _in_language(meeting, "title", language)


def meeting_place(meeting: Any, language: Any) -> str:
    """The meeting's place in ``language`` (the French one when given, on French pages)."""
    return _in_language(meeting, "place", language)


def _in_language(obj: Any, attribute: str, language: Any) -> str:
    if obj is None:
        return ""
    french = getattr(obj, f"{attribute}_fr", None)
    if language_of(language) == "fr" and french:
        return str(french)
    return str(getattr(obj, attribute, "") or "")


def percent(value: float | int | None, language: Any) -> str:
    """A whole percentage (``value`` out of 100) as the language writes it: "96%", "96 %"
    (with a narrow no-break space in French)."""
    if value is None:
        return ""
    return _percent(value, language_of(language))


@lru_cache(maxsize=1024)
def _percent(value: float | int, language: str) -> str:
    # Cached: the matrix shows one per cell, and the values are few (0 to 100).
    locale = LOCALES.get(language, LOCALES["en"])
    return typeset(format_percent(value / 100, locale=locale), language)


def _page_language() -> str:
    return language_of(get_locale())


def register(app: Flask) -> None:
    """The template filters, in the language of the page being rendered."""
    filters = app.jinja_env.filters
    filters["org_name"] = lambda org: org_name(org, _page_language())
    filters["meeting_title"] = lambda meeting: meeting_title(meeting, _page_language())
    filters["meeting_place"] = lambda meeting: meeting_place(meeting, _page_language())
    filters["percent"] = lambda value: percent(value, _page_language())
    filters["region"] = region_name

    def day(value: date | datetime | None) -> str:
        return format_day(value, _page_language())

    filters["day"] = day
