"""Rendering messages from templates, in the recipient's language.

A message named ``NAME`` is three templates under ``templates/mail/``: ``NAME.subject.txt``,
``NAME.txt`` and ``NAME.html`` (the HTML one may be absent). They are rendered with the
recipient's locale forced, so dates and translated strings follow their language, not the
language of whoever caused the message.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateNotFound

from workplan.i18n import LOCALES
from workplan.mail.outbox import Message
from workplan.models import FocalPointRank, Role, User


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


def render_message(name: str, language: str, **context: Any) -> Message:
    """The message ``name`` rendered in ``language`` with ``context``.

    Templates may also use ``reason_line(person)`` (why the person receives it),
    ``profile_url`` (where to change what they receive) and ``absolute_url(path)``.
    """
    context.setdefault("reason_line", reason_line)
    context.setdefault("absolute_url", absolute_url)
    context.setdefault("profile_url", absolute_url("/profile"))
    with force_locale(LOCALES.get(language, "en_GB")):
        subject = render_template(f"mail/{name}.subject.txt", **context)
        text = render_template(f"mail/{name}.txt", **context)
        try:
            html = render_template(f"mail/{name}.html", **context)
        except TemplateNotFound:
            html = ""
    return Message(" ".join(subject.split()), text.strip() + "\n", html)
