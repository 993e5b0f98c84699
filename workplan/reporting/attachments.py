"""Files attached to progress updates: what is accepted, and where it is kept.

A file is accepted when its extension is on the allowlist AND its first bytes match that
type's signature (a renamed executable is refused). Files are stored under
``UPLOAD_FOLDER`` with a random name; the name the person gave is kept only in the database.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # the old Word/Excel container
TEXT = ()  # no signature: checked as UTF-8 without NUL bytes instead

# extension -> (content type we serve it as, accepted leading bytes)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "doc": ("application/msword", OLE),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
    ),
    "xls": ("application/vnd.ms-excel", OLE),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "txt": ("text/plain", TEXT),
    "csv": ("text/csv", TEXT),
}
ACCEPT_ATTRIBUTE = ",".join("." + ext for ext in ALLOWED_TYPES)


class AttachmentRefused(ValueError):
    """The file cannot be accepted; the message says why, for the person."""


@dataclass(frozen=True)
class AcceptedFile:
    filename: str
    content_type: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")  # spreadsheets often export CSV in the Windows encoding
        except UnicodeDecodeError:
            return False
    return True


def check_file(upload: FileStorage, max_bytes: int) -> AcceptedFile:
    """Read and check one uploaded file, or raise :class:`AttachmentRefused`."""
    original = (upload.filename or "").strip()
    name = secure_filename(original) or "attachment"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise AttachmentRefused(
            _l("%(name)s: this type of file is not accepted.", name=original or name)
        )
    data = upload.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise AttachmentRefused(
            _l(
                "%(name)s is larger than %(mb)d MB.",
                name=original,
                mb=max_bytes // (1024 * 1024),
            )
        )
    if not data:
        raise AttachmentRefused(_l("%(name)s is empty.", name=original))
    content_type, signatures = ALLOWED_TYPES[ext]
    matches = _looks_like_text(data) if not signatures else data.startswith(signatures)
    if not matches:
        raise AttachmentRefused(
            _l("%(name)s does not look like a .%(ext)s file.", name=original, ext=ext)
        )
    # Keep the person's own name for display (it is escaped when shown), limited in length.
    display_name = original.replace("\\", "/").rsplit("/", 1)[-1][:255] or name
    return AcceptedFile(display_name, content_type, data, hashlib.sha256(data).hexdigest())


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(accepted: AcceptedFile) -> str:
    """Write the file under a new random name and return that name."""
    ext = accepted.filename.rsplit(".", 1)[-1].lower()
    stored_name = f"{secrets.token_hex(16)}.{ext}"
    (upload_folder() / stored_name).write_bytes(accepted.data)
    return stored_name


def discard(stored_names: list[str]) -> None:
    """Remove files written for a write that was then rolled back."""
    folder = upload_folder()
    for stored_name in stored_names:
        (folder / stored_name).unlink(missing_ok=True)


def path_of(stored_name: str) -> Path:
    return upload_folder() / stored_name
