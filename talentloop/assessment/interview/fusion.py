"""Fusion: answer scores → competency scores → overall score, job-fit level, strengths and weaknesses.

`fuse(answers=..., model=..., bands=...)` (docs/scoring.md, "Fusion"):

    s_c     = round(mean of the scores of competency c's answers, 1); 0 when c has no answer
    overall = round(Σ w_c · s_c / Σ w_c, 1) over the model (all weights 0 → plain mean; empty model → 0)
    fit     = code of the highest-ranked band with fit_min <= overall (equal ranks: higher fit_min, then
              code); "below" when overall is under every band
    strength: s_c >= required_c + margin (default 5); weakness: s_c < required_c; gap = s_c - required_c
              strengths largest gap first, weaknesses largest shortfall first, then model order

Evidence per competency: at most 2 (position, sentence) pairs, taken round robin from its answers in order
of score (highest first, then position), each answer's sentences in the order given, duplicates and blank
sentences skipped, a sentence cut to 300 characters. Missing key points: the answers' missing key points
in position order, duplicates removed, at most 3. Answers of competencies not in the model are left out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .generator import CompetencyWeight

__all__ = [
    "BELOW",
    "FUSION_ENGINE",
    "FUSION_VERSION",
    "CompetencyResult",
    "Finding",
    "FitBand",
    "InterviewResult",
    "ScoredAnswer",
    "best_evidence",
    "fit_level",
    "fuse",
]

FUSION_ENGINE = "talentloop-fusion"
FUSION_VERSION = "1.0"
BELOW = "below"
EVIDENCE_PER_COMPETENCY = 2
MISSING_PER_COMPETENCY = 3
MAX_SENTENCE_CHARS = 300


@dataclass(frozen=True)
class ScoredAnswer:
    position: int
    competency: str
    score: float
    evidence: tuple[str, ...]  # credited sentences
    missing_key_points: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "evidence", tuple(self.evidence))
        object.__setattr__(self, "missing_key_points", tuple(self.missing_key_points))
        object.__setattr__(self, "flags", tuple(self.flags))


@dataclass(frozen=True)
class FitBand:
    code: str
    rank: int
    fit_min: int
    fit_max: int


@dataclass(frozen=True)
class Finding:
    competency: str
    score: float
    required_score: int
    gap: float  # score - required_score
    evidence: tuple[tuple[int, str], ...]  # (question position, sentence), best first, <= 2
    missing_key_points: tuple[str, ...]  # <= 3

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.competency,
            "score": self.score,
            "required_score": self.required_score,
            "gap": self.gap,
            "evidence": [[position, sentence] for position, sentence in self.evidence],
            "missing_key_points": list(self.missing_key_points),
        }


@dataclass(frozen=True)
class CompetencyResult:
    code: str
    score: float
    required_score: int
    weight: float
    answers: int
    evidence: tuple[tuple[int, str], ...]
    missing_key_points: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "score": self.score,
            "required_score": self.required_score,
            "weight": self.weight,
            "answers": self.answers,
            "evidence": [[position, sentence] for position, sentence in self.evidence],
            "missing_key_points": list(self.missing_key_points),
        }


@dataclass(frozen=True)
class InterviewResult:
    overall_score: float
    fit_level: str  # a band code, or "below"
    competencies: tuple[CompetencyResult, ...]  # in model order
    strengths: tuple[Finding, ...]
    weaknesses: tuple[Finding, ...]
    engine: str
    engine_version: str
    parameters: Mapping[str, Any] = field(hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able. "engine" leaves "answer_engines" empty and "calibration" null for the caller to fill."""
        return {
            "overall_score": self.overall_score,
            "fit_level": self.fit_level,
            "competencies": [item.to_dict() for item in self.competencies],
            "strengths": [item.to_dict() for item in self.strengths],
            "weaknesses": [item.to_dict() for item in self.weaknesses],
            "engine": {
                "name": self.engine,
                "version": self.engine_version,
                "parameters": _plain(self.parameters),
                "answer_engines": [],
                "calibration": None,
            },
        }


def fuse(
    *,
    answers: Sequence[ScoredAnswer],
    model: Sequence[CompetencyWeight],
    bands: Sequence[FitBand],
    strength_margin: float = 5.0,
) -> InterviewResult:
    _validate(answers, model, bands, strength_margin)
    by_code: dict[str, list[ScoredAnswer]] = {item.code: [] for item in model}
    for answer in sorted(answers, key=lambda a: a.position):
        if answer.competency in by_code:
            by_code[answer.competency].append(answer)

    results = []
    for item in model:
        own = by_code[item.code]
        score = round(sum(a.score for a in own) / len(own), 1) if own else 0.0
        results.append(CompetencyResult(
            code=item.code,
            score=score,
            required_score=item.required_score,
            weight=float(item.weight),
            answers=len(own),
            evidence=_evidence(own),
            missing_key_points=_missing(own),
        ))

    overall = _overall(results)
    findings = [
        (index, Finding(r.code, r.score, r.required_score, round(r.score - r.required_score, 1), r.evidence,
                        r.missing_key_points))
        for index, r in enumerate(results)
    ]
    strengths = [(i, f) for i, f in findings if f.score >= f.required_score + strength_margin]
    weaknesses = [(i, f) for i, f in findings if f.score < f.required_score]
    strengths.sort(key=lambda pair: (-pair[1].gap, pair[0]))
    weaknesses.sort(key=lambda pair: (pair[1].gap, pair[0]))
    return InterviewResult(
        overall_score=overall,
        fit_level=fit_level(overall, bands),
        competencies=tuple(results),
        strengths=tuple(f for _, f in strengths),
        weaknesses=tuple(f for _, f in weaknesses),
        engine=FUSION_ENGINE,
        engine_version=FUSION_VERSION,
        parameters={
            "strength_margin": strength_margin,
            "model": [
                {"code": m.code, "weight": float(m.weight), "required_score": m.required_score} for m in model
            ],
            "bands": [{"code": b.code, "rank": b.rank, "fit_min": b.fit_min, "fit_max": b.fit_max} for b in bands],
            "competency_score": "mean of its answers, 0 without answers, 1 decimal",
            "evidence_per_competency": EVIDENCE_PER_COMPETENCY,
            "missing_key_points_per_competency": MISSING_PER_COMPETENCY,
        },
    )


