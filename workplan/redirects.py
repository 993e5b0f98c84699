"""Where a request may send the browser next: only somewhere on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def _has_control_character(text: str) -> bool:
    return any(ord(c) < 0x20 or ord(c) == 0x7F for c in text)


def safe_target(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site as a browser will read it; else ``default``.

    Browsers drop tabs and line breaks anywhere in a URL, trim control characters and spaces
    from its ends, and read a backslash as a slash, so "/\\t/evil.example" and "/\\evil.example"
    both mean "//evil.example", another site. No page of ours produces a target with a control
    character (and a line break cannot go into a ``Location`` header), so such a target is
    refused outright; what is left is judged with backslashes read as slashes: it must have no
    scheme and no host, and start with a single "/".
    """
    if not target or _has_control_character(target):
        return default
    cleaned = target.strip(" ").replace("\\", "/")
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return default
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return default
    return cleaned
