"""The dashboard metrics' definitions against small hand-made datasets with exact answers, numpy for the
medians and means, and hypothesis for the properties every input must keep."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentloop.assessment.insights import metrics as m

STAGES = ("applied", "screening", "ai_interview", "written_test", "interview", "offer", "hired")
MEETS = frozenset({"S", "A", "B"})
D = dt.date


def test_funnel_counts_later_stages_as_passing_earlier_ones() -> None:
    # Six applications: two stopped at applied, one rejected after screening, one went straight from the AI
    # interview to the interview (skipping the written test), one offer, one hire.
    histories = [
        ["applied"], ["applied", "rejected"], ["applied", "screening", "rejected"],
        ["applied", "screening", "ai_interview", "interview", "rejected"],
        ["applied", "screening", "ai_interview", "written_test", "interview", "offer"],
        ["applied", "screening", "ai_interview", "interview", "offer", "hired"],
    ]
    counts = Counter(m.furthest_stage(h, STAGES) for h in histories)
    assert counts == {"applied": 2, "screening": 1, "interview": 1, "offer": 1, "hired": 1}
    steps = m.funnel(counts, STAGES)
    assert [(s.stage, s.count) for s in steps] == [
        ("applied", 6), ("screening", 4), ("ai_interview", 3), ("written_test", 3), ("interview", 3),
        ("offer", 2), ("hired", 1),
    ]
    assert [s.conversion for s in steps] == [None, 4 / 6, 3 / 4, 1.0, 1.0, 2 / 3, 1 / 2]
    assert steps[-1].of_first == 1 / 6


def test_funnel_of_nothing_has_no_rates() -> None:
    steps = m.funnel({}, STAGES)
    assert all(s.count == 0 and s.of_first is None for s in steps)
    assert all(s.conversion is None for s in steps)


def test_time_to_hire_is_the_median_in_days() -> None:
    pairs = [(D(2024, 1, 1), D(2024, 1, 31)), (D(2024, 2, 1), D(2024, 2, 11)), (D(2024, 3, 1), D(2024, 3, 21)),
             (D(2024, 3, 1), D(2024, 4, 30))]
    summary = m.time_to_hire(pairs)
    assert summary == m.Summary(value=25.0, n=4)  # days 30, 10, 20, 60 -> (20 + 30) / 2
    assert m.time_to_hire([]) == m.Summary(value=None, n=0)


def test_cost_per_hire_only_when_costs_exist() -> None:
    assert m.cost_per_hire(total_cost=Decimal("9000.00"), cost_entries=3, hires=4) == 2250.0
    assert m.cost_per_hire(total_cost=None, cost_entries=0, hires=4) is None
    assert m.cost_per_hire(total_cost=Decimal("100"), cost_entries=1, hires=0) is None


def test_source_quality_per_source() -> None:
    rows = [("referral", "A"), ("referral", "C"), ("referral", None), ("job_board", "B"), ("agency", "D"),
            ("job_board", "S")]
    stats = m.source_quality(rows, MEETS)
    assert [(s.source, s.hires, s.reviewed, s.meeting, s.share) for s in stats] == [
        ("referral", 3, 2, 1, 0.5), ("job_board", 2, 2, 2, 1.0), ("agency", 1, 1, 0, 0.0),
    ]


def test_recruitment_accuracy_counts_hires_with_a_first_review() -> None:
    share = m.recruitment_accuracy(["A", "B", "C", None, "S", "D", ""], MEETS)
    assert (share.hits, share.n, share.value) == (3, 5, 0.6)
    assert m.recruitment_accuracy([None], MEETS).value is None


def test_probation_pass_rate() -> None:
    as_of = D(2024, 12, 31)
    rows = [
        m.TenureRow(D(2024, 1, 1)),  # ended 2024-06-29, stayed: pass
        m.TenureRow(D(2024, 1, 1), left_on=D(2024, 3, 1), left=True),  # left during: fail
        m.TenureRow(D(2024, 1, 1), left_on=D(2024, 6, 29), left=True),  # left on the day it ended: pass
        m.TenureRow(D(2024, 1, 1), left_on=D(2024, 6, 28), left=True),  # the day before: fail
        m.TenureRow(D(2024, 10, 1)),  # still on probation: not counted
        m.TenureRow(D(2024, 10, 1), left_on=D(2024, 11, 1), left=True),  # left during, already known: fail
        m.TenureRow(D(2024, 1, 1), left=True),  # left, date unknown: not counted
    ]
    share = m.probation_pass_rate(rows, as_of=as_of)
    assert (share.hits, share.n) == (2, 5)
    assert m.probation_pass_rate(rows, as_of=as_of, days=30).n == 6


def test_retention_at_6_and_12_months() -> None:
    as_of = D(2024, 12, 31)
    rows = [
        m.TenureRow(D(2023, 1, 31)),  # 6m mark 2023-07-31, 12m 2024-01-31: there
        m.TenureRow(D(2023, 1, 31), left_on=D(2023, 9, 1), left=True),  # 6m yes, 12m no
        m.TenureRow(D(2023, 8, 31), left_on=D(2024, 2, 28), left=True),  # 6m mark 2024-02-29: left before
        m.TenureRow(D(2024, 5, 1)),  # 6m mark 2024-11-01 reached, 12m not yet
        m.TenureRow(D(2024, 9, 1)),  # neither mark reached
        m.TenureRow(D(2024, 9, 1), left_on=D(2024, 10, 1), left=True),  # left before both marks: counted
    ]
    six = m.retention(rows, as_of=as_of, months=6)
    twelve = m.retention(rows, as_of=as_of, months=12)
    assert (six.hits, six.n) == (3, 5)
    assert (twelve.hits, twelve.n) == (1, 4)


def test_add_months_keeps_the_day_or_the_months_end() -> None:
    assert m.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert m.add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert m.add_months(D(2024, 11, 15), 14) == D(2026, 1, 15)


def test_mean_of_groups_is_the_mean_of_every_observation() -> None:
    scores = [82.5, 91.0, 60.0, 74.25, 88.0]
    groups = [(2, Decimal("173.50")), (1, Decimal("60.00")), (2, Decimal("162.25")), (0, None)]
    summary = m.mean_of_groups(groups)
    assert summary.n == 5
    assert summary.value == pytest.approx(float(np.mean(scores)), abs=1e-12)
    assert summary.value == 79.15


def test_time_to_target_counts_only_reached_ones() -> None:
    rows = [(D(2024, 1, 1), D(2024, 1, 15)), (D(2024, 1, 1), None), (D(2024, 2, 1), D(2024, 3, 2)),
            (D(2024, 2, 1), D(2024, 2, 8))]
    assert m.time_to_target(rows) == m.Summary(value=14.0, n=3, of=4)  # days 14, 30, 7


def test_mean_rating_and_completion_rate() -> None:
    assert m.mean_rating({5: 3, 4: 1, 1: 1}) == m.Summary(value=(15 + 4 + 1) / 5, n=5)
    assert m.mean_rating({}) == m.Summary(value=None, n=0)
    assert m.completion_rate(completed=3, due=4).value == 0.75
    assert m.completion_rate(completed=0, due=0).value is None


def test_monthly_counts_fill_empty_months() -> None:
    dates = [D(2024, 1, 5), D(2024, 1, 30), D(2024, 3, 1), D(2023, 12, 31), D(2024, 4, 1)]
    counts = m.monthly_counts(dates, start=D(2024, 1, 1), end=D(2024, 3, 31))
    assert [(c.month, c.count) for c in counts] == [(D(2024, 1, 1), 2), (D(2024, 2, 1), 0), (D(2024, 3, 1), 1)]
    filled = m.fill_months({D(2024, 3, 1): 4, D(2024, 1, 1): 1}, start=D(2024, 1, 10), end=D(2024, 3, 2))
    assert [c.count for c in filled] == [1, 0, 4]


@given(st.lists(st.sampled_from(STAGES), max_size=60))
def test_funnel_never_grows_and_rates_are_shares(furthest: list[str]) -> None:
    steps = m.funnel(Counter(furthest), STAGES)
    assert steps[0].count == len(furthest)
    counts = [s.count for s in steps]
    assert counts == sorted(counts, reverse=True)
    for step in steps:
        if step.conversion is not None:
            assert 0 <= step.conversion <= 1
    assert steps[-1].count == furthest.count("hired")


@given(st.lists(st.integers(min_value=0, max_value=4000), min_size=1, max_size=40))
def test_time_to_hire_matches_numpy_median(days: list[int]) -> None:
    start = D(2020, 1, 1)
    summary = m.time_to_hire([(start, start + dt.timedelta(days=d)) for d in days])
    assert summary.value == pytest.approx(float(np.median(days)))
    assert min(days) <= (summary.value or 0) <= max(days)


tenure = st.builds(
    lambda hire, stay, left: m.TenureRow(hire, hire + dt.timedelta(days=stay) if left else None, left),
    st.dates(min_value=D(2018, 1, 1), max_value=D(2024, 12, 31)), st.integers(min_value=0, max_value=900),
    st.booleans(),
)


@given(st.lists(tenure, max_size=40), st.integers(min_value=1, max_value=24))
def test_retention_is_a_share_and_counts_only_measurable_hires(rows: list[m.TenureRow], months: int) -> None:
    as_of = D(2025, 1, 1)
    share = m.retention(rows, as_of=as_of, months=months)
    assert 0 <= share.hits <= share.n <= len(rows)
    measurable = [r for r in rows if m.add_months(r.hire_date, months) <= as_of or (
        r.left_on is not None and r.left_on < m.add_months(r.hire_date, months))]
    assert share.n == len(measurable)


@given(st.lists(st.tuples(st.integers(min_value=1, max_value=5), st.integers(min_value=0, max_value=20)),
                max_size=10))
def test_mean_rating_matches_numpy(pairs: list[tuple[int, int]]) -> None:
    distribution: dict[int, int] = {}
    for rating, count in pairs:
        distribution[rating] = distribution.get(rating, 0) + count
    observations = [r for r, c in distribution.items() for _ in range(c)]
    summary = m.mean_rating(distribution)
    assert summary.n == len(observations)
    if observations:
        assert summary.value == pytest.approx(float(np.mean(observations)))
        assert 1 <= (summary.value or 0) <= 5
