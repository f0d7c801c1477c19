"""Key results drafted from interview scores: each HR rule turns one competency's interview score into a target.

Plain Python (no Django), so the performance app, a bulk job or a notebook draft the same numbers.

A rule names a competency and a formula:

* ``offset``: raw target T = score + k (k may be negative, e.g. for a metric that should decrease)
* ``ratio``:  raw target T = score x r (r > 0, e.g. 1.10 for "110% of the interview score")

The target is then, in this order:

1. **rounded to one decimal**, halves away from zero (``ROUND_HALF_UP`` on ``Decimal``; inputs go through
   ``str`` so 0.1 stays 0.1),
2. **capped**: min(T, cap) (cap defaults to 100, the top of the score scale),
3. **floored**: max(T, floor) when the rule has a floor (cap >= floor is the rule's own invariant).

The key result runs from a start value to that target: the rule's ``start_value`` when it has one, else the
interview score itself (where the hire stood when measured). A rule produces nothing, and is reported as
skipped with a reason code, when

* ``no_score``: the interview report has no score for the rule's competency, or
* ``target_not_beyond_start``: the target does not go past the start in the rule's direction (above it for
  "increase", below it for "decrease"), e.g. score 100 with "+2, cap 100".

Weights: each drafted key result takes its rule's weight (percent). When the drafted weights add up to more than
100, they are scaled to add up to exactly 100: each becomes w x 100 / total rounded down to 0.01, and the last
one takes what is left, so the objective stays within 100%.

Titles are templates with two placeholders, ``{target}`` and ``{score}``, filled with the numbers written as
people write them (92, 92.5; never 92.0); no other formatting is applied, so a template cannot fail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Literal

Formula = Literal["offset", "ratio"]
Direction = Literal["increase", "decrease"]
Number = Decimal | int | float

OFFSET: Formula = "offset"
RATIO: Formula = "ratio"
NO_SCORE = "no_score"
TARGET_NOT_BEYOND_START = "target_not_beyond_start"
PLACEHOLDERS = ("{target}", "{score}")

_ONE_DECIMAL = Decimal("0.1")
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


def _dec(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number_text(value: Number) -> str:
    """A number as people write it: 92, 92.5, 0.5 (not 92.0, 92.50 or 9.2E+1)."""
    text = format(_dec(value).normalize(), "f")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class Rule:
    """One derivation rule. `parameter` is k for "offset" and r (> 0) for "ratio"."""

    id: int
    competency: str
    formula: Formula
    parameter: Decimal
    title: str = "{target}"
    metric: str = ""
    unit: str = ""
    direction: Direction = "increase"
    start_value: Decimal | None = None
    cap: Decimal = _HUNDRED
    floor: Decimal | None = None
    weight: Decimal = Decimal(25)

    def __post_init__(self) -> None:
        if self.formula not in (OFFSET, RATIO):
            raise ValueError(f"formula must be 'offset' or 'ratio', not {self.formula!r}")
        if self.direction not in ("increase", "decrease"):
            raise ValueError(f"direction must be 'increase' or 'decrease', not {self.direction!r}")
        if self.formula == RATIO and _dec(self.parameter) <= 0:
            raise ValueError("a ratio must be above 0")
        if self.floor is not None and _dec(self.floor) > _dec(self.cap):
            raise ValueError("the floor cannot be above the cap")

    def formula_text(self) -> str:
        """The formula as written in a key result's source, e.g. "score + 2, cap 100" or "score × 1.1"."""
        k = _dec(self.parameter)
        if self.formula == OFFSET:
            text = f"score {'-' if k < 0 else '+'} {number_text(abs(k))}"
        else:
            text = f"score × {number_text(k)}"
        text += f", cap {number_text(self.cap)}"
        if self.floor is not None:
            text += f", floor {number_text(self.floor)}"
        return text


@dataclass(frozen=True)
class DraftedKR:
    rule_id: int
    competency: str
    source_score: Decimal
    target: Decimal
    start: Decimal
    title: str
    metric: str
    unit: str
    direction: Direction
    weight: Decimal
    formula: str


@dataclass(frozen=True)
class Skipped:
    rule_id: int
    competency: str
    reason: str  # NO_SCORE or TARGET_NOT_BEYOND_START


@dataclass(frozen=True)
class Derivation:
    drafted: tuple[DraftedKR, ...]
    skipped: tuple[Skipped, ...]


def target_for(rule: Rule, score: Number) -> Decimal:
    """The rule's target for an interview score: formula, round to 1 decimal (half up), cap, floor."""
    s = _dec(score)
    raw = s + _dec(rule.parameter) if rule.formula == OFFSET else s * _dec(rule.parameter)
    target = min(raw.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP), _dec(rule.cap))
    if rule.floor is not None:
        target = max(target, _dec(rule.floor))
    return target


def fill_title(template: str, *, target: Number, score: Number) -> str:
    """The template with {target} and {score} replaced (plain replacement, nothing else is interpreted)."""
    return template.replace("{target}", number_text(target)).replace("{score}", number_text(score))


def scale_weights(weights: Sequence[Number]) -> list[Decimal]:
    """The weights unchanged when they add up to 100 or less; otherwise scaled to add up to exactly 100."""
    values = [_dec(w) for w in weights]
    total = sum(values, Decimal(0))
    if total <= _HUNDRED:
        return values
    scaled = [(w * _HUNDRED / total).quantize(_CENT, rounding=ROUND_DOWN) for w in values[:-1]]
    return [*scaled, _HUNDRED - sum(scaled, Decimal(0))]


def derive(rules: Iterable[Rule], scores: Mapping[str, Number | None]) -> Derivation:
    """Draft a key result from every rule whose competency has an interview score, in the rules' order."""
    kept: list[tuple[Rule, Decimal, Decimal, Decimal]] = []
    skipped: list[Skipped] = []
    for rule in rules:
        raw_score = scores.get(rule.competency)
        if raw_score is None:
            skipped.append(Skipped(rule.id, rule.competency, NO_SCORE))
            continue
        score = _dec(raw_score)
        target = target_for(rule, score)
        start = _dec(rule.start_value) if rule.start_value is not None else score
        beyond = target > start if rule.direction == "increase" else target < start
        if not beyond:
            skipped.append(Skipped(rule.id, rule.competency, TARGET_NOT_BEYOND_START))
            continue
        kept.append((rule, score, target, start))
    weights = scale_weights([rule.weight for rule, *_ in kept])
    drafted = tuple(
        DraftedKR(
            rule_id=rule.id, competency=rule.competency, source_score=score, target=target, start=start,
            title=fill_title(rule.title, target=target, score=score), metric=rule.metric, unit=rule.unit,
            direction=rule.direction, weight=weight, formula=rule.formula_text(),
        )
        for (rule, score, target, start), weight in zip(kept, weights, strict=True)
    )
    return Derivation(drafted=drafted, skipped=tuple(skipped))
