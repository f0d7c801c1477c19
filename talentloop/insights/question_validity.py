"""Question validity (issue 7, item 2): per interview question asked to a job's hires, how well its answer
scores predict the hire's later performance in the question's competency, and the one-click retirement.

For each hire (see calibration.py) the answers counted are those of the interview whose report gives the
hire's interview score (the most recent ready report), so one hire gives at most one pair per question: the
answer's score and the hire's performance score in the question's competency (first submitted review that
scored it). Pearson r over those pairs is the question's validity; the suggestion follows
talentloop.assessment.insights.stats.question_suggestion. The questions listed are the ones asked in those
interviews and every question in use for a competency of the job's model (those may have no data yet)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from talentloop.assessment.insights import stats
from talentloop.core.access import require_role
from talentloop.core.errors import NotFound
from talentloop.core.models import User
from talentloop.interviews.models import InterviewAnswer, InterviewQuestion
from talentloop.interviews.models.bank import QuestionReview
from talentloop.interviews.services.questions import question_retire
from talentloop.org.models import Job

from .calibration import CALIBRATION_ROLES, MAX_ID, hire_scores, hires_of, low_validity, min_n, model_items, number_text

SEVERITY = {stats.RETIRE: 0, stats.REVISE: 1, stats.KEEP: 2, stats.NOT_ENOUGH_DATA: 3}


@dataclass(frozen=True)
class QuestionValidity:
    question: InterviewQuestion
    n: int
    mean_score: float | None
    pearson: stats.Correlation | None
    suggestion: str
    reason: str

    @property
    def can_retire(self) -> bool:
        """Shown with a Retire button: in use, and the data says retire or revise."""
        return self.question.is_active and self.suggestion in (stats.RETIRE, stats.REVISE)


@dataclass(frozen=True)
class JobQuestionValidity:
    job: Job
    min_n: int
    low_validity: float
    questions: tuple[QuestionValidity, ...]


def _reason(suggestion: str, n: int, needed: int, r: stats.Correlation | None, threshold: float) -> str:
    if suggestion == stats.NOT_ENOUGH_DATA:
        return _("Not enough data: %(n)d of the %(min_n)d hires needed answered it and have a review score.") % {
            "n": n, "min_n": needed}
    if r is None:
        return _("Every hire's answer got the same score, so the question does not tell candidates apart.")
    values = {"r": number_text(r.r, 2), "threshold": number_text(threshold, 2)}
    if suggestion == stats.RETIRE:
        return _("Answer scores do not rise with later performance (Pearson r = %(r)s ≤ 0).") % values
    if suggestion == stats.REVISE:
        return _("Answer scores predict later performance only weakly (Pearson r = %(r)s < %(threshold)s).") % values
    return _("Answer scores predict later performance (Pearson r = %(r)s ≥ %(threshold)s).") % values


def job_question_validity(*, user: User, job: Job) -> JobQuestionValidity:
    """Validity of the job's questions (HR only), worst first within the model's competency order. Five
    queries whatever the data size."""
    require_role(user, CALIBRATION_ROLES)
    items = model_items(job)
    order = {item.competency_id: index for index, item in enumerate(items)}
    data = hire_scores(job)
    employee_of_session = {session: employee for employee, session in data.session_of.items()}
    answers = InterviewAnswer.objects.filter(
        session_question__session__application__employee__in=hires_of(job), score__isnull=False
    ).values_list("session_question__session_id", "session_question__question_id", "score")
    scored: dict[int, dict[int, float]] = defaultdict(dict)  # question → employee → answer score
    for session_id, question_id, score in answers:
        employee_id = employee_of_session.get(session_id)
        if employee_id is not None and score is not None:
            scored[question_id][employee_id] = float(score)
    questions = InterviewQuestion.objects.select_related("competency").filter(pk__in=list(scored)) | (
        InterviewQuestion.objects.select_related("competency").filter(
            competency_id__in=list(order), is_active=True, review_status=QuestionReview.APPROVED
        )
    )
    needed, threshold = min_n(), low_validity()
    rows = []
    for question in questions.distinct():
        answer_scores: list[float | None] = []
        performance: list[float | None] = []
        for employee_id, score in scored.get(question.pk, {}).items():
            later = data.performance.get(employee_id, {}).get(question.competency_id)
            if later is not None:
                answer_scores.append(score)
                performance.append(later)
        n = len(answer_scores)
        r = stats.pearson(answer_scores, performance) if n >= needed else None
        suggestion = stats.question_suggestion(n=n, min_n=needed, r=r.r if r else None, low_validity=threshold)
        rows.append(QuestionValidity(
            question=question, n=n, mean_score=stats.mean(answer_scores) if n >= needed else None, pearson=r,
            suggestion=suggestion, reason=_reason(suggestion, n, needed, r, threshold),
        ))
    rows.sort(key=lambda row: (
        order.get(row.question.competency_id, len(order)), row.question.competency.code,
        SEVERITY[row.suggestion], row.question.code,
    ))
    return JobQuestionValidity(job=job, min_n=needed, low_validity=threshold, questions=tuple(rows))


@transaction.atomic
def insights_question_retire(*, actor: User, question_id: int) -> InterviewQuestion:
    """Retire a question from the validity page in one click (HR only): the question bank's own service does
    it (never generated again, kept for past interviews, audited). Retiring a retired question changes nothing."""
    require_role(actor, CALIBRATION_ROLES)
    question = InterviewQuestion.objects.filter(pk=question_id).first() if 0 < question_id <= MAX_ID else None
    if question is None:
        raise NotFound(_("No such interview question."))
    return question_retire(actor=actor, question=question)
