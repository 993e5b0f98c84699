"""Charts drawn on the server as inline SVG: no script, no external service.

Each chart has a ``<title>`` and a ``<desc>`` that say in words what it shows, and the page
puts the same numbers in a table next to it (the text alternative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext as _n
from markupsafe import Markup, escape

from workplan.dashboard.summary import STATUS_SEQUENCE, OrgSummary, TermSummary
from workplan.display import STATUS_LABELS, TERM_SHORT_LABELS
from workplan.localised import percent

WIDTH = 640
LABEL_WIDTH = 150
BAR_HEIGHT = 26
GAP = 10


@dataclass(frozen=True)
class Segment:
    css: str  # class of the rectangle (the stylesheet gives it its colour)
    value: int
    text: str  # what the segment means, in words


def _bars(
    chart_id: str, title: str, desc: str, bars: Sequence[tuple[str, list[Segment], str]]
) -> Markup:
    """Horizontal bars split in segments, each bar scaled to its own total (100 %)."""
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - 60
    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for index, (label, segments, after) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        total = sum(s.value for s in segments)
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.68:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        x = float(LABEL_WIDTH)
        for segment in segments:
            if not segment.value or not total:
                continue
            w = span * segment.value / total
            parts.append(
                f'<rect class="{segment.css}" x="{x:.1f}" y="{y}" width="{w:.1f}" '
                f'height="{BAR_HEIGHT}"><title>{escape(segment.text)}</title></rect>'
            )
            if w >= 22:
                parts.append(
                    f'<text class="chart-value {segment.css}-text" x="{x + w / 2:.1f}" '
                    f'y="{y + BAR_HEIGHT * 0.68:.1f}" text-anchor="middle">{segment.value}</text>'
                )
            x += w
        if not total:
            parts.append(
                f'<rect class="seg-empty" x="{LABEL_WIDTH}" y="{y}" width="{span}" '
                f'height="{BAR_HEIGHT}"></rect>'
            )
        parts.append(
            f'<text class="chart-label" x="{WIDTH - 52}" y="{y + BAR_HEIGHT * 0.68:.1f}">'
            f"{escape(after)}</text>"
        )
    parts.append("</svg>")
    svg = "".join(parts)
    return Markup(svg)  # nosec B704 # every text above went through escape()


def term_chart(terms: Sequence[TermSummary]) -> Markup:
    """Recommendations of each term by rolled-up status (one bar per term)."""
    bars = []
    sentences = []
    language = get_locale()
    for term in terms:
        label = str(TERM_SHORT_LABELS[term.term])
        segments = [
            Segment(
                f"seg-{status}",
                term.by_status.get(status, 0),
                _(
                    "%(term)s, %(status)s: %(num)d",
                    term=label,
                    status=STATUS_LABELS[status],
                    num=term.by_status.get(status, 0),
                ),
            )
            for status in STATUS_SEQUENCE
        ]
        progress = percent(term.progress, language)
        bars.append((label, segments, progress))
        counts = ", ".join(
            _("%(status)s: %(num)d", status=STATUS_LABELS[s], num=term.by_status[s])
            for s in STATUS_SEQUENCE
            if term.by_status.get(s)
        )
        sentences.append(
            _n(
                "%(term)s: %(num)d recommendation (%(counts)s), %(progress)s progress.",
                "%(term)s: %(num)d recommendations (%(counts)s), %(progress)s progress.",
                term.count,
                term=label,
                counts=counts,
                progress=progress,
            )
        )
    return _bars(
        "chart-terms",
        _("Recommendations by term and status"),
        " ".join(sentences),
        bars,
    )


def reporting_chart(organisations: Sequence[OrgSummary]) -> Markup:
    """Per organisation, how many of its shares were reported on since the cut-off."""
    bars = []
    sentences = []
    language = get_locale()
    for item in organisations:
        segments = [
            Segment(
                "seg-updated",
                item.updated,
                _n("%(num)d updated", "%(num)d updated", item.updated),
            ),
            Segment(
                "seg-not-updated",
                item.not_updated,
                _n("%(num)d not updated", "%(num)d not updated", item.not_updated),
            ),
        ]
        bars.append((item.org.code, segments, percent(item.percent_updated, language)))
        sentences.append(
            _n(
                "%(org)s: %(updated)d of %(num)d share updated.",
                "%(org)s: %(updated)d of %(num)d shares updated.",
                item.shares,
                org=item.org.code,
                updated=item.updated,
            )
        )
    return _bars(
        "chart-reporting",
        _("Shares updated since the cut-off, by organisation"),
        " ".join(sentences),
        bars,
    )
