"""Interview–performance calibration per job and competency (issue 7, item 1), and the reads shared with
question validity (question_validity.py) and candidate-pool signals (pool.py).

Who counts: the **hires of a job** are the employees an application to that job led to (Application.employee
set). For each hire, the **interview score** in competency C is C's score in the hire's most recent ready
interview report (performance.drafting.latest_interview_report, computed here for all hires at once), and the
**performance score** in C is C's score in the hire's first submitted review (earliest submitted_at) that
scored C. Per competency of the job's model, the hires with both scores are paired; the statistics and flags
come from talentloop.assessment.insights.stats, whose docstring defines them. Below
TALENTLOOP_INSIGHTS_MIN_N pairs every statistic is None and the flag is "not_enough_data".

Calibration and question validity read employees' performance scores, so they are for HR only; the candidate
pool (recruiting data only) is for HR and recruiters. Each read runs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from talentloop.assessment.insights import stats
from talentloop.core.access import HR, HR_AND_RECRUITING, require_role
from talentloop.core.errors import NotFound
from talentloop.core.models import User
from talentloop.interviews.models import InterviewQuestion, InterviewReport
from talentloop.interviews.models.bank import QuestionReview
from talentloop.org.models import Competency, Job, JobCompetency
from talentloop.performance.models import Review, ReviewScore
from talentloop.recruiting.models import Application

CALIBRATION_ROLES = HR
POOL_ROLES = HR_AND_RECRUITING
MAX_ID = 2**31 - 1
QUESTIONS_NAMED = 5  # a recommendation names this many current questions, then "and N more"
QUESTION_TEXT_CHARS = 40


def min_n() -> int:
    return int(getattr(settings, "TALENTLOOP_INSIGHTS_MIN_N", 10))


def gap_margin() -> float:
    return float(getattr(settings, "TALENTLOOP_INSIGHTS_GAP_MARGIN", 5))


def low_validity() -> float:
    return float(getattr(settings, "TALENTLOOP_INSIGHTS_LOW_VALIDITY", 0.3))


def number_text(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


# --- jobs -----------------------------------------------------------------------------------------------------


def insights_job_get(*, user: User, pk: int, roles: frozenset[str] = CALIBRATION_ROLES) -> Job:
    require_role(user, roles)
    job = Job.objects.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if job is None:
        raise NotFound(_("No such job."))
    return job


def insights_job_choices(*, user: User, roles: frozenset[str] = CALIBRATION_ROLES) -> QuerySet[Job]:
    """The jobs a picker offers, by title."""
    require_role(user, roles)
    return Job.objects.only("id", "title", "status").order_by("title", "id")


def model_items(job: Job) -> list[JobCompetency]:
    """The job's competency model in its order, with the competencies."""
    return list(JobCompetency.objects.filter(job=job).select_related("competency").order_by("position", "id"))


# --- the hires' scores ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HireScores:
    employee_ids: tuple[int, ...]
    interview: dict[int, dict[str, float]]  # employee → competency code → score (latest ready report)
    session_of: dict[int, int]  # employee → the interview session of that report
    performance: dict[int, dict[int, float]]  # employee → competency id → first submitted review's score


def scores_by_code(competencies: Any) -> dict[str, float]:
    if not isinstance(competencies, list):
        return {}
    found: dict[str, float] = {}
    for item in competencies:
        if not isinstance(item, dict):
            continue
        score = item.get("score")
        if isinstance(score, int | float) and not isinstance(score, bool) and item.get("code") is not None:
            found[str(item["code"])] = float(score)
    return found


def hires_of(job: Job) -> QuerySet[Application, Any]:
    """The employee ids of the job's hires, as a subquery."""
    return Application.objects.filter(job=job, employee__isnull=False).values("employee_id")


def hire_scores(job: Job, *, competency_ids: Iterable[int] | None = None) -> HireScores:
    """Interview and first-review performance scores of the job's hires (two queries, the hires as a subquery)."""
    hires = hires_of(job)
    reports = (
        InterviewReport.objects.filter(status=InterviewReport.Status.READY, session__application__employee__in=hires)
        .order_by("session__application__employee_id", F("built_at").desc(nulls_last=True), "-id")
        .values_list("session__application__employee_id", "session_id", "competencies")
    )
    interview: dict[int, dict[str, float]] = {}
    session_of: dict[int, int] = {}
    for employee_id, session_id, competencies in reports:
        if employee_id not in session_of:
            session_of[employee_id] = session_id
            interview[employee_id] = scores_by_code(competencies)
    scores = ReviewScore.objects.filter(
        review__employee__in=hires, review__status=Review.Status.SUBMITTED, review__submitted_at__isnull=False
    )
    if competency_ids is not None:
        scores = scores.filter(competency_id__in=list(competency_ids))
    performance: dict[int, dict[int, float]] = defaultdict(dict)
    for employee_id, competency_id, score in scores.order_by(
        "review__employee_id", "competency_id", "review__submitted_at", "review_id"
    ).values_list("review__employee_id", "competency_id", "score"):
        performance[employee_id].setdefault(competency_id, float(score))
    employees = sorted(set(session_of) | set(performance))
    return HireScores(tuple(employees), interview, session_of, dict(performance))


