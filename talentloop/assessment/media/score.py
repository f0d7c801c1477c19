"""Typical ranges of the delivery metrics, the flags raised outside them, and the delivery score.

The ranges describe ordinary interview speech and webcam framing; a value outside is worth a look, not a verdict.
Nothing here labels emotions, mood, confidence or personality: only how fast, how fluent, how audible, and whether
a face is in front of the camera.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# metric: (low, high). Rates come in two units: words per minute (English, spaces between words) and characters
# per minute (Chinese); `ranges_for(unit)` gives the right one under the plain "speaking_rate" key.
TYPICAL_RANGES: dict[str, tuple[float, float]] = {
    "speaking_rate_wpm": (110.0, 170.0),
    "speaking_rate_cpm": (180.0, 300.0),
    "pause_ratio": (0.0, 0.35),
    "longest_pause_s": (0.0, 3.0),
    "pitch_range_st": (4.0, 16.0),
    "loudness_sd_db": (2.0, 10.0),
    "speech_level_dbfs": (-35.0, -6.0),
    "filler_rate": (0.0, 6.0),
    "face_present_ratio": (0.9, 1.0),
    "looking_at_camera_ratio": (0.6, 1.0),
    "head_movement": (0.0, 0.3),
}

DELIVERY_FLAGS = (
    "fast_speech",
    "slow_speech",
    "long_pauses",
    "many_fillers",
    "quiet",
    "narrow_pitch",
    "no_face",
    "multiple_faces",
    "looking_away",
    "much_movement",
)

# Largest deduction per metric (points out of the total weight of the metrics present). Multiple faces is a
# matter for HR to check, not a quality of delivery, so it is flagged but never scored.
WEIGHTS: dict[str, float] = {
    "speaking_rate": 20.0,
    "pause_ratio": 15.0,
    "longest_pause_s": 10.0,
    "pitch_range_st": 10.0,
    "loudness_sd_db": 5.0,
    "speech_level_dbfs": 10.0,
    "filler_rate": 10.0,
    "face_present_ratio": 10.0,
    "looking_at_camera_ratio": 5.0,
    "head_movement": 5.0,
}
AUDIO_METRICS = ("speaking_rate", "pause_ratio", "longest_pause_s", "pitch_range_st", "loudness_sd_db",
                 "speech_level_dbfs", "filler_rate")
VIDEO_METRICS = ("face_present_ratio", "looking_at_camera_ratio", "head_movement")
MIN_SCORED_SPEECH_S = 0.5
MULTIPLE_FACES_MIN_S = 1.0


def ranges_for(unit: str | None) -> dict[str, tuple[float, float]]:
    """The ranges that apply to one answer, with its speaking rate unit ("wpm" or "cpm") as "speaking_rate"."""
    ranges = {k: v for k, v in TYPICAL_RANGES.items() if not k.startswith("speaking_rate_")}
    if unit in ("wpm", "cpm"):
        ranges["speaking_rate"] = TYPICAL_RANGES[f"speaking_rate_{unit}"]
    return ranges


def _value(section: Mapping[str, Any] | None, key: str) -> float | None:
    if not section:
        return None
    value = section.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def distance_outside(value: float, low: float, high: float) -> float:
    """How far outside [low, high] a value lies, in widths of the range (0 inside)."""
    width = max(high - low, 1e-9)
    if value < low:
        return (low - value) / width
    if value > high:
        return (value - high) / width
    return 0.0


def delivery_flags(audio: Mapping[str, Any] | None, video: Mapping[str, Any] | None) -> list[str]:
    """Flag codes, in DELIVERY_FLAGS order, for the metrics outside their typical ranges."""
    flags: set[str] = set()
    if audio:
        ranges = ranges_for(audio.get("rate_unit"))
        rate = _value(audio, "speaking_rate")
        if rate is not None and "speaking_rate" in ranges:
            low, high = ranges["speaking_rate"]
            flags |= {"fast_speech"} if rate > high else {"slow_speech"} if rate < low else set()
        pause_ratio, longest = _value(audio, "pause_ratio"), _value(audio, "longest_pause_s")
        if (pause_ratio is not None and pause_ratio > ranges["pause_ratio"][1]) or (
            longest is not None and longest > ranges["longest_pause_s"][1]
        ):
            flags.add("long_pauses")
        fillers = _value(audio, "filler_rate")
        if fillers is not None and fillers > ranges["filler_rate"][1]:
            flags.add("many_fillers")
        level = _value(audio, "speech_level_dbfs")
        if level is not None and level < ranges["speech_level_dbfs"][0]:
            flags.add("quiet")
        pitch = _value(audio, "pitch_range_st")
        if pitch is not None and pitch < ranges["pitch_range_st"][0]:
            flags.add("narrow_pitch")
    if video:
        face = _value(video, "face_present_ratio")
        if face is not None and face < TYPICAL_RANGES["face_present_ratio"][0]:
            flags.add("no_face")
        several = _value(video, "multiple_faces_s")
        if several is not None and several >= MULTIPLE_FACES_MIN_S:
            flags.add("multiple_faces")
        looking = _value(video, "looking_at_camera_ratio")
        if looking is not None and looking < TYPICAL_RANGES["looking_at_camera_ratio"][0]:
            flags.add("looking_away")
        movement = _value(video, "head_movement")
        if movement is not None and movement > TYPICAL_RANGES["head_movement"][1]:
            flags.add("much_movement")
    return [flag for flag in DELIVERY_FLAGS if flag in flags]


def delivery_score(delivery: Mapping[str, Any]) -> float | None:
    """0–100: 100 × (1 − Σ penalty / Σ weight) over the metrics present, where a metric's penalty is its weight ×
    min(1, distance outside its typical range in range widths). None without audio or with under 0.5 s of speech
    (nothing to judge), so a silent recording never gets a delivery score."""
    audio = delivery.get("audio")
    if not audio or (_value(audio, "speech_s") or 0.0) < MIN_SCORED_SPEECH_S:
        return None
    ranges = ranges_for(audio.get("rate_unit"))
    video = delivery.get("video")
    total = penalty = 0.0
    for section, metrics in ((audio, AUDIO_METRICS), (video, VIDEO_METRICS)):
        for metric in metrics:
            value = _value(section, metric)
            if value is None or metric not in ranges:
                continue
            weight = WEIGHTS[metric]
            total += weight
            penalty += weight * min(1.0, distance_outside(value, *ranges[metric]))
    if total == 0:
        return None
    return round(100.0 * (1.0 - penalty / total), 1)
