"""KR derivation rules: exact targets, rounding, cap and floor, skipped rules, weights, and properties."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.kr_rules import (
    NO_SCORE,
    TARGET_NOT_BEYOND_START,
    Rule,
    derive,
    fill_title,
    number_text,
    scale_weights,
    target_for,
)

D = Decimal
scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
offsets = st.decimals(min_value=-50, max_value=50, places=2, allow_nan=False, allow_infinity=False)
ratios = st.decimals(min_value=D("0.01"), max_value=3, places=2, allow_nan=False, allow_infinity=False)
no_deadline = settings(deadline=None)


def _offset(k: str = "2", **extra: Any) -> Rule:
    return Rule(id=1, competency="customer_orientation", formula="offset", parameter=D(k), **extra)


def _ratio(r: str = "1.10", **extra: Any) -> Rule:
    return Rule(id=2, competency="problem_solving", formula="ratio", parameter=D(r), **extra)


def test_exact_offset_and_ratio_targets() -> None:
    assert target_for(_offset(), 90) == D("92.0")
    assert target_for(_offset("2"), D("85.55")) == D("87.6")  # 87.55 rounds half up
    assert target_for(_offset("-3"), 40) == D("37.0")
    assert target_for(_ratio(), 80) == D("88.0")
    assert target_for(_ratio("1.10"), D("72.5")) == D("79.8")  # 79.75 rounds half up
    assert target_for(_ratio("1.05"), 0.1) == D("0.1")  # 0.105 -> 0.1; floats go through str


def test_cap_and_floor() -> None:
    assert target_for(_offset(), 99) == D("100")
    assert target_for(_ratio(), 95) == D("100")
    assert target_for(_ratio("1.1", cap=D(90)), 85) == D("90")
    assert target_for(_ratio("0.5", floor=D(60)), 80) == D("60")
    with pytest.raises(ValueError, match="floor cannot be above the cap"):
        _offset(cap=D(50), floor=D(60))
    with pytest.raises(ValueError, match="ratio must be above 0"):
        _ratio("0")


def test_formula_text_and_titles() -> None:
    assert _offset().formula_text() == "score + 2, cap 100"
    assert _offset("-1.5", floor=D(0)).formula_text() == "score - 1.5, cap 100, floor 0"
    assert _ratio().formula_text() == "score × 1.1, cap 100"
    assert fill_title("CSAT ≥ {target} (was {score}) {other}", target=D("92.0"), score=D("90")) == (
        "CSAT ≥ 92 (was 90) {other}"
    )
    assert number_text(D("92.50")) == "92.5"
    assert number_text(D("-0.0")) == "0"


def test_derive_drafts_skips_and_keeps_the_rules_order() -> None:
    rules = [
        _offset(title="Quarterly customer satisfaction ≥ {target}", metric="CSAT", unit="points", weight=D(40)),
        _ratio(weight=D(30)),
        Rule(id=3, competency="teamwork", formula="offset", parameter=D(2), weight=D(30)),
        Rule(id=4, competency="communication", formula="offset", parameter=D(2), weight=D(30)),
    ]
    result = derive(rules, {"customer_orientation": 90, "problem_solving": None, "communication": 100})
    assert [(s.rule_id, s.competency, s.reason) for s in result.skipped] == [
        (2, "problem_solving", NO_SCORE), (3, "teamwork", NO_SCORE), (4, "communication", TARGET_NOT_BEYOND_START),
    ]
    (kr,) = result.drafted
    assert (kr.rule_id, kr.competency, kr.source_score, kr.start, kr.target, kr.title, kr.weight, kr.formula) == (
        1, "customer_orientation", D(90), D(90), D("92.0"), "Quarterly customer satisfaction ≥ 92", D(40),
        "score + 2, cap 100",
    )


def test_a_decrease_rule_and_an_explicit_start() -> None:
    rule = Rule(id=5, competency="attention_to_detail", formula="offset", parameter=D(-70), direction="decrease",
                start_value=D(30), floor=D(2))
    (kr,) = derive([rule], {"attention_to_detail": 80}).drafted
    assert (kr.start, kr.target) == (D(30), D("10.0"))
    assert derive([rule], {"attention_to_detail": 100}).skipped[0].reason == TARGET_NOT_BEYOND_START


def test_weights_over_100_are_scaled_to_exactly_100() -> None:
    assert scale_weights([D(40), D(30)]) == [D(40), D(30)]
    assert scale_weights([D(50), D(50), D(50)]) == [D("33.33"), D("33.33"), D("33.34")]
    rules = [Rule(id=i, competency=f"c{i}", formula="offset", parameter=D(1), weight=D(60)) for i in range(3)]
    drafted = derive(rules, {f"c{i}": 50 for i in range(3)}).drafted
    assert sum(kr.weight for kr in drafted) == D(100)


@no_deadline
@given(score=scores, k=offsets, cap=scores)
def test_offset_target_is_the_rounded_sum_capped(score: Decimal, k: Decimal, cap: Decimal) -> None:
    target = target_for(_offset(str(k), cap=cap), score)
    assert target <= cap
    assert target == min((score + k).quantize(D("0.1"), rounding="ROUND_HALF_UP"), cap)
    assert target == target.quantize(D("0.1")) or target == cap


@no_deadline
@given(score=scores, r=ratios, cap=scores)
def test_ratio_target_is_the_rounded_product_capped(score: Decimal, r: Decimal, cap: Decimal) -> None:
    target = target_for(_ratio(str(r), cap=cap), score)
    assert target <= cap
    assert target == min((score * r).quantize(D("0.1"), rounding="ROUND_HALF_UP"), cap)


@no_deadline
@given(a=scores, b=scores, k=offsets, r=ratios, floor=st.none() | st.decimals(min_value=0, max_value=50, places=1))
def test_targets_are_monotonic_in_the_score_and_within_floor_and_cap(
    a: Decimal, b: Decimal, k: Decimal, r: Decimal, floor: Decimal | None
) -> None:
    low, high = sorted((a, b))
    for rule in (_offset(str(k), floor=floor), _ratio(str(r), floor=floor)):
        assert target_for(rule, low) <= target_for(rule, high)
        assert target_for(rule, high) <= rule.cap
        if floor is not None:
            assert target_for(rule, low) >= floor


@no_deadline
@given(weights=st.lists(st.decimals(min_value=1, max_value=100, places=2), min_size=1, max_size=20))
def test_scaled_weights_are_positive_and_never_add_up_to_more_than_100(weights: list[Decimal]) -> None:
    scaled = scale_weights(weights)
    assert all(w > 0 for w in scaled)
    assert sum(scaled) == (sum(weights) if sum(weights) <= 100 else D(100))
