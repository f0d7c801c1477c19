"""The closed-loop statistics (talentloop.assessment.insights.stats) against numpy/scipy computed here on the
same data, hand-worked examples, the decision rules, and property tests."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from talentloop.assessment.insights import stats

INTERVIEW = [78.0, 85.0, 72.0, 90.0, 66.0, 81.0, 74.0, 88.0, 69.0, 80.0, 77.0, 92.0]
PERFORMANCE = [70.0, 74.0, 65.0, 80.0, 62.0, 70.0, 71.0, 75.0, 60.0, 73.0, 64.0, 83.0]


def test_mean_and_share_below_skip_missing_values() -> None:
    assert stats.mean([1, None, 2, float("nan"), 6]) == 3
    assert stats.mean([]) is None
    assert stats.mean([None, float("nan")]) is None
    assert stats.share_below([60, 70, 80, None], 70) == pytest.approx(1 / 3)
    assert stats.share_below([], 70) is None


def test_mean_difference_hand_worked() -> None:
    # differences 1, 0, 2: mean 1, sd 1, t(0.975, 2) = 4.302653 → half-width 4.302653 / √3 = 2.484138
    result = stats.mean_difference([1, 2, 3], [2, 2, 5])
    assert result is not None
    assert (result.n, result.mean_before, result.mean_after, result.mean_diff, result.sd) == (3, 2, 3, 1, 1)
    assert result.ci_low == pytest.approx(1 - 2.484138, abs=1e-6)
    assert result.ci_high == pytest.approx(1 + 2.484138, abs=1e-6)


def test_mean_difference_against_numpy_and_scipy() -> None:
    result = stats.mean_difference(INTERVIEW, PERFORMANCE)
    diffs = np.array(PERFORMANCE) - np.array(INTERVIEW)
    low, high = sps.t.interval(0.95, len(diffs) - 1, loc=diffs.mean(), scale=sps.sem(diffs))
    assert result is not None
    assert result.mean_diff == pytest.approx(diffs.mean())
    assert result.sd == pytest.approx(diffs.std(ddof=1))
    assert (result.ci_low, result.ci_high) == (pytest.approx(low), pytest.approx(high))
    assert result.mean_before == pytest.approx(np.mean(INTERVIEW))
    assert result.mean_after == pytest.approx(np.mean(PERFORMANCE))


def test_mean_difference_needs_three_complete_pairs() -> None:
    assert stats.mean_difference([1, 2], [3, 4]) is None
    assert stats.mean_difference([1, 2, None], [3, 4, 5]) is None
    same = stats.mean_difference([1, 2, 3], [3, 4, 5])
    assert same is not None
    assert (same.ci_low, same.ci_high) == (2, 2)


def test_correlations_against_scipy() -> None:
    r = stats.pearson(INTERVIEW, PERFORMANCE)
    rho = stats.spearman(INTERVIEW, PERFORMANCE)
    expected_r = sps.pearsonr(INTERVIEW, PERFORMANCE)
    expected_rho = sps.spearmanr(INTERVIEW, PERFORMANCE)
    assert r is not None
    assert rho is not None
    assert r.r == pytest.approx(np.corrcoef(INTERVIEW, PERFORMANCE)[0, 1])
    assert r.p_value == pytest.approx(expected_r.pvalue)
    assert rho.r == pytest.approx(expected_rho.statistic)
    assert rho.p_value == pytest.approx(expected_rho.pvalue)
    assert r.n == rho.n == 12


def test_correlation_hand_worked_and_ties() -> None:
    # x = 1,2,3; y = 1,3,2: deviations (−1,0,1)·(−1,1,0) = 1, Σdx² = Σdy² = 2 → r = 0.5
    r = stats.pearson([1, 2, 3], [1, 3, 2])
    assert r is not None
    assert r.r == pytest.approx(0.5)
    # ties get mean ranks: y ranks 1, 2.5, 2.5, 4 → Pearson of (1,2,3,4) with those
    rho = stats.spearman([1, 2, 3, 4], [10, 20, 20, 30])
    assert rho is not None
    assert rho.r == pytest.approx(np.corrcoef([1, 2, 3, 4], [1, 2.5, 2.5, 4])[0, 1])


def test_correlation_none_when_undefined() -> None:
    assert stats.pearson([1, 2], [2, 1]) is None
    assert stats.pearson([5, 5, 5, 5], [1, 2, 3, 4]) is None
    assert stats.spearman([1, 2, 3, 4], [7, 7, 7, 7]) is None
    assert stats.pearson([1, 2, None, float("nan")], [1, 2, 3, 4]) is None
    with pytest.raises(ValueError, match="same length"):
        stats.pearson([1, 2, 3], [1, 2])


def test_nan_pairs_are_dropped_pairwise() -> None:
    x = [1, 2, float("nan"), 4, 5, None]
    y = [2, 1, 3, 5, None, 6]
    r = stats.pearson(x, y)
    assert r is not None
    assert r.n == 3
    assert r.r == pytest.approx(sps.pearsonr([1, 2, 4], [2, 1, 5]).statistic)


def _difference(low: float, high: float) -> stats.MeanDifference:
    return stats.MeanDifference(n=10, mean_before=80, mean_after=70, mean_diff=(low + high) / 2, sd=5,
                                ci_low=low, ci_high=high)


def test_calibration_flag_rules() -> None:
    rule: dict[str, Any] = {"min_n": 10, "margin": 5.0, "low_validity": 0.3}
    assert stats.calibration_flag(n=9, difference=_difference(-20, -10), r=0.9, **rule) == "not_enough_data"
    assert stats.calibration_flag(n=10, difference=None, r=None, **rule) == "not_enough_data"
    assert stats.calibration_flag(n=10, difference=_difference(-20, -5.1), r=0.9, **rule) == "over_rated"
    # the upper end exactly at −margin is not "entirely below" it
    assert stats.calibration_flag(n=10, difference=_difference(-20, -5.0), r=0.9, **rule) is None
    assert stats.calibration_flag(n=10, difference=_difference(-8, 2), r=0.29, **rule) == "low_validity"
    assert stats.calibration_flag(n=10, difference=_difference(-8, 2), r=None, **rule) == "low_validity"
    assert stats.calibration_flag(n=10, difference=_difference(-8, 2), r=0.3, **rule) is None


def test_question_suggestion_rules() -> None:
    rule: dict[str, Any] = {"min_n": 10, "low_validity": 0.3}
    assert stats.question_suggestion(n=9, r=0.9, **rule) == "not_enough_data"
    assert stats.question_suggestion(n=10, r=-0.4, **rule) == "retire"
    assert stats.question_suggestion(n=10, r=0.0, **rule) == "retire"
    assert stats.question_suggestion(n=10, r=0.1, **rule) == "revise"
    assert stats.question_suggestion(n=10, r=None, **rule) == "revise"
    assert stats.question_suggestion(n=10, r=0.3, **rule) == "keep"
    assert stats.question_suggestion(n=2, min_n=1, r=0.9, low_validity=0.3) == "not_enough_data"


def test_pool_flag_rules() -> None:
    assert stats.pool_flag(n=9, min_n=10, mean_score=20, required=70, margin=5) == "not_enough_data"
    assert stats.pool_flag(n=10, min_n=10, mean_score=64.9, required=70, margin=5) == "low_across_pool"
    assert stats.pool_flag(n=10, min_n=10, mean_score=65, required=70, margin=5) is None


# --- properties -----------------------------------------------------------------------------------------------

scores = st.floats(min_value=0, max_value=100, allow_nan=False)
paired = st.integers(min_value=3, max_value=40).flatmap(
    lambda n: st.tuples(st.lists(scores, min_size=n, max_size=n), st.lists(scores, min_size=n, max_size=n))
)


@settings(max_examples=80, deadline=None)
@given(paired)
def test_property_ci_contains_the_mean_and_matches_scipy(data: tuple[list[float], list[float]]) -> None:
    before, after = data
    result = stats.mean_difference(before, after)
    assert result is not None
    assert result.ci_low <= result.mean_diff + 1e-9
    assert result.mean_diff <= result.ci_high + 1e-9
    assert result.mean_diff == pytest.approx(result.mean_after - result.mean_before, abs=1e-9)
    diffs = np.array(after) - np.array(before)
    if diffs.std(ddof=1) > 1e-9:
        low, high = sps.t.interval(0.95, len(diffs) - 1, loc=diffs.mean(), scale=sps.sem(diffs))
        assert result.ci_low == pytest.approx(low, abs=1e-6)
        assert result.ci_high == pytest.approx(high, abs=1e-6)


@settings(max_examples=80, deadline=None)
@given(paired)
def test_property_correlations_bounded_symmetric_and_shift_invariant(data: tuple[list[float], list[float]]) -> None:
    x, y = data
    r = stats.pearson(x, y)
    rho = stats.spearman(x, y)
    if r is None:
        return
    assert -1 <= r.r <= 1
    assert 0 <= r.p_value <= 1
    assert stats.pearson(y, x) is not None
    assert stats.pearson(y, x).r == pytest.approx(r.r, abs=1e-9)  # type: ignore[union-attr]  # r exists for varied data
    shifted = stats.pearson([v * 2 + 7 for v in x], y)
    assume(shifted is not None)
    assert shifted.r == pytest.approx(r.r, abs=1e-6)  # type: ignore[union-attr]  # r exists for varied data
    if rho is not None:
        assert -1 <= rho.r <= 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=100), min_size=3, max_size=30, unique=True))
def test_property_monotone_relation_has_spearman_one(x: list[int]) -> None:
    y = [math.exp(v / 20) for v in x]  # strictly increasing in x
    rho = stats.spearman(x, y)
    assert rho is not None
    assert rho.r == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(scores, st.none(), st.just(float("nan"))), max_size=30))
def test_property_mean_is_between_min_and_max(values: list[float | None]) -> None:
    numbers = [v for v in values if v is not None and not math.isnan(v)]
    result = stats.mean(values)
    if not numbers:
        assert result is None
    else:
        assert result is not None
        assert min(numbers) - 1e-9 <= result <= max(numbers) + 1e-9
