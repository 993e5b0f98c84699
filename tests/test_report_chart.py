"""The meeting report's bar chart (shares implemented by term, now and at the previous
cut-off): one picture, drawn from the figures of Table 1, in Word and PDF alike."""

from __future__ import annotations

import io
import zipfile

from PIL import Image
from pypdf import PdfReader

from workplan.extensions import db
from workplan.reports import kinds
from workplan.reports.chart import Bar, progress_chart
from workplan.reports.document import Figure, Table
from workplan.reports.formats import FORMATS


def _blue_width(png: bytes, row: int) -> int:
    """How many pixels of the bar colour of "this cut-off" lie on one pixel row."""
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        return sum(1 for x in range(rgb.width) if rgb.getpixel((x, row)) == (0, 93, 170))


def test_bar_length_follows_the_percentage():
    png = progress_chart([Bar("Short", 80, 10), Bar("Long", 20, 10)], "Now", "Before")
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.width > 1000
    # Rows through the middle of each term's "now" bar (see the drawing's geometry).
    scale, bar, gap, top = 4, 11, 7, 4
    first = top * scale + (bar + bar // 2) * scale
    second = first + (2 * bar + gap) * scale
    long_bar, short_bar = _blue_width(png, first), _blue_width(png, second)
    assert short_bar > 0
    assert 3.5 < long_bar / short_bar < 4.5  # 80 % against 20 %


def test_the_meeting_report_shows_the_chart_after_the_counts(app, history):
    report = kinds.meeting_report(db.session, history.meeting, language="en", internal=False)
    index = next(i for i, b in enumerate(report.blocks) if isinstance(b, Figure))
    counts = report.blocks[index - 1]
    assert isinstance(counts, Table) and counts.title.startswith("Table 1")
    figure = report.blocks[index]
    assert figure.caption == "Figure. Shares implemented, by term (%)"
    with zipfile.ZipFile(io.BytesIO(FORMATS["docx"].render(report))) as docx:
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
        assert len(media) == 1 and docx.read(media[0]) == figure.png
    pdf = PdfReader(io.BytesIO(FORMATS["pdf"].render(report)))
    pages = [p for p in pdf.pages if "Shares implemented, by term" in p.extract_text()]
    assert len(pages) == 1 and len(pages[0].images) == 1


def test_the_french_chart_is_captioned_in_french(app, history):
    report = kinds.meeting_report(db.session, history.meeting, language="fr", internal=False)
    figure = next(b for b in report.blocks if isinstance(b, Figure))
    assert "Figure" in figure.caption and "Shares" not in figure.caption
