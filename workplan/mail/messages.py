"""Rendering messages from templates, in the recipient's language.

A message named ``NAME`` is three templates under ``templates/mail/``: ``NAME.subject.txt``,
``NAME.txt`` and ``NAME.html`` (the HTML one may be absent). They are rendered with the
recipient's locale forced, so dates and translated strings follow their language, not the
language of whoever caused the message.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound

from workplan import LOCALES
from workplan.mail.outbox import Message


def render_message(name: str, language: str, **context: Any) -> Message:
    """The message ``name`` rendered in ``language`` with ``context``."""
    with force_locale(LOCALES.get(language, "en_GB")):
        subject = render_template(f"mail/{name}.subject.txt", **context)
        text = render_template(f"mail/{name}.txt", **context)
        try:
            html = render_template(f"mail/{name}.html", **context)
        except TemplateNotFound:
            html = ""
    return Message(" ".join(subject.split()), text.strip() + "\n", html)
