"""The calibration page's chart, drawn on the server (no JavaScript), in the style of the profile chart
(talentloop/performance/profile_chart.py): one row per competency, the mean gap (performance − interview) as
a dot with its 95% confidence interval as a horizontal bar, a solid line at 0 (no gap) and a dashed line at
−margin (the over-rating threshold). Rows without enough data say so in words. Every mark has a tooltip
(<title>); the page puts the same numbers in a table. No Django, no translation: the caller passes the words;
every text is escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 560.0
LABEL_WIDTH = 150.0
RIGHT = 16.0
TOP = 8.0
ROW_HEIGHT = 30.0
AXIS_HEIGHT = 24.0
NAME_CHARS = 22
INK, MUTED, GRID, FLAG, OK = "#18181b", "#71717a", "#e4e4e7", "#b91c1c", "#1d4ed8"


@dataclass(frozen=True)
class GapRow:
    name: str
    gap: float | None
    ci: tuple[float, float] | None
    flagged: bool


@dataclass(frozen=True)
class ChartText:
    title: str
    description: str
    no_data: str  # "not enough data"
    zero: str  # "no gap"
    margin: str  # "−5: over-rating threshold"
    mark: str  # "%(name)s: gap %(gap)s (95% CI %(low)s to %(high)s)"


def fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def axis_range(rows: Sequence[GapRow], margin: float) -> tuple[float, float]:
    """From a multiple of 10 below every interval end and −margin to one above them and 0 (at least ±20)."""
    ends = [v for r in rows if r.ci for v in r.ci] + [r.gap for r in rows if r.gap is not None]
    low = min([-20.0, -margin - 5, *ends])
    high = max([20.0, *ends])
    return math.floor(low / 10) * 10, math.ceil(high / 10) * 10


def gap_svg(rows: Sequence[GapRow], text: ChartText, *, margin: float, uid: str = "calibration") -> str | None:
    """The chart as an SVG element; None when there is no row."""
    if not rows:
        return None
    e = escape
    low, high = axis_range(rows, margin)
    plot_left, plot_right = LABEL_WIDTH, WIDTH - RIGHT
    height = TOP + ROW_HEIGHT * len(rows) + AXIS_HEIGHT

    def x_of(value: float) -> float:
        return plot_left + (value - low) / (high - low) * (plot_right - plot_left)

    bottom = TOP + ROW_HEIGHT * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="calibration-chart" viewBox="0 0 {fmt(WIDTH)} '
        f'{fmt(height)}" role="img" aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{e(text.title)}</title><desc id="{uid}-desc">{e(text.description)}</desc>',
    ]
    step = 10 if high - low <= 80 else 20
    tick = low
    while tick <= high:
        x = x_of(tick)
        parts.append(f'<line x1="{fmt(x)}" y1="{fmt(TOP)}" x2="{fmt(x)}" y2="{fmt(bottom)}" stroke="{GRID}"/>')
        parts.append(f'<text x="{fmt(x)}" y="{fmt(bottom + 15)}" font-size="11" text-anchor="middle" '
                     f'fill="{MUTED}">{e(fmt(tick))}</text>')
        tick += step
    zero = x_of(0)
    parts.append(f'<line x1="{fmt(zero)}" y1="{fmt(TOP)}" x2="{fmt(zero)}" y2="{fmt(bottom)}" stroke="{INK}">'
                 f'<title>{e(text.zero)}</title></line>')
    limit = x_of(-margin)
    parts.append(f'<line x1="{fmt(limit)}" y1="{fmt(TOP)}" x2="{fmt(limit)}" y2="{fmt(bottom)}" stroke="{FLAG}" '
                 f'stroke-dasharray="4 3"><title>{e(text.margin)}</title></line>')
    for index, row in enumerate(rows):
        y = TOP + ROW_HEIGHT * index + ROW_HEIGHT / 2
        name = row.name if len(row.name) <= NAME_CHARS else row.name[: NAME_CHARS - 1] + "…"
        parts.append(f'<text x="{fmt(LABEL_WIDTH - 8)}" y="{fmt(y + 4)}" font-size="12" text-anchor="end" '
                     f'fill="{INK}"><title>{e(row.name)}</title>{e(name)}</text>')
        if row.gap is None or row.ci is None:
            parts.append(f'<text x="{fmt(plot_left + 6)}" y="{fmt(y + 4)}" font-size="11" font-style="italic" '
                         f'fill="{MUTED}">{e(text.no_data)}</text>')
            continue
        colour = FLAG if row.flagged else OK
        label = text.mark % {"name": row.name, "gap": fmt(row.gap), "low": fmt(row.ci[0]), "high": fmt(row.ci[1])}
        parts.append(
            f'<g><title>{e(label)}</title>'
            f'<line x1="{fmt(x_of(row.ci[0]))}" y1="{fmt(y)}" x2="{fmt(x_of(row.ci[1]))}" y2="{fmt(y)}" '
            f'stroke="{colour}" stroke-width="3" stroke-linecap="round"/>'
            f'<circle cx="{fmt(x_of(row.gap))}" cy="{fmt(y)}" r="5" fill="{colour}"/></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
