"""Narratives as styled text for Word and PDF: the Markdown subset the report form accepts
(bold, italic, links, lists) parsed once into lines of spans, so no document prints ``**`` or
``](`` and every renderer draws the same thing.

The parser is the web page's (:mod:`workplan.reporting.narrative`): what a focal point sees on
screen is what the document prints. Spreadsheets and CSV get :func:`str` of a :class:`Rich`,
the plain text without markers (a link as "text (address)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workplan.reporting.narrative import NARRATIVE_PARSER as markdown
from workplan.reporting.narrative import URL_SCHEMES


def normalise_newlines(value: str) -> str:
    """Windows and old Mac line endings as "\\n": a carriage return left in a Word table
    makes LibreOffice break the table apart."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None

    def plain(self) -> str:
        if self.url and self.url != self.text:
            return f"{self.text} ({self.url})"
        return self.text


@dataclass(frozen=True)
class Line:
    """One paragraph of a narrative; ``bullet`` is "•" or "1." for a list item."""

    spans: tuple[Span, ...]
    bullet: str = ""

    def plain(self) -> str:
        body = "".join(s.plain() for s in self.spans)
        return f"{self.bullet} {body}" if self.bullet else body


@dataclass(frozen=True)
class Rich:
    """Styled text in a table cell."""

    lines: tuple[Line, ...]

    def __str__(self) -> str:
        return "\n".join(line.plain() for line in self.lines)

    def __bool__(self) -> bool:
        return any(s.text for line in self.lines for s in line.spans)


# The schemes the web page keeps a link for; any other link prints as its text only.
_SAFE_SCHEMES = tuple(f"{scheme}:" for scheme in sorted(URL_SCHEMES))


def _inline(children: list, bold: int = 0, italic: int = 0) -> list[Span]:  # type: ignore[type-arg]
    spans: list[Span] = []
    url: str | None = None
    for token in children:
        kind = token.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = str(token.attrs.get("href", ""))
            url = href if href.startswith(_SAFE_SCHEMES) else None
        elif kind == "link_close":
            url = None
        elif kind in ("softbreak", "hardbreak"):
            spans.append(Span("\n"))
        elif token.content:
            spans.append(Span(token.content, bold > 0, italic > 0, url))
    return spans


def _split_breaks(spans: list[Span], bullet: str) -> list[Line]:
    """A paragraph's line breaks become lines of their own (a table cell has no <br>)."""
    lines: list[Line] = []
    current: list[Span] = []
    for span in spans:
        if span.text == "\n":
            lines.append(Line(tuple(current), bullet if not lines else ""))
            current = []
        else:
            current.append(span)
    lines.append(Line(tuple(current), bullet if not lines else ""))
    return lines


# Text that Markdown leaves as it is: none of the characters that open inline syntax or an
# entity, no line break, and nothing at the start that opens a block (a list, a quote, a
# heading, an indented code block) nor space at either end (which the parser trims). Most
# narratives are such plain sentences; they skip the parser (the workbook's update log holds
# a hundred thousand of them at scale).
_SYNTAX = re.compile(r"[\\`*_\[\]<>&|~\n\r\t]")
_BLOCK_START = frozenset("-+>#0123456789")


def _is_plain(value: str) -> bool:
    return value == value.strip() and value[0] not in _BLOCK_START and not _SYNTAX.search(value)


def parse(value: str | None) -> Rich:
    """``value`` (a narrative in the Markdown subset) as lines of styled spans."""
    if not value:
        return Rich(())
    if _is_plain(value):
        return Rich((Line((Span(value),)),))
    lines: list[Line] = []
    lists: list[list[int]] = []  # for each open list: [ordered?, next number]
    bullet = ""
    for token in markdown.parse(normalise_newlines(value)):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1) or 1)
            lists.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open" and lists:
            ordered, number = lists[-1]
            bullet = f"{number}." if ordered else "•"
            lists[-1][1] = number + 1
        elif kind == "inline":
            lines.extend(_split_breaks(_inline(token.children or []), bullet))
            bullet = ""
    return Rich(tuple(lines))


def excerpt(value: str | None, limit: int = 160) -> Rich:
    """The first paragraph of a narrative, cut at a word before ``limit`` characters."""
    rich = parse(value)
    if not rich.lines:
        return rich
    first = rich.lines[0]
    spans: list[Span] = []
    used = 0
    cut = len(rich.lines) > 1
    for span in first.spans:
        if used + len(span.text) <= limit:
            spans.append(span)
            used += len(span.text)
            continue
        room = span.text[: max(0, limit - used)]
        room = room.rsplit(" ", 1)[0] if " " in room else room
        if room:
            spans.append(Span(room, span.bold, span.italic, span.url))
        cut = True
        break
    if cut:
        spans.append(Span(" …"))
    return Rich((Line(tuple(spans), first.bullet),))
