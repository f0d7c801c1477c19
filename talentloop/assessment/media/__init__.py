"""Voice and video answers: decode a recording, find the speech, transcribe it, measure delivery.

Django-free like the rest of the engine. The public contract (see docs/scoring.md, "Voice and video answers"):

    analysis = analyse_media(path, language="en", recognizer=recognizer_for("pocketsphinx", language="en"))
    analysis.transcript.text, analysis.no_speech, analysis.delivery["audio"]["speaking_rate"], ...

Recordings that cannot be analysed raise a MediaError (MediaUnreadable, UnsupportedMedia, MediaTooLong) whose
`code` becomes the answer status and whose `detail` is a short English explanation. Never an emotion, mood,
confidence or personality label.
"""

from __future__ import annotations

ENGINE_NAME = "talentloop-media"
ENGINE_VERSION = "1.0"

# The engine name and version come first: pipeline.py imports them from this package while it is loading.
from .asr import SpeechRecognizer, Transcript, Word, recognizer_for  # noqa: E402
from .decode import sniff_format  # noqa: E402
from .errors import ASRUnavailable, MediaError, MediaTooLong, MediaUnreadable, UnsupportedMedia  # noqa: E402
from .pipeline import MediaAnalysis, analyse_media  # noqa: E402
from .score import DELIVERY_FLAGS, TYPICAL_RANGES, delivery_score  # noqa: E402

__all__ = [
    "DELIVERY_FLAGS",
    "ENGINE_NAME",
    "ENGINE_VERSION",
    "TYPICAL_RANGES",
    "ASRUnavailable",
    "MediaAnalysis",
    "MediaError",
    "MediaTooLong",
    "MediaUnreadable",
    "SpeechRecognizer",
    "Transcript",
    "UnsupportedMedia",
    "Word",
    "analyse_media",
    "delivery_score",
    "recognizer_for",
    "sniff_format",
]
