"""Messages after a redirect, shown where the person lands.

A redirect to a section of a page (``…#history``) scrolls past the top of the page, where
flashed messages are shown: the confirmation would be out of view. A message flashed *for a
section* is shown inside that section instead, on pages that have it; on any other page it is
shown at the top as usual.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import flash, get_flashed_messages

# Between the category ("success") and the section's id in the flashed category.
SEPARATOR = "@"


def flash_in(section: str, message: str, category: str = "success") -> None:
    """Flash ``message`` to be shown in the section whose id is ``section``."""
    flash(message, f"{category}{SEPARATOR}{section}")


def messages_for(section: str | None = None, sections: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(category, message) pairs to show in ``section``; ``None`` is the top of the page,
    which also shows messages for sections not among ``sections`` (those the page has)."""
    shown = []
    for flashed, message in get_flashed_messages(with_categories=True):
        category, _sep, place = flashed.partition(SEPARATOR)
        if place not in sections:
            place = ""
        if place == (section or ""):
            shown.append((category, message))
    return shown
