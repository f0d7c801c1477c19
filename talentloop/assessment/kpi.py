"""KPI arithmetic: one indicator's 0-100 score from its actual value, and a weighted KPI score.

Plain Python (no Django), like ``okr.py``: the performance app, a review or a notebook compute the same
numbers. Numbers are taken as ``Decimal`` (ints and floats go through ``str``, so 0.1 stays 0.1), computed
in ``Decimal`` and returned as ``float`` for JSON.

A KPI has three reference values on its scale:

* ``floor``: at or beyond it (the wrong way) the score is 0;
* ``threshold``: the minimum acceptable result, scoring 60;
* ``target``: scoring 100; going further still scores 100.

Between them the score is linear: floor → threshold covers 0 → 60, threshold → target covers 60 → 100.
For direction "increase" the values must satisfy floor <= threshold <= target; for "decrease" (fewer
defects, shorter response times) the scale is mirrored, floor >= threshold >= target, and the score of
``actual`` is that of ``-actual`` on the negated scale. A scale out of order raises ``ValueError`` (the app
refuses such KPIs, so a stored one never reaches here out of order).

Where two reference values coincide the segment between them has no width; the score jumps at that point:
reaching a threshold equal to the floor scores 60, reaching the target always scores 100.

Scores are rounded to one decimal, halves up (as key result scores are).

The weighted KPI score of several KPIs is sum(w * s) / sum(w) over the KPIs that **have** a score (an
actual not yet entered does not count as 0, it is left out with its weight); ``None`` when none has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Direction = Literal["increase", "decrease"]
Number = Decimal | int | float

INCREASE: Direction = "increase"
DECREASE: Direction = "decrease"
THRESHOLD_SCORE = Decimal(60)
TARGET_SCORE = Decimal(100)
_ONE_DECIMAL = Decimal("0.1")


def _dec(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _round(value: Decimal) -> float:
    return float(value.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))


def scale_in_order(*, floor: Number, threshold: Number, target: Number, direction: Direction) -> bool:
    """Whether floor, threshold and target lie in the order the direction needs (see the module doc)."""
    f, th, t = _dec(floor), _dec(threshold), _dec(target)
    if direction == INCREASE:
        return f <= th <= t
    if direction == DECREASE:
        return f >= th >= t
    raise ValueError(f"direction must be 'increase' or 'decrease', not {direction!r}")


def _raw_score(actual: Decimal, floor: Decimal, threshold: Decimal, target: Decimal) -> Decimal:
    """The unrounded score on an increasing scale (floor <= threshold <= target)."""
    if actual >= target:
        return TARGET_SCORE
    if actual >= threshold:  # here threshold <= actual < target, so target > threshold
        return THRESHOLD_SCORE + (TARGET_SCORE - THRESHOLD_SCORE) * (actual - threshold) / (target - threshold)
    if actual > floor:  # here floor < actual < threshold
        return THRESHOLD_SCORE * (actual - floor) / (threshold - floor)
    return Decimal(0)


def kpi_score(*, actual: Number, floor: Number, threshold: Number, target: Number, direction: Direction) -> float:
    """The KPI's score 0-100 for this actual value, one decimal (halves up)."""
    if not scale_in_order(floor=floor, threshold=threshold, target=target, direction=direction):
        raise ValueError(
            f"for direction {direction!r} the floor ({floor}), threshold ({threshold}) and target ({target}) "
            "are out of order"
        )
    a, f, th, t = _dec(actual), _dec(floor), _dec(threshold), _dec(target)
    if direction == DECREASE:  # mirror: a decreasing scale is an increasing one over the negated values
        a, f, th, t = -a, -f, -th, -t
    return _round(_raw_score(a, f, th, t))


def weighted_score(items: Iterable[tuple[Number, Number | None]]) -> float | None:
    """The weight-weighted mean of the scored items, one decimal; None when no item with weight has a score."""
    total_weight = Decimal(0)
    total = Decimal(0)
    for weight, score in items:
        w = _dec(weight)
        if w < 0:
            raise ValueError("weights cannot be negative")
        if score is None:
            continue
        total_weight += w
        total += w * _dec(score)
    if total_weight == 0:
        return None
    return _round(total / total_weight)
