"""Choose interview questions for a job from the bank: every competency covered, weight decides the rest.

`WeightedGenerator.generate(bank, request)` (see docs/scoring.md, "Question generation"):

1. Candidates: bank questions in the request's language, of a competency in the model, not in
   `request.exclude` (questions the candidate saw in earlier rounds) and not repeated (the first
   question with an id wins). A competency without a candidate raises `GenerationError` naming it.
2. Slots: n = max(count, number of competencies). Each competency gets one; the other n - k go by
   weight with the largest-remainder method (exact fractions, ties to the heavier competency, then model
   order). A competency never gets more questions than it has candidates; slots it cannot take go to the
   competency with the largest remaining share. When the whole bank has fewer candidates than n, all of
   them are used and fewer than n questions come back.
3. Questions within a competency: repeatedly the candidate with the smallest |difficulty - target|
   (target = level_rank, 2 when unknown), then the type used least so far in that competency (so
   behavioural and situational questions mix), then a seeded hash of the question id.
4. Order: round robin over the competencies in model order (first question of each, then the second...).
   Positions run 1..n and the placeholders are filled from the job context (context.py).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol, runtime_checkable

from .context import JobContext, default_context, fill_placeholders

__all__ = [
    "GENERATOR_NAME",
    "GENERATOR_VERSION",
    "LANGUAGES",
    "BankQuestion",
    "CompetencyWeight",
    "GeneratedQuestion",
    "GenerationError",
    "GenerationRequest",
    "QuestionGenerator",
    "WeightedGenerator",
    "available_generators",
    "get_generator",
    "register_generator",
]

GENERATOR_NAME = "weighted"
GENERATOR_VERSION = "1.0"
LANGUAGES: tuple[str, ...] = ("zh-hans", "en")
DEFAULT_LEVEL_RANK = 2


class GenerationError(ValueError):
    """The request cannot be met; the message says what is missing or wrong (in English).

    `missing` holds the codes of the competencies without an unused question (empty for other problems), so
    that a caller can build a translated message of its own."""

    def __init__(self, message: str, *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


@dataclass(frozen=True)
class BankQuestion:
    id: str  # InterviewQuestion.code
    competency: str
    language: str  # "zh-hans" | "en"
    type: str  # behavioral | situational | technical
    difficulty: int  # 1..3
    text: str  # may contain {product}, {customer_type}, {team_size}


@dataclass(frozen=True)
class CompetencyWeight:
    code: str
    weight: float
    required_score: int = 70


@dataclass(frozen=True)
class GenerationRequest:
    competencies: tuple[CompetencyWeight, ...]
    level_rank: int  # 1 junior, 2 mid, 3 senior (0 = unknown, treated as 2)
    language: str
    count: int = 8
    exclude: frozenset[str] = frozenset()
    context: JobContext | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        # Callers coming from JSON or the ORM pass lists and sets; store what the annotations promise.
        object.__setattr__(self, "competencies", tuple(self.competencies))
        object.__setattr__(self, "exclude", frozenset(self.exclude))


@dataclass(frozen=True)
class GeneratedQuestion:
    question_id: str
    competency: str
    position: int  # 1..n
    text: str  # placeholders filled


@runtime_checkable
class QuestionGenerator(Protocol):
    name: str
    version: str

    def generate(self, bank: Sequence[BankQuestion], request: GenerationRequest) -> tuple[GeneratedQuestion, ...]: ...

    def parameters(self) -> dict[str, Any]: ...


class WeightedGenerator:
    """The built-in generator: deterministic for a seed; see the module docstring for the algorithm."""

    name: str = GENERATOR_NAME
    version: str = GENERATOR_VERSION

    def parameters(self) -> dict[str, Any]:
        return {
            "allocation": "one per competency, the rest by weight (largest remainder)",
            "difficulty_target": "level_rank, 2 when unknown",
            "default_level_rank": DEFAULT_LEVEL_RANK,
            "type_mix": True,
            "tie_break": "sha256(seed:question id)",
            "order": "round robin over competencies in model order",
        }

    def generate(self, bank: Sequence[BankQuestion], request: GenerationRequest) -> tuple[GeneratedQuestion, ...]:
        _validate(request)
        model = request.competencies
        codes = [item.code for item in model]
        candidates: dict[str, list[BankQuestion]] = {code: [] for code in codes}
        seen: set[str] = set()
        for question in bank:
            if question.id in seen:
                continue
            seen.add(question.id)
            if (question.language == request.language and question.competency in candidates
                    and question.id not in request.exclude):
                candidates[question.competency].append(question)
        empty = [code for code in codes if not candidates[code]]
        if empty:
            raise GenerationError(
                f"no unused {request.language} question for competenc{'y' if len(empty) == 1 else 'ies'}: "
                + ", ".join(empty),
                missing=tuple(empty),
            )

        wanted = max(request.count, len(model))
        slots = allocate(
            [item.weight for item in model], [len(candidates[code]) for code in codes], wanted
        )
        target = request.level_rank or DEFAULT_LEVEL_RANK
        chosen = [
            _pick(candidates[code], n, target, request.seed) for code, n in zip(codes, slots, strict=True)
        ]
        context = request.context or default_context(request.language)
        out: list[GeneratedQuestion] = []
        for round_ in range(max(slots)):
            for picks in chosen:
                if round_ < len(picks):
                    question = picks[round_]
                    out.append(GeneratedQuestion(
                        question_id=question.id,
                        competency=question.competency,
                        position=len(out) + 1,
                        text=fill_placeholders(question.text, context, request.language),
                    ))
        return tuple(out)


def allocate(weights: Sequence[float], capacity: Sequence[int], total: int) -> list[int]:
    """Slots per competency: one each, the rest by weight (largest remainder), capped by `capacity`.

    Exact fractions keep the result independent of float rounding; weights that sum to 0 count equally.
    """
    k = len(weights)
    if k == 0:
        return []
    exact = [Fraction(w) for w in weights]
    weight_sum = sum(exact, Fraction(0))
    if weight_sum == 0:
        exact, weight_sum = [Fraction(1)] * k, Fraction(k)
    spare = min(total, sum(capacity)) - k
    shares = [spare * w / weight_sum for w in exact]
    slots = [1 + min(math.floor(share), cap - 1) for share, cap in zip(shares, capacity, strict=True)]
    left = min(total, sum(capacity)) - sum(slots)
    while left > 0:
        open_ = [i for i in range(k) if slots[i] < capacity[i]]
        # largest remaining share first; ties to the heavier competency, then to the earlier one
        best = max(open_, key=lambda i: (shares[i] - (slots[i] - 1), exact[i], -i))
        slots[best] += 1
        left -= 1
    return slots


def _pick(candidates: Sequence[BankQuestion], n: int, target: int, seed: int) -> list[BankQuestion]:
    remaining = sorted(candidates, key=lambda q: _tie_break(seed, q.id))
    picked: list[BankQuestion] = []
    types: Counter[str] = Counter()
    for _ in range(min(n, len(remaining))):
        best = min(remaining, key=lambda q: (abs(q.difficulty - target), types[q.type]))
        remaining.remove(best)
        picked.append(best)
        types[best.type] += 1
    return picked


def _tie_break(seed: int, question_id: str) -> str:
    # A hash rather than random.Random: the order must not depend on the bank's order or the Python version.
    return hashlib.sha256(f"{seed}:{question_id}".encode()).hexdigest()


def _validate(request: GenerationRequest) -> None:
    if request.language not in LANGUAGES:
        raise GenerationError(f"language must be one of {list(LANGUAGES)}, got {request.language!r}")
    if not request.competencies:
        raise GenerationError("the competency model is empty: add at least one competency to the job")
    codes = [item.code for item in request.competencies]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise GenerationError(f"competency listed twice in the model: {', '.join(duplicates)}")
    for item in request.competencies:
        weight = item.weight
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight) or weight < 0:
            raise GenerationError(f"weight of {item.code} must be a finite number >= 0, got {weight!r}")
    if isinstance(request.level_rank, bool) or request.level_rank not in (0, 1, 2, 3):
        raise GenerationError(f"level_rank must be 0 (unknown), 1, 2 or 3, got {request.level_rank!r}")
    if isinstance(request.count, bool) or not isinstance(request.count, int):
        raise GenerationError(f"count must be an integer, got {request.count!r}")
    if isinstance(request.seed, bool) or not isinstance(request.seed, int):
        raise GenerationError(f"seed must be an integer, got {request.seed!r}")


@dataclass
class _Registry:
    factories: dict[str, Callable[[], QuestionGenerator]] = field(default_factory=dict)


_REGISTRY = _Registry({GENERATOR_NAME: WeightedGenerator})


def register_generator(name: str, factory: Callable[[], QuestionGenerator]) -> None:
    """Make a generator available to `get_generator(name)`; a later registration under a name replaces it."""
    if not name:
        raise ValueError("a generator needs a name")
    _REGISTRY.factories[name] = factory


def available_generators() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY.factories))


def get_generator(name: str = GENERATOR_NAME) -> QuestionGenerator:
    try:
        factory = _REGISTRY.factories[name]
    except KeyError:
        raise ValueError(
            f"unknown question generator {name!r}; available: {', '.join(available_generators())}"
        ) from None
    return factory()
