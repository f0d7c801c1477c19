"""Talent demand forecast (no Django): quarterly headcount history from hire and leaving dates, a headcount
forecast for the next quarters with uncertainty bands, the attrition expected on the way, and the hiring need
that follows.

Method (the response names it and its parameters):

- **History**: per calendar quarter, the headcount at its last day (hired on or before it, not left on or
  before it), the hires (hire date in the quarter) and the leavers (leaving date in the quarter).
- **Holt's linear trend** ("holt_linear", double exponential smoothing) when there are at least
  `MIN_HOLT_QUARTERS` quarters: level ℓ and trend b start at ℓ₀ = y₀, b₀ = y₁ − y₀ and follow
  ℓₜ = α·yₜ + (1−α)(ℓₜ₋₁ + bₜ₋₁), bₜ = β(ℓₜ − ℓₜ₋₁) + (1−β)·bₜ₋₁. α and β are fitted by least squares of the
  one-step-ahead errors yₜ − (ℓₜ₋₁ + bₜ₋₁), t ≥ 2, over the grid 0.05, 0.10, …, 1.00 (ties: the smaller
  α, then the smaller β). The forecast h quarters ahead is ℓₙ + h·bₙ.
- **Mean growth** ("mean_growth", the fallback for shorter histories): the last headcount plus h times the
  mean quarter-on-quarter change.
- **Bands**: forecast ± z·σ·√h with z = 1.2816 (80 %) and 1.9600 (95 %), σ the residual standard deviation
  (Holt: √(SSE / (m − 2)) over its m one-step errors; mean growth: the standard deviation of the changes,
  ddof 1). Headcounts below 0 are cut at 0. With σ = 0 (or too few points to estimate it) the bands are
  the forecast itself and `sigma` says so.
- **Attrition rate** per quarter = all leavers in the history / the sum of each quarter's average headcount
  ((start + end) / 2); expected leavers in a forecast quarter = rate × its start headcount.
- **Hiring need** of a forecast quarter = forecast headcount − (start headcount − expected leavers), at least
  0; its bands are the headcount bands shifted by the same amount (start and leavers taken as known).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_HOLT_QUARTERS = 6
GRID = tuple(round(0.05 * i, 2) for i in range(1, 21))
Z80 = float(stats.norm.ppf(0.9))
Z95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    q: int  # 1..4

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * (self.q - 1) + 1, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def next(self, steps: int = 1) -> Quarter:
        index = self.year * 4 + (self.q - 1) + steps
        return Quarter(index // 4, index % 4 + 1)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.q}"


@dataclass(frozen=True)
class Person:
    hired_on: dt.date
    left_on: dt.date | None = None


@dataclass(frozen=True)
class HistoryQuarter:
    quarter: Quarter
    start: int  # headcount at the end of the previous quarter
    hires: int
    leavers: int
    end: int


@dataclass(frozen=True)
class ForecastQuarter:
    quarter: Quarter
    horizon: int
    headcount: float
    low80: float
    high80: float
    low95: float
    high95: float
    start: float
    expected_leavers: float
    hiring_need: float
    need_low80: float
    need_high80: float
    need_low95: float
    need_high95: float


@dataclass(frozen=True)
class Forecast:
    method: str  # "holt_linear" | "mean_growth"
    parameters: dict[str, float | None]
    history: tuple[HistoryQuarter, ...]
    quarters: tuple[ForecastQuarter, ...]
    attrition_rate: float | None  # per quarter; None with no headcount in the history
    fitted: tuple[float, ...]  # one-step-ahead fits for the history (NaN where none)


def quarter_history(people: Iterable[Person], *, first: Quarter, last: Quarter) -> tuple[HistoryQuarter, ...]:
    """The history from `first` to `last` inclusive. A person who left on or before being hired is ignored."""
    if last < first:
        return ()
    rows = [p for p in people if p.left_on is None or p.left_on > p.hired_on]
    hired = np.array(sorted(p.hired_on.toordinal() for p in rows), dtype=np.int64)
    left = np.array(sorted(p.left_on.toordinal() for p in rows if p.left_on is not None), dtype=np.int64)

    def headcount(day: dt.date) -> int:
        o = day.toordinal()
        return int(np.searchsorted(hired, o, side="right") - np.searchsorted(left, o, side="right"))

    history = []
    quarter = first
    while quarter <= last:
        start_o, end_o = quarter.first_day.toordinal(), quarter.last_day.toordinal()
        hires = int(np.searchsorted(hired, end_o, side="right") - np.searchsorted(hired, start_o, side="left"))
        leavers = int(np.searchsorted(left, end_o, side="right") - np.searchsorted(left, start_o, side="left"))
        history.append(HistoryQuarter(
            quarter, headcount(quarter.first_day - dt.timedelta(days=1)), hires, leavers, headcount(quarter.last_day)
        ))
        quarter = quarter.next()
    return tuple(history)


def holt_errors(y: Sequence[float] | np.ndarray, alpha: float, beta: float) -> tuple[np.ndarray, float, float]:
    """One-step-ahead fits ŷₜ (NaN for t < 2) and the final level and trend of Holt's linear method."""
    values = np.asarray(y, dtype=float)
    fits = np.full(len(values), np.nan)
    level, trend = values[0], values[1] - values[0]
    for t in range(1, len(values)):
        if t >= 2:
            fits[t] = level + trend
        previous = level
        level = alpha * values[t] + (1 - alpha) * (level + trend)
        trend = beta * (level - previous) + (1 - beta) * trend
    return fits, float(level), float(trend)


