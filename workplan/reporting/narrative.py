"""Narratives: plain text or a small, safe subset of Markdown, rendered to sanitised HTML.

markdown-it-py turns the text into HTML with raw HTML switched off; nh3 (Ammonia) then keeps
only the tags of the subset, so that even a parser bug could not let a script through.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

NARRATIVE_PARSER = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(
    ["image", "heading", "lheading", "hr", "html_block", "html_inline", "fence"]
)


def render_narrative(text: str | None) -> Markup:
    """The narrative as HTML safe to put in a page."""
    if not text:
        return Markup("")
    html = NARRATIVE_PARSER.render(text)
    return Markup(  # nosec B704 # nh3 keeps only the allowed tags and attributes
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
        )
    )
