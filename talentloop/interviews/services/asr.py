"""Which speech recogniser transcribes an interview's recordings: one setting per interview language
(TALENTLOOP_ASR_EN, TALENTLOOP_ASR_ZH, a spec string the engine understands: "pocketsphinx", "vosk:<model dir>",
"faster-whisper:<model dir or size>", "baidu", or "" for none). Without a recogniser for a language, voice and
video answers are not offered in it.

A recogniser loads its model once per process (seconds for some backends), so it is cached per spec string,
language and options; changing a setting (or a test overriding it) gives another cache entry."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from talentloop.assessment.media import SpeechRecognizer

# The engine is imported where it is used, so processes that never transcribe do not load its backends.

logger = logging.getLogger(__name__)

SETTING_BY_LANGUAGE: dict[str, str] = {"en": "TALENTLOOP_ASR_EN", "zh-hans": "TALENTLOOP_ASR_ZH"}
# The engine's language codes for the interview languages.
ENGINE_LANGUAGE: dict[str, str] = {"en": "en", "zh-hans": "zh"}


class TranscriptionDeferred(Exception):
    """The speech recogniser could not be reached (a cloud service refusing or down): the analysis task tries
    again later (tasks.py retries it); the answer stays `processing` until media.MAX_ATTEMPTS, then it is
    `failed` with the reason. Defined here, in a module without models, so tasks.py can name it at import."""


def asr_setting(language: str) -> str:
    """The name of the setting that chooses the recogniser for an interview language."""
    return SETTING_BY_LANGUAGE.get(language, f"TALENTLOOP_ASR_{language.upper().replace('-', '_')}")


def asr_spec(language: str) -> str:
    return str(getattr(settings, asr_setting(language), "") or "").strip()


def _options(spec: str) -> tuple[tuple[str, str], ...]:
    """Backend options that live in settings rather than in the spec string (cloud keys and endpoints)."""
    if spec.split(":", 1)[0].strip().lower() != "baidu":
        return ()
    return (
        ("api_key", str(getattr(settings, "TALENTLOOP_BAIDU_ASR_API_KEY", ""))),
        ("secret_key", str(getattr(settings, "TALENTLOOP_BAIDU_ASR_SECRET_KEY", ""))),
        ("token_url", str(getattr(settings, "TALENTLOOP_BAIDU_ASR_TOKEN_URL", ""))),
        ("url", str(getattr(settings, "TALENTLOOP_BAIDU_ASR_URL", ""))),
    )


@lru_cache(maxsize=16)
def _recognizer(spec: str, language: str, options: tuple[tuple[str, str], ...]) -> SpeechRecognizer:
    # Failures raise and are therefore not cached: a model installed later is found on the next call.
    from talentloop.assessment.media import recognizer_for

    return recognizer_for(spec, language=language, options=dict(options) or None)


def recognizer_error(language: str) -> str:
    """Why there is no recogniser for `language` ("" when there is one), for logs and HR's messages."""
    from talentloop.assessment.media import ASRUnavailable

    spec = asr_spec(language)
    if not spec:
        return f"{asr_setting(language)} is not set"
    try:
        _recognizer(spec, ENGINE_LANGUAGE.get(language, language), _options(spec))
    except ASRUnavailable as error:
        return f"{asr_setting(language)}={spec!r}: {error}"
    return ""


def recognizer_for_language(language: str) -> SpeechRecognizer | None:
    """The configured recogniser for an interview language, or None (not configured, not installed, no model)."""
    from talentloop.assessment.media import ASRUnavailable

    spec = asr_spec(language)
    if not spec:
        return None
    try:
        return _recognizer(spec, ENGINE_LANGUAGE.get(language, language), _options(spec))
    except ASRUnavailable as error:
        logger.warning("No speech recogniser for %s (%s=%r): %s", language, asr_setting(language), spec, error)
        return None


def voice_available(language: str) -> bool:
    """Whether voice and video answers can be transcribed in this interview language."""
    return recognizer_for_language(language) is not None
