"""Rendering messages from templates, in the recipient's language.

A message named ``NAME`` is three templates under ``templates/mail/``: ``NAME.subject.txt``,
``NAME.txt`` and ``NAME.html`` (the HTML one may be absent). They are rendered with the
recipient's locale forced, so dates and translated strings follow their language, not the
language of whoever caused the message, and set in that language's typography
(:func:`workplan.i18n.typeset`), the values put into the sentences included.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateNotFound

from workplan.i18n import LOCALES, format_day, typeset
from workplan.mail.outbox import Message
from workplan.models import FocalPointRank, Role, User
from workplan.reports.language import meeting_title

# Character references an HTML body may hold: kept out of reach of the typography, which
# would otherwise take the ";" that ends "&amp;" for punctuation.
_REFERENCE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_KEPT = "\ue000"  # a private-use character stands for each reference while setting type


def absolute_url(path: str) -> str:
    """``path`` on this site as a link a mail client can open (``SERVER_BASE_URL``)."""
    return current_app.config["SERVER_BASE_URL"].rstrip("/") + path


def link_url(token: str) -> str:
    """The address of a one-time link (see ``workplan.auth.views.use_link``)."""
    return absolute_url(f"/auth/link/{token}")


def reason_line(person: User) -> str:
    """Why ``person`` receives a message, in one line of the current (forced) language."""
    org = person.organisation.code if person.organisation else ""
    if person.role == Role.COORDINATOR:
        return _("You receive this because you coordinate the network's work plan.")
    if person.role == Role.FOCAL_POINT and person.focal_point_rank == FocalPointRank.MAIN:
        return _("You receive this because you are %(org)s's main focal point.", org=org)
    if person.role == Role.FOCAL_POINT and person.focal_point_rank == FocalPointRank.ALTERNATE:
        return _("You receive this because you are an alternate focal point of %(org)s.", org=org)
    if person.role == Role.FOCAL_POINT:
        return _("You receive this because you are a focal point of %(org)s.", org=org)
    return _("You receive this because you have an account on the network's work plan.")


def typeset_html(html: str, language: str) -> str:
    """An HTML body set in ``language``'s typography, its character references untouched
    (an escaped apostrophe becomes a typographic one)."""
    html = html.replace("&#39;", "'")
    kept = _REFERENCE.findall(html)
    text = typeset(_REFERENCE.sub(_KEPT, html), language)
    pieces = text.split(_KEPT)
    return "".join(p + (kept[i] if i < len(kept) else "") for i, p in enumerate(pieces))


def render_message(name: str, language: str, **context: Any) -> Message:
    """The message ``name`` rendered in ``language`` with ``context``.

    Templates may also use ``reason_line(person)`` (why the person receives it),
    ``profile_url`` (where to change what they receive), ``absolute_url(path)``,
    ``day(value)`` (a date written out: "1er décembre 2026") and ``meeting_title(meeting)``
    (its French title in French, when it has one).
    """
    language = language if language in LOCALES else "en"
    context.setdefault("reason_line", reason_line)
    context.setdefault("absolute_url", absolute_url)
    context.setdefault("profile_url", absolute_url("/profile"))
    context.setdefault("day", functools.partial(format_day, language=language))
    context.setdefault("meeting_title", functools.partial(meeting_title, language))
    with force_locale(LOCALES[language]):
        subject = render_template(f"mail/{name}.subject.txt", **context)
        text = render_template(f"mail/{name}.txt", **context)
        try:
            html = render_template(f"mail/{name}.html", **context)
        except TemplateNotFound:
            html = ""
    return Message(
        # One line; the no-break spaces of dates and typography stay.
        typeset(re.sub(r"[ \t\r\n]+", " ", subject).strip(), language),
        typeset(text.strip(), language) + "\n",
        typeset_html(html, language),
    )
