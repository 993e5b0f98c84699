"""Open documents with a real client: LibreOffice converts Word and Excel files to PDF, as
a reader's office suite would lay them out, and poppler draws a page for a person to look at.

Without ``soffice`` the tests that need it skip on a developer's machine and fail in CI
(``.ci/run`` installs it), like the database services (:func:`tests.services.unavailable`).
"""

from __future__ import annotations

import io
import shutil
import subprocess  # nosec B404 # fixed programs, arguments built here
from pathlib import Path

from pypdf import PdfReader

from tests.services import unavailable
from workplan.reports.layout import font_files

ARTEFACTS = Path(__file__).parent / "artefacts"


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        unavailable(
            "LibreOffice (soffice) is not installed: apt-get install -y libreoffice-writer "
            "libreoffice-calc"
        )
    return str(found)


def to_pdf(data: bytes, suffix: str, workdir: Path, timeout: float = 180) -> bytes:
    """``data`` (a .docx or .xlsx file) converted to PDF by LibreOffice.

    Each call has its own LibreOffice profile (parallel runs would otherwise lock each other
    out) and its own home, holding the report's typeface as a user font: the document names
    Source Serif Pro, which Debian does not package.
    """
    program = soffice()
    home = workdir / "home"
    fonts = home / ".fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for path in font_files().values():
        shutil.copy(path, fonts / path.name)
    source = workdir / f"document{suffix}"
    source.write_bytes(data)
    out = workdir / "out"
    subprocess.run(  # nosec B603 # fixed program and arguments
        [
            program,
            f"-env:UserInstallation=file://{workdir / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    return (out / "document.pdf").read_bytes()


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    return [
        (float(page.mediabox.width), float(page.mediabox.height))
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def save_first_page(data: bytes, name: str) -> Path | None:
    """The first page as tests/artefacts/<name>.png (git-ignored), for a person to look at;
    nothing if poppler's pdftoppm is missing (the picture is for people, not assertions)."""
    program = shutil.which("pdftoppm")
    if program is None:
        return None
    ARTEFACTS.mkdir(exist_ok=True)
    pdf = ARTEFACTS / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(  # nosec B603 # fixed program and arguments
        [
            program,
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTEFACTS / name),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return ARTEFACTS / f"{name}.png"
