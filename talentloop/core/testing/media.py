"""Real test recordings for every app's tests (espeak-ng speech, ffmpeg conversions, face and faceless videos).

Django-free. The makers live beside the engine in `talentloop.assessment.media.testing` so the engine's own tests
(which may not import anything outside `talentloop.assessment`) share them; this module is the name the apps use.
"""

from __future__ import annotations

from talentloop.assessment.media.testing import (
    DEFAULT_VOICES,
    ENGLISH_ANSWER,
    MANDARIN_ANSWER,
    OFF_TOPIC_ENGLISH_ANSWER,
    VIDEO_SIZE,
    SpokenAnswer,
    convert,
    face_video,
    faceless_video,
    have_tools,
    join_wavs,
    long_audio,
    noise_wav,
    silence_wav,
    speech_wav,
    truncated_copy,
)

__all__ = [
    "DEFAULT_VOICES",
    "ENGLISH_ANSWER",
    "MANDARIN_ANSWER",
    "OFF_TOPIC_ENGLISH_ANSWER",
    "VIDEO_SIZE",
    "SpokenAnswer",
    "convert",
    "face_video",
    "faceless_video",
    "have_tools",
    "join_wavs",
    "long_audio",
    "noise_wav",
    "silence_wav",
    "speech_wav",
    "truncated_copy",
]
