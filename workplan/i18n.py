"""Languages: which ones the application speaks, and how French is set on the page.

Every string a person reads goes through the one Flask-Babel catalogue
(``workplan/translations/<lang>/LC_MESSAGES/messages.po``). Pages use the request's locale;
e-mails and documents force theirs with :func:`flask_babel.force_locale`.

French typography (the rules of the *Imprimerie nationale* that the UN's French texts follow)
is applied by :func:`typeset`, and only there: the catalogue, pages (through the gettext
callables installed in Jinja), e-mails and documents all call it, so that a translator or a
number formatter who forgot a narrow no-break space before a colon or a percent sign does not
leave a line starting with ": mise en œuvre à 96 %".
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_format_date

# The language code used in URLs, profiles and report runs -> the Babel locale it is shown in.
# English is shown in UN style (British English: "14 December 2012").
LOCALES: dict[str, str] = {"en": "en_GB", "fr": "fr_FR"}
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"

NNBSP = "\u202f"  # narrow no-break space (espace fine insécable)
NBSP = "\u00a0"

# A space (ordinary, no-break or none) before : ; ! ? % » that closes a word, a number or a
# closing bracket or quote. A colon or exclamation mark is only treated as punctuation when
# followed by a space or the end, so that "https://", "10:30", "!=" and "a:b" stay as they are.
_BEFORE_PUNCT = re.compile(r"(?<=[\w)\]»’\"*])[ \u00a0\u202f]?([;:!?])(?=\s|$|<)")
_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \u00a0\u202f]?%")
_OPEN_GUILLEMET = re.compile(r"«[ \u00a0\u202f]?")
_CLOSE_GUILLEMET = re.compile(r"[ \u00a0\u202f]?»")
# An apostrophe between two letters (l'homme, d'un) is the typographic one.
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")


def language_of(locale: Any) -> str:
    """The language code (``en``, ``fr``) of a Babel locale, a locale name or a language code."""
    if locale is None:
        return DEFAULT_LANGUAGE
    if isinstance(locale, Locale):
        return locale.language
    return str(locale).replace("-", "_").split("_")[0].lower() or DEFAULT_LANGUAGE


def text_direction(locale: Any) -> str:
    """``ltr`` or ``rtl`` for the ``dir`` attribute, from the locale's own data (Arabic: rtl)."""
    try:
        parsed = locale if isinstance(locale, Locale) else Locale.parse(str(locale))
    except (ValueError, TypeError):
        return "ltr"
    return "rtl" if parsed.character_order == "right-to-left" else "ltr"


def typeset(text: str, language: Any) -> str:
    """``text`` with the typography of ``language`` (a code or a locale).

    French: a narrow no-break space before ``;``, ``:``, ``!``, ``?`` and ``%`` and inside
    guillemets, typographic apostrophes. Other languages: unchanged. Safe on HTML that has no
    such characters inside its attributes (the pages' translated strings and Babel's numbers).
    """
    if not text or language_of(language) != "fr":
        return text
    text = _APOSTROPHE.sub("’", text)
    text = _BEFORE_PUNCT.sub(NNBSP + r"\1", text)
    text = _BEFORE_PERCENT.sub(NNBSP + "%", text)
    text = _OPEN_GUILLEMET.sub("«" + NNBSP, text)
    text = _CLOSE_GUILLEMET.sub(NNBSP + "»", text)
    return text


def format_day(value: date | datetime | None, language: Any, with_year: bool = True) -> str:
    """A day written out: "1 December 2026" in English, "1er décembre 2026" in French (the
    first of the month is an ordinal in French), with a no-break space inside."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    lang = language_of(language)
    pattern = "d MMMM y" if with_year else "d MMMM"
    text = babel_format_date(value, pattern, locale=LOCALES.get(lang, LOCALES["en"]))
    if lang == "fr" and value.day == 1:
        text = "1er" + text[1:]
    # The day and the month stay on one line.
    return text.replace(" ", NBSP, 1)
