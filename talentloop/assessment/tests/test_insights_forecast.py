"""The demand forecast against synthetic series with a known trend, an independent Holt computation, the
fallback, the bands, the attrition arithmetic and the quarterly history."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.insights import forecast as fc
from talentloop.assessment.insights.forecast import HistoryQuarter, Person, Quarter

FIRST = Quarter(2022, 1)


def _history(ends: Sequence[float], leavers: list[int] | None = None) -> list[HistoryQuarter]:
    leavers = leavers or [0] * len(ends)
    rows, previous, quarter = [], ends[0], FIRST
    for end, left in zip(ends, leavers, strict=True):
        rows.append(HistoryQuarter(quarter, int(previous), 0, left, int(end)))
        previous, quarter = end, quarter.next()
    return rows


def _holt_reference(y: np.ndarray, alpha: float, beta: float) -> tuple[float, float, float]:
    """Holt's method written out independently: (sse over t >= 2, final level, final trend)."""
    level, trend, sse = y[0], y[1] - y[0], 0.0
    for t in range(1, len(y)):
        if t >= 2:
            sse += (y[t] - (level + trend)) ** 2
        new_level = alpha * y[t] + (1 - alpha) * (level + trend)
        trend = beta * (new_level - level) + (1 - beta) * trend
        level = new_level
    return sse, level, trend


def test_quarter_arithmetic() -> None:
    q = Quarter.of(dt.date(2024, 11, 3))
    assert (q.label, q.first_day, q.last_day) == ("2024Q4", dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    assert q.next().label == "2025Q1"
    assert q.next(-4).label == "2023Q4"
    assert Quarter.of(dt.date(2024, 3, 31)).label == "2024Q1"


def test_history_counts_hires_leavers_and_headcount() -> None:
    people = [
        Person(dt.date(2023, 12, 15)),  # before: in the start headcount
        Person(dt.date(2024, 1, 1)),  # hired on the quarter's first day
        Person(dt.date(2024, 2, 10), dt.date(2024, 3, 31)),  # hired and left in Q1 (left on its last day)
        Person(dt.date(2023, 6, 1), dt.date(2024, 4, 1)),  # leaves in Q2
        Person(dt.date(2024, 5, 5), dt.date(2024, 5, 5)),  # left the day they were hired: ignored
    ]
    q1, q2 = fc.quarter_history(people, first=Quarter(2024, 1), last=Quarter(2024, 2))
    assert (q1.start, q1.hires, q1.leavers, q1.end) == (2, 2, 1, 3)
    assert (q2.start, q2.hires, q2.leavers, q2.end) == (3, 0, 1, 2)
    assert fc.quarter_history(people, first=Quarter(2024, 2), last=Quarter(2024, 1)) == ()


def test_exact_linear_trend_is_forecast_exactly() -> None:
    # 100, 105, ..., 135: Holt starts with the right trend and never errs; σ = 0, the bands collapse.
    ends = [100 + 5 * t for t in range(8)]
    result = fc.forecast(_history(ends), horizon=4)
    assert result.method == "holt_linear"
    assert [q.headcount for q in result.quarters] == pytest.approx([140, 145, 150, 155])
    assert result.parameters["trend"] == pytest.approx(5)
    assert result.parameters["sse"] == pytest.approx(0)
    assert all(q.low95 == pytest.approx(q.headcount) == pytest.approx(q.high95) for q in result.quarters)
    assert [q.quarter.label for q in result.quarters] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]


def test_noisy_trend_is_recovered_within_bands() -> None:
    rng = np.random.default_rng(7)
    t = np.arange(16)
    ends = list(np.round(200 + 6 * t + rng.normal(0, 2, len(t))))
    result = fc.forecast(_history(ends), horizon=4)
    truth = [200 + 6 * (16 + h - 1) for h in range(1, 5)]
    for quarter, true in zip(result.quarters, truth, strict=True):
        assert quarter.low95 <= true <= quarter.high95
        assert abs(quarter.headcount - true) < 8
    assert result.parameters["trend"] == pytest.approx(6, abs=1.0)


def test_fit_matches_an_independent_grid_search() -> None:
    rng = np.random.default_rng(3)
    y = np.round(50 + 2 * np.arange(12) + rng.normal(0, 3, 12))
    alpha, beta, sse = fc.holt_fit(y)
    assert sse == pytest.approx(_holt_reference(y, alpha, beta)[0])
    best = min(_holt_reference(y, a, b)[0] for a in fc.GRID for b in fc.GRID)
    assert sse == pytest.approx(best)
    result = fc.forecast(_history(list(y)), horizon=2)
    _sse, level, trend = _holt_reference(y, alpha, beta)
    assert result.parameters["level"] == pytest.approx(level)
    assert result.parameters["trend"] == pytest.approx(trend)
    # The bands: z·σ·√h with σ² = SSE / (m − 2), m = 10 one-step errors.
    sigma = math.sqrt(sse / (10 - 2))
    q2 = result.quarters[1]
    assert q2.headcount == pytest.approx(level + 2 * trend)
    assert q2.high80 - q2.headcount == pytest.approx(1.2815515655 * sigma * math.sqrt(2))
    assert q2.high95 - q2.headcount == pytest.approx(1.9599639845 * sigma * math.sqrt(2))


