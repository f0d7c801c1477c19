"""Training matches: the gap trigger (hand-worked), the level for a gap size, the course ranking, and properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.insights.training import (
    ADVANCED,
    BEGINNER,
    INTERMEDIATE,
    LEVELS,
    CourseInput,
    eligible,
    gap_of,
    level_distance,
    rank_courses,
    target_level,
)

no_deadline = settings(deadline=None)


def test_below_interview_only() -> None:
    gap = gap_of(performance=62, interview=78, required=60, margin=5)
    assert gap is not None
    assert gap.triggers == ("interview",)
    assert gap.below_interview == 16.0
    assert gap.below_required == -2.0
    assert gap.gap == 16.0
    assert gap.target == 78.0


def test_below_both_takes_the_larger_shortfall_and_bar() -> None:
    gap = gap_of(performance=55, interview=70, required=80, margin=5)
    assert gap is not None
    assert gap.triggers == ("interview", "required")
    assert (gap.gap, gap.target) == (25.0, 80.0)


def test_below_required_without_an_interview_score() -> None:
    gap = gap_of(performance=60, interview=None, required=70, margin=5)
    assert gap is not None
    assert gap.triggers == ("required",)
    assert gap.below_interview is None
    assert (gap.gap, gap.target) == (10.0, 70.0)


def test_exactly_the_margin_is_not_a_gap() -> None:
    assert gap_of(performance=65, interview=70, required=70, margin=5) is None
    assert gap_of(performance=64.99, interview=70, required=None, margin=5) is not None
    assert gap_of(performance=50, interview=None, required=None, margin=5) is None
    assert gap_of(performance=90, interview=70, required=75, margin=5) is None


def test_level_by_gap_size() -> None:
    assert [target_level(g) for g in (5.1, 10, 10.01, 20, 20.5, 60)] == [
        ADVANCED, ADVANCED, INTERMEDIATE, INTERMEDIATE, BEGINNER, BEGINNER,
    ]
    assert level_distance(BEGINNER, ADVANCED) == 2
    assert level_distance("expert", BEGINNER) == 3


def _course(pk: int, level: str, hours: float, comps: set[str], *, active: bool = True, title: str = "") -> CourseInput:
    return CourseInput(
        id=pk, title=title or f"Course {pk}", hours=hours, level=level, competencies=frozenset(comps), active=active
    )


CATALOGUE = [
    _course(1, BEGINNER, 8, {"data"}),
    _course(2, INTERMEDIATE, 12, {"data", "sql"}),
    _course(3, INTERMEDIATE, 6, {"data"}),
    _course(4, ADVANCED, 4, {"data"}),
    _course(5, INTERMEDIATE, 2, {"sales"}),
    _course(6, INTERMEDIATE, 1, {"data"}, active=False),
]


def test_ranking_for_an_intermediate_gap() -> None:
    ranked = rank_courses(CATALOGUE, competency="data", gap=15)
    # Intermediate first, shorter first (3 before 2); then one step away: advanced 4 h before beginner 8 h.
    assert [(m.course_id, m.rank, m.level_distance) for m in ranked] == [(3, 1, 0), (2, 2, 0), (4, 3, 1)]
    assert {m.target_level for m in ranked} == {INTERMEDIATE}


def test_ranking_for_a_large_gap_excludes_and_limits() -> None:
    ranked = rank_courses(CATALOGUE, competency="data", gap=25, exclude=[1], limit=2)
    assert [(m.course_id, m.level_distance) for m in ranked] == [(3, 1), (2, 1)]
    assert rank_courses(CATALOGUE, competency="none", gap=25) == ()
    assert rank_courses(CATALOGUE, competency="data", gap=25, limit=0) == ()


def test_title_then_id_break_full_ties() -> None:
    courses = [_course(9, ADVANCED, 3, {"x"}, title="B"), _course(8, ADVANCED, 3, {"x"}, title="A"),
               _course(7, ADVANCED, 3, {"x"}, title="A")]
    assert [m.course_id for m in rank_courses(courses, competency="x", gap=6)] == [7, 8, 9]


# --- properties ---------------------------------------------------------------------------------------------

score = st.floats(min_value=0, max_value=100, allow_nan=False)
maybe_score = st.none() | score
margins = st.floats(min_value=0, max_value=30, allow_nan=False)
course_st = st.builds(
    CourseInput, id=st.integers(1, 40), title=st.sampled_from(["A", "B", "C"]),
    hours=st.floats(min_value=0.5, max_value=200, allow_nan=False), level=st.sampled_from(LEVELS),
    competencies=st.frozensets(st.sampled_from(["a", "b", "c"]), max_size=3), active=st.booleans(),
)


@no_deadline
@given(score, maybe_score, maybe_score, margins)
def test_gap_is_triggered_exactly_when_a_bar_is_missed_by_more_than_the_margin(
    performance: float, interview: float | None, required: float | None, margin: float
) -> None:
    gap = gap_of(performance=performance, interview=interview, required=required, margin=margin)
    missed = [bar for bar in (interview, required) if bar is not None and bar - performance > margin]
    assert (gap is not None) == bool(missed)
    if gap is not None:
        assert gap.gap > margin
        assert gap.target == max(missed)
        assert abs(gap.gap - (max(missed) - performance)) < 1e-9


@no_deadline
@given(st.floats(min_value=0, max_value=100, allow_nan=False), st.floats(min_value=0, max_value=100, allow_nan=False))
def test_a_larger_gap_never_calls_for_a_more_advanced_level(a: float, b: float) -> None:
    small, large = sorted((a, b))
    assert LEVELS.index(target_level(large)) <= LEVELS.index(target_level(small))


@no_deadline
@given(st.lists(course_st, max_size=12, unique_by=lambda c: c.id), st.sampled_from(["a", "b", "c"]),
       st.floats(min_value=0, max_value=100, allow_nan=False), st.integers(0, 5),
       st.frozensets(st.integers(1, 40), max_size=5))
def test_ranking_is_the_sorted_prefix_of_the_eligible_courses(
    courses: list[CourseInput], competency: str, gap: float, limit: int, exclude: frozenset[int]
) -> None:
    ranked = rank_courses(courses, competency=competency, gap=gap, exclude=exclude, limit=limit)
    pool = eligible(courses, competency=competency, exclude=exclude)
    by_id = {c.id: c for c in courses}
    assert len(ranked) == min(limit, len(pool))
    assert [m.rank for m in ranked] == list(range(1, len(ranked) + 1))
    target = target_level(gap)
    keys = [(level_distance(by_id[m.course_id].level, target), by_id[m.course_id].hours) for m in ranked]
    assert keys == sorted(keys)
    for m in ranked:
        course = by_id[m.course_id]
        assert course.active
        assert competency in course.competencies
        assert course.id not in exclude
    if ranked:
        chosen = {m.course_id for m in ranked}
        worst = keys[-1]
        for c in pool:
            if c.id not in chosen:
                assert (level_distance(c.level, target), c.hours) >= worst
