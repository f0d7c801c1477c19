"""The radar chart of competency scores against the job's required scores, drawn on the server.

`radar_chart` is pure geometry (no Django): axis i points at angle -90° + 360°·i/n (the first axis straight up,
then clockwise), a value v (0-100) sits at distance radius·v/100 from the centre, every coordinate rounded to two
decimals. The web page renders it as inline SVG (`radar_svg`, with <title>/<desc> for screen readers and a
table beside it); the PDF draws the same polygons with ReportLab (pdf.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

Point = tuple[float, float]

WIDTH, HEIGHT, RADIUS = 560.0, 400.0, 130.0
RINGS: tuple[int, ...] = (20, 40, 60, 80, 100)
LABEL_GAP = 14.0


@dataclass(frozen=True)
class RadarAxis:
    label: str
    score: float
    required: float


@dataclass(frozen=True)
class RadarLabel:
    text: str
    x: float
    y: float
    anchor: str  # "start" | "middle" | "end", as SVG's text-anchor


@dataclass(frozen=True)
class RadarChart:
    width: float
    height: float
    cx: float
    cy: float
    radius: float
    axes: tuple[RadarAxis, ...]
    spokes: tuple[Point, ...]  # the outer end of each axis
    rings: tuple[tuple[int, tuple[Point, ...]], ...]  # (value, polygon) for the grid
    score_points: tuple[Point, ...]
    required_points: tuple[Point, ...]
    labels: tuple[RadarLabel, ...]


def _clamp(value: float) -> float:
    return min(100.0, max(0.0, float(value)))


def radar_point(cx: float, cy: float, radius: float, index: int, count: int, value: float) -> Point:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = radius * _clamp(value) / 100
    # + 0.0 turns a rounded -0.0 into 0.0, so equal points compare and print the same.
    return round(cx + distance * math.cos(angle), 2) + 0.0, round(cy + distance * math.sin(angle), 2) + 0.0


def radar_chart(
    axes: Sequence[RadarAxis], *, width: float = WIDTH, height: float = HEIGHT, radius: float = RADIUS,
    rings: Sequence[int] = RINGS,
) -> RadarChart:
    count = len(axes)
    cx, cy = width / 2, height / 2

    def polygon(values: Sequence[float]) -> tuple[Point, ...]:
        return tuple(radar_point(cx, cy, radius, i, count, v) for i, v in enumerate(values))

    labels = []
    for index, axis in enumerate(axes):
        x, y = radar_point(cx, cy, radius + LABEL_GAP, index, count, 100)
        anchor = "start" if x > cx + 1 else "end" if x < cx - 1 else "middle"
        # Text hangs from its baseline: lift labels above the chart, push those below it down a line.
        y = round(y - 4 if y < cy - 1 else y + 12 if y > cy + 1 else y + 4, 2)
        labels.append(RadarLabel(axis.label, x, y, anchor))
    return RadarChart(
        width=width, height=height, cx=cx, cy=cy, radius=radius, axes=tuple(axes),
        spokes=polygon([100] * count),
        rings=tuple((ring, polygon([ring] * count)) for ring in rings),
        score_points=polygon([a.score for a in axes]),
        required_points=polygon([a.required for a in axes]),
        labels=tuple(labels),
    )


def fmt(value: float) -> str:
    """A coordinate without needless zeros: 280, 135.5, 12.34."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def points_attr(points: Sequence[Point]) -> str:
    return " ".join(f"{fmt(x)},{fmt(y)}" for x, y in points)


def radar_svg(
    chart: RadarChart, *, title: str, description: str, score_name: str, required_name: str, uid: str = "radar"
) -> str:
    """The chart as an SVG element (a string of markup; every text in it escaped)."""
    e = escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar" viewBox="0 0 {fmt(chart.width)} {fmt(chart.height)}" '
        f'role="img" aria-labelledby="{uid}-title {uid}-desc" data-testid="radar">',
        f'<title id="{uid}-title">{e(title)}</title>',
        f'<desc id="{uid}-desc">{e(description)}</desc>',
        '<g class="radar-grid" fill="none" stroke="#d4d4d8" stroke-width="1">',
    ]
    for value, ring in chart.rings:
        parts.append(f'<polygon points="{points_attr(ring)}" data-ring="{value}"/>')
    for x, y in chart.spokes:
        parts.append(f'<line x1="{fmt(chart.cx)}" y1="{fmt(chart.cy)}" x2="{fmt(x)}" y2="{fmt(y)}"/>')
    parts.append("</g>")
    parts.append('<g class="radar-ticks" font-size="10" fill="#71717a">')
    for value, ring in chart.rings:
        if ring:
            parts.append(f'<text x="{fmt(chart.cx + 3)}" y="{fmt(ring[0][1] - 2)}">{value}</text>')
    parts.append("</g>")
    if chart.axes:
        parts.append(
            f'<polygon class="radar-required" points="{points_attr(chart.required_points)}" fill="none" '
            'stroke="#b45309" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<polygon class="radar-score" points="{points_attr(chart.score_points)}" fill="#2563eb" '
            'fill-opacity="0.25" stroke="#2563eb" stroke-width="2"/>'
        )
        for x, y in chart.score_points:
            parts.append(f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="3" fill="#2563eb"/>')
    parts.append('<g class="radar-labels" font-size="12" fill="#18181b">')
    for label in chart.labels:
        parts.append(
            f'<text x="{fmt(label.x)}" y="{fmt(label.y)}" text-anchor="{label.anchor}">{e(label.text)}</text>'
        )
    parts.append("</g>")
    legend_y = chart.height - 12
    parts.append(
        f'<g class="radar-legend" font-size="12" fill="#18181b">'
        f'<rect x="10" y="{fmt(legend_y - 10)}" width="14" height="10" fill="#2563eb" fill-opacity="0.25" '
        f'stroke="#2563eb"/><text x="30" y="{fmt(legend_y)}">{e(score_name)}</text>'
        f'<line x1="150" y1="{fmt(legend_y - 5)}" x2="170" y2="{fmt(legend_y - 5)}" stroke="#b45309" '
        f'stroke-width="2" stroke-dasharray="6 4"/><text x="176" y="{fmt(legend_y)}">{e(required_name)}</text></g>'
    )
    parts.append("</svg>")
    return "".join(parts)
