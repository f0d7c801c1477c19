"""The languages, question types and limits of the drafts, shared by the client, the prompt and the checks.

The limits match the question bank's (talentloop/interviews/services/questions.py; a test keeps them equal).
"""

from __future__ import annotations

import re

QUESTION_TYPES: tuple[str, ...] = ("behavioral", "situational")
LANGUAGE_NAMES = {"zh-hans": "Simplified Chinese (zh-Hans)", "en": "English"}
MAX_COUNT = 10
# The question bank's limits (services/questions.py).
MAX_TEXT = 2000
MAX_REFERENCE = 5000
MAX_LEVEL_TEXT = 1000
MAX_POINT = 200
MAX_SYNONYMS = 20
MAX_SYNONYM = 100
KEY_POINTS_MIN, KEY_POINTS_MAX = 3, 6
TIME_LIMIT_MIN, TIME_LIMIT_MAX = 30, 1800
DEFAULT_TIME_LIMIT = 180
# Shorter than this is not a usable question or model answer, whatever the language.
MIN_TEXT = 10
MIN_REFERENCE = 30
# The bank's own standard for a reference answer (assessment/tests/test_question_bank_scoring.py).
SELF_CHECK_MIN_SCORE = 80.0
SELF_CHECK_MIN_SHARE = 0.8
MAX_REPLY_BYTES = 2 * 1024 * 1024
MAX_DESCRIPTION = 600
MAX_AVOID = 20
SPACE = re.compile(r"\s+")


def excerpt(text: str, limit: int) -> str:
    flat = SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
