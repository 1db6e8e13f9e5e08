"""Bar charts drawn on the server as inline SVG, for the figures page and its printed summary.

A chart is as wide as the column it sits in: bar lengths and positions are percentages of the
chart's width and text keeps its size, so the chart reads the same on a 375 px phone, a desk
screen and an A4 sheet, and never scrolls sideways. No script and no web font: the browser
draws it and prints it as it is. Each chart is one image for a screen reader (role="img" with
a title); the numbers themselves are in the table that goes with it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

from planner.core.i18n import format_number

INK = "#1c2426"
INK_SOFT = "#4a5658"
GRID = "#dcdcd4"
BAR = "#0b5d56"
FONT = 'font-family="inherit"'
LABEL_SIZE = 13
VALUE_SIZE = 12
# Horizontal bars: the label on its own line, then the bar with its number after it.
ROW_LABEL = 17
ROW_BAR = 14
ROW_GAP = 9
# The longest bar takes this share of the width, leaving room for its number.
LONGEST = 82.0
LABEL_LIMIT = 48
# Column charts: bars, then the column labels under them.
COLUMN_HEIGHT = 160
COLUMN_TOP = 18
COLUMN_LABELS = 22
COLUMN_SHARE = 0.64

_ids = count(1)


@dataclass(frozen=True)
class Series:
    """One stacked part of every column: a name for the legend, its colour, one value a column."""

    name: str
    colour: str
    values: Sequence[int | float]


def _number(value: int | float) -> str:
    return format_number(value)


def _percent(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "%"


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1].rstrip() + "…"


def _open(title: str, height: int, css_class: str) -> tuple[str, list[str]]:
    """The opening of a chart: an image for assistive technology, named by its title."""
    title_id = f"chart-{next(_ids)}"
    head = (
        f'<svg class="chart {css_class}" role="img" aria-labelledby="{title_id}" '
        f'width="100%" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title>'
    )
    return title_id, [head]


def _close(parts: list[str], end: str = "</svg>") -> Markup:
    # Every text in the parts went through escape(); numbers and colours are ours.
    return Markup("".join(parts) + end)  # noqa: S704


def horizontal_bars(
    title: str, rows: Sequence[tuple[str, int | float]], *, colour: str = BAR
) -> Markup:
    """One bar a row, longest first as given: a label above each bar, its number after it."""
    rows = list(rows)
    largest = max((value for _, value in rows), default=0) or 1
    step = ROW_LABEL + ROW_BAR + ROW_GAP
    height = max(step * len(rows), step)
    _, parts = _open(title, height, "chart--bars")
    if not rows:
        return _close(parts)
    for index, (label, value) in enumerate(rows):
        top = index * step
        width = LONGEST * value / largest if value else 0
        parts.append(
            f'<text x="0" y="{top + ROW_LABEL - 4}" font-size="{LABEL_SIZE}" fill="{INK}" '
            f"{FONT}>{escape(_short(label))}</text>"
        )
        parts.append(
            f'<rect x="0" y="{top + ROW_LABEL}" width="{_percent(max(width, 0.4))}" '
            f'height="{ROW_BAR}" rx="2" fill="{colour}"></rect>'
        )
        parts.append(
            f'<text x="{_percent(width)}" dx="6" y="{top + ROW_LABEL + ROW_BAR - 2}" '
            f'font-size="{VALUE_SIZE}" fill="{INK_SOFT}" {FONT}>{_number(value)}</text>'
        )
    return _close(parts)


def stacked_columns(title: str, labels: Sequence[str], series: Sequence[Series]) -> Markup:
    """One column a label (months of a year), each stacked from the series in order, with the
    column's total above it (hidden on narrow screens by the stylesheet, class chart__total)."""
    labels = list(labels)
    totals = [sum(part.values[index] for part in series) for index in range(len(labels))]
    largest = max(totals, default=0) or 1
    height = COLUMN_TOP + COLUMN_HEIGHT + COLUMN_LABELS
    base = COLUMN_TOP + COLUMN_HEIGHT
    _, parts = _open(title, height, "chart--columns")
    slot = 100 / max(len(labels), 1)
    bar_width = slot * COLUMN_SHARE
    for line in (0, 0.5, 1):
        y = base - COLUMN_HEIGHT * line
        parts.append(
            f'<line x1="0" x2="100%" y1="{y}" y2="{y}" stroke="{GRID}" stroke-width="1"></line>'
        )
    for index, label in enumerate(labels):
        left = slot * index + (slot - bar_width) / 2
        centre = slot * index + slot / 2
        y = base
        for part in series:
            value = part.values[index]
            if not value:
                continue
            size = COLUMN_HEIGHT * value / largest
            y -= size
            parts.append(
                f'<rect x="{_percent(left)}" y="{y:.2f}" width="{_percent(bar_width)}" '
                f'height="{size:.2f}" fill="{part.colour}"></rect>'
            )
        if totals[index]:
            parts.append(
                f'<text class="chart__total" x="{_percent(centre)}" y="{y - 4:.2f}" '
                f'text-anchor="middle" font-size="{VALUE_SIZE - 1}" fill="{INK_SOFT}" {FONT}>'
                f"{_number(totals[index])}</text>"
            )
        parts.append(
            f'<text x="{_percent(centre)}" y="{base + COLUMN_LABELS - 6}" text-anchor="middle" '
            f'font-size="{VALUE_SIZE}" fill="{INK}" {FONT}>{escape(label)}</text>'
        )
    return _close(parts)


def legend(series: Sequence[Series]) -> Markup:
    """The colours of a stacked chart, as a list beside it (not inside: it wraps on a phone)."""
    items = "".join(
        # the swatch is drawn, not a background colour: printers leave backgrounds out
        f'<li><svg class="chart-legend__swatch" width="14" height="14" aria-hidden="true" '
        f'focusable="false"><rect width="14" height="14" rx="2" fill="{part.colour}"></rect>'
        f"</svg>{escape(part.name)}</li>"
        for part in series
    )
    return _close([f'<ul class="chart-legend">{items}'], "</ul>")
