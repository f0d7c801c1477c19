"""Reads of interview sessions: what the candidate's link shows (never key points, reference answers or
scores), HR's list of an application's interviews, and the recorded-answer fields of the HR report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from talentloop.core.models import User
from talentloop.recruiting.access import require_application_access
from talentloop.recruiting.models import Application

from ..models import HumanReviewRequest, InterviewAnswer, InterviewSession, SessionQuestion
from ..services.rules import (
    ANSWERED,
    RECORDED,
    UNANSWERED,
    Status,
    consent_paragraphs,
    consent_text,
    consented_modalities,
    deadline,
    is_closed_for_time,
    is_expired,
    is_overdue,
    max_media_bytes,
    media_chunk_bytes,
    modality_consent_text,
    offered_modalities,
    remaining_seconds,
    status_detail_text,
    status_message,
)
from .reports import report_of


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
    # None before any answer; else draft, submitted, processing, scored, no_speech, unreadable, too_long, failed.
    answer_status: str | None = None
    answer_modality: str | None = None
    status_message: str = ""  # a sentence for the candidate (a recording being analysed, or unusable), or ""


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
    offered_modalities: list[str] = field(default_factory=lambda: ["text"])
    consented_modalities: list[str] = field(default_factory=list)  # [] before consent
    modality_consent: dict[str, str] = field(default_factory=dict)  # recorded modality offered → its wording
    allow_rerecord: bool = True
    max_media_bytes: int = 0
    chunk_bytes: int = 0

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
            answer_status=answer.status if answer is not None else None,
            answer_modality=answer.modality if answer is not None else None,
            status_message=status_message(answer),
        ))
    language = session.language
    consent = session.consent or {}
    offered = offered_modalities(session)
    stored = consent.get("modalities") or {}
    return CandidateState(
        session=session, status=session.status, language=language, expires_at=session.expires_at,
        expired=is_expired(session, now),
        consent_version=str(consent.get("version") or ""),
        consent_text=str(consent.get("text") or consent_text(language, offered)),
        consent_paragraphs=consent_paragraphs(language, offered),
        accept_late_answers=session.accept_late_answers,
        questions=states, current_position=current,
        offered_modalities=offered, consented_modalities=consented_modalities(session),
        # The wording agreed to, once agreed (it must not change under the candidate's feet); else today's.
        modality_consent={
            m: str((stored.get(m) or {}).get("wording") or modality_consent_text(m, language))
            for m in RECORDED if m in offered
        },
        allow_rerecord=bool(session.application.job.allow_rerecord),
        max_media_bytes=max_media_bytes(), chunk_bytes=media_chunk_bytes(),
    )


# --- HR --------------------------------------------------------------------------------------------------------


def answer_media_json(answer: InterviewAnswer | None, *, session_id: int, position: int) -> dict[str, Any]:
    """The recorded-answer fields of one answer in the HR report (typed answers have them too, empty)."""
    if answer is None:
        return {
            "modality": "text", "status_detail": "", "transcript": "", "transcript_original": "",
            "transcript_corrected": False, "asr_backend": "", "delivery": {}, "delivery_used_in_score": False,
            "media_url": None, "media_format": "", "media_seconds": None, "media_deleted_at": None,
        }
    playable = answer.modality in RECORDED and bool(answer.media) and answer.media_deleted_at is None
    corrected = answer.transcript_corrected_at is not None
    return {
        "modality": answer.modality,
        "status_detail": status_detail_text(answer.status_detail),
        "transcript": answer.transcript,
        "transcript_original": answer.transcript_original if corrected else answer.transcript,
        "transcript_corrected": corrected,
        "asr_backend": answer.asr_backend,
        "delivery": dict(answer.delivery or {}),
        "delivery_used_in_score": bool(answer.delivery_used_in_score),
        "media_url": (
            reverse("interview-answer-media", kwargs={"pk": session_id, "position": position}) if playable else None
        ),
        "media_format": answer.media_format,
        "media_seconds": answer.media_seconds,
        "media_deleted_at": (
            timezone.localtime(answer.media_deleted_at).isoformat() if answer.media_deleted_at else None
        ),
    }


def report_media_extend(document: dict[str, Any], session: InterviewSession) -> dict[str, Any]:
    """Add the voice/video and provider fields to a report document (selectors.reports.report_document): per
    answer its modality, status detail, transcript, recogniser, delivery and recording link; for the report the
    job's delivery_in_score, and its source and provider. One query whatever the number of answers (two with a
provider)."""
    answers = {
        a.session_question.position: a
        for a in InterviewAnswer.objects.filter(session_question__session=session).select_related("session_question")
    }
    for item in document.get("answers", []):
        position = int(item["position"])
        item.update(answer_media_json(answers.get(position), session_id=session.pk, position=position))
    report = report_of(session)  # loaded with the session (session_for_hr)
    provider = report.provider if report is not None and report.provider_id is not None else None
    document["delivery_in_score"] = bool(session.application.job.delivery_in_score)
    document["modalities"] = offered_modalities(session)
    document["consented_modalities"] = consented_modalities(session)
    document["source"] = report.source if report is not None and report.source else "talentloop"
    document["provider"] = {"slug": provider.slug, "name": provider.name} if provider is not None else None
    document["provider_summary"] = report.provider_summary if report is not None else ""
    document["provider_dimensions"] = list(report.provider_dimensions or []) if report is not None else []
    return document



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
