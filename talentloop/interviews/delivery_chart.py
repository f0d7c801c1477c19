"""The delivery timeline of a recorded answer, drawn on the server (no JavaScript), in the style of radar.py.

`timeline_chart` is pure geometry (no Django): it reads the engine's 1-second bins (`delivery["timeline"]`:
{"t", "speech" 0–1, "loudness_db", "face" 0/1, "looking" 0/1}) and the video's moments ({"start", "end",
"kind"}), and lays them out left to right over the answer's duration:
- a "voice" row: one bar per column whose height is the share of the second with speech, and the loudness as a
  line on a fixed -60…0 dBFS scale (fixed so that two answers' charts compare);
- for video, a "face in view" band and a "looking toward the camera" band: one rectangle per run of seconds;
- moments to check (no face, several faces) as shaded spans across every row.
Long answers are averaged into at most MAX_COLUMNS columns so the markup stays small. `timeline_svg` renders
the chart as inline SVG with <title>/<desc> (the caller writes them, translated); the PDF draws the same
geometry with ReportLab (pdf.py)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from .radar import fmt

WIDTH = 560.0
LABEL_WIDTH = 150.0  # row labels on the left
RIGHT = 12.0
TOP = 8.0
VOICE_HEIGHT = 64.0
BAND_HEIGHT = 14.0
ROW_GAP = 8.0
AXIS_HEIGHT = 18.0
LEGEND_HEIGHT = 20.0
MAX_COLUMNS = 240
DB_FLOOR, DB_CEILING = -60.0, 0.0
TICK_STEPS: tuple[int, ...] = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600)
MAX_TICKS = 8
MOMENT_KINDS: tuple[str, ...] = ("no_face", "multiple_faces")

SPEECH_FILL, LOUDNESS_STROKE = "#93c5fd", "#1e3a8a"
FACE_FILL, LOOKING_FILL, MOMENT_FILL = "#16a34a", "#65a30d", "#dc2626"
GRID = "#d4d4d8"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    kind: str  # "speech" | "face" | "looking" | "no_face" | "multiple_faces" | "row" (a row's outline)
    start: float = 0.0  # seconds, for the moments' tooltips
    end: float = 0.0


@dataclass(frozen=True)
class RowLabel:
    text: str
    y: float  # baseline


@dataclass(frozen=True)
class Tick:
    x: float
    seconds: int


@dataclass(frozen=True)
class TimelineChart:
    width: float
    height: float
    x0: float
    x1: float
    duration: float
    rows: tuple[Box, ...]  # the row outlines
    boxes: tuple[Box, ...]  # speech bars, face and looking runs
    loudness: tuple[tuple[tuple[float, float], ...], ...]  # polyline segments (a gap where no level was measured)
    moments: tuple[Box, ...]
    labels: tuple[RowLabel, ...]
    ticks: tuple[Tick, ...]
    axis_y: float
    legend_y: float
    has_video: bool


@dataclass(frozen=True)
class ChartText:
    """The words of the chart, in the reader's language (the caller translates them)."""

    title: str
    description: str
    voice: str  # row label: speech and loudness
    face: str
    looking: str
    speech_legend: str
    loudness_legend: str
    moment_legend: str
    moment_names: Mapping[str, str]  # kind → name, for the moments' tooltips
    seconds: str  # a tick label with "%(n)s", e.g. "%(n)s s"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _columns(timeline: Sequence[Mapping[str, Any]]) -> tuple[float, list[dict[str, float | None]]]:
    """The bins averaged into at most MAX_COLUMNS columns: (seconds per column, columns)."""
    size = max(1, math.ceil(len(timeline) / MAX_COLUMNS))
    columns: list[dict[str, float | None]] = []
    for start in range(0, len(timeline), size):
        group = timeline[start:start + size]
        column: dict[str, float | None] = {}
        for key in ("speech", "loudness_db", "face", "looking"):
            values = [v for v in (_number(b.get(key)) for b in group) if v is not None]
            column[key] = sum(values) / len(values) if values else None
        columns.append(column)
    return float(size), columns


def _tick_step(duration: float) -> int:
    return next((step for step in TICK_STEPS if duration / step <= MAX_TICKS), TICK_STEPS[-1])


