"""The speech recogniser interface every backend implements, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the audio given to transcribe()
    end: float


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...]  # empty when the backend gives no word times (cloud APIs)
    backend: str  # the recogniser's name, stored with the answer
    language: str


@runtime_checkable
class SpeechRecognizer(Protocol):
    """`name` identifies backend, version and model (stored with every transcript). `transcribe` takes float32
    mono samples in [-1, 1] at `rate` Hz (the engine always gives 16 kHz) and returns the words heard; it raises
    ASRUnavailable when the backend cannot work at all (a cloud service refusing), never for silence."""

    name: str

    def transcribe(self, pcm: np.ndarray, rate: int, language: str) -> Transcript: ...


def base_language(language: str) -> str:
    """"zh-hans", "zh-CN", "zh" → "zh"; "en-us" → "en"."""
    return language.replace("_", "-").split("-")[0].strip().lower()


def join_words(words: list[str], language: str) -> str:
    """Chinese is written without spaces between words; other languages with."""
    return ("" if base_language(language) == "zh" else " ").join(w for w in words if w)


def pcm16_bytes(pcm: np.ndarray) -> bytes:
    return np.asarray(np.clip(pcm, -1.0, 1.0) * 32767.0, dtype="<i2").tobytes()


def check_rate(rate: int, backend: str) -> None:
    from ..errors import ASRUnavailable

    if rate != 16000:
        raise ASRUnavailable(f"{backend} needs 16 kHz audio, got {rate} Hz")
