"""The profile's comparison chart, drawn on the server (no JavaScript), in the style of the interview report's
charts (talentloop/interviews/delivery_chart.py): one panel per competency with its name above it, time
running left to right on a shared axis, scores 0–100 upwards.

In each panel the interview score is a diamond at the interview's date with a dashed line carried to the
right edge (the level the performance scores are compared with), and the performance review scores are dots
joined by a line, oldest to newest. The interview score and the latest review score are written next to
their marks; every mark has a tooltip (<title>) with its date and score. The page puts a table with the same
numbers beside the chart for screen readers and for reading exact values.

`comparison_chart` is pure geometry (no Django, no translation): the caller passes the names and the words.
`comparison_svg` renders it as inline SVG; every text in it is escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 560.0
SCALE_WIDTH = 30.0  # the 0 / 50 / 100 labels left of the panels
RIGHT = 36.0  # room for the latest score written after the last dot
TOP = 4.0
NAME_HEIGHT = 18.0  # each panel's competency name sits above it, so long names keep the full width
PANEL_HEIGHT = 64.0
PANEL_GAP = 10.0
AXIS_HEIGHT = 20.0
LEGEND_HEIGHT = 24.0
NAME_CHARS = 60  # longer names are cut with "…" (the full name is in the tooltip and the table)
MAX_TICKS = 8
PAD_DAYS = 45  # around a single date, so one point does not sit on the frame

INTERVIEW_COLOUR, PERFORMANCE_COLOUR = "#b45309", "#1d4ed8"
GRID, FRAME, INK, MUTED = "#e4e4e7", "#d4d4d8", "#18181b", "#71717a"


@dataclass(frozen=True)
class SeriesInput:
    name: str
    interview_score: float | None
    interview_date: dt.date | None
    points: Sequence[tuple[dt.date, float, str]]  # (date, score 0–100, label such as the cycle's name)


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    score: float
    date: dt.date
    label: str


@dataclass(frozen=True)
class Panel:
    name: str
    short_name: str
    top: float
    interview: Mark | None
    points: tuple[Mark, ...]

    @property
    def bottom(self) -> float:
        return self.top + PANEL_HEIGHT


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class ComparisonChart:
    width: float
    height: float
    x0: float
    x1: float
    panels: tuple[Panel, ...]
    ticks: tuple[Tick, ...]
    axis_y: float
    legend_y: float


@dataclass(frozen=True)
class ChartText:
    """The words of the chart in the reader's language (the caller translates them)."""

    title: str
    description: str
    interview: str  # legend: the interview score
    performance: str  # legend: a performance review score
    interview_mark: str  # tooltip with "%(date)s" and "%(score)s"
    performance_mark: str  # tooltip with "%(label)s", "%(date)s" and "%(score)s"


