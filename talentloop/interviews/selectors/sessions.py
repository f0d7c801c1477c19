"""Reads of interview sessions: what the candidate's link shows (never key points, reference answers or
scores) and HR's list of an application's interviews."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from talentloop.core.models import User
from talentloop.recruiting.access import require_application_access
from talentloop.recruiting.models import Application

from ..models import HumanReviewRequest, InterviewSession, SessionQuestion
from ..services.rules import (
    ANSWERED,
    UNANSWERED,
    Status,
    consent_paragraphs,
    consent_text,
    deadline,
    is_closed_for_time,
    is_expired,
    is_overdue,
    remaining_seconds,
)


@dataclass(frozen=True)
class QuestionState:
    position: int
    id: int  # the bank question's id (answers may name a question by it or by position)
    text: str | None  # None for a question after the current one: one question at a time
    time_limit_seconds: int
    remaining_seconds: int
    shown: bool
    answered: bool
    draft: str
    draft_saved_at: datetime | None
    is_late: bool
    overdue: bool  # past the time limit and grace: a submission now is late (or refused)
    closed: bool  # unanswered, overdue and late answers refused: it can no longer be answered
    deadline: datetime | None


@dataclass(frozen=True)
class CandidateState:
    session: InterviewSession
    status: str
    language: str
    expires_at: datetime
    expired: bool
    consent_version: str
    consent_text: str
    consent_paragraphs: list[tuple[str, str]]
    accept_late_answers: bool
    questions: list[QuestionState] = field(default_factory=list)
    current_position: int | None = None  # first question neither answered nor closed; None: all done

    @property
    def answered_count(self) -> int:
        return sum(1 for q in self.questions if q.answered)

    @property
    def unanswered(self) -> list[QuestionState]:
        return [q for q in self.questions if not q.answered]

    def question(self, position: int) -> QuestionState | None:
        return next((q for q in self.questions if q.position == position), None)


def _questions(session: InterviewSession) -> list[SessionQuestion]:
    return list(SessionQuestion.objects.filter(session=session).select_related("answer").order_by("position"))


def candidate_state(*, session: InterviewSession, now: datetime | None = None) -> CandidateState:
    """Everything the candidate's page or client needs, in two queries (the session is given)."""
    now = now or timezone.now()
    rows = _questions(session)
    current: int | None = None
    states: list[QuestionState] = []
    for question in rows:
        answer = getattr(question, "answer", None)
        # An empty answer recorded at completion is not an answer the candidate gave.
        answered = answer is not None and answer.status in ANSWERED and UNANSWERED not in (answer.flags or [])
        closed = is_closed_for_time(question, answer, session, now)
        if current is None and not answered and not closed and session.status != Status.COMPLETED:
            current = question.position
        visible = question.shown_at is not None or current == question.position or answered
        states.append(QuestionState(
            position=question.position, id=question.question_id, text=question.text if visible else None,
            time_limit_seconds=int(question.time_limit_seconds),
            remaining_seconds=0 if answered else remaining_seconds(question, now),
            shown=question.shown_at is not None, answered=answered,
            draft=answer.draft_text if answer is not None else "",
            draft_saved_at=answer.draft_saved_at if answer is not None else None,
            is_late=bool(answer is not None and answer.is_late), overdue=is_overdue(question, now),
            closed=closed, deadline=deadline(question),
        ))
    language = session.language
    consent = session.consent or {}
    return CandidateState(
        session=session, status=session.status, language=language, expires_at=session.expires_at,
        expired=is_expired(session, now),
        consent_version=str(consent.get("version") or ""),
        consent_text=str(consent.get("text") or consent_text(language)),
        consent_paragraphs=consent_paragraphs(language),
        accept_late_answers=session.accept_late_answers,
        questions=states, current_position=current,
    )


# --- HR --------------------------------------------------------------------------------------------------------


def application_interviews(*, user: User, application: Application) -> QuerySet[InterviewSession]:
    """The application's interviews, newest round first, with their report and counts, in one query."""
    require_application_access(user, application)
    return (
        InterviewSession.objects.filter(application=application)
        .select_related("report", "invited_by")
        .annotate(
            question_count=Count("questions", distinct=True),
            answered_count=Count(
                "questions", distinct=True,
                # Empty answers recorded at completion are not answers the candidate gave.
                filter=Q(questions__answer__status__in=sorted(ANSWERED)) & ~Q(questions__answer__text=""),
            ),
            open_requests=Count(
                "review_requests", filter=Q(review_requests__status=HumanReviewRequest.Status.OPEN), distinct=True
            ),
        )
        .order_by("-round")
    )


def session_is_open(session: InterviewSession, now: datetime | None = None) -> bool:
    """Whether the candidate's link still leads to an interview to take."""
    now = now or timezone.now()
    return session.status in (Status.INVITED, Status.CONSENTED, Status.IN_PROGRESS) and not is_expired(session, now)
