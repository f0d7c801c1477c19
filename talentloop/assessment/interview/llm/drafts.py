"""The drafts in a model's reply: the checks each one must pass and the self-check of its reference answer.

`draft_questions()` puts it together: the prompt, one chat completion, the checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from ...answers import Answer, KeyPoint, Question, TextAnswerScorer
from ...answers.text import detect_language
from ..context import default_context, fill_placeholders
from .client import LLMBadReply, LLMConfig, Opener, chat_completion
from .limits import (
    DEFAULT_TIME_LIMIT,
    KEY_POINTS_MAX,
    KEY_POINTS_MIN,
    LANGUAGE_NAMES,
    MAX_LEVEL_TEXT,
    MAX_POINT,
    MAX_REFERENCE,
    MAX_SYNONYM,
    MAX_SYNONYMS,
    MAX_TEXT,
    MIN_REFERENCE,
    MIN_TEXT,
    QUESTION_TYPES,
    SELF_CHECK_MIN_SCORE,
    SELF_CHECK_MIN_SHARE,
    SPACE,
    TIME_LIMIT_MAX,
    TIME_LIMIT_MIN,
)
from .prompt import PROMPT_VERSION, DraftRequest, build_messages

_BRACES = re.compile(r"[{}｛｝]")
_FENCE = re.compile(r"^\s*```(?:json|JSON)?\s*\n(.*)\n\s*```\s*$", re.DOTALL)


# --- results ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftKeyPoint:
    point: str
    synonyms: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"point": self.point, "synonyms": list(self.synonyms)}


@dataclass(frozen=True)
class SelfCheck:
    """The draft's reference answer scored against its own key points by the candidates' scorer."""

    score: float
    matched_key_points: tuple[str, ...]
    missing_key_points: tuple[str, ...]
    flags: tuple[str, ...]
    consistent: bool  # score >= 80, at least 80% of the key points matched, no flag: the bank's standard

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score, "matched_key_points": list(self.matched_key_points),
            "missing_key_points": list(self.missing_key_points), "flags": list(self.flags),
            "consistent": self.consistent,
        }


@dataclass(frozen=True)
class QuestionDraft:
    text: str
    type: str  # behavioral | situational
    difficulty: int
    time_limit_seconds: int
    key_points: tuple[DraftKeyPoint, ...]
    reference_answer: str
    levels: Mapping[str, str] = field(hash=False)  # {"1", "2", "3"}
    language: str
    competency: str  # the competency's code
    self_check: SelfCheck

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_points", tuple(self.key_points))
        object.__setattr__(self, "levels", MappingProxyType(dict(self.levels)))

    def to_dict(self) -> dict[str, Any]:
        """The fields of a bank question (InterviewQuestion), JSON-ready."""
        return {
            "text": self.text, "type": self.type, "difficulty": self.difficulty,
            "time_limit_seconds": self.time_limit_seconds, "language": self.language,
            "competency": self.competency, "key_points": [kp.to_dict() for kp in self.key_points],
            "reference_answer": self.reference_answer, "levels": dict(self.levels),
        }


@dataclass(frozen=True)
class DraftBatch:
    drafts: tuple[QuestionDraft, ...]
    model: str  # as the API reported it (or as configured when it did not say)
    host: str
    prompt_version: str = PROMPT_VERSION
    dropped: int = 0  # drafts beyond the count asked for


# --- checking a reply ---------------------------------------------------------------------------------------


def _json_object(content: str, finish_reason: str) -> dict[str, Any]:
    text = content.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    if not text:
        raise LLMBadReply("the model's reply is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        cut = " (the reply was cut off: the model reached its length limit)" if finish_reason == "length" else ""
        raise LLMBadReply(f"the model's reply is not JSON{cut}: {exc.msg} at character {exc.pos}") from exc
    if not isinstance(data, dict):
        raise LLMBadReply(f'the model\'s reply is JSON but not an object with "questions" (got {type(data).__name__})')
    return data


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _text(item: Mapping[str, Any], name: str, where: str, problems: _Problems, *, language: str,
          minimum: int, maximum: int) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.add(where, f'"{name}" is missing or not text')
        return ""
    text = value.strip()
    if len(text) < minimum:
        problems.add(where, f'"{name}" is shorter than {minimum} characters')
    elif len(text) > maximum:
        problems.add(where, f'"{name}" is longer than {maximum} characters')
    elif _BRACES.search(text):
        problems.add(where, f'"{name}" contains curly braces (placeholders are not allowed)')
    elif detect_language(text) != language:
        problems.add(where, f'"{name}" is not written in {LANGUAGE_NAMES[language]}')
    return text


def _integer(item: Mapping[str, Any], name: str, where: str, problems: _Problems, *, default: int,
             low: int, high: int) -> int:
    value = item.get(name, default)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.add(where, f'"{name}" must be a whole number from {low} to {high}, got {value!r}')
        return default
    return value


def _key_points(item: Mapping[str, Any], where: str, problems: _Problems, language: str) -> list[DraftKeyPoint]:
    value = item.get("key_points")
    if not isinstance(value, list):
        problems.add(where, '"key_points" is missing or not a list')
        return []
    if not KEY_POINTS_MIN <= len(value) <= KEY_POINTS_MAX:
        problems.add(where, f'"key_points" must hold {KEY_POINTS_MIN} to {KEY_POINTS_MAX} items, got {len(value)}')
        return []
    points: list[DraftKeyPoint] = []
    for index, entry in enumerate(value, 1):
        at = f"{where}, key point {index}"
        if not isinstance(entry, Mapping):
            problems.add(at, 'must be an object with "point" and "synonyms"')
            continue
        point = _text(entry, "point", at, problems, language=language, minimum=2, maximum=MAX_POINT)
        synonyms = entry.get("synonyms")
        if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
            problems.add(at, '"synonyms" must be a list of strings')
            continue
        cleaned: list[str] = []
        for synonym in (s.strip() for s in synonyms):
            if synonym and synonym not in cleaned and synonym != point:
                cleaned.append(synonym)
        if not cleaned:
            problems.add(at, '"synonyms" is empty: give the phrases a candidate would use')
        elif len(cleaned) > MAX_SYNONYMS:
            problems.add(at, f'"synonyms" has more than {MAX_SYNONYMS} items')
        elif any(len(s) > MAX_SYNONYM for s in cleaned):
            problems.add(at, f"a synonym is longer than {MAX_SYNONYM} characters")
        elif any(_BRACES.search(s) for s in cleaned):
            problems.add(at, "a synonym contains curly braces")
        if point:
            points.append(DraftKeyPoint(point=point, synonyms=tuple(cleaned)))
    names = [p.point for p in points]
    if len(set(names)) != len(names):
        problems.add(where, "two key points are the same")
    return points


def _levels(item: Mapping[str, Any], where: str, problems: _Problems, language: str) -> dict[str, str]:
    value = item.get("levels")
    if not isinstance(value, Mapping):
        problems.add(where, '"levels" is missing or not an object with the keys "1", "2" and "3"')
        return {}
    unknown = sorted(str(key) for key in value if str(key) not in ("1", "2", "3"))
    if unknown:
        problems.add(where, f'"levels" has unknown keys {unknown}; the keys are "1", "2" and "3"')
    levels = {}
    for key in ("1", "2", "3"):
        levels[key] = _text(value, key, f"{where}, level {key}", problems, language=language, minimum=2,
                            maximum=MAX_LEVEL_TEXT)
    return levels


def _question_type(item: Mapping[str, Any], where: str, problems: _Problems) -> str:
    value = item.get("type")
    kind = value.strip().lower() if isinstance(value, str) else ""
    kind = {"behavioural": "behavioral"}.get(kind, kind)
    if kind not in QUESTION_TYPES:
        problems.add(where, f'"type" must be "behavioral" or "situational", got {value!r}')
    return kind


@cache
def _scorer() -> TextAnswerScorer:
    return TextAnswerScorer()


def self_check(*, text: str, language: str, competency: str, type: str, key_points: Sequence[DraftKeyPoint],
               reference_answer: str, time_limit_seconds: int = DEFAULT_TIME_LIMIT) -> SelfCheck:
    """Score the reference answer against its own question as a candidate's answer would be scored."""
    question = Question(
        text=fill_placeholders(text, default_context(language), language), language=language, competency=competency,
        key_points=tuple(KeyPoint(kp.point, kp.synonyms) for kp in key_points),
        reference_answers=(reference_answer,) if reference_answer.strip() else (),
        type=type if type in ("behavioral", "situational", "technical") else "general",
        time_limit_seconds=max(1, int(time_limit_seconds)),
    )
    result = _scorer().score(question, Answer(reference_answer))
    share = len(result.matched_key_points) / len(key_points) if key_points else 0.0
    return SelfCheck(
        score=result.score, matched_key_points=result.matched_key_points,
        missing_key_points=result.missing_key_points, flags=result.flags,
        consistent=result.score >= SELF_CHECK_MIN_SCORE and share >= SELF_CHECK_MIN_SHARE and not result.flags,
    )


