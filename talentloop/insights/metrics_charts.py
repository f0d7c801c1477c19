"""The dashboard's charts drawn on the server as inline SVG (no JavaScript), in the style of the interview and
profile charts: the recruiting funnel as horizontal bars, and applications and hires per month as two lines.
The caller passes every word already translated; every text is escaped here. The page shows the same numbers
in a table next to each chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from talentloop.performance.profile_chart import fmt

WIDTH = 560.0
BAR, BAR_GAP, LABEL_WIDTH, VALUE_WIDTH = 22.0, 8.0, 150.0, 170.0
FIRST_COLOUR, SECOND_COLOUR = "#1d4ed8", "#b45309"
GRID, FRAME, INK, MUTED = "#e4e4e7", "#d4d4d8", "#18181b", "#71717a"
LABEL_CHARS = 22


@dataclass(frozen=True)
class FunnelBar:
    label: str
    count: int
    note: str  # e.g. "67% of the previous stage"


@dataclass(frozen=True)
class SeriesPoint:
    label: str  # e.g. "2024-03"
    first: int
    second: int


@dataclass(frozen=True)
class ChartText:
    title: str
    description: str
    first: str = ""  # legend of the first series (line charts)
    second: str = ""


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def funnel_svg(bars: Sequence[FunnelBar], text: ChartText, *, uid: str = "funnel") -> str:
    """One bar per stage, as long as its count relative to the first stage."""
    if not bars:
        return ""
    top = max(b.count for b in bars) or 1
    height = len(bars) * (BAR + BAR_GAP) + BAR_GAP
    x0, x1 = LABEL_WIDTH, WIDTH - VALUE_WIDTH
    parts = [
        f'<svg class="insights-chart insights-funnel" viewBox="0 0 {fmt(WIDTH)} {fmt(height)}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-title">{escape(text.title)}</title><desc id="{uid}-desc">{escape(text.description)}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = BAR_GAP + i * (BAR + BAR_GAP)
        width = max((x1 - x0) * bar.count / top, 1.0 if bar.count else 0.0)
        middle = y + BAR / 2 + 4
        parts.append(
            f'<text x="{fmt(x0 - 8)}" y="{fmt(middle)}" text-anchor="end" font-size="12" fill="{INK}">'
            f"{escape(_short(bar.label))}</text>"
            f'<rect x="{fmt(x0)}" y="{fmt(y)}" width="{fmt(x1 - x0)}" height="{fmt(BAR)}" fill="{GRID}" rx="3"/>'
            f'<rect x="{fmt(x0)}" y="{fmt(y)}" width="{fmt(width)}" height="{fmt(BAR)}" fill="{FIRST_COLOUR}" rx="3">'
            f"<title>{escape(bar.label)}: {bar.count}{(' · ' + escape(bar.note)) if bar.note else ''}</title></rect>"
            f'<text x="{fmt(x1 + 8)}" y="{fmt(middle)}" font-size="12" fill="{INK}">{bar.count}'
            f'<tspan fill="{MUTED}">{(" · " + escape(bar.note)) if bar.note else ""}</tspan></text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _nice_top(value: int) -> int:
    """The axis top: the first of 2, 4, 10, 20, 40, 50, 100, 200, 400, 500, 1000... not below the value."""
    scale = 1
    while True:
        for base in (2, 4, 10, 20, 40, 50):
            if base * scale >= value:
                return base * scale
        scale *= 10


def series_svg(points: Sequence[SeriesPoint], text: ChartText, *, uid: str = "series") -> str:
    """Two counts per month as lines with dots; the y axis starts at 0."""
    if not points:
        return ""
    left, right, top_pad, axis, legend = 40.0, 28.0, 10.0, 22.0, 24.0
    plot_h = 160.0
    height = top_pad + plot_h + axis + legend
    x0, x1, y0, y1 = left, WIDTH - right, top_pad + plot_h, top_pad
    top = _nice_top(max(max(p.first, p.second) for p in points))
    step = (x1 - x0) / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return x0 + step * i if len(points) > 1 else (x0 + x1) / 2

    def y(v: int) -> float:
        return y0 - (y0 - y1) * v / top

    parts = [
        f'<svg class="insights-chart insights-series" viewBox="0 0 {fmt(WIDTH)} {fmt(height)}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-title">{escape(text.title)}</title><desc id="{uid}-desc">{escape(text.description)}</desc>',
    ]
    for tick in (0, top // 2, top):
        parts.append(
            f'<line x1="{fmt(x0)}" x2="{fmt(x1)}" y1="{fmt(y(tick))}" y2="{fmt(y(tick))}" stroke="{GRID}"/>'
            f'<text x="{fmt(x0 - 6)}" y="{fmt(y(tick) + 4)}" text-anchor="end" font-size="11" fill="{MUTED}">'
            f"{tick}</text>"
        )
    # Counted from the last month, so the newest is labelled and no two labels crowd each other.
    every = max(1, -(-len(points) // 8))
    for i, p in enumerate(points):
        if (len(points) - 1 - i) % every == 0:
            parts.append(f'<text x="{fmt(x(i))}" y="{fmt(y0 + 16)}" text-anchor="middle" font-size="11" '
                         f'fill="{MUTED}">{escape(p.label)}</text>')
    for colour, name, values, dash in (
        (FIRST_COLOUR, text.first, [p.first for p in points], ""),
        (SECOND_COLOUR, text.second, [p.second for p in points], ' stroke-dasharray="5 3"'),
    ):
        line = " ".join(f"{fmt(x(i))},{fmt(y(v))}" for i, v in enumerate(values))
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{fmt(x(i))}" cy="{fmt(y(v))}" r="3" fill="{colour}">'
                         f"<title>{escape(name)}, {escape(points[i].label)}: {v}</title></circle>")
    ly = height - 8
    parts.append(
        f'<line x1="{fmt(x0)}" x2="{fmt(x0 + 18)}" y1="{fmt(ly - 4)}" y2="{fmt(ly - 4)}" stroke="{FIRST_COLOUR}" '
        f'stroke-width="2"/><text x="{fmt(x0 + 24)}" y="{fmt(ly)}" font-size="12" fill="{INK}">'
        f"{escape(text.first)}</text>"
        f'<line x1="{fmt(x0 + 200)}" x2="{fmt(x0 + 218)}" y1="{fmt(ly - 4)}" y2="{fmt(ly - 4)}" '
        f'stroke="{SECOND_COLOUR}" stroke-width="2" stroke-dasharray="5 3"/>'
        f'<text x="{fmt(x0 + 224)}" y="{fmt(ly)}" font-size="12" fill="{INK}">{escape(text.second)}</text>'
    )
    parts.append(f'<rect x="{fmt(x0)}" y="{fmt(y1)}" width="{fmt(x1 - x0)}" height="{fmt(y0 - y1)}" fill="none" '
                 f'stroke="{FRAME}"/></svg>')
    return "".join(parts)
