"""The language of a report: its words come from the one catalogue with the report's
language forced, whoever asked for it and wherever it is built (a web request, a worker).

A report's language is a parameter of its run, not the requester's interface language. A
builder decorated with :func:`in_report_language` runs with that locale forced, so that every
``gettext`` inside it answers in the report's language, and its result is set in that
language's typography (:meth:`workplan.reports.document.Report.typeset`) in one place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any, ParamSpec, TypeVar

from babel.numbers import format_percent
from flask import has_app_context
from flask_babel import force_locale

from workplan import localised
from workplan.display import STATUS_LABELS, TERM_LABELS, label
from workplan.i18n import LOCALES, format_day
from workplan.localised import org_name
from workplan.reporting.labels import BLOCKER_STATUS_LABELS, CATEGORY_LABELS

P = ParamSpec("P")
R = TypeVar("R")

# The labels of the codes a report prints: the interface's own, in the forced language.
CODE_LABELS: dict[str, dict[str, Any]] = {
    "status": STATUS_LABELS,
    "term": TERM_LABELS,
    "category": CATEGORY_LABELS,
    "blocker_status": BLOCKER_STATUS_LABELS,
}


# The labels already looked up while a report's locale is forced: a large report prints the
# same few labels hundreds of thousands of times, and each catalogue look-up goes through
# Flask-Babel's context machinery.
_labels: ContextVar[dict[tuple[str, str | None], str] | None] = ContextVar(
    "report_labels", default=None
)


@contextmanager
def report_locale(language: str) -> Iterator[None]:
    """Force ``language``'s locale for the catalogue's words, dates and numbers.

    Flask-Babel silently keeps English outside an application context; a report is never
    built there, so this refuses rather than produce a French report in English.
    """
    if language not in LOCALES:
        raise ValueError(f"no such report language: {language}")
    if not has_app_context():
        raise RuntimeError("a report is translated inside an application context only")
    with force_locale(LOCALES[language]):
        token = _labels.set({})
        try:
            yield
        finally:
            _labels.reset(token)


def in_report_language(builder: Callable[P, R]) -> Callable[P, R]:
    """Run a report builder (taking ``language=``) with its language forced, and set the
    report it returns in that language's typography."""

    @functools.wraps(builder)
    def build(*args: P.args, **kwargs: P.kwargs) -> R:
        language = str(kwargs["language"])
        with report_locale(language):
            report = builder(*args, **kwargs)
        report.typeset()  # type: ignore[attr-defined]
        return report

    return build


def code_label(kind: str, code: str | None) -> str:
    """The label of a status, term, blocker category or blocker status code."""
    cache = _labels.get()
    if cache is None:
        return label(CODE_LABELS[kind], code)
    key = (kind, code)
    found = cache.get(key)
    if found is None:
        found = cache[key] = label(CODE_LABELS[kind], code)
    return found


def day(language: str, value: date | datetime | None) -> str:
    """A date written out, UN style: "1 December 2026" / "1er décembre 2026"."""
    return format_day(value, language)


@functools.lru_cache(maxsize=4096)
def percent(language: str, value: float | None, decimals: int = 0) -> str:
    """A percentage as the language writes it ("96%", "96 %", "99,6 %"); empty for none.
    (Kept once computed: a large report prints the same hundred values many times over.)"""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(value / 100, pattern, locale=LOCALES.get(language, LOCALES["en"]))


def organisation_name(language: str, org: object) -> str:
    """The organisation's name in ``language`` (its French name when it has one)."""
    return org_name(org, language)


def meeting_title(language: str, meeting: Any) -> str:
    """The meeting's title in ``language``: the French one when the coordinator gave it."""
    return localised.meeting_title(meeting, language)


def meeting_place(language: str, meeting: Any) -> str:
    """The meeting's place in ``language``: the French one when the coordinator gave it."""
    return localised.meeting_place(meeting, language)


def cell_text(value: object, language: str) -> str:
    """A table cell's value as printed in Word and PDF: dates written out, a tick for yes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, (datetime, date)):
        return day(language, value)
    return str(value)


# The gender of the first noun of a French organisation name, which chooses the article
# ("de la Commission", "du Conseil"); a name starting with a vowel takes "de l’".
_FEMININE = {"commission", "cour", "division", "section", "ligue", "organisation", "direction"}
_MASCULINE = {"bureau", "comité", "conseil", "service", "haut-commissariat", "groupe"}


def of_organisation(language: str, org: object) -> str:
    """ "of the African Commission…" / "de la Commission africaine…": the preposition and the
    article a sentence puts before the organisation's name, chosen by the name itself."""
    name = organisation_name(language, org)
    if language != "fr":
        return f"of {name}" if name.lower().startswith("the ") else f"of the {name}"
    first = name.split(" ", 1)[0].lower()
    if first[:1] in "aeiouyhâéèêîôû":
        return f"de l’{name}"
    if first in _MASCULINE:
        return f"du {name}"
    if first in _FEMININE:
        return f"de la {name}"
    # A noun not listed: no article to guess wrong.
    return f"de l’organisation {name}"
