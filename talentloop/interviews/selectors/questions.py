"""Reads of the question bank. HR, recruiters and hiring managers may read it; candidates never (it holds the
key points and reference answers)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from talentloop.core.access import require_role
from talentloop.core.errors import NotFound
from talentloop.core.models import User
from talentloop.org.models import Competency
from talentloop.recruiting.access import RECRUITING_ROLES

from ..models import InterviewQuestion, QuestionReview


def question_list(
    *, user: User, competency: str | None = None, language: str | None = None, type: str | None = None,
    difficulty: int | None = None, active: bool | None = None, search: str | None = None,
) -> QuerySet[InterviewQuestion]:
    require_role(user, RECRUITING_ROLES)
    # Drafts from a generative backend live on the drafts page until HR approves them.
    qs = InterviewQuestion.objects.select_related("competency").filter(review_status=QuestionReview.APPROVED)
    if competency:
        qs = qs.filter(competency__code=competency)
    if language:
        qs = qs.filter(language=language)
    if type:
        qs = qs.filter(type=type)
    if difficulty is not None:
        qs = qs.filter(difficulty=difficulty)
    if active is not None:
        qs = qs.filter(is_active=active)
    if search and search.strip():
        term = search.strip()
        qs = qs.filter(Q(text__icontains=term) | Q(code__icontains=term))
    return qs.order_by("competency__code", "language", "pk")


def question_get(*, user: User, pk: int) -> InterviewQuestion:
    question = question_list(user=user).filter(pk=pk).first()
    if question is None:
        raise NotFound(_("No such interview question."))
    return question


def question_counts(*, user: User) -> list[dict[str, Any]]:
    """Per competency (active ones, and retired ones that still have questions): how many questions are in use
    in Chinese and in English, and how many are retired. One query."""
    require_role(user, RECRUITING_ROLES)
    active = Q(interview_questions__is_active=True)
    rows = (
        Competency.objects.annotate(
            zh=Count("interview_questions", filter=active & Q(interview_questions__language="zh-hans")),
            en=Count("interview_questions", filter=active & Q(interview_questions__language="en")),
            retired=Count("interview_questions", filter=Q(interview_questions__is_active=False)
                          & Q(interview_questions__review_status=QuestionReview.APPROVED)),
            total=Count("interview_questions"),
        )
        .filter(Q(is_active=True) | Q(total__gt=0))
        .order_by("code")
    )
    return [
        {"competency": c, "code": c.code, "name": c.display_name, "zh": c.zh, "en": c.en, "retired": c.retired,
         "short": c.zh < 4 or c.en < 4}
        for c in rows
    ]
