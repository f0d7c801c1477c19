"""OKR arithmetic: exact values, the clamp, the start == target rule, and properties over many inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from talentloop.assessment.okr import Direction, kr_progress, kr_score, objective_score

values = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
DIRECTIONS: tuple[Direction, ...] = ("increase", "decrease")
directions = st.sampled_from(DIRECTIONS)
no_deadline = settings(deadline=None)


def test_exact_progress_and_score_for_an_increase() -> None:
    assert kr_progress(start=10, target=20, current=14, direction="increase") == 0.4
    assert kr_score(start=10, target=20, current=14, direction="increase") == 40.0
    assert kr_score(start=0, target=3, current=1, direction="increase") == 33.3
    assert kr_score(start=0, target=3, current=2, direction="increase") == 66.7


def test_exact_progress_and_score_for_a_decrease() -> None:
    # churn from 8% down to 3%: at 6% two fifths of the way
    assert kr_progress(start=8, target=3, current=6, direction="decrease") == 0.4
    assert kr_score(start=Decimal("8"), target=Decimal("3"), current=Decimal("6"), direction="decrease") == 40.0


def test_halves_round_up() -> None:
    # 1/8 = 0.125 -> 12.5 exactly; 1/16 = 0.0625 -> 6.25 -> 6.3
    assert kr_score(start=0, target=16, current=1, direction="increase") == 6.3


def test_progress_is_clamped_both_ways() -> None:
    assert kr_progress(start=10, target=20, current=5, direction="increase") == 0.0
    assert kr_progress(start=10, target=20, current=35, direction="increase") == 1.0
    assert kr_score(start=8, target=3, current=1, direction="decrease") == 100.0
    assert kr_score(start=8, target=3, current=9, direction="decrease") == 0.0


def test_start_equal_to_target_is_done_once_reached() -> None:
    assert kr_progress(start=5, target=5, current=5, direction="increase") == 1.0
    assert kr_progress(start=5, target=5, current=4, direction="increase") == 0.0
    assert kr_progress(start=5, target=5, current=4, direction="decrease") == 1.0
    assert kr_progress(start=5, target=5, current=6, direction="decrease") == 0.0


def test_floats_are_taken_at_face_value() -> None:
    assert kr_progress(start=0.1, target=0.3, current=0.2, direction="increase") == 0.5


def test_an_unknown_direction_is_refused() -> None:
    with pytest.raises(ValueError, match="direction"):
        kr_progress(start=0, target=1, current=1, direction="sideways")  # type: ignore[arg-type]  # the bad input itself


def test_objective_score_is_the_weighted_mean() -> None:
    assert objective_score([(60, 40.0), (40, 90.0)]) == 60.0
    assert objective_score([(Decimal("33.33"), 100), (Decimal("66.67"), 0)]) == 33.3
    assert objective_score([(50, 70)]) == 70.0


def test_objective_without_weight_has_no_score() -> None:
    assert objective_score([]) is None
    assert objective_score([(0, 80)]) is None
    with pytest.raises(ValueError, match="negative"):
        objective_score([(-1, 80)])


@no_deadline
@given(start=values, target=values, a=values, b=values, direction=directions)
def test_progress_is_monotonic_in_the_current_value(
    start: Decimal, target: Decimal, a: Decimal, b: Decimal, direction: Direction
) -> None:
    # for a well-formed key result: the target lies beyond the start in the key result's direction
    assume(target > start if direction == "increase" else target < start)
    low, high = min(a, b), max(a, b)
    p_low = kr_progress(start=start, target=target, current=low, direction=direction)
    p_high = kr_progress(start=start, target=target, current=high, direction=direction)
    if direction == "increase":
        assert p_low <= p_high
    else:
        assert p_low >= p_high


@no_deadline
@given(start=values, target=values, current=values, direction=directions)
def test_progress_and_score_are_bounded(
    start: Decimal, target: Decimal, current: Decimal, direction: Direction
) -> None:
    progress = kr_progress(start=start, target=target, current=current, direction=direction)
    score = kr_score(start=start, target=target, current=current, direction=direction)
    assert 0.0 <= progress <= 1.0
    assert 0.0 <= score <= 100.0
    assert abs(score - progress * 100) <= 0.05 + 1e-9


@no_deadline
@given(start=values, target=values, current=values)
def test_a_decrease_is_the_mirror_of_an_increase(start: Decimal, target: Decimal, current: Decimal) -> None:
    assert kr_progress(start=start, target=target, current=current, direction="decrease") == kr_progress(
        start=-start, target=-target, current=-current, direction="increase"
    )


@no_deadline
@given(start=values, target=values, direction=directions)
def test_reaching_the_target_scores_100_and_staying_at_start_scores_0(
    start: Decimal, target: Decimal, direction: Direction
) -> None:
    assert kr_score(start=start, target=target, current=target, direction=direction) == 100.0
    if start != target:
        assert kr_score(start=start, target=target, current=start, direction=direction) == 0.0


@no_deadline
@given(st.lists(st.tuples(st.decimals(min_value=Decimal("0.01"), max_value=100, places=2),
                          st.decimals(min_value=0, max_value=100, places=1)), min_size=1, max_size=10))
def test_objective_score_lies_between_its_key_results(pairs: list[tuple[Decimal, Decimal]]) -> None:
    score = objective_score(pairs)
    assert score is not None
    assert float(min(s for _, s in pairs)) - 0.05 - 1e-9 <= score <= float(max(s for _, s in pairs)) + 0.05 + 1e-9
