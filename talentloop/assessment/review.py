"""Competency review arithmetic: a competency's score from its parts, the overall score and the rating band.

Plain Python (no Django), like talentloop.assessment.okr: numbers go in as `Decimal`, `int` or `float` (floats
through `str`, so 0.1 stays 0.1), the arithmetic is done in `Decimal`, and results come back as `float`
rounded to one decimal (halves up).

**A competency's score** mixes up to three parts, each 0-100:

* the manager's rating,
* the 360° feedback aggregate (the mean of the submitted non-self answers),
* the results evidence (KPI and OKR, see `results_score`),

weighted by the cycle's weights (percent, default 50 / 30 / 20). A part without data (None) drops out and the
remaining weights are scaled up to fill its share, so a review without 360° feedback is not dragged towards
0: with 50 / 30 / 20 and no feedback, score = (50·m + 20·r) / 70. No part present, or only parts whose weight
is 0, gives no score (None).

**The results part** is the mean of two sub-parts, each present only when it has data: the KPI evidence (the
weight-weighted mean of the KPI targets' scores) and the OKR evidence (the weight-weighted mean of the key
results' scores). The two count equally because their weights are on different bases (an employee's KPI
weights add up to 100 in a cycle, a key result's weight is its share of one objective).

**The overall score** is the weighted mean of the competency scores, with the weights of the job's competency
model; competencies without a score drop out and the others are re-weighted.

**The band**: S ≥ 90, A ≥ 80, B ≥ 70, C ≥ 60, D below 60 (compared on the one-decimal score). S, A and B
meet the requirements (`MEETS`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

Number = Decimal | int | float

_ONE_DECIMAL = Decimal("0.1")
_HUNDRED = Decimal(100)

# (lowest score of the band, band), best first.
BAND_FLOORS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "S"), (Decimal(80), "A"), (Decimal(70), "B"), (Decimal(60), "C"), (Decimal(0), "D"),
)
BANDS: tuple[str, ...] = tuple(name for _, name in BAND_FLOORS)
MEETS: frozenset[str] = frozenset({"S", "A", "B"})


class PartWeights(NamedTuple):
    """The cycle's weights of the three parts of a competency score, in percent (any non-negative numbers:
    only their ratios matter)."""

    manager: Number = 50
    feedback: Number = 30
    results: Number = 20


DEFAULT_WEIGHTS = PartWeights()


def _dec(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _score(value: Number, what: str) -> Decimal:
    number = _dec(value)
    if not number.is_finite() or not Decimal(0) <= number <= _HUNDRED:
        raise ValueError(f"{what} must be between 0 and 100, not {value!r}")
    return number


def _weight(value: Number) -> Decimal:
    number = _dec(value)
    if not number.is_finite() or number < 0:
        raise ValueError(f"weights must be finite and not negative, not {value!r}")
    return number


def _round(value: Decimal) -> float:
    return float(value.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))


def _weighted_mean(items: Iterable[tuple[Number, Number | None]], what: str) -> Decimal | None:
    total_weight = Decimal(0)
    total = Decimal(0)
    for weight, score in items:
        w = _weight(weight)
        if score is None:
            continue
        total_weight += w
        total += w * _score(score, what)
    if total_weight == 0:
        return None
    return total / total_weight


def competency_score(
    *, manager: Number | None, feedback: Number | None, results: Number | None,
    weights: PartWeights | tuple[Number, Number, Number] = DEFAULT_WEIGHTS,
) -> float | None:
    """The competency's score 0-100 from the parts present, missing parts re-weighted away; None if none."""
    w = PartWeights(*weights)
    mean = _weighted_mean(
        ((w.manager, manager), (w.feedback, feedback), (w.results, results)), "a part of a competency score"
    )
    return None if mean is None else _round(mean)


def results_score(
    *, kpi: Iterable[tuple[Number, Number | None]] = (), okr: Iterable[tuple[Number, Number | None]] = (),
) -> float | None:
    """The results part: the mean of the KPI evidence and the OKR evidence (each a weighted mean of
    (weight, score) pairs), over the sub-parts that have data; None when neither has."""
    parts = [
        mean for mean in (_weighted_mean(kpi, "a KPI score"), _weighted_mean(okr, "a key result score"))
        if mean is not None
    ]
    if not parts:
        return None
    return _round(sum(parts, Decimal(0)) / len(parts))


def mean(scores: Iterable[Number]) -> float | None:
    """The plain mean of scores 0-100 (the 360° aggregate), one decimal; None for no scores."""
    return None if (m := _weighted_mean(((1, s) for s in scores), "a feedback score")) is None else _round(m)


def overall(items: Iterable[tuple[Number, Number | None]]) -> float | None:
    """The overall score: (competency model weight, competency score) pairs, weighted mean of those with a
    score, one decimal; None when no competency has a score (or their weights are all 0)."""
    result = _weighted_mean(items, "a competency score")
    return None if result is None else _round(result)


def band(score: Number) -> str:
    """The rating band of a score 0-100: S ≥ 90, A ≥ 80, B ≥ 70, C ≥ 60, otherwise D."""
    value = _score(score, "a score").quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return next(name for floor, name in BAND_FLOORS if value >= floor)


def meets(band_name: str) -> bool:
    """Whether a band meets the requirements (S, A or B)."""
    return band_name in MEETS
