"""Frozen dataclasses that go into and come out of the text-answer scorer.

Sequences given as lists are stored as tuples and mappings are stored read-only, so every value is
immutable and a `Question` can be hashed (the scorer caches what it derives from one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

LANGUAGES: tuple[str, ...] = ("zh-hans", "en")
QUESTION_TYPES: tuple[str, ...] = ("behavioral", "situational", "technical", "general")


@dataclass(frozen=True)
class KeyPoint:
    """A point a good answer makes; it counts when the point or any synonym occurs in the answer."""

    point: str
    synonyms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "synonyms", tuple(self.synonyms))


@dataclass(frozen=True)
class Question:
    text: str
    language: str  # "zh-hans" or "en"
    competency: str
    key_points: tuple[KeyPoint, ...] = ()
    reference_answers: tuple[str, ...] = ()
    type: str = "behavioral"
    time_limit_seconds: int = 180

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_points", tuple(self.key_points))
        object.__setattr__(self, "reference_answers", tuple(self.reference_answers))
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {list(LANGUAGES)}, got {self.language!r}")
        if self.type not in QUESTION_TYPES:
            raise ValueError(f"type must be one of {list(QUESTION_TYPES)}, got {self.type!r}")
        if not isinstance(self.time_limit_seconds, int) or self.time_limit_seconds <= 0:
            raise ValueError(f"time_limit_seconds must be a positive integer, got {self.time_limit_seconds!r}")


@dataclass(frozen=True)
class Answer:
    text: str


@dataclass(frozen=True)
class Evidence:
    """A sentence of the answer that earned credit: text, [start, end) offsets in the answer, and why."""

    sentence: str
    start: int
    end: int
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "start": self.start, "end": self.end, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class AnswerScore:
    score: float  # 0-100, one decimal, after flag penalties and calibration
    subscores: Mapping[str, float] = field(hash=False)  # 0-100 each, one decimal; the components that apply
    evidence: tuple[Evidence, ...]
    missing_key_points: tuple[str, ...]
    matched_key_points: tuple[str, ...]
    flags: tuple[str, ...]  # "blaming", "off_topic", "copied_question", "empty", "near_empty"
    engine: str
    engine_version: str
    parameters: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "subscores", MappingProxyType(dict(self.subscores)))
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "subscores": dict(self.subscores),
            "evidence": [item.to_dict() for item in self.evidence],
            "missing_key_points": list(self.missing_key_points),
            "matched_key_points": list(self.matched_key_points),
            "flags": list(self.flags),
            "engine": self.engine,
            "engine_version": self.engine_version,
            "parameters": _plain(self.parameters),
        }


def _plain(value: Any) -> Any:
    """Mappings to dicts and tuples to lists, all the way down: what json.loads would give back."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
