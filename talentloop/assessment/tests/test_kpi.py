"""KPI arithmetic: exact values on both segments, the clamps, the mirror for decreasing KPIs, coinciding
reference values, the weighted score, and properties over many inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from talentloop.assessment.kpi import Direction, kpi_score, scale_in_order, weighted_score

values = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
scores = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
no_deadline = settings(deadline=None)


def _up(actual: float | Decimal, floor: float = 50, threshold: float = 80, target: float = 100) -> float:
    return kpi_score(actual=actual, floor=floor, threshold=threshold, target=target, direction="increase")


def _down(actual: float | Decimal, floor: float = 48, threshold: float = 24, target: float = 8) -> float:
    # hours to resolve a ticket: 48 h scores 0, 24 h scores 60, 8 h scores 100
    return kpi_score(actual=actual, floor=floor, threshold=threshold, target=target, direction="decrease")


def test_the_reference_values_score_0_60_100() -> None:
    assert (_up(50), _up(80), _up(100)) == (0.0, 60.0, 100.0)
    assert (_down(48), _down(24), _down(8)) == (0.0, 60.0, 100.0)


def test_exact_values_on_each_segment() -> None:
    assert _up(65) == 30.0  # half way floor → threshold
    assert _up(90) == 80.0  # half way threshold → target
    assert _up(Decimal("52.5")) == 5.0
    assert _up(95) == 90.0
    assert _down(36) == 30.0
    assert _down(16) == 80.0
    assert _down(12) == 90.0


def test_rounding_is_one_decimal_halves_up() -> None:
    # 60 * 1/3 = 20.0; 60 * 1/7 = 8.571.. -> 8.6; 60 + 40 * 1/16 = 62.5; 40/3 + 60 = 73.33 -> 73.3
    assert kpi_score(actual=1, floor=0, threshold=3, target=10, direction="increase") == 20.0
    assert kpi_score(actual=1, floor=0, threshold=7, target=10, direction="increase") == 8.6
    assert kpi_score(actual=1, floor=0, threshold=0, target=16, direction="increase") == 62.5
    assert kpi_score(actual=1, floor=-1, threshold=0, target=3, direction="increase") == 73.3
    # 60 * 1/16 = 3.75 -> 3.8 (a half rounded up, not to even)
    assert kpi_score(actual=1, floor=0, threshold=16, target=20, direction="increase") == 3.8


def test_scores_are_clamped_both_ways() -> None:
    assert _up(0) == 0.0
    assert _up(-1000) == 0.0
    assert _up(180) == 100.0
    assert _down(100) == 0.0
    assert _down(0) == 100.0
    assert _down(-5) == 100.0


def test_floats_decimals_and_ints_are_taken_at_face_value() -> None:
    assert kpi_score(actual=0.2, floor=0.1, threshold=0.3, target=0.5, direction="increase") == 30.0
    assert kpi_score(
        actual=Decimal("0.2"), floor=Decimal("0.1"), threshold=Decimal("0.3"), target=Decimal("0.5"),
        direction="increase",
    ) == 30.0


def test_coinciding_reference_values_jump() -> None:
    # floor == threshold: below it 0, at it 60
    assert kpi_score(actual=9.99, floor=10, threshold=10, target=20, direction="increase") == 0.0
    assert kpi_score(actual=10, floor=10, threshold=10, target=20, direction="increase") == 60.0
    # threshold == target: just below it still on the first segment, at it 100
    assert kpi_score(actual=15, floor=10, threshold=20, target=20, direction="increase") == 30.0
    assert kpi_score(actual=20, floor=10, threshold=20, target=20, direction="increase") == 100.0
    # all three equal: reached or not
    assert kpi_score(actual=5, floor=5, threshold=5, target=5, direction="decrease") == 100.0
    assert kpi_score(actual=6, floor=5, threshold=5, target=5, direction="decrease") == 0.0


def test_a_scale_out_of_order_is_refused() -> None:
    with pytest.raises(ValueError, match="out of order"):
        kpi_score(actual=1, floor=10, threshold=5, target=20, direction="increase")
    with pytest.raises(ValueError, match="out of order"):
        kpi_score(actual=1, floor=8, threshold=24, target=48, direction="decrease")
    assert not scale_in_order(floor=0, threshold=90, target=80, direction="increase")
    assert scale_in_order(floor=48, threshold=24, target=8, direction="decrease")


def test_an_unknown_direction_is_refused() -> None:
    with pytest.raises(ValueError, match="direction"):
        kpi_score(actual=1, floor=0, threshold=1, target=2, direction="sideways")  # type: ignore[arg-type]  # bad input


def test_weighted_score_leaves_out_items_without_a_score() -> None:
    assert weighted_score([(40, 80), (60, 50)]) == 62.0
    # the unscored 50% is left out with its weight: (30*90 + 20*40) / 50 = 70
    assert weighted_score([(30, 90), (50, None), (20, 40)]) == 70.0
    assert weighted_score([(Decimal("33.33"), 100), (Decimal("66.67"), 0)]) == 33.3
    assert weighted_score([(1, 1), (2, 2)]) == 1.7  # 5/3 = 1.666.. -> 1.7


def test_weighted_score_is_none_without_a_scored_weight() -> None:
    assert weighted_score([]) is None
    assert weighted_score([(50, None), (50, None)]) is None
    assert weighted_score([(0, 80)]) is None


def test_negative_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        weighted_score([(-1, 50), (2, 60)])


# --- properties -----------------------------------------------------------------------------------------------


@st.composite
def scales(draw: st.DrawFn) -> tuple[Decimal, Decimal, Decimal]:
    """An increasing scale floor <= threshold <= target."""
    a, b, c = sorted(draw(st.lists(values, min_size=3, max_size=3)))
    return a, b, c


@no_deadline
@given(scale=scales(), actual=values)
def test_a_score_is_between_0_and_100(scale: tuple[Decimal, Decimal, Decimal], actual: Decimal) -> None:
    floor, threshold, target = scale
    score = kpi_score(actual=actual, floor=floor, threshold=threshold, target=target, direction="increase")
    assert 0.0 <= score <= 100.0


@no_deadline
@given(scale=scales(), a=values, b=values)
def test_a_better_actual_never_scores_lower(scale: tuple[Decimal, Decimal, Decimal], a: Decimal, b: Decimal) -> None:
    floor, threshold, target = scale
    low, high = sorted((a, b))
    up = [kpi_score(actual=x, floor=floor, threshold=threshold, target=target, direction="increase")
          for x in (low, high)]
    assert up[0] <= up[1]
    # on the mirrored (decreasing) scale the lower actual is the better one
    down = [kpi_score(actual=x, floor=-floor, threshold=-threshold, target=-target, direction="decrease")
            for x in (low, high)]
    assert down[0] >= down[1]


@no_deadline
@given(scale=scales(), actual=values)
def test_decrease_mirrors_increase(scale: tuple[Decimal, Decimal, Decimal], actual: Decimal) -> None:
    floor, threshold, target = scale
    direction: Direction = "decrease"
    assert kpi_score(actual=-actual, floor=-floor, threshold=-threshold, target=-target, direction=direction) == (
        kpi_score(actual=actual, floor=floor, threshold=threshold, target=target, direction="increase")
    )


@no_deadline
@given(scale=scales())
def test_reference_values_score_exactly(scale: tuple[Decimal, Decimal, Decimal]) -> None:
    floor, threshold, target = scale
    assume(floor < threshold < target)
    for actual, expected in ((floor, 0.0), (threshold, 60.0), (target, 100.0)):
        assert kpi_score(actual=actual, floor=floor, threshold=threshold, target=target, direction="increase") == (
            expected
        )


@no_deadline
@given(items=st.lists(st.tuples(weights, st.one_of(st.none(), scores)), max_size=12))
def test_weighted_score_lies_within_the_scored_items(items: list[tuple[Decimal, Decimal | None]]) -> None:
    result = weighted_score(items)
    scored = [float(s) for w, s in items if s is not None and w > 0]
    if not scored:
        assert result is None
        return
    assert result is not None
    assert min(scored) - 0.05 - 1e-9 <= result <= max(scored) + 0.05 + 1e-9  # rounding, float error


@no_deadline
@given(items=st.lists(st.tuples(weights, scores), min_size=1, max_size=8), factor=st.integers(min_value=1, max_value=9))
def test_scaling_all_weights_keeps_the_score(items: list[tuple[Decimal, Decimal]], factor: int) -> None:
    assert weighted_score([(w * factor, s) for w, s in items]) == weighted_score(items)