# --- current questions ----------------------------------------------------------------------------------------


def current_questions(competency_ids: Iterable[int]) -> dict[int, list[InterviewQuestion]]:
    """Per competency, its questions in use (active and approved), by language and code. One query."""
    found: dict[int, list[InterviewQuestion]] = defaultdict(list)
    for question in InterviewQuestion.objects.filter(
        competency_id__in=list(competency_ids), is_active=True, review_status=QuestionReview.APPROVED
    ).order_by("competency_id", "language", "code"):
        found[question.competency_id].append(question)
    return found


def questions_text(questions: Sequence[InterviewQuestion]) -> str:
    """“code “first words…”; …” for a recommendation, at most QUESTIONS_NAMED of them."""
    if not questions:
        return _("none in use — write some in the question bank")
    parts = []
    for question in questions[:QUESTIONS_NAMED]:
        text = " ".join(question.text.split())
        if len(text) > QUESTION_TEXT_CHARS:
            text = text[: QUESTION_TEXT_CHARS - 1] + "…"
        parts.append(f"{question.code} “{text}”")
    extra = len(questions) - QUESTIONS_NAMED
    joined = "; ".join(parts)
    if extra > 0:
        joined += " " + _("and %(n)d more") % {"n": extra}
    return joined


# --- calibration ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyCalibration:
    competency: Competency
    required_score: int
    n: int
    mean_interview: float | None
    mean_performance: float | None
    gap: float | None
    gap_ci: tuple[float, float] | None
    pearson: stats.Correlation | None
    spearman: stats.Correlation | None
    flag: str | None
    recommendation: str | None
    questions: tuple[InterviewQuestion, ...]

    @property
    def code(self) -> str:
        return self.competency.code


@dataclass(frozen=True)
class JobCalibration:
    job: Job
    min_n: int
    gap_margin: float
    low_validity: float
    hires: int
    competencies: tuple[CompetencyCalibration, ...]

    @property
    def flagged(self) -> tuple[CompetencyCalibration, ...]:
        return tuple(c for c in self.competencies if c.flag in (stats.OVER_RATED, stats.LOW_VALIDITY))


def _recommendation(
    flag: str | None, competency: Competency, difference: stats.MeanDifference | None,
    r: stats.Correlation | None, questions: Sequence[InterviewQuestion],
) -> str | None:
    values = {"competency": competency.display_name, "questions": questions_text(questions)}
    if flag == stats.OVER_RATED and difference is not None:
        return _(
            "The interview over-rates %(competency)s: hires score %(gap)s points lower in their first review than "
            "in the interview (95%% CI %(low)s to %(high)s). Add or replace questions for %(competency)s, or raise "
            "its required score; current questions: %(questions)s."
        ) % {**values, "gap": number_text(-difference.mean_diff), "low": number_text(difference.ci_low),
             "high": number_text(difference.ci_high)}
    if flag == stats.LOW_VALIDITY:
        if r is None:
            return _(
                "The interview does not predict performance in %(competency)s: the scores do not vary, so no "
                "correlation can be measured. Add or replace questions for %(competency)s; current questions: "
                "%(questions)s."
            ) % values
        return _(
            "The interview barely predicts performance in %(competency)s (Pearson r = %(r)s). Add or replace "
            "questions for %(competency)s; current questions: %(questions)s."
        ) % {**values, "r": number_text(r.r, 2)}
    return None


def job_calibration(*, user: User, job: Job) -> JobCalibration:
    """Calibration of every competency of the job's model (HR only). Five queries whatever the data size."""
    require_role(user, CALIBRATION_ROLES)
    items = model_items(job)
    data = hire_scores(job, competency_ids=[item.competency_id for item in items])
    questions = current_questions(item.competency_id for item in items)
    needed, margin, threshold = min_n(), gap_margin(), low_validity()
    rows = []
    for item in items:
        competency = item.competency
        interview: list[float | None] = []
        performance: list[float | None] = []
        for employee_id in data.employee_ids:
            a = data.interview.get(employee_id, {}).get(competency.code)
            b = data.performance.get(employee_id, {}).get(competency.pk)
            if a is not None and b is not None:
                interview.append(a)
                performance.append(b)
        n = len(interview)
        in_use = tuple(questions.get(competency.pk, ()))
        enough = n >= needed
        difference = stats.mean_difference(interview, performance) if enough else None
        r = stats.pearson(interview, performance) if enough else None
        rho = stats.spearman(interview, performance) if enough else None
        flag = stats.calibration_flag(
            n=n, min_n=needed, difference=difference, r=r.r if r else None, margin=margin, low_validity=threshold
        )
        rows.append(CompetencyCalibration(
            competency=competency, required_score=item.required_score, n=n,
            mean_interview=difference.mean_before if difference else None,
            mean_performance=difference.mean_after if difference else None,
            gap=difference.mean_diff if difference else None,
            gap_ci=(difference.ci_low, difference.ci_high) if difference else None,
            pearson=r, spearman=rho, flag=flag,
            recommendation=_recommendation(flag, competency, difference, r, in_use), questions=in_use,
        ))
    return JobCalibration(
        job=job, min_n=needed, gap_margin=margin, low_validity=threshold, hires=len(data.employee_ids),
        competencies=tuple(rows),
    )