def holt_fit(y: Sequence[float] | np.ndarray) -> tuple[float, float, float]:
    """(alpha, beta, sse) minimising the one-step-ahead squared errors over GRID."""
    values = np.asarray(y, dtype=float)
    if len(values) < 3:
        raise ValueError("Holt's method needs at least 3 points")
    best: tuple[float, float, float] | None = None
    for alpha in GRID:
        for beta in GRID:
            fits, _level, _trend = holt_errors(values, alpha, beta)
            sse = float(np.nansum((values - fits) ** 2))
            if best is None or sse < best[2] - 1e-9:
                best = (alpha, beta, sse)
    assert best is not None
    return best


def attrition_rate(history: Sequence[HistoryQuarter]) -> float | None:
    exposure = sum((h.start + h.end) / 2 for h in history)
    if exposure <= 0:
        return None
    return sum(h.leavers for h in history) / exposure


def forecast(history: Sequence[HistoryQuarter], *, horizon: int) -> Forecast:
    """Forecast `horizon` quarters after the last of `history` (which must not be empty)."""
    if not history:
        raise ValueError("no history to forecast from")
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    y = np.array([h.end for h in history], dtype=float)
    parameters: dict[str, float | None]
    if len(y) >= MIN_HOLT_QUARTERS:
        alpha, beta, sse = holt_fit(y)
        fits, level, trend = holt_errors(y, alpha, beta)
        m = int(np.sum(~np.isnan(fits)))
        sigma = math.sqrt(sse / (m - 2)) if m > 2 else None
        method = "holt_linear"
        parameters = {"alpha": alpha, "beta": beta, "level": level, "trend": trend, "sse": sse, "sigma": sigma}
        points = [level + h * trend for h in range(1, horizon + 1)]
    else:
        changes = np.diff(y)
        drift = float(changes.mean()) if len(changes) else 0.0
        sigma = float(np.std(changes, ddof=1)) if len(changes) >= 2 else None
        method = "mean_growth"
        fits = np.full(len(y), np.nan)
        for t in range(2, len(y)):
            fits[t] = y[t - 1] + float(np.diff(y[:t]).mean())
        parameters = {"drift": drift, "sigma": sigma}
        points = [float(y[-1]) + h * drift for h in range(1, horizon + 1)]
    rate = attrition_rate(history)
    quarters = []
    start = float(y[-1])
    quarter = history[-1].quarter
    spread = sigma or 0.0
    for h, point in enumerate(points, start=1):
        quarter = quarter.next()
        head = max(point, 0.0)
        w80, w95 = Z80 * spread * math.sqrt(h), Z95 * spread * math.sqrt(h)
        leavers = (rate or 0.0) * start
        base = start - leavers
        quarters.append(ForecastQuarter(
            quarter=quarter, horizon=h, headcount=head,
            low80=max(point - w80, 0.0), high80=max(point + w80, 0.0),
            low95=max(point - w95, 0.0), high95=max(point + w95, 0.0),
            start=start, expected_leavers=leavers, hiring_need=max(head - base, 0.0),
            need_low80=max(point - w80 - base, 0.0), need_high80=max(point + w80 - base, 0.0),
            need_low95=max(point - w95 - base, 0.0), need_high95=max(point + w95 - base, 0.0),
        ))
        start = head
    return Forecast(
        method=method, parameters=parameters, history=tuple(history), quarters=tuple(quarters),
        attrition_rate=rate, fitted=tuple(float(v) for v in fits),
    )
