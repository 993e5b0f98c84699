"""Files attached to progress updates: what is accepted, and where it is kept.

A file is accepted when its extension is on the allowlist AND its first bytes match that
type's signature (a renamed executable is refused). Files are kept through
:func:`workplan.storage.uploads` under a random name; the name the person gave is kept only
in the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from workplan import storage

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
MAX_NAME_LENGTH = 255  # the length of Attachment.filename


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

    @property
    def extension(self) -> str:
        """The extension the file is stored with (one of the allowed ones)."""
        ext = self.filename.rsplit(".", 1)[-1].lower()
        return ext if ext in ALLOWED_TYPES else "bin"


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
            _("%(name)s: this type of file is not accepted.", name=original or name)
        )
    data = upload.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise AttachmentRefused(
            _(
                "%(name)s is larger than %(mb)d MB.",
                name=original,
                mb=max_bytes // (1024 * 1024),
            )
        )
    if not data:
        raise AttachmentRefused(_("%(name)s is empty.", name=original))
    content_type, signatures = ALLOWED_TYPES[ext]
    matches = _looks_like_text(data) if not signatures else data.startswith(signatures)
    if not matches:
        raise AttachmentRefused(
            _("%(name)s does not look like a .%(ext)s file.", name=original, ext=ext)
        )
    # Keep the person's own name for display (it is escaped when shown).
    display_name = shorten(original.replace("\\", "/").rsplit("/", 1)[-1]) or name
    return AcceptedFile(display_name, content_type, data, hashlib.sha256(data).hexdigest())


def shorten(filename: str, limit: int = MAX_NAME_LENGTH) -> str:
    """``filename`` cut to ``limit`` characters, keeping its extension."""
    if len(filename) <= limit:
        return filename
    stem, dot, ext = filename.rpartition(".")
    if not dot or len(ext) >= limit // 2:
        return filename[:limit]
    return stem[: limit - len(ext) - 1] + "." + ext


def store(session: Session, accepted: AcceptedFile) -> str:
    """Keep the file under a new random name, once ``session`` commits; return that name.

    Raises :class:`workplan.storage.StorageError` (nothing is kept) when it cannot be written:
    :class:`~workplan.storage.StorageFull` when the disk is full.
    """
    return storage.uploads().save(session, accepted.data, accepted.extension)


def open_stored(stored_name: str) -> storage.StoredFile:
    """A stored file for reading, in blocks; :class:`FileNotFoundError` when it is gone,
    :class:`workplan.storage.StorageUnavailable` when the store cannot be reached."""
    return storage.uploads().open(stored_name)
