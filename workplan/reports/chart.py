"""The one chart of the meeting report: per term, the share of the organisations' shares
implemented at the previous cut-off and now, as horizontal bars.

Drawn once as a PNG (Pillow, which fpdf2 already brings) in the report's typeface, so Word and
PDF show the same picture; the figures are those of the table it follows, truncated the same
way.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from workplan.reports.layout import font_files

SCALE = 4  # pixels per point: sharp when printed
WIDTH_PT, BAR_PT, GAP_PT = 440, 11, 7
NOW, BEFORE, INK, GRID = (0, 93, 170), (160, 190, 220), (0, 0, 0), (200, 200, 200)


@dataclass(frozen=True)
class Bar:
    label: str  # the term
    now: int  # percent, truncated
    before: int


def progress_chart(bars: Sequence[Bar], now_label: str, before_label: str) -> bytes:
    """A PNG of ``bars`` (0–100 %), each term with its bar now and at the previous cut-off."""
    files = font_files()
    font = ImageFont.truetype(str(files[""]), 8 * SCALE)
    bold = ImageFont.truetype(str(files["B"]), 8 * SCALE)
    label_w = max([bold.getlength(b.label) for b in bars] + [0]) + 8 * SCALE
    plot_w = WIDTH_PT * SCALE - label_w - 30 * SCALE
    group = 2 * BAR_PT + GAP_PT
    height = int((len(bars) * group + 34) * SCALE)
    image = Image.new("RGB", (WIDTH_PT * SCALE, height), "white")
    draw = ImageDraw.Draw(image)
    top = 4 * SCALE
    for tick in range(0, 101, 25):
        x = label_w + plot_w * tick / 100
        draw.line([(x, top), (x, top + len(bars) * group * SCALE)], fill=GRID, width=SCALE // 2)
        draw.text(
            (x, top + len(bars) * group * SCALE + 2 * SCALE),
            f"{tick}",
            fill=INK,
            font=font,
            anchor="ma",
        )
    for i, bar in enumerate(bars):
        y = top + i * group * SCALE
        draw.text((0, y + BAR_PT * SCALE), bar.label, fill=INK, font=bold, anchor="lm")
        for j, (value, colour) in enumerate(((bar.before, BEFORE), (bar.now, NOW))):
            y0 = y + j * BAR_PT * SCALE
            x1 = label_w + plot_w * max(0, min(100, value)) / 100
            draw.rectangle([(label_w, y0 + SCALE), (x1, y0 + (BAR_PT - 1) * SCALE)], fill=colour)
            draw.text(
                (x1 + 3 * SCALE, y0 + BAR_PT * SCALE / 2),
                f"{value}",
                fill=INK,
                font=font,
                anchor="lm",
            )
    legend_y = height - 10 * SCALE
    x = label_w
    for text, colour in ((before_label, BEFORE), (now_label, NOW)):
        draw.rectangle(
            [(x, legend_y - 3 * SCALE), (x + 8 * SCALE, legend_y + 3 * SCALE)], fill=colour
        )
        draw.text((x + 11 * SCALE, legend_y), text, fill=INK, font=font, anchor="lm")
        x += 11 * SCALE + font.getlength(text) + 14 * SCALE
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(72 * SCALE, 72 * SCALE), optimize=True)
    return buffer.getvalue()
