"""Kept files sent to the browser: streamed from storage in blocks (a large file is never read
whole into memory), after the view has checked permission.

A file whose row exists but whose object does not is a fault of the service, not of the
request: it is logged as an error and answered with a page that says so (500). A store that
cannot be reached is answered 503, to try again later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import render_template, send_file
from werkzeug.wrappers import Response

from workplan.storage import StorageUnavailable, StoredFile

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def send_stored(
    open_file: Callable[[], StoredFile], *, mimetype: str, name: str, what: str
) -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """``open_file()`` sent as an attachment named ``name``, never kept by a shared cache
    (it holds what one person may read). ``what`` names the file in the log."""
    try:
        file = open_file()
    except FileNotFoundError:
        log.error("stored file missing: %s (its row exists, its file does not)", what)
        return render_template("errors/file_missing.html", code=500), 500
    except StorageUnavailable as error:
        log.error("file store unreachable while reading %s: %s", what, error)
        page = render_template("errors/file_missing.html", code=503)
        return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    # conditional=False: no Range/304 handling, which would need a seekable file.
    response = send_file(
        file,  # type: ignore[arg-type]
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
        conditional=False,
        max_age=0,
    )
    response.content_length = file.size
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
