"""360° feedback arithmetic: a rating on the request's scale as a 0–100 score, and the anonymity-respecting
aggregate of the answers per competency and rater group.

Plain Python (no Django), so the performance app, a report job or a notebook compute the same numbers.

Scales:

* ``"0_100"``: the rating is the score (any number from 0 to 100).
* ``"1_5"``: a whole number from 1 to 5, mapped linearly to 0–100 as ``(rating - 1) * 25``
  (1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100).

Anything else (out of range, not a number, NaN, a fraction on the 1–5 scale) raises ``ValueError``.

Aggregation. Answers are grouped per competency and per relation of the rater to the subject (self, manager,
peer, report). A group's ``n`` is the number of raters who rated that competency; its mean is the plain mean of
their scores, rounded to one decimal (halves up). **Anonymity:** a peer or report group with fewer than
``min_group`` raters is *hidden*: neither its mean nor its exact ``n`` is given (only that it has fewer than
``min_group``), and its answers count nowhere else either — ``others``, the mean of every non-self answer of the
groups shown, leaves them out, so nothing about a hidden group can be worked out from the rest. Self and
manager groups are never hidden: the subject knows who they are anyway.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

Scale = Literal["0_100", "1_5"]
SCALES: tuple[str, ...] = ("0_100", "1_5")
SELF, MANAGER, PEER, REPORT = "self", "manager", "peer", "report"
RELATIONS: tuple[str, ...] = (SELF, MANAGER, PEER, REPORT)
# Groups whose raters could be told apart by the subject if shown one by one.
ANONYMOUS: frozenset[str] = frozenset({PEER, REPORT})
SCALE_BOUNDS: dict[str, tuple[int, int]] = {"0_100": (0, 100), "1_5": (1, 5)}
_ONE_DECIMAL = Decimal("0.1")
_CENTS = Decimal("0.01")

Number = Decimal | int | float


def _dec(value: Number | str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("a rating is a number, not a truth value")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def rating_score(rating: Number | str, scale: str) -> Decimal:
    """The rating as a 0–100 score, exact (two decimals at most for a 0–100 rating given with more)."""
    if scale not in SCALE_BOUNDS:
        raise ValueError(f"scale must be one of {SCALES}, not {scale!r}")
    value = _dec(rating)
    low, high = SCALE_BOUNDS[scale]
    if not low <= value <= high:
        raise ValueError(f"rating {value} is outside {low}–{high}")
    if scale == "1_5":
        if value != value.to_integral_value():
            raise ValueError(f"a 1–5 rating is a whole number, not {value}")
        return (value - 1) * 25
    return value.quantize(_CENTS, rounding=ROUND_HALF_UP)


def rating_to_score(rating: Number | str, scale: str) -> float:
    """The rating on `scale` as a score from 0 to 100; ValueError when it is not a valid rating on that scale."""
    return float(rating_score(rating, scale))


@dataclass(frozen=True)
class Answer:
    """One rater's score (0–100) for one competency. `rater` only tells raters apart; it never leaves here."""

    rater: Hashable
    relation: str
    competency: str
    score: float | Decimal


@dataclass(frozen=True)
class Group:
    """One relation group's result for one competency. Hidden: `n` and `mean` are None (fewer than min_group)."""

    relation: str
    n: int | None
    mean: float | None
    hidden: bool


@dataclass(frozen=True)
class CompetencyResult:
    competency: str
    groups: tuple[Group, ...]  # one per relation, in RELATIONS order
    others: float | None  # mean of the non-self answers of the groups shown

    def group(self, relation: str) -> Group:
        return next(g for g in self.groups if g.relation == relation)


@dataclass(frozen=True)
class Aggregate:
    min_group: int
    competencies: tuple[CompetencyResult, ...]
    hidden_relations: frozenset[str]  # anonymous groups with fewer than min_group raters over all competencies

    def competency(self, code: str) -> CompetencyResult | None:
        return next((c for c in self.competencies if c.competency == code), None)


def _mean(values: Sequence[Decimal]) -> float | None:
    if not values:
        return None
    return float((sum(values, Decimal(0)) / len(values)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))


def is_hidden(relation: str, n: int, min_group: int) -> bool:
    return relation in ANONYMOUS and n < min_group


def aggregate(
    answers: Iterable[Answer], *, min_group: int, competencies: Sequence[str] | None = None
) -> Aggregate:
    """Per competency (the given ones in their order, then any other answered ones, sorted) and relation group:
    n and mean, with small anonymous groups hidden. ValueError on an unknown relation, a score outside 0–100,
    a rater rating one competency twice, a rater in two groups, or min_group < 1."""
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    scores: dict[tuple[str, str], list[Decimal]] = {}
    seen: set[tuple[Hashable, str]] = set()
    relation_of: dict[Hashable, str] = {}
    raters: dict[str, set[Hashable]] = {relation: set() for relation in RELATIONS}
    for answer in answers:
        if answer.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, not {answer.relation!r}")
        score = _dec(answer.score)
        if not 0 <= score <= 100:
            raise ValueError(f"score {score} is outside 0–100")
        if (answer.rater, answer.competency) in seen:
            raise ValueError(f"rater {answer.rater!r} rated {answer.competency!r} twice")
        if relation_of.setdefault(answer.rater, answer.relation) != answer.relation:
            raise ValueError(f"rater {answer.rater!r} is in two groups")
        seen.add((answer.rater, answer.competency))
        raters[answer.relation].add(answer.rater)
        scores.setdefault((answer.competency, answer.relation), []).append(score)
    order = list(dict.fromkeys(competencies or ()))
    order += sorted({code for code, _ in scores} - set(order))
    results = []
    for code in order:
        groups, others = [], []
        for relation in RELATIONS:
            values = scores.get((code, relation), [])
            if is_hidden(relation, len(values), min_group):
                groups.append(Group(relation=relation, n=None, mean=None, hidden=True))
                continue
            groups.append(Group(relation=relation, n=len(values), mean=_mean(values), hidden=False))
            if relation != SELF:
                others += values
        results.append(CompetencyResult(competency=code, groups=tuple(groups), others=_mean(others)))
    hidden = frozenset(r for r in ANONYMOUS if is_hidden(r, len(raters[r]), min_group))
    return Aggregate(min_group=min_group, competencies=tuple(results), hidden_relations=hidden)


def group_size(relation: str, n: int, min_group: int) -> int | None:
    """How many raters of a group to tell the subject: the number, or None when it is to be hidden."""
    return None if is_hidden(relation, n, min_group) else n
