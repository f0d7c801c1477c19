"""OKR arithmetic: how far a key result has come, its 0-100 score, and an objective's weighted score.

Plain Python (no Django), so the performance app, a report job or a notebook compute the same numbers.

Values are taken as `Decimal` (ints and floats are accepted and converted through `str`, so 0.1 stays 0.1),
and the arithmetic is done in `Decimal`; results are returned as `float` for JSON.

Progress of a key result, from 0 to 1:

* direction "increase": (current - start) / (target - start)
* direction "decrease": (start - current) / (start - target), the mirror image

and then **clamped to [0, 1]**: a value that went the wrong way counts as no progress (0), and overshooting
the target counts as done (1), never more. A key result's score is ``round(progress * 100, 1)`` (halves
rounded up), so it too lies in [0, 100].

When start == target there is no distance to cover: the progress is 1 once the current value has reached
the target in the key result's direction (current >= target for "increase", current <= target for
"decrease") and 0 otherwise. (The performance app refuses such key results; the rule is here so the
function is total.)

An objective's score is the weight-weighted mean of its key results' scores, sum(w * s) / sum(w), rounded
to one decimal; an objective without key results (or whose weights are all 0) has no score (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Direction = Literal["increase", "decrease"]
Number = Decimal | int | float

INCREASE: Direction = "increase"
DECREASE: Direction = "decrease"
_ONE_DECIMAL = Decimal("0.1")


def _dec(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _progress(start: Decimal, target: Decimal, current: Decimal, direction: Direction) -> Decimal:
    if direction not in (INCREASE, DECREASE):
        raise ValueError(f"direction must be 'increase' or 'decrease', not {direction!r}")
    if direction == DECREASE:  # mirror: a decrease from start to target is an increase of their negatives
        start, target, current = -start, -target, -current
    if start == target:
        return Decimal(1) if current >= target else Decimal(0)
    raw = (current - start) / (target - start)
    return min(Decimal(1), max(Decimal(0), raw))


def kr_progress(*, start: Number, target: Number, current: Number, direction: Direction) -> float:
    """How far from start to target the current value is, clamped to [0, 1]."""
    return float(_progress(_dec(start), _dec(target), _dec(current), direction))


def kr_score(*, start: Number, target: Number, current: Number, direction: Direction) -> float:
    """The key result's score 0-100: progress x 100, rounded to one decimal (halves up)."""
    progress = _progress(_dec(start), _dec(target), _dec(current), direction)
    return float((progress * 100).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))


def objective_score(weighted_scores: Iterable[tuple[Number, Number]]) -> float | None:
    """The weight-weighted mean of (weight, score) pairs, rounded to one decimal; None without weight."""
    total_weight = Decimal(0)
    total = Decimal(0)
    for weight, score in weighted_scores:
        w = _dec(weight)
        if w < 0:
            raise ValueError("weights cannot be negative")
        total_weight += w
        total += w * _dec(score)
    if total_weight == 0:
        return None
    return float((total / total_weight).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))