def test_short_history_falls_back_to_mean_growth() -> None:
    ends = [10, 12, 13, 17, 18]
    result = fc.forecast(_history(ends), horizon=3)
    changes = np.diff(ends)
    assert result.method == "mean_growth"
    assert result.parameters["drift"] == pytest.approx(2.0)
    assert result.parameters["sigma"] == pytest.approx(np.std(changes, ddof=1))
    assert [q.headcount for q in result.quarters] == pytest.approx([20, 22, 24])
    one = fc.forecast(_history([7]), horizon=2)
    assert one.method == "mean_growth"
    assert [q.headcount for q in one.quarters] == [7, 7]
    assert one.parameters["sigma"] is None
    assert one.quarters[1].high95 == 7


def test_attrition_and_hiring_need() -> None:
    # Two quarters: 100 -> 100 with 10 leavers, 100 -> 100 with 10 leavers: rate = 20 / 200 = 0.1.
    history = _history([100, 100], leavers=[10, 10])
    assert fc.attrition_rate(history) == pytest.approx(0.1)
    result = fc.forecast(history, horizon=2)
    first = result.quarters[0]
    # Flat forecast 100: expected leavers 10, so 10 hires keep the headcount.
    assert first.expected_leavers == pytest.approx(10)
    assert first.hiring_need == pytest.approx(10)
    growing = fc.forecast(_history([100, 110], leavers=[0, 5]), horizon=1).quarters[0]
    # Rate 5 / (100 + 105) ; forecast 120 ; need = 120 − (110 − 110·rate).
    rate = 5 / 205
    assert growing.hiring_need == pytest.approx(120 - (110 - 110 * rate))
    assert fc.attrition_rate(_history([0, 0])) is None


def test_shrinking_headcount_needs_no_hires_and_never_goes_below_zero() -> None:
    result = fc.forecast(_history([9, 6, 3]), horizon=4)
    assert [q.headcount for q in result.quarters] == [0, 0, 0, 0]
    assert all(q.hiring_need == 0 and q.low95 >= 0 for q in result.quarters)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="no history"):
        fc.forecast([], horizon=2)
    with pytest.raises(ValueError, match="horizon"):
        fc.forecast(_history([1, 2]), horizon=0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=14),
    st.integers(min_value=1, max_value=4),
)
def test_forecast_properties(ends: list[int], horizon: int) -> None:
    result = fc.forecast(_history([float(e) for e in ends]), horizon=horizon)
    assert len(result.quarters) == horizon
    assert result.method == ("holt_linear" if len(ends) >= fc.MIN_HOLT_QUARTERS else "mean_growth")
    widths = []
    for q in result.quarters:
        assert 0 <= q.low95 <= q.low80 <= q.headcount + 1e-9
        assert q.headcount <= q.high80 + 1e-9 <= q.high95 + 2e-9
        assert q.hiring_need >= 0
        assert q.need_low95 <= q.hiring_need + 1e-9 <= q.need_high95 + 2e-9
        widths.append(q.high95 - q.low95)
    # Bands widen with the horizon, unless cut at zero.
    if all(q.low95 > 0 for q in result.quarters):
        assert widths == sorted(widths)


@settings(max_examples=30, deadline=None)
@given(
    st.floats(min_value=10, max_value=1000), st.floats(min_value=-5, max_value=20),
    st.integers(min_value=6, max_value=14),
)
def test_any_exact_line_is_continued(intercept: float, slope: float, n: int) -> None:
    ends = [intercept + slope * t for t in range(n)]
    history = [
        HistoryQuarter(Quarter(2020, 1).next(i), 0, 0, 0, 0) for i in range(n)
    ]
    # forecast() reads the end headcounts; floats are kept by building the rows directly.
    # (mypy ignore on the next line: None leavers on purpose)
    history = [HistoryQuarter(h.quarter, 0, 0, 0, e) for h, e in zip(history, ends, strict=True)]  # type: ignore[arg-type]
    result = fc.forecast(history, horizon=3)
    expected = [max(intercept + slope * (n - 1 + h), 0.0) for h in (1, 2, 3)]
    assert [q.headcount for q in result.quarters] == pytest.approx(expected, rel=1e-6, abs=1e-6)
