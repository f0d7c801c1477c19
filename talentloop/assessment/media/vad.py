"""Voice activity: where in the recording someone speaks (WebRTC's VAD), as smoothed segments.

WebRTC's detector labels 30 ms frames; single frames flicker, so short bursts are dropped (clicks, breaths) and
gaps shorter than a pause are bridged (the hangover). What is left are speech segments separated by pauses of at
least `min_pause_s`, the same threshold the delivery metrics use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import webrtcvad

FRAME_S = 0.03
AGGRESSIVENESS = 2
MIN_PAUSE_S = 0.3  # gaps shorter than this are part of speaking, not pauses
MIN_BURST_S = 0.09  # voiced runs shorter than this are clicks or breaths


@dataclass(frozen=True)
class Segment:
    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """float32 in [-1, 1] to little-endian int16, the input WebRTC's VAD and most recognisers want."""
    return np.asarray(np.clip(samples, -1.0, 1.0) * 32767.0, dtype="<i2")


def voiced_frames(samples: np.ndarray, rate: int, *, aggressiveness: int = AGGRESSIVENESS) -> list[bool]:
    """WebRTC VAD decisions for consecutive 30 ms frames (a trailing partial frame is ignored)."""
    vad = webrtcvad.Vad(aggressiveness)
    step = int(rate * FRAME_S)
    pcm = to_pcm16(samples).tobytes()
    width = step * 2
    return [vad.is_speech(pcm[i : i + width], rate) for i in range(0, len(pcm) - width + 1, width)]


def runs(flags: Sequence[bool], frame_s: float = FRAME_S) -> list[Segment]:
    """Maximal runs of True frames as time segments."""
    segments: list[Segment] = []
    start: int | None = None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            segments.append(Segment(round(start * frame_s, 3), round(i * frame_s, 3)))
            start = None
    return segments


def smooth(segments: Sequence[Segment], *, min_pause_s: float = MIN_PAUSE_S,
           min_burst_s: float = MIN_BURST_S) -> list[Segment]:
    """Drop bursts shorter than `min_burst_s`, then bridge gaps shorter than `min_pause_s`.

    Afterwards every gap between consecutive segments is at least `min_pause_s` long, segments are sorted and do
    not overlap, and the total length never exceeds that of the input."""
    kept = [s for s in sorted(segments, key=lambda s: s.start) if s.seconds >= min_burst_s - 1e-9]
    merged: list[Segment] = []
    for segment in kept:
        if merged and segment.start - merged[-1].end < min_pause_s:
            merged[-1] = Segment(merged[-1].start, max(merged[-1].end, segment.end))
        else:
            merged.append(segment)
    return merged


def pauses(segments: Sequence[Segment], *, min_pause_s: float = MIN_PAUSE_S) -> list[Segment]:
    """The silent gaps of at least `min_pause_s` between speech segments (never before the first or after the
    last: waiting to start or to stop recording is not pausing)."""
    ordered = sorted(segments, key=lambda s: s.start)
    return [
        Segment(a.end, b.start) for a, b in pairwise(ordered) if b.start - a.end >= min_pause_s
    ]


def speech_segments(samples: np.ndarray, rate: int, *, aggressiveness: int = AGGRESSIVENESS,
                    min_pause_s: float = MIN_PAUSE_S) -> list[Segment]:
    """Smoothed speech segments of a mono recording (rate 8, 16, 32 or 48 kHz)."""
    return smooth(runs(voiced_frames(samples, rate, aggressiveness=aggressiveness)), min_pause_s=min_pause_s)


def speech_seconds(segments: Sequence[Segment]) -> float:
    return float(sum(s.seconds for s in segments))
