"""An employee's training recommendations: per competency with a gap (see gaps.py for the definitions) the
scores, the gap, the reason in words, and the best-matching courses ranked with why, next to the employee's
enrolments for that competency. Courses the employee already completed are not recommended again; a course
they are enrolled in now is shown with that enrolment instead of an "Enrol" action.

Reading it first runs the follow-up of the employee's completed enrolments (services.enrollments_follow_up),
so a review submitted since closes them. A fixed number of queries whatever the number of gaps or courses."""

from __future__ import annotations

from dataclasses import dataclass

from talentloop.assessment.insights import training
from talentloop.core.models import User
from talentloop.org.models import Competency, Employee
from talentloop.performance.models import Review

from . import gaps
from .models import Course, Enrollment
from .selectors import employee_for, may_enrol
from .services import enrollments_follow_up


@dataclass(frozen=True)
class CourseSuggestion:
    course: Course
    rank: int
    level_distance: int
    why: str
    enrollment: Enrollment | None


@dataclass(frozen=True)
class Recommendation:
    competency: Competency
    review: Review
    gap: training.Gap
    reason: str
    courses: tuple[CourseSuggestion, ...]
    enrollments: tuple[Enrollment, ...]


@dataclass(frozen=True)
class TrainingRecommendations:
    employee: Employee
    margin: float
    recommendations: tuple[Recommendation, ...]
    can_enrol: bool
    has_interview: bool
    has_review: bool


def training_recommendations(*, user: User, employee_id: int) -> TrainingRecommendations:
    employee = employee_for(user=user, pk=employee_id)
    enrollments_follow_up(employee_id=employee.pk)
    interview = gaps.interview_scores_of(employee)
    performance = gaps.latest_performance_of(employee)
    found = gaps.find_gaps(performance, interview=interview, required=gaps.required_scores_of(employee))
    catalogue = gaps.catalogue_for(g.competency.pk for g in found)
    taken = list(
        Enrollment.objects.filter(employee=employee).exclude(status=Enrollment.Status.CANCELLED)
        .select_related("course").order_by("-start_date", "-id")
    ) if found else []
    completed = {e.course_id for e in taken if e.status == Enrollment.Status.COMPLETED}
    open_by_course = {e.course_id: e for e in taken if e.status != Enrollment.Status.COMPLETED}
    items = []
    for g in found:
        suggestions = tuple(
            CourseSuggestion(
                course=course, rank=match.rank, level_distance=match.level_distance,
                why=gaps.why_text(match=match, course=course, competency=g.competency, gap=g.gap.gap),
                enrollment=open_by_course.get(course.pk),
            )
            for match, course in catalogue.ranked(competency=g.competency, gap=g.gap.gap, exclude=completed)
        )
        items.append(Recommendation(
            competency=g.competency, review=g.review, gap=g.gap, reason=gaps.reason_text(g), courses=suggestions,
            enrollments=tuple(e for e in taken if e.competency_id == g.competency.pk),
        ))
    return TrainingRecommendations(
        employee=employee, margin=gaps.gap_margin(), recommendations=tuple(items),
        can_enrol=may_enrol(user=user, employee=employee), has_interview=bool(interview), has_review=bool(performance),
    )
