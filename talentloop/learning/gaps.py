"""An employee's competency gaps and the courses that fit them: the data behind recommendations, enrolments'
reasons and generated development plans (the arithmetic is talentloop.assessment.insights.training).

* Interview score in C: the score for C in the employee's most recent ready interview report
  (talentloop.performance.drafting.latest_interview_report).
* Performance score in C: for recommendations, the score for C in the employee's **latest** submitted review
  that scored C (what training should fix is the current state; the calibration's "first review" answers a
  different question); a development plan uses the review it is generated from.
* Required score in C: the employee's job's competency model (JobCompetency.required_score).
* Gap: performance below the interview or the required score by more than TALENTLOOP_TRAINING_GAP_MARGIN.
Every function here runs a fixed number of queries whatever the number of competencies or courses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from talentloop.assessment.insights import training
from talentloop.org.models import Competency, Employee, JobCompetency
from talentloop.performance.drafting import interview_scores, latest_interview_report
from talentloop.performance.models import Review, ReviewScore
from talentloop.performance.profile import number_text

from .models import Course


def gap_margin() -> float:
    return float(getattr(settings, "TALENTLOOP_TRAINING_GAP_MARGIN", 5))


def interview_scores_of(employee: Employee) -> dict[str, float]:
    """{competency code: score} from the most recent ready interview report (one query)."""
    report = latest_interview_report(employee)
    return {code: float(score) for code, score in interview_scores(report.competencies).items()} if report else {}


def required_scores_of(employee: Employee) -> dict[str, float]:
    """{competency code: required score} of the employee's job's competency model (one query, none without a job)."""
    if employee.job_id is None:
        return {}
    rows = JobCompetency.objects.filter(job_id=employee.job_id).values_list("competency__code", "required_score")
    return {code: float(required) for code, required in rows}


@dataclass(frozen=True)
class Scored:
    competency: Competency
    score: float
    review: Review


def latest_performance_of(employee: Employee) -> dict[str, Scored]:
    """{competency code: the latest submitted review's score} (one query)."""
    rows = (
        ReviewScore.objects.filter(review__employee=employee, review__status=Review.Status.SUBMITTED)
        .select_related("competency", "review__cycle")
        .order_by("-review__submitted_at", "-review_id")
    )
    found: dict[str, Scored] = {}
    for row in rows:
        found.setdefault(row.competency.code, Scored(row.competency, float(row.score), row.review))
    return found


def review_performance(review: Review) -> dict[str, Scored]:
    """{competency code: score} of one review (one query)."""
    rows = ReviewScore.objects.filter(review=review).select_related("competency")
    return {row.competency.code: Scored(row.competency, float(row.score), review) for row in rows}


@dataclass(frozen=True)
class FoundGap:
    competency: Competency
    review: Review
    gap: training.Gap


def find_gaps(
    performance: Mapping[str, Scored], *, interview: Mapping[str, float], required: Mapping[str, float],
    margin: float | None = None,
) -> list[FoundGap]:
    """The competencies with a gap, largest first (then by code)."""
    margin = gap_margin() if margin is None else margin
    found = []
    for code, scored in performance.items():
        gap = training.gap_of(
            performance=scored.score, interview=interview.get(code), required=required.get(code), margin=margin
        )
        if gap is not None:
            found.append(FoundGap(scored.competency, scored.review, gap))
    return sorted(found, key=lambda g: (-g.gap.gap, g.competency.code))


def reason_text(found: FoundGap) -> str:
    """Why training is recommended, with the numbers."""
    gap = found.gap
    values = {
        "competency": found.competency.display_name, "performance": number_text(gap.performance_score),
        "cycle": found.review.cycle.name, "interview": number_text(gap.interview_score),
        "required": number_text(gap.required_score), "below_interview": number_text(gap.below_interview),
        "below_required": number_text(gap.below_required), "margin": number_text(gap.margin),
    }
    if gap.triggers == (training.INTERVIEW, training.REQUIRED):
        text = _("%(competency)s scored %(performance)s in the review of %(cycle)s: %(below_interview)s points "
                 "below the interview score (%(interview)s) and %(below_required)s points below the job's required "
                 "score (%(required)s). Training is recommended when either gap is over %(margin)s points.")
    elif gap.triggers == (training.INTERVIEW,):
        text = _("%(competency)s scored %(performance)s in the review of %(cycle)s, %(below_interview)s points "
                 "below the interview score (%(interview)s). Training is recommended when the gap is over "
                 "%(margin)s points.")
    else:
        text = _("%(competency)s scored %(performance)s in the review of %(cycle)s, %(below_required)s points "
                 "below the job's required score (%(required)s). Training is recommended when the gap is over "
                 "%(margin)s points.")
    return text % values


def level_label(level: str) -> str:
    return str(dict(Course.Level.choices).get(level, level)).lower()


def why_text(*, match: training.CourseMatch, course: Course, competency: Competency, gap: float) -> str:
    """Why a course is ranked where it is."""
    values = {
        "competency": competency.display_name, "level": level_label(match.level),
        "target": level_label(match.target_level), "gap": number_text(gap), "hours": number_text(course.hours),
    }
    if match.level_distance == 0:
        text = _("Builds %(competency)s at the %(level)s level, which a gap of %(gap)s points calls for; "
                 "%(hours)s hours.")
    else:
        text = _("Builds %(competency)s at the %(level)s level; a gap of %(gap)s points calls for the %(target)s "
                 "level, and no closer course ranks higher; %(hours)s hours.")
    return text % values


@dataclass(frozen=True)
class Catalogue:
    """The active courses building some competencies, as the engine takes them and as rows."""

    inputs: list[training.CourseInput]
    rows: dict[int, Course]

    def ranked(
        self, *, competency: Competency, gap: float, exclude: Iterable[int] = (), limit: int = training.DEFAULT_LIMIT,
    ) -> list[tuple[training.CourseMatch, Course]]:
        matches = training.rank_courses(self.inputs, competency=competency.pk, gap=gap, exclude=exclude, limit=limit)
        return [(m, self.rows[m.course_id]) for m in matches]


def catalogue_for(competency_ids: Iterable[int]) -> Catalogue:
    """Active courses building any of these competencies, with their competencies (two queries; none when empty)."""
    ids = set(competency_ids)
    if not ids:
        return Catalogue([], {})
    courses = list(
        Course.objects.filter(is_active=True, competencies__in=ids).distinct().prefetch_related("competencies")
    )
    inputs = [
        training.CourseInput(
            id=c.pk, title=c.title, hours=float(c.hours), level=c.level,
            competencies=frozenset(comp.pk for comp in c.competencies.all()), active=c.is_active,
        )
        for c in courses
    ]
    return Catalogue(inputs, {c.pk: c for c in courses})


def gap_source(found: FoundGap) -> dict[str, Any]:
    """What an enrolment or plan item keeps of the gap that caused it."""
    gap = found.gap
    return {
        "review": found.review.pk, "cycle": found.review.cycle_id, "competency": found.competency.code,
        "interview_score": gap.interview_score, "performance_score": gap.performance_score,
        "required_score": gap.required_score, "gap": round(gap.gap, 2), "target": gap.target,
        "triggers": list(gap.triggers), "margin": gap.margin,
    }
