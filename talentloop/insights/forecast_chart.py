"""The forecast chart, drawn on the server (no JavaScript), in the style of the other server-side charts
(talentloop/performance/profile_chart.py): quarters left to right, headcount upwards; the history as a solid
line with dots, the forecast as a dashed line continuing it, the 95% band as a pale area and the 80% band as
a darker one inside it. Every mark has a tooltip (<title>); the page puts the same numbers in a table.

`forecast_svg` takes plain numbers and the words (already translated); every text is escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 600.0, 260.0
LEFT, RIGHT, TOP, BOTTOM = 44.0, 26.0, 12.0, 52.0
HISTORY_COLOUR, FORECAST_COLOUR = "#1d4ed8", "#b45309"
BAND95, BAND80 = "#fde68a", "#fbbf24"
GRID, INK, MUTED = "#e4e4e7", "#18181b", "#71717a"


@dataclass(frozen=True)
class ChartWords:
    title: str
    description: str
    history: str  # legend
    forecast: str
    band80: str
    band95: str
    history_mark: str  # "%(quarter)s: %(value)s"
    forecast_mark: str  # "%(quarter)s: %(value)s (95%%: %(low)s–%(high)s)"


@dataclass(frozen=True)
class Point:
    label: str
    value: float
    low80: float | None = None
    high80: float | None = None
    low95: float | None = None
    high95: float | None = None


def fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _or(value: float | None, default: float) -> float:
    return default if value is None else float(value)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 10.0
    step = 10 ** math.floor(math.log10(value))
    for mult in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= mult * step:
            return float(mult * step)
    return float(10 * step)


def forecast_svg(history: Sequence[Point], forecast: Sequence[Point], words: ChartWords, *, uid: str) -> str:
    """Inline SVG, or "" with nothing to draw."""
    points = [*history, *forecast]
    if not points:
        return ""
    top_value = max(max(p.high95 if p.high95 is not None else p.value for p in points), 1.0)
    y_max = _nice_max(top_value * 1.05)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(points) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - max(v, 0.0) / y_max)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" class="forecast-chart" width="100%">',
        f'<title id="{uid}-t">{escape(words.title)}</title><desc id="{uid}-d">{escape(words.description)}</desc>',
    ]
    for k in range(5):
        value = y_max * k / 4
        gy = y(value)
        parts.append(f'<line x1="{LEFT:g}" x2="{WIDTH - RIGHT:g}" y1="{gy:.1f}" y2="{gy:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{LEFT - 6:g}" y="{gy + 4:.1f}" text-anchor="end" font-size="11" fill="{MUTED}">'
            f'{fmt(value)}</text>'
        )
    label_every = max(1, math.ceil(len(points) / 10))
    for i, p in enumerate(points):
        if i % label_every == 0 or i == len(points) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16:g}" text-anchor="middle" font-size="10" '
                f'fill="{MUTED}">{escape(p.label)}</text>'
            )
    offset = len(history)
    if forecast:
        anchor = [(offset - 1, history[-1].value)] if history else []
        bands = (("low95", "high95", BAND95, "b95"), ("low80", "high80", BAND80, "b80"))
        for low_attr, high_attr, colour, name in bands:
            upper = [(i, v) for i, v in anchor] + [
                (offset + j, _or(getattr(p, high_attr), p.value)) for j, p in enumerate(forecast)
            ]
            lower = [(i, v) for i, v in anchor] + [
                (offset + j, _or(getattr(p, low_attr), p.value)) for j, p in enumerate(forecast)
            ]
            coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in [*upper, *reversed(lower)])
            parts.append(f'<polygon class="{name}" points="{coords}" fill="{colour}" fill-opacity="0.55"/>')
        line = [*anchor, *[(offset + j, p.value) for j, p in enumerate(forecast)]]
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in line)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{FORECAST_COLOUR}" stroke-width="2" '
            f'stroke-dasharray="6 4"/>'
        )
    if history:
        coords = " ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(history))
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{HISTORY_COLOUR}" stroke-width="2"/>')
    for i, p in enumerate(history):
        tip = words.history_mark % {"quarter": p.label, "value": fmt(p.value)}
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="3" fill="{HISTORY_COLOUR}">'
            f'<title>{escape(tip)}</title></circle>'
        )
    for j, p in enumerate(forecast):
        tip = words.forecast_mark % {
            "quarter": p.label, "value": fmt(p.value),
            "low": fmt(_or(p.low95, p.value)), "high": fmt(_or(p.high95, p.value)),
        }
        parts.append(
            f'<rect x="{x(offset + j) - 3.5:.1f}" y="{y(p.value) - 3.5:.1f}" width="7" height="7" '
            f'fill="{FORECAST_COLOUR}"><title>{escape(tip)}</title></rect>'
        )
    legend_y = HEIGHT - 14
    items = [(HISTORY_COLOUR, words.history, "line"), (FORECAST_COLOUR, words.forecast, "dash"),
             (BAND80, words.band80, "box"), (BAND95, words.band95, "box")]
    lx = LEFT
    for colour, text, kind in items:
        if kind == "box":
            parts.append(f'<rect x="{lx:.1f}" y="{legend_y - 8:g}" width="14" height="10" fill="{colour}"/>')
        else:
            dash = ' stroke-dasharray="4 3"' if kind == "dash" else ""
            parts.append(
                f'<line x1="{lx:.1f}" x2="{lx + 14:.1f}" y1="{legend_y - 3:g}" y2="{legend_y - 3:g}" '
                f'stroke="{colour}" stroke-width="2"{dash}/>'
            )
        parts.append(f'<text x="{lx + 18:.1f}" y="{legend_y:g}" font-size="11" fill="{INK}">{escape(text)}</text>')
        lx += 18 + 7 * len(text) + 16
    parts.append("</svg>")
    return "".join(parts)
