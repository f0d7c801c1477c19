"""analyse_media: one recording in, transcript and delivery signals out.

    decode (PyAV → 16 kHz mono) → voice activity (WebRTC, confirmed by Praat's voicing) → prosody (Praat)
    → speech recognition on the speech stretches (any SpeechRecognizer) → delivery metrics, flags, score
    → video (sampled frames, OpenCV Haar cascades) when the file has pictures

Pure and stateless apart from the recognisers' cached models; safe to run in any worker process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import ENGINE_NAME, ENGINE_VERSION
from .asr.base import SpeechRecognizer, Transcript, Word, join_words
from .decode import decode_audio
from .delivery import (
    MIN_VOICED_S,
    PITCH_CEILING_HZ,
    PITCH_FLOOR_HZ,
    audio_metrics,
    audio_timeline,
    prosody,
    voiced_segments,
)
from .score import MULTIPLE_FACES_MIN_S, delivery_flags, delivery_score, ranges_for
from .vad import AGGRESSIVENESS, MIN_PAUSE_S, Segment, speech_seconds, speech_segments
from .video import DETECT_WIDTH, MIN_MOMENT_S, sample_frames, video_metrics, video_timeline

NO_SPEECH_S = 0.5  # less speech than this is "no speech"
ASR_PAD_S = 0.25  # context kept around each stretch given to the recogniser
ASR_MAX_CHUNK_S = 20.0  # stretches are grouped into pieces of at most this length (cloud limits, memory)


@dataclass(frozen=True)
class MediaAnalysis:
    format: str  # sniffed container: webm, ogg, mp4, wav, mp3
    duration_s: float
    has_video: bool
    transcript: Transcript | None
    no_speech: bool  # under 0.5 s of speech, or a recogniser ran and heard no words
    delivery: dict[str, Any] = field(hash=False)
    timings: dict[str, float] = field(hash=False)


def asr_chunks(segments: list[Segment], duration: float, *, pad: float = ASR_PAD_S,
               max_chunk: float = ASR_MAX_CHUNK_S) -> list[tuple[float, float]]:
    """Group speech segments into (start, end) pieces no longer than `max_chunk` (a single longer segment is cut),
    padded by `pad` on each side within the recording; silence between pieces is never transcribed."""
    pieces: list[tuple[float, float]] = []
    for seg in segments:
        start, end = max(seg.start - pad, 0.0), min(seg.end + pad, duration)
        if pieces and end - pieces[-1][0] <= max_chunk:
            pieces[-1] = (pieces[-1][0], end)
            continue
        if pieces:  # padding must not reach back into the previous piece: its words would be heard twice
            start = max(start, pieces[-1][1])
            if end <= start:
                continue
        while end - start > max_chunk:
            pieces.append((start, start + max_chunk))
            start += max_chunk
        pieces.append((start, end))
    return pieces


def transcribe(recognizer: SpeechRecognizer, samples: np.ndarray, rate: int, segments: list[Segment],
               language: str) -> Transcript:
    """Run the recogniser piece by piece and stitch the words back on the recording's clock."""
    words: list[Word] = []
    texts: list[str] = []
    name = getattr(recognizer, "name", type(recognizer).__name__)
    for start, end in asr_chunks(segments, samples.size / rate):
        piece = recognizer.transcribe(samples[int(start * rate) : int(end * rate)], rate, language)
        name = piece.backend or name
        if piece.text.strip():
            texts.append(piece.text.strip())
        words.extend(Word(w.text, round(w.start + start, 3), round(w.end + start, 3)) for w in piece.words)
    return Transcript(text=join_words(texts, language), words=tuple(words), backend=name, language=language)


def _timeline(audio_bins: list[dict[str, Any]], video_bins: list[tuple[float | None, float | None]] | None
              ) -> list[dict[str, Any]]:
    rows = []
    for i, row in enumerate(audio_bins):
        face, looking = (video_bins[i] if video_bins is not None and i < len(video_bins) else (None, None))
        rows.append({**row, "face": face, "looking": looking})
    return rows


def analyse_media(path: str | Path, *, language: str, recognizer: SpeechRecognizer | None, video: bool = True,
                  max_seconds: float = 1800, fps: float = 2.0) -> MediaAnalysis:
    """Analyse one recording. Raises MediaUnreadable, UnsupportedMedia or MediaTooLong for recordings that cannot
    be analysed, and lets ASRUnavailable from the recogniser through (a cloud service refusing: retry later).
    With `recognizer` None there is no transcript; rate and fillers are then null."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 4)
        clock = now

    audio = decode_audio(path, max_seconds=max_seconds)
    samples, rate = audio.samples, audio.rate
    lap("decode_s")
    raw_segments = speech_segments(samples, rate)
    lap("vad_s")
    track = prosody(samples, rate)
    segments = voiced_segments(raw_segments, track)
    lap("prosody_s")
    speech_s = speech_seconds(segments)
    transcript = None
    if recognizer is not None:
        if speech_s >= NO_SPEECH_S:
            transcript = transcribe(recognizer, samples, rate, segments, language)
        else:
            transcript = Transcript(text="", words=(), backend=getattr(recognizer, "name", ""), language=language)
    lap("asr_s")
    no_speech = speech_s < NO_SPEECH_S or (transcript is not None and not transcript.text.strip())

    audio_part = audio_metrics(samples, rate, segments, track, transcript, language)
    video_part = None
    video_bins = None
    if video and audio.has_video:
        frames, video_duration = sample_frames(path, fps=fps, max_seconds=max_seconds)
        if frames:
            video_part = video_metrics(frames, video_duration, fps)
            video_bins = video_timeline(frames, int(np.ceil(audio.duration_s)))
    lap("video_s")

    delivery: dict[str, Any] = {
        "engine": {
            "name": ENGINE_NAME,
            "version": ENGINE_VERSION,
            "parameters": {
                "sample_rate": rate,
                "vad_aggressiveness": AGGRESSIVENESS,
                "vad_frame_ms": 30,
                "min_pause_s": MIN_PAUSE_S,
                "min_voiced_s": MIN_VOICED_S,
                "pitch_floor_hz": PITCH_FLOOR_HZ,
                "pitch_ceiling_hz": PITCH_CEILING_HZ,
                "fps": fps,
                "face_detect_width": DETECT_WIDTH,
                "min_moment_s": MIN_MOMENT_S,
                "multiple_faces_min_s": MULTIPLE_FACES_MIN_S,
                "asr": transcript.backend if transcript is not None else None,
            },
        },
        "audio": audio_part,
        "video": video_part,
        "flags": delivery_flags(audio_part, video_part),
        "ranges": {k: list(v) for k, v in ranges_for(audio_part.get("rate_unit")).items()},
        "timeline": _timeline(audio_timeline(samples, rate, segments), video_bins),
    }
    delivery["score"] = delivery_score(delivery)
    return MediaAnalysis(
        format=audio.format,
        duration_s=round(audio.duration_s, 3),
        has_video=audio.has_video,
        transcript=transcript,
        no_speech=no_speech,
        delivery=delivery,
        timings=timings,
    )
