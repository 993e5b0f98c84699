"""The formats a report can be produced in: file extension, media type and renderer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workplan.reports.document import Report


@dataclass(frozen=True)
class Format:
    code: str
    label: str
    extension: str
    mimetype: str

    def render(self, report: Report) -> bytes:
        return _renderer(self.code)(report)


FORMATS = {
    f.code: f
    for f in (
        Format(
            "docx",
            "Word (.docx)",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Format("pdf", "PDF", "pdf", "application/pdf"),
        Format(
            "xlsx",
            "Excel (.xlsx)",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        Format("csv", "CSV", "csv", "text/csv"),
    )
}


def _renderer(code: str) -> Callable[[Report], bytes]:
    # Imported when used: a worker rendering CSV never loads python-docx or fpdf2.
    if code == "docx":
        from workplan.reports.word import render_docx

        return render_docx
    if code == "pdf":
        from workplan.reports.pdf import render_pdf

        return render_pdf
    if code == "xlsx":
        from workplan.reports.spreadsheet import render_xlsx

        return render_xlsx
    from workplan.reports.spreadsheet import render_csv

    return render_csv
