"""Calibration of raw answer scores against HR's own 0-100 ratings (docs/scoring.md, "Calibration").

`fit_calibration(raw, ratings)` fits rating ≈ slope · raw + intercept by least squares (scikit-learn's
LinearRegression) on all the pairs, and says how well that generalises with k-fold cross-validation
(KFold, shuffled with `seed`, k = min(folds, n)): every rating is predicted by a line fitted without it,
the prediction clamped to 0-100 as the scorer clamps, and then

    pearson_r = Pearson correlation of the cross-validated predictions with the ratings
    qwk       = quadratic-weighted Cohen's kappa of the two binned to 0..10 by round(x / 10), halves up

Both are 0.0 when undefined (constant predictions). The scorer applies a calibration as
`TextAnswerScorer(slope=c.slope, intercept=c.intercept)`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.stats import pearsonr
from sklearn.linear_model import LinearRegression
from sklearn.metrics import cohen_kappa_score
from sklearn.model_selection import KFold

__all__ = ["MIN_RATINGS", "Calibration", "fit_calibration"]

MIN_RATINGS = 10
_BINS = list(range(11))


@dataclass(frozen=True)
class Calibration:
    method: str  # "linear"
    slope: float
    intercept: float
    n: int
    pearson_r: float  # cross-validated
    qwk: float  # cross-validated, on 0..10 bins

    def apply(self, raw: float) -> float:
        return min(100.0, max(0.0, self.slope * raw + self.intercept))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def fit_calibration(raw: Sequence[float], ratings: Sequence[float], *, folds: int = 5, seed: int = 0) -> Calibration:
    x = _checked(raw, "raw scores")
    y = _checked(ratings, "ratings")
    if len(x) != len(y):
        raise ValueError(f"got {len(x)} raw scores but {len(y)} ratings; they must pair up")
    if len(y) < MIN_RATINGS:
        raise ValueError(f"calibration needs at least {MIN_RATINGS} rated answers, got {len(y)}")
    if np.ptp(y) == 0:
        raise ValueError(f"all {len(y)} ratings are the same ({y[0]:g}); calibration needs varied ratings")
    if np.ptp(x) == 0:
        raise ValueError(f"all {len(x)} raw scores are the same ({x[0]:g}); calibration needs varied scores")
    if isinstance(folds, bool) or not isinstance(folds, int) or folds < 2:
        raise ValueError(f"folds must be an integer >= 2, got {folds!r}")

    features = x.reshape(-1, 1)
    model = LinearRegression().fit(features, y)
    predictions = np.empty_like(y)
    splitter = KFold(n_splits=min(folds, len(y)), shuffle=True, random_state=seed)
    for train, test in splitter.split(features):
        fold = LinearRegression().fit(features[train], y[train])
        predictions[test] = np.clip(fold.predict(features[test]), 0.0, 100.0)
    return Calibration(
        method="linear",
        slope=float(model.coef_[0]),
        intercept=float(model.intercept_),
        n=len(y),
        pearson_r=_pearson(predictions, y),
        qwk=_qwk(predictions, y),
    )


def _checked(values: Sequence[float], what: str) -> np.ndarray:
    items = list(values)
    for value in items:
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise ValueError(f"{what} must be numbers, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{what} must be finite, got {value!r}")
        if not 0 <= value <= 100:
            raise ValueError(f"{what} must be between 0 and 100, got {value!r}")
    return np.asarray(items, dtype=float)


def _pearson(predictions: np.ndarray, ratings: np.ndarray) -> float:
    if np.ptp(predictions) == 0:
        return 0.0
    return float(pearsonr(predictions, ratings)[0])


def _bins(values: np.ndarray) -> np.ndarray:
    return np.floor(values / 10 + 0.5).astype(int)


def _qwk(predictions: np.ndarray, ratings: np.ndarray) -> float:
    a, b = _bins(ratings), _bins(predictions)
    if len(set(a.tolist()) | set(b.tolist())) < 2:
        return 0.0
    value = float(cohen_kappa_score(a, b, weights="quadratic", labels=_BINS))
    return value if math.isfinite(value) else 0.0
