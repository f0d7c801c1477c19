"""The delivery timeline drawn on the server: well-formed SVG with a title and a description, speech bars and a
loudness line for a voice answer, face and looking bands and the moments to check for a video answer, every text
escaped, and long answers averaged into a bounded number of columns."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from talentloop.interviews.delivery_chart import (
    LABEL_WIDTH,
    MAX_COLUMNS,
    RIGHT,
    WIDTH,
    ChartText,
    timeline_chart,
    timeline_svg,
)

from ._delivery_support import AUDIO_DELIVERY, VIDEO_DELIVERY

SVG = "{http://www.w3.org/2000/svg}"
TEXT = ChartText(
    title="Delivery <over> time", description="Answer of 20 s & more.", voice="Speech & loudness",
    face="Face in view", looking="Looking toward the camera", speech_legend="Speech", loudness_legend="Loudness",
    moment_legend="Moment to check", moment_names={"no_face": "No face in view", "multiple_faces": "Several faces"},
    seconds="%(n)s s",
)
LABELS = ("Speech & loudness", "Face in view", "Looking toward the camera")


def _svg(delivery: dict, uid: str = "timeline-2") -> ET.Element:
    chart = timeline_chart(delivery["timeline"], (delivery.get("video") or {}).get("moments", []),
                           duration=20.0, labels=LABELS)
    assert chart is not None
    return ET.fromstring(timeline_svg(chart, TEXT, uid=uid))


def test_a_video_answer_gives_well_formed_svg_with_title_description_bands_and_moments() -> None:
    root = _svg(VIDEO_DELIVERY)
    assert root.tag == f"{SVG}svg"
    assert (root.get("role"), root.get("aria-labelledby")) == ("img", "timeline-2-title timeline-2-desc")
    assert root.find(f"{SVG}title").text == "Delivery <over> time"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "Answer of 20 s & more."  # type: ignore[union-attr]
    rects = root.iter(f"{SVG}rect")
    kinds = [r.get("data-kind") for r in rects if r.get("data-kind")]
    # 18 seconds with speech (the last two are silent); one face run around the 16–18 s gap on each side; the
    # looking band is also broken by 2–8 s; then the two moments.
    assert kinds.count("speech") == 18
    assert kinds.count("face") == 2
    assert kinds.count("looking") == 3
    moments = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "timeline-moment"]
    scale = (WIDTH - RIGHT - LABEL_WIDTH) / 20
    assert [(m.get("data-kind"), float(m.get("x", 0)), float(m.get("width", 0))) for m in moments] == [
        ("multiple_faces", round(LABEL_WIDTH + 10 * scale, 2), round(4 * scale, 2)),
        ("no_face", round(LABEL_WIDTH + 16 * scale, 2), round(2 * scale, 2)),
    ]
    assert [m.find(f"{SVG}title").text for m in moments] == [  # type: ignore[union-attr]
        "Several faces: 10–14", "No face in view: 16–18",
    ]
    labels = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert labels[:3] == list(LABELS)
    assert [label for label in labels if label.endswith(" s")] == ["0 s", "5 s", "10 s", "15 s", "20 s"]
    assert labels[-3:] == ["Speech", "Loudness", "Moment to check"]
    assert len(list(root.iter(f"{SVG}polyline"))) == 1  # the loudness line


def test_a_voice_answer_has_no_face_rows_and_a_loudness_line_on_a_fixed_scale() -> None:
    chart = timeline_chart(AUDIO_DELIVERY["timeline"], [], duration=42.0, labels=LABELS)
    assert chart is not None
    assert (chart.has_video, len(chart.rows), [label.text for label in chart.labels]) == (
        False, 1, ["Speech & loudness"],
    )
    assert {box.kind for box in chart.boxes} == {"speech"}
    assert len(chart.boxes) == 42 - 5 - 4 - 4
    # -20 dB sits a third of the way down the 64-pixel row (-60…0 dBFS), -54 dB near its bottom.
    points = [point for segment in chart.loudness for point in segment]
    assert points[0][1] == round(8 + 64 * (20 / 60), 2)
    assert (min(y for _x, y in points), max(y for _x, y in points)) == (29.33, round(8 + 64 * (54 / 60), 2))
    root = ET.fromstring(timeline_svg(chart, TEXT, uid="timeline-1"))
    assert "Moment to check" not in [t.text for t in root.iter(f"{SVG}text")]
    # A 42-second answer: ticks every 10 s.
    assert [tick.seconds for tick in chart.ticks] == [0, 10, 20, 30, 40]


def test_a_long_answer_is_averaged_into_a_bounded_number_of_columns() -> None:
    bins = [{"t": float(t), "speech": 1.0 if t % 2 else 0.5, "loudness_db": -30.0, "face": 1, "looking": 1}
            for t in range(1800)]
    chart = timeline_chart(bins, [{"start": 600.0, "end": 660.0, "kind": "no_face"}], labels=LABELS)
    assert chart is not None
    speech = [box for box in chart.boxes if box.kind == "speech"]
    assert len(speech) == 1800 // 8 <= MAX_COLUMNS
    assert {box.height for box in speech} == {48.0}  # 8 seconds averaged: 0.75 of the row's 64 pixels
    assert [box.kind for box in chart.boxes if box.kind != "speech"] == ["face", "looking"]
    assert [tick.seconds for tick in chart.ticks] == [0, 300, 600, 900, 1200, 1500, 1800]
    svg = timeline_svg(chart, TEXT)
    assert len(svg) < 40_000
    ET.fromstring(svg)


@pytest.mark.parametrize("timeline", [[], None, ["not a bin"]])
def test_no_bins_no_chart(timeline: object) -> None:
    assert timeline_chart(timeline or [], []) is None  # type: ignore[arg-type]


def test_bad_values_are_left_out_not_drawn() -> None:
    bins = [{"t": 0.0, "speech": "loud", "loudness_db": float("nan")}, {"t": 1.0, "speech": 2.5, "loudness_db": None},
            {"t": 2.0, "speech": True, "loudness_db": -10.0}]
    moments = [{"start": 2.0, "end": 1.0, "kind": "no_face"}, {"start": 0.0, "end": 1.0, "kind": "emotion"}, "x"]
    chart = timeline_chart(bins, moments, labels=LABELS)  # type: ignore[arg-type]
    assert chart is not None
    # Only the second bin has speech (clamped to the full row); one loudness point; no moments.
    assert [(box.kind, box.height) for box in chart.boxes] == [("speech", 64.0)]
    assert [len(segment) for segment in chart.loudness] == [1]
    assert chart.moments == ()
    ET.fromstring(timeline_svg(chart, TEXT))