def fmt(value: float) -> str:
    """Coordinates and scores: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def score_text(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def _ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """Year starts when the span holds at least two; otherwise month starts every 1, 2, 3 or 6 months; a span with
    no month start (the interview and a review a few weeks apart) is labelled with its first and last days."""
    years = [dt.date(y, 1, 1) for y in range(first.year, last.year + 1) if first <= dt.date(y, 1, 1) <= last]
    if len(years) >= 2:
        step = 1
        while len(years[::step]) > MAX_TICKS:
            step += 1
        return [(d, str(d.year)) for d in years[::step]]
    months = []
    year, month = first.year, first.month
    while True:
        day = dt.date(year, month, 1)
        if day > last:
            break
        if day >= first:
            months.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for step in (1, 2, 3, 6, 12):
        chosen = [d for d in months if (d.month - 1) % step == 0]
        if chosen and len(chosen) <= MAX_TICKS:
            return [(d, f"{d.year}-{d.month:02d}") for d in chosen]
    if not months:
        return [(d, d.isoformat()) for d in dict.fromkeys((first, last))]
    return []


def comparison_chart(series: Sequence[SeriesInput], *, width: float = WIDTH) -> ComparisonChart | None:
    """The chart's geometry, or None when no competency has a score to draw."""
    drawn = [s for s in series if s.points or (s.interview_score is not None and s.interview_date is not None)]
    if not drawn:
        return None
    dates = [d for s in drawn for d, _score, _label in s.points]
    dates += [s.interview_date for s in drawn if s.interview_score is not None and s.interview_date is not None]
    first, last = min(dates), max(dates)
    if first == last:
        first, last = first - dt.timedelta(days=PAD_DAYS), last + dt.timedelta(days=PAD_DAYS)
    span = float((last - first).days)
    x0, x1 = SCALE_WIDTH, width - RIGHT
    # A little room inside the frame at both ends, so the first and last marks are not cut in half.
    inner0, inner1 = x0 + 8, x1 - 8

    def x_of(day: dt.date) -> float:
        return round(inner0 + (day - first).days / span * (inner1 - inner0), 2)

    def y_of(top: float, score: float) -> float:
        return round(top + PANEL_HEIGHT * (1 - min(max(score, 0.0), 100.0) / 100), 2)

    panels = []
    top = TOP
    for s in drawn:
        top += NAME_HEIGHT
        interview = None
        if s.interview_score is not None and s.interview_date is not None:
            interview = Mark(x_of(s.interview_date), y_of(top, s.interview_score), s.interview_score,
                             s.interview_date, "")
        points = tuple(
            Mark(x_of(day), y_of(top, score), score, day, label)
            for day, score, label in sorted(s.points, key=lambda p: p[0])
        )
        panels.append(Panel(name=s.name, short_name=_short(s.name), top=top, interview=interview, points=points))
        top += PANEL_HEIGHT + PANEL_GAP
    bottom = top - PANEL_GAP
    ticks = tuple(Tick(x_of(day), label) for day, label in _ticks(first, last))
    axis_y = round(bottom + AXIS_HEIGHT - 5, 2)
    legend_y = round(bottom + AXIS_HEIGHT + LEGEND_HEIGHT - 7, 2)
    return ComparisonChart(
        width=width, height=round(bottom + AXIS_HEIGHT + LEGEND_HEIGHT, 2), x0=x0, x1=x1, panels=tuple(panels),
        ticks=ticks, axis_y=axis_y, legend_y=legend_y,
    )


def _diamond(x: float, y: float, r: float = 5.0) -> str:
    return f"{fmt(x)},{fmt(y - r)} {fmt(x + r)},{fmt(y)} {fmt(x)},{fmt(y + r)} {fmt(x - r)},{fmt(y)}"