def _draft(item: Any, index: int, request: DraftRequest, problems: _Problems) -> QuestionDraft | None:
    where = f"question {index}"
    if not isinstance(item, Mapping):
        problems.add(where, "is not an object")
        return None
    before = len(problems.items)
    language = request.language
    text = _text(item, "text", where, problems, language=language, minimum=MIN_TEXT, maximum=MAX_TEXT)
    kind = _question_type(item, where, problems)
    difficulty = _integer(item, "difficulty", where, problems, default=request.difficulty, low=1, high=3)
    limit = _integer(item, "time_limit_seconds", where, problems, default=DEFAULT_TIME_LIMIT, low=TIME_LIMIT_MIN,
                     high=TIME_LIMIT_MAX)
    points = _key_points(item, where, problems, language)
    reference = _text(item, "reference_answer", where, problems, language=language, minimum=MIN_REFERENCE,
                      maximum=MAX_REFERENCE)
    levels = _levels(item, where, problems, language)
    if len(problems.items) > before:
        return None
    check = self_check(text=text, language=language, competency=request.competency.code, type=kind,
                       key_points=points, reference_answer=reference, time_limit_seconds=limit)
    return QuestionDraft(
        text=text, type=kind, difficulty=difficulty, time_limit_seconds=limit, key_points=tuple(points),
        reference_answer=reference, levels=levels, language=language, competency=request.competency.code,
        self_check=check,
    )


