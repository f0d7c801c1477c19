"""Candidate-pool signals (issue 7, item 3): per job and competency of its model, how the candidates who
applied scored in the AI interview, and a flag where they score low across the board.

Each candidate who applied to the job counts once, with their most recent ready interview report for an
application to this job (hired or not). Per competency: n (candidates with a score), the mean interview score,
the job's required score, the share of candidates strictly below it, and the flag from
talentloop.assessment.insights.stats.pool_flag (mean more than TALENTLOOP_INSIGHTS_GAP_MARGIN points below the
required score, with at least TALENTLOOP_INSIGHTS_MIN_N candidates). Recruiting data only: HR and recruiters."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext as _

from talentloop.assessment.insights import stats
from talentloop.core.access import require_role
from talentloop.core.models import User
from talentloop.interviews.models import InterviewQuestion, InterviewReport
from talentloop.org.models import Competency, Job

from .calibration import (
    POOL_ROLES,
    current_questions,
    gap_margin,
    min_n,
    model_items,
    number_text,
    questions_text,
    scores_by_code,
)


@dataclass(frozen=True)
class CompetencyPool:
    competency: Competency
    required_score: int
    n: int
    mean_interview: float | None
    share_below_required: float | None
    flag: str | None
    suggestion: str | None
    questions: tuple[InterviewQuestion, ...]

    @property
    def code(self) -> str:
        return self.competency.code


@dataclass(frozen=True)
class JobPool:
    job: Job
    min_n: int
    gap_margin: float
    candidates: int
    competencies: tuple[CompetencyPool, ...]


def _suggestion(row_flag: str | None, competency: Competency, mean: float | None, required: int,
                share: float | None, questions: tuple[InterviewQuestion, ...]) -> str | None:
    if row_flag != stats.LOW_ACROSS_POOL:
        return None
    return _(
        "Candidates score low in %(competency)s across the board (mean %(mean)s against a required %(required)d; "
        "%(share)s%% below it). If the questions are harder than the job needs, adjust them (current questions: "
        "%(questions)s); otherwise state the requirement in the job posting so applicants know it."
    ) % {
        "competency": competency.display_name, "mean": number_text(mean), "required": required,
        "share": number_text(None if share is None else share * 100, 0), "questions": questions_text(questions),
    }


def job_candidate_pool(*, user: User, job: Job) -> JobPool:
    """The pool signals of every competency of the job's model. Three queries whatever the data size."""
    require_role(user, POOL_ROLES)
    items = model_items(job)
    reports = (
        InterviewReport.objects.filter(status=InterviewReport.Status.READY, session__application__job=job)
        .order_by("session__application__candidate_id", F("built_at").desc(nulls_last=True), "-id")
        .values_list("session__application__candidate_id", "competencies")
    )
    latest: dict[int, dict[str, float]] = {}
    for candidate_id, competencies in reports:
        if candidate_id not in latest:
            latest[candidate_id] = scores_by_code(competencies)
    questions = current_questions(item.competency_id for item in items)
    needed, margin = min_n(), gap_margin()
    rows = []
    for item in items:
        competency = item.competency
        scores: list[float | None] = [s[competency.code] for s in latest.values() if competency.code in s]
        n = len(scores)
        enough = n >= needed
        mean = stats.mean(scores) if enough else None
        share = stats.share_below(scores, item.required_score) if enough else None
        flag = stats.pool_flag(n=n, min_n=needed, mean_score=mean, required=item.required_score, margin=margin)
        in_use = tuple(questions.get(competency.pk, ()))
        rows.append(CompetencyPool(
            competency=competency, required_score=item.required_score, n=n, mean_interview=mean,
            share_below_required=share, flag=flag,
            suggestion=_suggestion(flag, competency, mean, item.required_score, share, in_use), questions=in_use,
        ))
    return JobPool(job=job, min_n=needed, gap_margin=margin, candidates=len(latest), competencies=tuple(rows))
