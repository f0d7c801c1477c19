"""CMU PocketSphinx: offline English recognition with the model the pip package ships (US English).

Tuned for speed over the library defaults (no second flat-lexicon pass, fewer active HMMs and Gaussians): about
twice as fast for the same words on the test recordings, so a whole analysis runs well above real time on one
core. One decoder per process and settings, guarded by a lock (the C decoder is not thread-safe).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata
from typing import Any

import numpy as np

from ..errors import ASRUnavailable
from .base import Transcript, Word, base_language, check_rate, join_words, pcm16_bytes

FRAME_RATE = 100  # pocketsphinx's default: one feature frame per 10 ms
SPEED_SETTINGS: dict[str, Any] = {"fwdflat": False, "maxhmmpf": 5000, "topn": 2}
# Option names a deployment may set (paths of another acoustic model, dictionary or language model).
MODEL_OPTIONS = ("hmm", "dict", "lm")
_VARIANT = re.compile(r"\(\d+\)$")  # "read(2)": the second pronunciation of "read"


def _version() -> str:
    try:
        return metadata.version("pocketsphinx")
    except metadata.PackageNotFoundError:
        return "?"


@lru_cache(maxsize=4)
def _decoder(settings: tuple[tuple[str, Any], ...]) -> tuple[Any, threading.Lock]:
    try:
        import pocketsphinx
    except ImportError as exc:
        raise ASRUnavailable("pocketsphinx is not installed (pip install pocketsphinx)") from exc
    try:
        decoder = pocketsphinx.Decoder(samprate=16000, loglevel="FATAL", **dict(settings))
    except (RuntimeError, ValueError, KeyError) as exc:
        raise ASRUnavailable(f"pocketsphinx could not load its model ({exc})") from exc
    return decoder, threading.Lock()


class PocketSphinxRecognizer:
    def __init__(self, *, language: str = "en", options: Mapping[str, str] | None = None) -> None:
        if base_language(language) != "en":
            raise ASRUnavailable(
                f"pocketsphinx recognises English only, not {language!r}; configure vosk, faster-whisper or baidu "
                "for this language"
            )
        extra = {key: value for key, value in (options or {}).items() if key in MODEL_OPTIONS and value}
        self._settings = tuple(sorted({**SPEED_SETTINGS, **extra}.items()))
        model = "custom model" if extra else "en-us"
        self.name = f"pocketsphinx {_version()} ({model})"
        _decoder(self._settings)  # load now: a broken model shows at configuration time, not mid-analysis

    def transcribe(self, pcm: np.ndarray, rate: int, language: str) -> Transcript:
        check_rate(rate, "pocketsphinx")
        decoder, lock = _decoder(self._settings)
        words: list[Word] = []
        with lock:
            decoder.start_utt()
            decoder.process_raw(pcm16_bytes(pcm), full_utt=True)
            decoder.end_utt()
            for seg in decoder.seg():
                token = _VARIANT.sub("", str(seg.word))
                # <s>, </s>, <sil> and [NOISE]-style fillers are silence or noise, not words.
                if not token or token[0] in "<[+":
                    continue
                words.append(Word(token, seg.start_frame / FRAME_RATE, (seg.end_frame + 1) / FRAME_RATE))
        return Transcript(
            text=join_words([w.text for w in words], "en"), words=tuple(words), backend=self.name, language=language
        )
