"""Lists come a page at a time: ``page`` and ``per_page`` in, the page's items out, with the
total in ``X-Total-Count`` and the neighbouring pages in ``Link`` (RFC 8288)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import request, url_for

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def headers(self) -> dict[str, str]:
        """``X-Total-Count`` and ``Link`` for this page of the current request's list."""
        args = request.args.to_dict()
        view_args = request.view_args or {}

        def link(number: int, rel: str) -> str:
            url = url_for(
                request.endpoint or "",
                **view_args,
                **(args | {"page": number, "per_page": self.per_page}),
                _external=True,
            )
            return f'<{url}>; rel="{rel}"'

        links = [link(1, "first")]
        if self.page > 1:
            links.append(link(min(self.page - 1, self.last), "prev"))
        if self.page < self.last:
            links.append(link(self.page + 1, "next"))
        links.append(link(self.last, "last"))
        return {"X-Total-Count": str(self.total), "Link": ", ".join(links)}


def paginate(items: Sequence[T], page: int, per_page: int) -> Page:
    """One page of ``items`` (a page past the end is empty, not an error)."""
    start = (page - 1) * per_page
    return Page(list(items[start : start + per_page]), len(items), page, per_page)
