"""Delivery metrics of a spoken answer: pace, pauses, pitch movement, loudness and filler words.

Prosody comes from Praat (praat-parselmouth): pitch by autocorrelation every 10 ms between 75 and 500 Hz, and
intensity. Speech segments come from the VAD and are kept only where Praat finds voicing, so steady noise (a fan,
traffic), which WebRTC's VAD happily calls speech, does not count as speaking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import parselmouth

from .asr.base import Transcript, base_language
from .vad import MIN_PAUSE_S, Segment, pauses, speech_seconds

PITCH_STEP_S = 0.01
PITCH_FLOOR_HZ = 75.0
PITCH_CEILING_HZ = 500.0
MIN_VOICED_S = 0.1  # a VAD segment with less voicing than this is noise, not speech
MIN_PITCH_FRAMES = 20  # fewer voiced frames than this (0.2 s) give no pitch statistics
SILENCE_DBFS = -90.0

EN_FILLERS = ("um", "uh", "er", "erm", "uhm", "hmm", "you know", "i mean")
ZH_FILLERS = ("嗯", "呃", "啊", "那个", "就是说", "然后呢")
_EN_TOKEN = re.compile(r"[a-z']+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


@dataclass(frozen=True)
class Prosody:
    pitch_t: np.ndarray  # times (s) of voiced pitch frames
    pitch_hz: np.ndarray
    intensity_t: np.ndarray
    intensity_db: np.ndarray


def prosody(samples: np.ndarray, rate: int) -> Prosody:
    """Pitch (voiced frames only) and intensity tracks of the whole recording."""
    sound = parselmouth.Sound(np.asarray(samples, dtype=np.float64), sampling_frequency=float(rate))
    if sound.duration < 0.1:  # Praat needs a few pitch periods
        empty = np.zeros(0)
        return Prosody(empty, empty, empty, empty)
    pitch = sound.to_pitch(time_step=PITCH_STEP_S, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ)
    hz = np.asarray(pitch.selected_array["frequency"], dtype=float)
    times = np.asarray(pitch.xs(), dtype=float)
    voiced = hz > 0
    intensity = sound.to_intensity(minimum_pitch=100.0, time_step=PITCH_STEP_S)
    return Prosody(
        pitch_t=times[voiced],
        pitch_hz=hz[voiced],
        intensity_t=np.asarray(intensity.xs(), dtype=float),
        intensity_db=np.asarray(intensity.values[0], dtype=float),
    )


def _inside(times: np.ndarray, segments: Sequence[Segment]) -> np.ndarray:
    mask = np.zeros(times.shape, dtype=bool)
    for s in segments:
        mask |= (times >= s.start) & (times <= s.end)
    return mask


def voiced_segments(segments: Sequence[Segment], track: Prosody, *, min_voiced_s: float = MIN_VOICED_S
                    ) -> list[Segment]:
    """The VAD segments that hold at least `min_voiced_s` of pitched sound."""
    return [s for s in segments if _inside(track.pitch_t, [s]).sum() * PITCH_STEP_S >= min_voiced_s]


def count_fillers(text: str, language: str) -> list[str]:
    """Every filler word or phrase in a transcript, in order (English: um, uh, er, erm, hmm, "you know",
    "i mean"; Chinese: 嗯, 呃, 啊, 那个, 就是说, 然后呢). "like" and "so" are left out: too often real words."""
    if base_language(language) == "zh":
        found: list[tuple[int, str]] = []
        for filler in sorted(ZH_FILLERS, key=len, reverse=True):  # "就是说" before shorter overlaps
            for match in re.finditer(re.escape(filler), text):
                if not any(start <= match.start() < start + len(f) for start, f in found):
                    found.append((match.start(), filler))
        return [f for _, f in sorted(found)]
    tokens = _EN_TOKEN.findall(text.lower())
    result: list[str] = []
    i = 0
    while i < len(tokens):
        pair = " ".join(tokens[i : i + 2])
        if pair in EN_FILLERS:
            result.append(pair)
            i += 2
            continue
        if tokens[i] in EN_FILLERS:
            result.append(tokens[i])
        i += 1
    return result


def count_units(text: str, language: str) -> tuple[int, str]:
    """(count, unit): English words ("wpm"), or Chinese characters with any Latin words counted as one ("cpm")."""
    if base_language(language) == "zh":
        return len(_CJK.findall(text)) + len(_LATIN_WORD.findall(text)), "cpm"
    return len(_EN_TOKEN.findall(text.lower())), "wpm"


def _rms_dbfs(samples: np.ndarray) -> float:
    if samples.size == 0:
        return SILENCE_DBFS
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return max(20.0 * np.log10(rms) if rms > 0 else SILENCE_DBFS, SILENCE_DBFS)


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def audio_metrics(samples: np.ndarray, rate: int, segments: Sequence[Segment], track: Prosody,
                  transcript: Transcript | None, language: str, *, min_pause_s: float = MIN_PAUSE_S
                  ) -> dict[str, Any]:
    """The "audio" part of the delivery dict. Rate and fillers need a transcript (null without); pitch values
    need at least 0.2 s of voicing (null without)."""
    duration = samples.size / rate
    speech_s = speech_seconds(segments)
    gaps = pauses(segments, min_pause_s=min_pause_s)
    span = (segments[-1].end - segments[0].start) if segments else 0.0
    pause_s = speech_seconds(gaps)

    rate_value: float | None = None
    unit = "cpm" if base_language(language) == "zh" else "wpm"
    fillers: list[str] | None = None
    if transcript is not None:
        units, unit = count_units(transcript.text, language)
        rate_value = units / (span / 60.0) if span >= 1.0 else None
        fillers = count_fillers(transcript.text, language)

    in_speech = _inside(track.pitch_t, segments)
    hz = track.pitch_hz[in_speech]
    pitch_range = pitch_sd = None
    if hz.size >= MIN_PITCH_FRAMES:
        semitones = 12.0 * np.log2(hz / np.median(hz))
        low, high = np.percentile(semitones, [5, 95])
        pitch_range, pitch_sd = float(high - low), float(np.std(semitones))

    loudness_sd = None
    voiced_t = track.pitch_t[in_speech]
    if voiced_t.size >= MIN_PITCH_FRAMES and track.intensity_t.size:
        loudness_sd = float(np.std(np.interp(voiced_t, track.intensity_t, track.intensity_db)))

    speech_samples = np.concatenate(
        [samples[int(s.start * rate) : int(s.end * rate)] for s in segments]
    ) if segments else np.zeros(0, dtype=samples.dtype)
    return {
        "duration_s": _r(duration),
        "speech_s": _r(speech_s),
        "speaking_rate": _r(rate_value, 1),
        "rate_unit": unit,
        "pause_ratio": _r(pause_s / span, 3) if span > 0 else None,
        "longest_pause_s": _r(max((g.seconds for g in gaps), default=0.0)) if segments else None,
        "pause_count": len(gaps),
        "pitch_range_st": _r(pitch_range),
        "pitch_sd_st": _r(pitch_sd),
        "loudness_sd_db": _r(loudness_sd),
        "speech_level_dbfs": _r(_rms_dbfs(speech_samples), 1) if segments else None,
        "filler_count": None if fillers is None else len(fillers),
        "filler_rate": None if fillers is None or speech_s <= 0 else _r(len(fillers) / (speech_s / 60.0)),
        "fillers": None if fillers is None else list(dict.fromkeys(fillers)),
    }


def audio_timeline(samples: np.ndarray, rate: int, segments: Sequence[Segment]) -> list[dict[str, Any]]:
    """1-second bins: the share of the bin spent speaking and the bin's level in dBFS."""
    duration = samples.size / rate
    bins: list[dict[str, Any]] = []
    for i in range(int(np.ceil(duration))):
        start, end = float(i), min(float(i + 1), duration)
        spoken = sum(max(0.0, min(end, s.end) - max(start, s.start)) for s in segments)
        bins.append({
            "t": start,
            "speech": round(spoken / max(end - start, 1e-9), 2),
            "loudness_db": round(_rms_dbfs(samples[int(start * rate) : int(end * rate)]), 1),
        })
    return bins
