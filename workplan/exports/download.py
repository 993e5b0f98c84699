"""A produced file sent to the browser as a download."""

from __future__ import annotations

from werkzeug.wrappers import Response


def download(content: bytes, mimetype: str, name: str) -> Response:
    """``content`` as an attachment named ``name``, never kept by a shared cache (it holds
    what one person may read)."""
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
