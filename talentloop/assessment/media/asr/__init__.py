"""Speech recognition behind one small interface; `recognizer_for(spec)` builds a backend from a settings string:

    "pocketsphinx"                   offline English, the model ships with the package (the default)
    "vosk:<model folder>"            offline, any language Vosk has a model for (e.g. Mandarin)
    "faster-whisper:<folder|size>"   offline Whisper through CTranslate2
    "baidu"                          Baidu's cloud API; options api_key, secret_key (token_url, url, dev_pid, timeout)
    ""                               none configured: ASRUnavailable
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import ASRUnavailable
from .base import SpeechRecognizer, Transcript, Word, base_language

BACKENDS = ("pocketsphinx", "vosk", "faster-whisper", "baidu")


def recognizer_for(spec: str, *, language: str, options: Mapping[str, str] | None = None) -> SpeechRecognizer:
    """The recogniser a settings string names, ready to use; ASRUnavailable when it is empty, unknown, not
    installed, has no model, or does not handle `language`."""
    name, _, argument = (spec or "").strip().partition(":")
    name = name.strip().lower()
    argument = argument.strip()
    if not name:
        raise ASRUnavailable(f"no speech recogniser is configured for {language or 'this language'}")
    if name == "pocketsphinx":
        from .sphinx import PocketSphinxRecognizer

        return PocketSphinxRecognizer(language=language, options=options)
    if name == "vosk":
        from .local_models import VoskRecognizer

        return VoskRecognizer(argument, language=language)
    if name in {"faster-whisper", "faster_whisper", "whisper"}:
        from .local_models import WhisperRecognizer

        return WhisperRecognizer(argument, language=language, options=options)
    if name == "baidu":
        from .baidu import BaiduRecognizer

        return BaiduRecognizer(language=language, options=options)
    raise ASRUnavailable(f"unknown speech recogniser {name!r}; use one of {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "SpeechRecognizer", "Transcript", "Word", "base_language", "recognizer_for"]