def _runs(columns: Sequence[Mapping[str, float | None]], key: str) -> list[tuple[int, int]]:
    """[start, end) column ranges where the value is at least one half (present for most of the column)."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index, column in enumerate([*columns, {}]):
        value = column.get(key)
        on = value is not None and value >= 0.5
        if on and start is None:
            start = index
        elif not on and start is not None:
            runs.append((start, index))
            start = None
    return runs


def timeline_chart(
    timeline: Sequence[Mapping[str, Any]], moments: Sequence[Mapping[str, Any]] = (), *,
    duration: float | None = None, labels: tuple[str, str, str] = ("", "", ""), width: float = WIDTH,
) -> TimelineChart | None:
    """The chart's geometry, or None without bins. `labels` are the row labels (voice, face, looking)."""
    bins = [b for b in timeline if isinstance(b, Mapping)]
    if not bins:
        return None
    seconds_per_column, columns = _columns(bins)
    total = max(float(len(bins)), _number(duration) or 0.0)
    has_video = any(column["face"] is not None for column in columns)
    x0, x1 = LABEL_WIDTH, width - RIGHT
    scale = (x1 - x0) / total

    def x_of(seconds: float) -> float:
        return round(x0 + min(max(seconds, 0.0), total) * scale, 2)

    voice_top = TOP
    rows = [Box(x0, voice_top, x1 - x0, VOICE_HEIGHT, "row")]
    row_labels = [RowLabel(labels[0], round(voice_top + VOICE_HEIGHT / 2 + 4, 2))]
    boxes: list[Box] = []
    segments: list[tuple[tuple[float, float], ...]] = []
    current: list[tuple[float, float]] = []
    for index, column in enumerate(columns):
        left, right = x_of(index * seconds_per_column), x_of((index + 1) * seconds_per_column)
        speech = min(max(column["speech"] or 0.0, 0.0), 1.0)
        if speech > 0:
            height = round(VOICE_HEIGHT * speech, 2)
            boxes.append(Box(left, round(voice_top + VOICE_HEIGHT - height, 2), round(right - left, 2), height,
                             "speech"))
        level = column["loudness_db"]
        if level is None:
            if current:
                segments.append(tuple(current))
            current = []
            continue
        share = (min(max(level, DB_FLOOR), DB_CEILING) - DB_FLOOR) / (DB_CEILING - DB_FLOOR)
        current.append((round((left + right) / 2, 2), round(voice_top + VOICE_HEIGHT * (1 - share), 2)))
    if current:
        segments.append(tuple(current))
    bottom = voice_top + VOICE_HEIGHT
    if has_video:
        for key, label in (("face", labels[1]), ("looking", labels[2])):
            top = bottom + ROW_GAP
            rows.append(Box(x0, top, x1 - x0, BAND_HEIGHT, "row"))
            row_labels.append(RowLabel(label, round(top + BAND_HEIGHT - 3, 2)))
            for start, end in _runs(columns, key):
                left, right = x_of(start * seconds_per_column), x_of(end * seconds_per_column)
                boxes.append(Box(left, top, round(right - left, 2), BAND_HEIGHT, key))
            bottom = top + BAND_HEIGHT
    spans = []
    for moment in moments:
        if not isinstance(moment, Mapping):
            continue
        kind = str(moment.get("kind", ""))
        begins, ends = _number(moment.get("start")), _number(moment.get("end"))
        if kind not in MOMENT_KINDS or begins is None or ends is None or ends <= begins:
            continue
        left, right = x_of(begins), x_of(ends)
        spans.append(Box(left, voice_top, max(round(right - left, 2), 1.0), round(bottom - voice_top, 2), kind,
                         start=begins, end=ends))
    step = _tick_step(total)
    ticks = tuple(Tick(x_of(n), n) for n in range(0, int(total) + 1, step))
    axis_y = bottom + AXIS_HEIGHT - 4
    legend_y = bottom + AXIS_HEIGHT + LEGEND_HEIGHT - 6
    return TimelineChart(
        width=width, height=round(bottom + AXIS_HEIGHT + LEGEND_HEIGHT, 2), x0=x0, x1=x1, duration=total,
        rows=tuple(rows), boxes=tuple(boxes), loudness=tuple(segments), moments=tuple(spans),
        labels=tuple(row_labels), ticks=ticks, axis_y=round(axis_y, 2), legend_y=round(legend_y, 2),
        has_video=has_video,
    )


FILLS = {"speech": SPEECH_FILL, "face": FACE_FILL, "looking": LOOKING_FILL}


def _seconds(value: float) -> str:
    return fmt(round(value, 1))


