"""Fairness audit arithmetic (no Django): per group of a protected attribute, how often its members are
selected (screening decisions) and how often they score above the overall median (AI interview scores),
compared with the group that fares best.

Definitions (the pages and the audit export repeat them):

- **Selection rate** of a group = selected / decided, over the group's decided cases.
- **Scoring rate** of a group = share of the group's scores strictly above the **overall median**, the
  median of every score in the audit (members of every group *and* people whose attribute is unknown), so
  the threshold does not depend on how people are grouped.
- **Impact ratio** of a group = its rate / the highest rate among the groups that are large enough.
  With the highest rate 0 (nobody selected anywhere) no ratio is defined (None).
- **Four-fifths flag**: impact ratio < 0.8 (the "four-fifths rule" of adverse impact, US EEOC Uniform
  Guidelines §1607.4(D)). It is a screening signal, not proof of discrimination either way.
- **Unknown**: cases whose person did not give the attribute (no consent or left it blank); counted, never
  grouped, never guessed.
- **Too small**: a group with fewer than `min_group` cases is reported with its count only — no rate, no
  ratio, no flag — and is left out of the choice of the highest group. Rates from a handful of people say
  more about chance than about the process, and would point at individuals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

FOUR_FIFTHS = 0.8
METHOD = "four-fifths rule (impact ratio < 0.8 vs the highest group)"


@dataclass(frozen=True)
class Decision:
    """One case for the selection rate: the person's group (None = unknown) and whether they were selected."""

    group: str | None
    selected: bool


@dataclass(frozen=True)
class Score:
    """One case for the scoring rate: the person's group (None = unknown) and their score."""

    group: str | None
    score: float


@dataclass(frozen=True)
class GroupResult:
    group: str
    n: int
    hits: int | None  # selected, or scored above the median; None when the group is too small
    rate: float | None
    impact_ratio: float | None
    four_fifths: bool | None  # True: flagged; None: not computed (too small, or no reference rate)
    too_small: bool
    highest: bool  # the reference group (ties: every group sharing the highest rate)


@dataclass(frozen=True)
class AuditResult:
    """One measure (selection or scoring) over the groups of one attribute."""

    groups: tuple[GroupResult, ...]  # ordered by group name as given in `order`, then alphabetically
    n: int  # all cases, unknown included
    unknown: int
    reference_rate: float | None  # the highest rate among groups large enough
    threshold: float | None  # scoring only: the overall median; None for selection
    min_group: int

    @property
    def flagged(self) -> tuple[str, ...]:
        return tuple(g.group for g in self.groups if g.four_fifths)


def _ordered(groups: Iterable[str], order: Sequence[str]) -> list[str]:
    position = {name: i for i, name in enumerate(order)}
    return sorted(set(groups), key=lambda g: (position.get(g, len(position)), g))


def _compare(
    counts: dict[str, tuple[int, int]], *, n: int, unknown: int, min_group: int, order: Sequence[str],
    threshold: float | None,
) -> AuditResult:
    """`counts` maps a group to (cases, hits). Rates, the reference (highest) rate, ratios and flags."""
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    rates = {g: hits / cases for g, (cases, hits) in counts.items() if cases >= min_group}
    reference = max(rates.values()) if rates else None
    results = []
    for group in _ordered(counts, order):
        cases, hits = counts[group]
        if group not in rates:
            results.append(GroupResult(group, cases, None, None, None, None, True, False))
            continue
        rate = rates[group]
        ratio = rate / reference if reference else None
        flag = None if ratio is None else ratio < FOUR_FIFTHS
        highest = reference is not None and math.isclose(rate, reference, rel_tol=0, abs_tol=1e-12)
        results.append(GroupResult(group, cases, hits, rate, ratio, flag, False, highest))
    return AuditResult(tuple(results), n, unknown, reference, threshold, min_group)


def selection_audit(
    decisions: Iterable[Decision], *, min_group: int, order: Sequence[str] = ()
) -> AuditResult:
    """Selection rates per group and their impact ratios against the highest group's rate."""
    counts: dict[str, tuple[int, int]] = {}
    n = unknown = 0
    for d in decisions:
        n += 1
        if d.group is None or d.group == "":
            unknown += 1
            continue
        cases, hits = counts.get(d.group, (0, 0))
        counts[d.group] = (cases + 1, hits + int(bool(d.selected)))
    return _compare(counts, n=n, unknown=unknown, min_group=min_group, order=order, threshold=None)


def scoring_audit(scores: Iterable[Score], *, min_group: int, order: Sequence[str] = ()) -> AuditResult:
    """Scoring rates (share strictly above the overall median) per group and their impact ratios.
    Scores that are not finite numbers are ignored."""
    kept = [s for s in scores if s.score is not None and math.isfinite(float(s.score))]
    threshold = float(np.median([float(s.score) for s in kept])) if kept else None
    counts: dict[str, tuple[int, int]] = {}
    unknown = 0
    for s in kept:
        if s.group is None or s.group == "":
            unknown += 1
            continue
        cases, hits = counts.get(s.group, (0, 0))
        above = threshold is not None and float(s.score) > threshold
        counts[s.group] = (cases + 1, hits + int(above))
    return _compare(counts, n=len(kept), unknown=unknown, min_group=min_group, order=order, threshold=threshold)