def comparison_svg(chart: ComparisonChart, text: ChartText, *, uid: str = "comparison") -> str:
    """The chart as an SVG element (a string of markup; every text in it escaped)."""
    e = escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="profile-comparison" viewBox="0 0 {fmt(chart.width)} '
        f'{fmt(chart.height)}" role="img" aria-labelledby="{e(uid)}-title {e(uid)}-desc" '
        f'data-testid="comparison-chart" font-family="inherit">',
        f'<title id="{e(uid)}-title">{e(text.title)}</title>',
        f'<desc id="{e(uid)}-desc">{e(text.description)}</desc>',
    ]
    for panel in chart.panels:
        parts.append(_panel(chart, panel, text))
    parts.append(f'<g class="comparison-axis" font-size="10" fill="{MUTED}" stroke="{FRAME}">')
    for tick in chart.ticks:
        parts.append(
            f'<line x1="{fmt(tick.x)}" y1="{fmt(chart.axis_y - 15)}" x2="{fmt(tick.x)}" y2="{fmt(chart.axis_y - 11)}"/>'
            f'<text x="{fmt(tick.x)}" y="{fmt(chart.axis_y)}" text-anchor="middle" stroke="none">{e(tick.label)}</text>'
        )
    parts.append("</g>")
    y = chart.legend_y
    x = chart.x0
    parts.append(
        f'<g class="comparison-legend" font-size="11" fill="{INK}">'
        f'<line x1="{fmt(x)}" y1="{fmt(y - 4)}" x2="{fmt(x + 22)}" y2="{fmt(y - 4)}" stroke="{INTERVIEW_COLOUR}" '
        f'stroke-width="1.5" stroke-dasharray="4 3"/>'
        f'<polygon points="{_diamond(x + 11, y - 4, 4)}" fill="{INTERVIEW_COLOUR}"/>'
        f'<text x="{fmt(x + 28)}" y="{fmt(y)}">{e(text.interview)}</text>'
        f'<line x1="{fmt(x + 180)}" y1="{fmt(y - 4)}" x2="{fmt(x + 202)}" y2="{fmt(y - 4)}" '
        f'stroke="{PERFORMANCE_COLOUR}" stroke-width="2"/>'
        f'<circle cx="{fmt(x + 191)}" cy="{fmt(y - 4)}" r="3.5" fill="{PERFORMANCE_COLOUR}"/>'
        f'<text x="{fmt(x + 208)}" y="{fmt(y)}">{e(text.performance)}</text>'
        "</g>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _panel(chart: ComparisonChart, panel: Panel, text: ChartText) -> str:
    e = escape
    top, bottom, x0, x1 = panel.top, panel.bottom, chart.x0, chart.x1
    middle = top + PANEL_HEIGHT / 2
    parts = [
        '<g class="comparison-panel">',
        f'<rect x="{fmt(x0)}" y="{fmt(top)}" width="{fmt(x1 - x0)}" height="{fmt(PANEL_HEIGHT)}" fill="#fafafa" '
        f'stroke="{FRAME}"/>',
        f'<line x1="{fmt(x0)}" y1="{fmt(middle)}" x2="{fmt(x1)}" y2="{fmt(middle)}" stroke="{GRID}"/>',
        f'<text x="{fmt(x0)}" y="{fmt(top - 5)}" font-size="12" font-weight="600" fill="{INK}">'
        f'<title>{e(panel.name)}</title>{e(panel.short_name)}</text>',
        f'<g font-size="9" fill="{MUTED}" text-anchor="end">'
        f'<text x="{fmt(x0 - 4)}" y="{fmt(top + 8)}">100</text>'
        f'<text x="{fmt(x0 - 4)}" y="{fmt(middle + 3)}">50</text>'
        f'<text x="{fmt(x0 - 4)}" y="{fmt(bottom)}">0</text></g>',
    ]
    interview = panel.interview
    if interview is not None:
        tip = text.interview_mark % {"date": interview.date.isoformat(), "score": score_text(interview.score)}
        parts.append(
            f'<line class="comparison-interview" x1="{fmt(interview.x)}" y1="{fmt(interview.y)}" x2="{fmt(x1)}" '
            f'y2="{fmt(interview.y)}" stroke="{INTERVIEW_COLOUR}" stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<polygon points="{_diamond(interview.x, interview.y)}" fill="{INTERVIEW_COLOUR}" data-kind="interview">'
            f'<title>{e(tip)}</title></polygon>'
            f'<text x="{fmt(interview.x + 7)}" y="{fmt(_label_y(interview.y, top))}" font-size="10" '
            f'fill="{INTERVIEW_COLOUR}">{score_text(interview.score)}</text>'
        )
    if len(panel.points) > 1:
        points = " ".join(f"{fmt(p.x)},{fmt(p.y)}" for p in panel.points)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{PERFORMANCE_COLOUR}" stroke-width="2" '
                     'stroke-linejoin="round"/>')
    for point in panel.points:
        tip = text.performance_mark % {
            "label": point.label, "date": point.date.isoformat(), "score": score_text(point.score),
        }
        parts.append(
            f'<circle cx="{fmt(point.x)}" cy="{fmt(point.y)}" r="3.5" fill="{PERFORMANCE_COLOUR}" '
            f'data-kind="performance"><title>{e(tip)}</title></circle>'
        )
    if panel.points:
        last = panel.points[-1]
        parts.append(
            f'<text x="{fmt(last.x + 7)}" y="{fmt(last.y + 4)}" font-size="10" font-weight="600" '
            f'fill="{PERFORMANCE_COLOUR}">{score_text(last.score)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _label_y(y: float, top: float) -> float:
    """The interview score's label sits above its line, or below it when the line runs along the top."""
    return y - 4 if y - 12 >= top else y + 12
