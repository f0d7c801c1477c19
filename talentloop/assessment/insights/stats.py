"""Small statistics for closing the loop: means, the paired mean difference with its t-based 95% confidence
interval, Pearson and Spearman correlations with p-values (via scipy), and the decision rules that turn them
into the flags of calibration, question validity and candidate-pool signals. No Django.

Every function takes plain numbers (None and NaN are left out, pairwise for the two-sample functions) and
returns None when it cannot honestly answer: fewer than 3 values (pairs), or no variation for a correlation.

Definitions (docs/insights.md):
* gap of a hire = performance score − interview score; the **mean gap** is their mean (negative: the interview
  over-rated). Its 95% CI is mean ± t(0.975, n−1) · sd / √n, sd the sample standard deviation (ddof 1).
* **Pearson r**: the linear correlation of the paired scores; **Spearman ρ**: Pearson of their ranks (ties get
  the mean rank). Two-sided p-values as scipy.stats.pearsonr / spearmanr compute them.
* Calibration flag (n pairs, min_n, margin, low threshold):
  ``not_enough_data`` when n < min_n; else ``over_rated`` when the CI's upper end is below −margin (even the
  most favourable end says performance is more than `margin` points below the interview); else
  ``low_validity`` when Pearson r is below the threshold, or undefined (scores without variation predict
  nothing); else no flag.
* Question suggestion: ``not_enough_data`` when n < min_n; ``retire`` when r ≤ 0 (no or a negative relation);
  ``revise`` when r is undefined (every answer scored the same) or 0 < r < threshold; else ``keep``.
* Pool flag: ``not_enough_data`` when n < min_n; ``low_across_pool`` when the candidates' mean interview score
  is more than `margin` points below the required score; else no flag."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

MIN_VALUES = 3
CONFIDENCE = 0.95

OVER_RATED = "over_rated"
LOW_VALIDITY = "low_validity"
NOT_ENOUGH_DATA = "not_enough_data"
LOW_ACROSS_POOL = "low_across_pool"
RETIRE, REVISE, KEEP = "retire", "revise", "keep"


def _number(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


def clean(values: Iterable[float | None]) -> list[float]:
    """The values that are numbers (None, NaN and infinities left out)."""
    return [n for n in (_number(v) for v in values) if n is not None]


def clean_pairs(x: Sequence[float | None], y: Sequence[float | None]) -> tuple[list[float], list[float]]:
    """The pairs where both values are numbers, as two lists of equal length."""
    if len(x) != len(y):
        raise ValueError("x and y must have the same length")
    xs: list[float] = []
    ys: list[float] = []
    for a, b in zip(x, y, strict=True):
        na, nb = _number(a), _number(b)
        if na is not None and nb is not None:
            xs.append(na)
            ys.append(nb)
    return xs, ys


def mean(values: Iterable[float | None]) -> float | None:
    """The arithmetic mean of the numbers among the values; None when there are none."""
    numbers = clean(values)
    return float(np.mean(numbers)) if numbers else None


def share_below(values: Iterable[float | None], threshold: float) -> float | None:
    """The share (0–1) of the numbers strictly below the threshold; None when there are none."""
    numbers = clean(values)
    if not numbers:
        return None
    return sum(1 for v in numbers if v < threshold) / len(numbers)


@dataclass(frozen=True)
class MeanDifference:
    """Paired comparison of `before` (interview) and `after` (performance): differences after − before."""

    n: int
    mean_before: float
    mean_after: float
    mean_diff: float
    sd: float
    ci_low: float
    ci_high: float
    confidence: float = CONFIDENCE


def mean_difference(
    before: Sequence[float | None], after: Sequence[float | None], *, confidence: float = CONFIDENCE
) -> MeanDifference | None:
    """Mean of after − before over complete pairs with a t-based confidence interval; None below 3 pairs.
    When every difference is the same the interval is that single value."""
    xs, ys = clean_pairs(before, after)
    n = len(xs)
    if n < MIN_VALUES:
        return None
    diffs = np.asarray(ys) - np.asarray(xs)
    centre = float(diffs.mean())
    sd = float(diffs.std(ddof=1))
    half = float(sps.t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
    return MeanDifference(
        n=n, mean_before=float(np.mean(xs)), mean_after=float(np.mean(ys)), mean_diff=centre, sd=sd,
        ci_low=centre - half, ci_high=centre + half, confidence=confidence,
    )


@dataclass(frozen=True)
class Correlation:
    r: float
    p_value: float
    n: int


def _varies(values: Sequence[float]) -> bool:
    return max(values) - min(values) > 1e-12 * max(1.0, abs(max(values)))


def _correlate(method: str, x: Sequence[float | None], y: Sequence[float | None]) -> Correlation | None:
    xs, ys = clean_pairs(x, y)
    if len(xs) < MIN_VALUES or not _varies(xs) or not _varies(ys):
        return None
    result = sps.pearsonr(xs, ys) if method == "pearson" else sps.spearmanr(xs, ys)
    r, p = float(result.statistic), float(result.pvalue)
    if math.isnan(r):
        return None
    r = max(-1.0, min(1.0, r))
    return Correlation(r=r, p_value=p if not math.isnan(p) else 1.0, n=len(xs))


def pearson(x: Sequence[float | None], y: Sequence[float | None]) -> Correlation | None:
    """Pearson's r with its two-sided p-value; None below 3 complete pairs or when either side is constant."""
    return _correlate("pearson", x, y)


def spearman(x: Sequence[float | None], y: Sequence[float | None]) -> Correlation | None:
    """Spearman's ρ (ties: mean ranks) with its two-sided p-value; None as for `pearson`."""
    return _correlate("spearman", x, y)


# --- decision rules -------------------------------------------------------------------------------------------


def calibration_flag(
    *, n: int, min_n: int, difference: MeanDifference | None, r: float | None, margin: float, low_validity: float
) -> str | None:
    """The calibration flag of one competency (see the module's docstring)."""
    if n < min_n or difference is None:
        return NOT_ENOUGH_DATA
    if difference.ci_high < -margin:
        return OVER_RATED
    if r is None or r < low_validity:
        return LOW_VALIDITY
    return None


def question_suggestion(*, n: int, min_n: int, r: float | None, low_validity: float) -> str:
    """What to do with one question given the correlation of its answer scores with later performance."""
    if n < min_n or n < MIN_VALUES:
        return NOT_ENOUGH_DATA
    if r is None:
        return REVISE
    if r <= 0:
        return RETIRE
    if r < low_validity:
        return REVISE
    return KEEP


def pool_flag(*, n: int, min_n: int, mean_score: float | None, required: float, margin: float) -> str | None:
    """The candidate-pool flag of one competency (see the module's docstring)."""
    if n < min_n or mean_score is None:
        return NOT_ENOUGH_DATA
    if mean_score < required - margin:
        return LOW_ACROSS_POOL
    return None