def timeline_svg(chart: TimelineChart, text: ChartText, *, uid: str = "timeline") -> str:
    """The chart as an SVG element (a string of markup; every text in it escaped)."""
    e = escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="delivery-timeline" viewBox="0 0 {fmt(chart.width)} '
        f'{fmt(chart.height)}" role="img" aria-labelledby="{e(uid)}-title {e(uid)}-desc" data-testid="timeline">',
        f'<title id="{e(uid)}-title">{e(text.title)}</title>',
        f'<desc id="{e(uid)}-desc">{e(text.description)}</desc>',
        f'<g class="timeline-rows" fill="#fafafa" stroke="{GRID}" stroke-width="1">',
    ]
    for row in chart.rows:
        parts.append(f'<rect x="{fmt(row.x)}" y="{fmt(row.y)}" width="{fmt(row.width)}" height="{fmt(row.height)}"/>')
    parts.append("</g>")
    parts.append('<g class="timeline-bars" stroke="none">')
    for box in chart.boxes:
        parts.append(
            f'<rect x="{fmt(box.x)}" y="{fmt(box.y)}" width="{fmt(box.width)}" height="{fmt(box.height)}" '
            f'fill="{FILLS[box.kind]}" data-kind="{box.kind}"/>'
        )
    parts.append("</g>")
    for segment in chart.loudness:
        points = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in segment)
        parts.append(f'<polyline class="timeline-loudness" points="{points}" fill="none" stroke="{LOUDNESS_STROKE}" '
                     'stroke-width="1.5" stroke-linejoin="round"/>')
    for moment in chart.moments:
        name = text.moment_names.get(moment.kind, moment.kind)
        parts.append(
            f'<rect class="timeline-moment" x="{fmt(moment.x)}" y="{fmt(moment.y)}" width="{fmt(moment.width)}" '
            f'height="{fmt(moment.height)}" fill="{MOMENT_FILL}" fill-opacity="0.18" stroke="{MOMENT_FILL}" '
            f'stroke-width="1" data-kind="{moment.kind}"><title>{e(name)}: {_seconds(moment.start)}–'
            f'{_seconds(moment.end)}</title></rect>'
        )
    parts.append('<g class="timeline-labels" font-size="11" fill="#18181b">')
    for label in chart.labels:
        parts.append(f'<text x="{fmt(chart.x0 - 6)}" y="{fmt(label.y)}" text-anchor="end">{e(label.text)}</text>')
    parts.append("</g>")
    parts.append(f'<g class="timeline-axis" font-size="10" fill="#71717a" stroke="{GRID}">')
    for tick in chart.ticks:
        parts.append(
            f'<line x1="{fmt(tick.x)}" y1="{fmt(chart.axis_y - 14)}" x2="{fmt(tick.x)}" y2="{fmt(chart.axis_y - 10)}"/>'
            f'<text x="{fmt(tick.x)}" y="{fmt(chart.axis_y)}" text-anchor="middle" stroke="none">'
            f'{e(text.seconds % {"n": tick.seconds})}</text>'
        )
    parts.append("</g>")
    y = chart.legend_y
    legend = [
        f'<rect x="{fmt(chart.x0)}" y="{fmt(y - 9)}" width="12" height="10" fill="{SPEECH_FILL}"/>'
        f'<text x="{fmt(chart.x0 + 16)}" y="{fmt(y)}">{e(text.speech_legend)}</text>',
        f'<line x1="{fmt(chart.x0 + 130)}" y1="{fmt(y - 4)}" x2="{fmt(chart.x0 + 146)}" y2="{fmt(y - 4)}" '
        f'stroke="{LOUDNESS_STROKE}" stroke-width="1.5"/>'
        f'<text x="{fmt(chart.x0 + 150)}" y="{fmt(y)}">{e(text.loudness_legend)}</text>',
    ]
    if chart.has_video:
        legend.append(
            f'<rect x="{fmt(chart.x0 + 260)}" y="{fmt(y - 9)}" width="12" height="10" fill="{MOMENT_FILL}" '
            f'fill-opacity="0.18" stroke="{MOMENT_FILL}"/>'
            f'<text x="{fmt(chart.x0 + 276)}" y="{fmt(y)}">{e(text.moment_legend)}</text>'
        )
    parts.append(f'<g class="timeline-legend" font-size="11" fill="#18181b">{"".join(legend)}</g>')
    parts.append("</svg>")
    return "".join(parts)
