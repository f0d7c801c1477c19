"""The fairness audit arithmetic against hand-worked examples, numpy computed independently, and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentloop.assessment.insights.fairness import Decision, Score, scoring_audit, selection_audit


def _decisions(spec: dict[str | None, tuple[int, int]]) -> list[Decision]:
    """{group: (cases, selected)} as decisions."""
    out = []
    for group, (cases, selected) in spec.items():
        out += [Decision(group, True)] * selected + [Decision(group, False)] * (cases - selected)
    return out


def test_selection_hand_worked_example() -> None:
    # Men: 48 of 80 selected = 0.60. Women: 12 of 40 = 0.30. Ratio 0.30 / 0.60 = 0.50 < 0.8: flagged.
    # 7 people gave no gender; "other" has 3 people, fewer than 5: too small, no rate.
    result = selection_audit(
        _decisions({"male": (80, 48), "female": (40, 12), "other": (3, 3), None: (7, 1)}),
        min_group=5, order=["female", "male", "other"],
    )
    assert result.n == 130
    assert result.unknown == 7
    female, male, other = result.groups
    assert (female.group, female.n, female.hits, female.rate) == ("female", 40, 12, 0.3)
    assert (male.n, male.hits, male.rate) == (80, 48, 0.6)
    assert result.reference_rate == 0.6
    assert female.impact_ratio == pytest.approx(0.5)
    assert female.four_fifths is True
    assert not female.highest
    assert male.impact_ratio == 1.0
    assert male.four_fifths is False
    assert male.highest
    assert other.too_small
    assert other.n == 3
    assert (other.rate, other.hits, other.impact_ratio, other.four_fifths) == (None, None, None, None)
    assert result.flagged == ("female",)
    assert result.threshold is None


def test_selection_exactly_four_fifths_is_not_flagged() -> None:
    # 0.40 / 0.50 = 0.80: the rule flags ratios *below* four fifths.
    result = selection_audit(_decisions({"a": (10, 5), "b": (10, 4)}), min_group=5)
    _a, b = result.groups
    assert b.impact_ratio == pytest.approx(0.8)
    assert b.four_fifths is False
    # One fewer selected: 0.3 / 0.5 = 0.6.
    b2 = selection_audit(_decisions({"a": (10, 5), "b": (10, 3)}), min_group=5).groups[1]
    assert b2.impact_ratio == pytest.approx(0.6)
    assert b2.four_fifths is True


def test_selection_nobody_selected_has_no_ratio() -> None:
    result = selection_audit(_decisions({"a": (6, 0), "b": (6, 0)}), min_group=5)
    assert result.reference_rate == 0.0
    assert all(g.rate == 0.0 and g.impact_ratio is None and g.four_fifths is None for g in result.groups)


def test_too_small_groups_do_not_set_the_reference() -> None:
    # "tiny" has a perfect rate over 2 people; the reference is the large group's rate.
    result = selection_audit(_decisions({"big": (20, 10), "tiny": (2, 2)}), min_group=5)
    assert result.reference_rate == 0.5
    assert [g.group for g in result.groups if g.too_small] == ["tiny"]


def test_no_data() -> None:
    result = selection_audit([], min_group=5)
    assert (result.n, result.unknown, result.groups, result.reference_rate) == (0, 0, (), None)
    assert scoring_audit([], min_group=5).threshold is None


def test_scoring_hand_worked_example() -> None:
    # Scores: A = 90 80 70 60 50, B = 40 55 65 45 35, unknown = 75. All eleven sorted:
    # 35 40 45 50 55 60 65 70 75 80 90 -> median 60. Above 60: A has 90 80 70 (3 of 5 = 0.6),
    # B has 65 (1 of 5 = 0.2). Ratio B = 0.2 / 0.6 = 1/3: flagged.
    scores = [Score("A", s) for s in (90, 80, 70, 60, 50)] + [Score("B", s) for s in (40, 55, 65, 45, 35)]
    result = scoring_audit([*scores, Score(None, 75)], min_group=5)
    assert result.threshold == 60.0
    assert result.unknown == 1
    assert result.n == 11
    a, b = result.groups
    assert (a.hits, a.rate, a.impact_ratio, a.four_fifths) == (3, 0.6, 1.0, False)
    assert (b.hits, b.rate) == (1, 0.2)
    assert b.impact_ratio == pytest.approx(1 / 3)
    assert b.four_fifths is True


def test_scoring_ignores_missing_scores() -> None:
    result = scoring_audit([Score("a", float("nan")), Score("a", 10), Score("a", 20)], min_group=1)
    assert result.n == 2
    assert result.threshold == 15.0
    assert result.groups[0].hits == 1


def test_min_group_must_be_positive() -> None:
    with pytest.raises(ValueError, match="min_group"):
        selection_audit([], min_group=0)


groups = st.sampled_from(["a", "b", "c", None])


@given(st.lists(st.tuples(groups, st.booleans()), max_size=80), st.integers(min_value=1, max_value=8))
def test_selection_properties(rows: list[tuple[str | None, bool]], min_group: int) -> None:
    result = selection_audit([Decision(g, s) for g, s in rows], min_group=min_group)
    assert result.n == len(rows)
    assert result.unknown == sum(1 for g, _s in rows if g is None)
    assert sum(g.n for g in result.groups) + result.unknown == result.n
    for g in result.groups:
        members = [s for name, s in rows if name == g.group]
        assert g.n == len(members)
        assert g.too_small == (g.n < min_group)
        if g.too_small:
            assert g.rate is None
            assert g.impact_ratio is None
            continue
        assert g.rate == pytest.approx(np.mean(members))
        assert g.rate is not None
        assert 0.0 <= g.rate <= 1.0
        if g.impact_ratio is not None:
            assert 0.0 <= g.impact_ratio <= 1.0 + 1e-12
            assert g.four_fifths == (g.impact_ratio < 0.8)
            # (mypy ignore on the next line: both rates exist for a group with a ratio)
            assert g.impact_ratio == pytest.approx(g.rate / result.reference_rate)  # type: ignore[operator]
    rated = [g for g in result.groups if g.rate is not None]
    if rated and result.reference_rate:
        assert any(g.highest and g.impact_ratio == pytest.approx(1.0) for g in rated)


@given(
    st.lists(st.tuples(groups, st.floats(min_value=0, max_value=100, allow_nan=False)), min_size=1, max_size=60),
)
def test_scoring_properties(rows: list[tuple[str | None, float]]) -> None:
    result = scoring_audit([Score(g, s) for g, s in rows], min_group=1)
    values = np.array([s for _g, s in rows])
    assert result.threshold == pytest.approx(float(np.median(values)))
    # At most half of all scores lie strictly above the median.
    assert sum(g.hits or 0 for g in result.groups) <= math.floor(len(values) / 2) + 0
    for g in result.groups:
        members = np.array([s for name, s in rows if name == g.group])
        assert g.hits == int(np.sum(members > np.median(values)))


@given(st.lists(st.tuples(groups, st.booleans()), max_size=40))
def test_relabelling_groups_relabels_results(rows: list[tuple[str | None, bool]]) -> None:
    rename = {"a": "x", "b": "y", "c": "z"}
    first = selection_audit([Decision(g, s) for g, s in rows], min_group=2)
    second = selection_audit([Decision(rename.get(g) if g else None, s) for g, s in rows], min_group=2)
    assert [(rename[g.group], g.n, g.rate, g.impact_ratio) for g in first.groups] == [
        (g.group, g.n, g.rate, g.impact_ratio) for g in second.groups
    ]
