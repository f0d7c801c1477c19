"""Training recommendations, Django-free: when a competency gap triggers training, and which courses fit it.

**Trigger.** An employee has a gap in competency C when their performance score in C is below their interview
score in C, or below the job's required score for C, by *more than* the margin (TALENTLOOP_TRAINING_GAP_MARGIN
points, default 5). A score exactly `margin` points below is not a gap. The gap's size is the largest of the
shortfalls that triggered it; the target is the matching bar (the interview or the required score, whichever
is higher among the triggered ones).

**Level by gap size.** A gap above 20 points calls for a beginner course (the basics are missing), above 10 and
up to 20 for an intermediate one, and 10 or less for an advanced one (refining what is nearly there).

**Ranking.** Only active courses that build C and are not excluded (e.g. already completed by the employee)
are ranked, by: distance between the course's level and the target level (0 first), then hours (shorter first
on ties), then title and id so the order is total and stable. The first `limit` are returned, each with the
facts behind its place (level fit, hours) so the caller can explain it in the reader's language.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

BEGINNER = "beginner"
INTERMEDIATE = "intermediate"
ADVANCED = "advanced"
LEVELS: tuple[str, ...] = (BEGINNER, INTERMEDIATE, ADVANCED)
# A gap above this many points calls for a beginner course; above INTERMEDIATE_ABOVE for an intermediate one.
BEGINNER_ABOVE = 20.0
INTERMEDIATE_ABOVE = 10.0
DEFAULT_LIMIT = 3

INTERVIEW = "interview"
REQUIRED = "required"


@dataclass(frozen=True)
class Gap:
    """One competency's shortfall. `below_interview` and `below_required` are the bar minus the performance
    score (None when that bar is unknown); `triggers` names the bars missed by more than the margin."""

    performance_score: float
    interview_score: float | None
    required_score: float | None
    margin: float
    below_interview: float | None
    below_required: float | None
    triggers: tuple[str, ...]
    gap: float
    target: float


def gap_of(
    *, performance: float, interview: float | None, required: float | None, margin: float
) -> Gap | None:
    """The gap in one competency, or None when neither bar is missed by more than `margin` points."""
    below_interview = None if interview is None else float(interview) - float(performance)
    below_required = None if required is None else float(required) - float(performance)
    triggered: list[tuple[str, float, float]] = []
    if interview is not None and below_interview is not None and below_interview > margin:
        triggered.append((INTERVIEW, below_interview, float(interview)))
    if required is not None and below_required is not None and below_required > margin:
        triggered.append((REQUIRED, below_required, float(required)))
    if not triggered:
        return None
    return Gap(
        performance_score=float(performance),
        interview_score=None if interview is None else float(interview),
        required_score=None if required is None else float(required),
        margin=float(margin),
        below_interview=below_interview,
        below_required=below_required,
        triggers=tuple(name for name, _size, _bar in triggered),
        gap=max(size for _name, size, _bar in triggered),
        target=max(bar for _name, _size, bar in triggered),
    )


def target_level(gap: float) -> str:
    """The course level a gap of this many points calls for (see the module's docstring)."""
    if gap > BEGINNER_ABOVE:
        return BEGINNER
    if gap > INTERMEDIATE_ABOVE:
        return INTERMEDIATE
    return ADVANCED


def level_distance(level: str, target: str) -> int:
    """Steps between two levels (0 = the same; an unknown level counts as the farthest)."""
    if level not in LEVELS or target not in LEVELS:
        return len(LEVELS)
    return abs(LEVELS.index(level) - LEVELS.index(target))


@dataclass(frozen=True)
class CourseInput:
    id: int
    title: str
    hours: float
    level: str
    competencies: frozenset[Hashable]
    active: bool = True


@dataclass(frozen=True)
class CourseMatch:
    """A ranked course: `rank` from 1, the level the gap called for and how far the course's level is from it."""

    course_id: int
    rank: int
    level: str
    target_level: str
    level_distance: int
    hours: float


def _key(course: CourseInput, target: str) -> tuple[int, float, str, int]:
    return (level_distance(course.level, target), float(course.hours), course.title, course.id)


def eligible(
    courses: Iterable[CourseInput], *, competency: Hashable, exclude: Iterable[int] = ()
) -> list[CourseInput]:
    """Active courses that build the competency and are not excluded."""
    skip = set(exclude)
    return [c for c in courses if c.active and competency in c.competencies and c.id not in skip]


def rank_courses(
    courses: Sequence[CourseInput], *, competency: Hashable, gap: float, exclude: Iterable[int] = (),
    limit: int = DEFAULT_LIMIT,
) -> tuple[CourseMatch, ...]:
    """The best `limit` courses for a gap of `gap` points in `competency`, best first."""
    target = target_level(gap)
    ordered = sorted(eligible(courses, competency=competency, exclude=exclude), key=lambda c: _key(c, target))
    return tuple(
        CourseMatch(
            course_id=c.id, rank=i, level=c.level, target_level=target,
            level_distance=level_distance(c.level, target), hours=float(c.hours),
        )
        for i, c in enumerate(ordered[: max(limit, 0)], start=1)
    )
