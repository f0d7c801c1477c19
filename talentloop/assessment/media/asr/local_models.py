"""Heavier offline recognisers, installed as extras (`pip install talentloop[vosk]` / `[whisper]`) and pointed at a
local model: Vosk (Kaldi models, e.g. vosk-model-cn-0.22 for Mandarin) and faster-whisper (CTranslate2 Whisper).

Both are imported lazily, so the engine works without them; a missing package or model directory is reported as
ASRUnavailable with the fix, at configuration time.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ASRUnavailable
from .base import Transcript, Word, base_language, check_rate, join_words, pcm16_bytes

WHISPER_SIZES = frozenset({
    "tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium", "medium.en", "large-v1", "large-v2",
    "large-v3", "large", "distil-large-v2", "distil-large-v3", "turbo", "large-v3-turbo",
})


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


@lru_cache(maxsize=4)
def _vosk_model(path: str) -> tuple[Any, threading.Lock]:
    import vosk

    vosk.SetLogLevel(-1)
    try:
        return vosk.Model(path), threading.Lock()
    except Exception as exc:  # vosk raises a bare Exception for a bad model folder
        raise ASRUnavailable(f"vosk could not load the model in {path} ({exc})") from exc


class VoskRecognizer:
    def __init__(self, model_dir: str, *, language: str) -> None:
        try:
            import vosk  # noqa: F401
        except ImportError as exc:
            raise ASRUnavailable("vosk is not installed (pip install 'talentloop[vosk]')") from exc
        if not model_dir or not Path(model_dir).is_dir():
            raise ASRUnavailable(f"the vosk model folder {model_dir!r} does not exist (download one from "
                                 "https://alphacephei.com/vosk/models and give its path)")
        self.model_dir = str(Path(model_dir).resolve())
        self.language = language
        self.name = f"vosk {_version('vosk')} ({Path(model_dir).name})"
        _vosk_model(self.model_dir)

    def transcribe(self, pcm: np.ndarray, rate: int, language: str) -> Transcript:
        import vosk

        check_rate(rate, "vosk")
        model, lock = _vosk_model(self.model_dir)
        with lock:
            recognizer = vosk.KaldiRecognizer(model, rate)
            recognizer.SetWords(True)
            data = pcm16_bytes(pcm)
            results: list[dict[str, Any]] = []
            step = rate * 2 * 4  # feed 4 s at a time; vosk finalises utterances as it goes
            for i in range(0, len(data), step):
                if recognizer.AcceptWaveform(data[i : i + step]):
                    results.append(json.loads(recognizer.Result()))
            results.append(json.loads(recognizer.FinalResult()))
        words = [
            Word(str(item["word"]), float(item["start"]), float(item["end"]))
            for result in results
            for item in result.get("result", [])
        ]
        text = join_words([w.text for w in words], language)
        return Transcript(text=text, words=tuple(words), backend=self.name, language=language)


@lru_cache(maxsize=2)
def _whisper_model(model: str, device: str, compute_type: str, download_root: str) -> tuple[Any, threading.Lock]:
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(model, device=device, compute_type=compute_type,
                            download_root=download_root or None, local_files_only=model not in WHISPER_SIZES
                            ), threading.Lock()
    except Exception as exc:  # missing files, unsupported compute type, no network for a size name
        raise ASRUnavailable(f"faster-whisper could not load {model!r} ({exc})") from exc


class WhisperRecognizer:
    def __init__(self, model: str, *, language: str, options: Mapping[str, str] | None = None) -> None:
        try:
            import faster_whisper  # noqa: F401
        except ImportError as exc:
            raise ASRUnavailable("faster-whisper is not installed (pip install 'talentloop[whisper]')") from exc
        if not model:
            raise ASRUnavailable("faster-whisper needs a model folder or size name, e.g. faster-whisper:small")
        if model not in WHISPER_SIZES and not Path(model).is_dir():
            raise ASRUnavailable(f"the faster-whisper model folder {model!r} does not exist")
        opts = dict(options or {})
        self._key = (model, opts.get("device", "cpu"), opts.get("compute_type", "int8"), opts.get("download_root", ""))
        self.name = f"faster-whisper {_version('faster-whisper')} ({Path(model).name or model})"
        _whisper_model(*self._key)

    def transcribe(self, pcm: np.ndarray, rate: int, language: str) -> Transcript:
        check_rate(rate, "faster-whisper")
        model, lock = _whisper_model(*self._key)
        with lock:
            segments, _info = model.transcribe(
                np.asarray(pcm, dtype=np.float32), language=base_language(language), word_timestamps=True,
                vad_filter=False, beam_size=1,
            )
            words = [
                Word(str(w.word).strip(), float(w.start), float(w.end))
                for segment in segments
                for w in (segment.words or [])
                if str(w.word).strip()
            ]
        return Transcript(text=join_words([w.text for w in words], language), words=tuple(words),
                          backend=self.name, language=language)