def best_evidence(evidence: Iterable[Any]) -> tuple[str, ...]:
    """An answer's credited sentences, best first, for `ScoredAnswer.evidence`: from the scorer's evidence
    (`AnswerScore.to_dict()["evidence"]`, in text order), ranked by 3 per key point, 2 for a result with a
    number and 1 for any other reason; ties keep the text order. Items that are not such mappings, or have
    no sentence, are skipped (the evidence may come from stored JSON)."""
    ranked = []
    for index, item in enumerate(evidence):
        if not isinstance(item, Mapping):
            continue
        sentence, reasons = item.get("sentence"), item.get("reasons") or []
        if not isinstance(sentence, str) or not sentence.strip():
            continue
        weight = sum(
            3 if str(reason).startswith("key point") else 2 if reason == "result with a number" else 1
            for reason in reasons
        )
        ranked.append((-weight, index, sentence))
    return tuple(sentence for _, _, sentence in sorted(ranked))


def fit_level(overall: float, bands: Sequence[FitBand]) -> str:
    """The highest-ranked band whose fit_min is at or below `overall`; "below" when there is none."""
    eligible = [band for band in bands if band.fit_min <= overall]
    if not eligible:
        return BELOW
    return max(eligible, key=lambda band: (band.rank, band.fit_min, band.code)).code


def _overall(results: Sequence[CompetencyResult]) -> float:
    if not results:
        return 0.0
    total = sum(r.weight for r in results)
    if total <= 0:
        return round(sum(r.score for r in results) / len(results), 1)
    return round(sum(r.weight * r.score for r in results) / total, 1)


def _evidence(answers: Sequence[ScoredAnswer]) -> tuple[tuple[int, str], ...]:
    ranked = sorted(answers, key=lambda a: (-a.score, a.position))
    queues = [[s for s in a.evidence if isinstance(s, str) and s.strip()] for a in ranked]
    out: list[tuple[int, str]] = []
    seen: set[str] = set()
    depth = 0
    while len(out) < EVIDENCE_PER_COMPETENCY and any(depth < len(q) for q in queues):
        for answer, queue in zip(ranked, queues, strict=True):
            if depth < len(queue) and len(out) < EVIDENCE_PER_COMPETENCY:
                sentence = _cut(queue[depth].strip())
                if sentence not in seen:
                    seen.add(sentence)
                    out.append((answer.position, sentence))
        depth += 1
    return tuple(out)


def _missing(answers: Sequence[ScoredAnswer]) -> tuple[str, ...]:
    out: list[str] = []
    for answer in answers:
        for point in answer.missing_key_points:
            if point and point not in out:
                out.append(point)
    return tuple(out[:MISSING_PER_COMPETENCY])


def _cut(sentence: str) -> str:
    return sentence if len(sentence) <= MAX_SENTENCE_CHARS else sentence[: MAX_SENTENCE_CHARS - 1] + "…"


def _validate(answers: Sequence[ScoredAnswer], model: Sequence[CompetencyWeight], bands: Sequence[FitBand],
              margin: float) -> None:
    codes = [item.code for item in model]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ValueError(f"competency listed twice in the model: {', '.join(duplicates)}")
    for item in model:
        if not _finite(item.weight) or item.weight < 0:
            raise ValueError(f"weight of {item.code} must be a finite number >= 0, got {item.weight!r}")
        if not _finite(item.required_score) or not 0 <= item.required_score <= 100:
            raise ValueError(f"required score of {item.code} must be between 0 and 100, got {item.required_score!r}")
    for answer in answers:
        if not _finite(answer.score) or not 0 <= answer.score <= 100:
            raise ValueError(f"score of the answer at position {answer.position} must be between 0 and 100, "
                             f"got {answer.score!r}")
    for band in bands:
        if band.fit_min > band.fit_max:
            raise ValueError(f"band {band.code}: fit_min {band.fit_min} is above fit_max {band.fit_max}")
    if not _finite(margin) or margin < 0:
        raise ValueError(f"strength_margin must be a finite number >= 0, got {margin!r}")


def _finite(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
