"""Review arithmetic: exact values, re-weighting of missing parts, bands at their edges, and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.review import (
    BANDS,
    MEETS,
    PartWeights,
    band,
    competency_score,
    mean,
    meets,
    overall,
    results_score,
)

scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
optional_scores = st.one_of(st.none(), scores)
weights = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
no_deadline = settings(deadline=None)


def test_all_parts_with_the_default_weights() -> None:
    # 0.5 * 80 + 0.3 * 70 + 0.2 * 90 = 40 + 21 + 18
    assert competency_score(manager=80, feedback=70, results=90) == 79.0


def test_a_missing_part_is_reweighted_away() -> None:
    # no 360°: (50 * 80 + 20 * 90) / 70 = 5800 / 70 = 82.857...
    assert competency_score(manager=80, feedback=None, results=90) == 82.9
    # only the manager's rating: it is the score
    assert competency_score(manager=Decimal("77.5"), feedback=None, results=None) == 77.5
    # no manager rating: (30 * 60 + 20 * 85) / 50 = 70
    assert competency_score(manager=None, feedback=60, results=85) == 70.0


def test_no_part_gives_no_score() -> None:
    assert competency_score(manager=None, feedback=None, results=None) is None


def test_only_parts_weighted_zero_give_no_score() -> None:
    assert competency_score(manager=None, feedback=None, results=90, weights=(60, 40, 0)) is None


def test_cycle_weights_change_the_mix() -> None:
    assert competency_score(manager=80, feedback=70, results=90, weights=PartWeights(70, 30, 0)) == 77.0
    assert competency_score(manager=100, feedback=0, results=50, weights=(1, 1, 2)) == 50.0


def test_halves_round_up() -> None:
    # (50 * 80.25 + 50 * 80) / 100 = 80.125 -> 80.1; (80.15 + 80) / 2 = 80.075 -> 80.1
    assert competency_score(manager=Decimal("80.25"), feedback=80, results=None, weights=(50, 50, 0)) == 80.1
    assert overall([(1, Decimal("80.15")), (1, 80)]) == 80.1
    assert overall([(1, Decimal("80.05")), (1, 80.1)]) == 80.1  # 80.075 -> 80.1


def test_out_of_range_parts_and_negative_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        competency_score(manager=101, feedback=None, results=None)
    with pytest.raises(ValueError, match="between 0 and 100"):
        competency_score(manager=None, feedback=-1, results=None)
    with pytest.raises(ValueError, match="not negative"):
        competency_score(manager=50, feedback=None, results=None, weights=(-1, 30, 20))
    with pytest.raises(ValueError, match="between 0 and 100"):
        band(100.5)


def test_results_is_the_mean_of_kpi_and_okr_evidence() -> None:
    # KPI: (60 * 50 + 40 * 100) / 100 = 70; OKR: (50 * 80 + 50 * 90) / 100 = 85; mean 77.5
    assert results_score(kpi=[(60, 50), (40, 100)], okr=[(50, 80), (50, 90)]) == 77.5
    assert results_score(kpi=[(30, 64)]) == 64.0
    assert results_score(okr=[(25, 40), (75, 80)]) == 70.0
    # a KPI target without an actual yet has no score and drops out
    assert results_score(kpi=[(50, None), (50, 90)]) == 90.0
    assert results_score(kpi=[(50, None)], okr=[]) is None
    assert results_score() is None


def test_mean_of_feedback_scores() -> None:
    assert mean([75, 50, 100]) == 75.0
    assert mean([Decimal("66.67"), 50]) == 58.3  # 58.335 -> 58.3
    assert mean([]) is None


def test_overall_is_weighted_by_the_competency_model() -> None:
    # weights 0.4 / 0.35 / 0.25: 0.4 * 90 + 0.35 * 70 + 0.25 * 80 = 36 + 24.5 + 20 = 80.5
    items = [(Decimal("0.4"), 90), (Decimal("0.35"), 70), (Decimal("0.25"), 80)]
    assert overall(items) == 80.5
    # a competency without a score drops out: (0.4 * 90 + 0.25 * 80) / 0.65 = 56 / 0.65 = 86.15...
    assert overall([(Decimal("0.4"), 90), (Decimal("0.35"), None), (Decimal("0.25"), 80)]) == 86.2
    assert overall([(Decimal("0.4"), None)]) is None
    assert overall([]) is None


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100, "S"), (90, "S"), (Decimal("89.9"), "A"), (80, "A"), (Decimal("79.99"), "A"), (Decimal("79.94"), "B"),
        (70, "B"), (Decimal("69.9"), "C"), (60, "C"), (Decimal("59.9"), "D"), (0, "D"), (Decimal("89.95"), "S"),
    ],
)
def test_band_edges(score: Decimal | int, expected: str) -> None:
    assert band(score) == expected


def test_meets_requirements() -> None:
    assert {"S", "A", "B"} == MEETS
    assert BANDS == ("S", "A", "B", "C", "D")
    assert [meets(b) for b in BANDS] == [True, True, True, False, False]


@no_deadline
@given(
    manager=optional_scores, feedback=optional_scores, results=optional_scores,
    w=st.tuples(weights, weights, weights),
)
def test_competency_score_lies_between_the_parts_present(
    manager: Decimal | None, feedback: Decimal | None, results: Decimal | None, w: tuple[Decimal, Decimal, Decimal],
) -> None:
    score = competency_score(manager=manager, feedback=feedback, results=results, weights=w)
    present = [float(p) for p, weight in zip((manager, feedback, results), w, strict=True)
               if p is not None and weight > 0]
    if not present:
        assert score is None
        return
    assert score is not None
    # Rounding to one decimal (halves up) moves the score by at most 0.05; the 1e-9 absorbs float error
    # (2.65 + 0.05 is 2.6999999999999997 in floats, and 2.65 rounds to 2.7).
    assert min(present) - 0.05 - 1e-9 <= score <= max(present) + 0.05 + 1e-9
    assert 0 <= score <= 100


@no_deadline
@given(manager=scores, feedback=scores, w=st.tuples(weights, weights, weights))
def test_a_missing_part_equals_a_zero_weight(manager: Decimal, feedback: Decimal, w: tuple[Decimal, ...]) -> None:
    missing = competency_score(manager=manager, feedback=feedback, results=None, weights=(w[0], w[1], w[2]))
    zeroed = competency_score(manager=manager, feedback=feedback, results=50, weights=(w[0], w[1], 0))
    assert missing == zeroed


@no_deadline
@given(value=scores, w=st.tuples(weights, weights, weights))
def test_equal_parts_give_that_score(value: Decimal, w: tuple[Decimal, Decimal, Decimal]) -> None:
    score = competency_score(manager=value, feedback=value, results=value, weights=w)
    if sum(w) == 0:
        assert score is None
    else:
        assert score == float(value.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP"))


@no_deadline
@given(items=st.lists(st.tuples(weights, optional_scores), max_size=12), factor=st.integers(min_value=1, max_value=50))
def test_overall_does_not_depend_on_the_scale_of_the_weights(
    items: list[tuple[Decimal, Decimal | None]], factor: int,
) -> None:
    assert overall(items) == overall([(w * factor, s) for w, s in items])


@no_deadline
@given(score=scores)
def test_bands_are_monotonic(score: Decimal) -> None:
    higher = min(Decimal(100), score + 10)
    assert BANDS.index(band(higher)) <= BANDS.index(band(score))
    assert (band(score) in MEETS) == (score.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP") >= 70)
