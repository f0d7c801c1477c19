"""Calibration: linear fit of human ratings on raw scores, with cross-validated Pearson r and QWK."""

from __future__ import annotations

import json

import numpy as np
import pytest

from talentloop.assessment.answers import Answer, Question, TextAnswerScorer
from talentloop.assessment.answers.calibration import MIN_RATINGS, Calibration, fit_calibration

RAW = [float(x) for x in range(5, 100, 5)]  # 19 raw scores


def test_recovers_an_exact_line_and_is_perfect_out_of_fold() -> None:
    ratings = [0.8 * x + 12.0 for x in RAW]
    calibration = fit_calibration(RAW, ratings)
    assert calibration.method == "linear"
    assert calibration.slope == pytest.approx(0.8, abs=1e-6)
    assert calibration.intercept == pytest.approx(12.0, abs=1e-6)
    assert calibration.n == 19
    assert calibration.pearson_r == pytest.approx(1.0, abs=1e-6)
    assert calibration.qwk == pytest.approx(1.0, abs=1e-6)


def test_noise_lowers_r_and_qwk_but_the_line_is_close() -> None:
    rng = np.random.default_rng(42)
    raw = rng.uniform(10, 90, 200)
    ratings = np.clip(0.9 * raw + 5 + rng.normal(0, 12, 200), 0, 100)
    calibration = fit_calibration(raw.tolist(), ratings.tolist(), folds=5, seed=1)
    assert calibration.slope == pytest.approx(0.9, abs=0.1)
    assert calibration.intercept == pytest.approx(5, abs=6)
    assert 0.7 < calibration.pearson_r < 0.95
    assert 0.6 < calibration.qwk < 0.95
    unrelated = fit_calibration(raw.tolist(), rng.uniform(0, 100, 200).tolist())
    assert abs(unrelated.slope) < 0.2
    assert unrelated.pearson_r < 0.2
    assert unrelated.qwk < 0.2


def test_deterministic_for_a_seed_and_json_able() -> None:
    rng = np.random.default_rng(0)
    raw = rng.uniform(0, 100, 40).tolist()
    ratings = np.clip(np.asarray(raw) + rng.normal(0, 10, 40), 0, 100).tolist()
    first = fit_calibration(raw, ratings, seed=3)
    assert fit_calibration(raw, ratings, seed=3) == first
    data = first.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"method", "slope", "intercept", "n", "pearson_r", "qwk"}
    assert isinstance(first, Calibration)
    with pytest.raises(AttributeError):
        first.slope = 2.0  # type: ignore[misc]  # frozen: the assignment itself is the test


def test_apply_clamps_like_the_scorer_and_the_scorer_takes_the_line() -> None:
    calibration = fit_calibration(RAW, [min(100.0, 0.5 * x + 30) for x in RAW])
    assert calibration.apply(0) == pytest.approx(30.0)
    assert calibration.apply(100) == pytest.approx(80.0)
    assert Calibration("linear", 2.0, -10.0, 10, 1.0, 1.0).apply(90) == 100.0
    assert Calibration("linear", 2.0, -10.0, 10, 1.0, 1.0).apply(2) == 0.0
    question = Question(text="How do you handle a complaint?", language="en", competency="customer_orientation")
    answer = Answer("I listened to the customer, apologised, and then called back the next day with a refund.")
    raw = TextAnswerScorer().score(question, answer).score
    scorer = TextAnswerScorer(slope=calibration.slope, intercept=calibration.intercept)
    # raw is rounded to 0.1 before apply here, hence the tolerance of half a step times the slope plus rounding
    assert scorer.score(question, answer).score == pytest.approx(calibration.apply(raw), abs=0.08)


@pytest.mark.parametrize(
    ("raw", "ratings", "message"),
    [
        (RAW[:9], RAW[:9], f"at least {MIN_RATINGS} rated answers, got 9"),
        (RAW, [50.0] * len(RAW), "all 19 ratings are the same"),
        ([50.0] * 12, list(range(12)), "all 12 raw scores are the same"),
        (RAW, [*RAW[:-1], float("nan")], "ratings must be finite"),
        (RAW, [*RAW[:-1], float("inf")], "ratings must be finite"),
        ([*RAW[:-1], -1.0], RAW, "raw scores must be between 0 and 100"),
        (RAW, [*RAW[:-1], 101.0], "ratings must be between 0 and 100"),
        (RAW, [*RAW[:-1], "80"], "ratings must be numbers"),
        (RAW, RAW[:-1], "19 raw scores but 18 ratings"),
    ],
)
def test_bad_input_gives_clear_errors(raw, ratings, message) -> None:
    with pytest.raises(ValueError, match=message):
        fit_calibration(raw, ratings)


def test_folds_are_validated_and_capped_by_n() -> None:
    with pytest.raises(ValueError, match="folds must be an integer >= 2"):
        fit_calibration(RAW, RAW, folds=1)
    assert fit_calibration(RAW[:10], RAW[:10], folds=50).n == 10  # leave-one-out at most