def _same(a: str, b: str) -> bool:
    return SPACE.sub("", a).casefold() == SPACE.sub("", b).casefold()


def parse_drafts(content: str, request: DraftRequest, *, finish_reason: str = "") -> tuple[tuple[QuestionDraft, ...],
                                                                                             int]:
    """The drafts in the model's reply and how many beyond `request.count` were dropped. LLMBadReply lists every
    problem (up to ten in its detail) when the reply is not JSON, not the shape asked for, or any draft is bad."""
    data = _json_object(content, finish_reason)
    items = data.get("questions")
    if not isinstance(items, list):
        keys = ", ".join(sorted(map(str, data))[:8]) or "none"
        raise LLMBadReply(f'the model\'s reply has no "questions" list (its keys: {keys})')
    if not items:
        raise LLMBadReply('the model\'s reply has an empty "questions" list')
    kept, dropped = items[: request.count], max(0, len(items) - request.count)
    problems = _Problems()
    numbered = [(index, _draft(item, index, request, problems)) for index, item in enumerate(kept, 1)]
    good = [(index, draft) for index, draft in numbered if draft is not None]
    for position, (index, draft) in enumerate(good):
        if any(_same(draft.text, other.text) for _n, other in good[:position]):
            problems.add(f"question {index}", "repeats an earlier question of the reply")
        elif any(_same(draft.text, existing) for existing in request.avoid):
            problems.add(f"question {index}", "repeats a question already in the bank")
    if problems.items:
        shown = "; ".join(problems.items[:10])
        more = f" (and {len(problems.items) - 10} more)" if len(problems.items) > 10 else ""
        raise LLMBadReply(f"the model's reply is not usable: {shown}{more}", problems=problems.items)
    return tuple(draft for _n, draft in good), dropped


def draft_questions(request: DraftRequest, config: LLMConfig, *, opener: Opener | None = None) -> DraftBatch:
    """Ask the model for drafts and check them; see the module docstring. Raises an LLMError subclass."""
    reply = chat_completion(config, build_messages(request), opener=opener)
    drafts, dropped = parse_drafts(reply.content, request, finish_reason=reply.finish_reason)
    return DraftBatch(drafts=drafts, model=reply.model, host=config.host, dropped=dropped)
