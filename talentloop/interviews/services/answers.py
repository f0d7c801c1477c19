"""The candidate answering one question: showing it (its clock starts), autosaving the draft, submitting the
answer (scored by a task right after commit). Nothing typed is lost: a refused submission leaves the saved
draft as it was, or — when refused only for time — keeps the refused text as the draft. See rules.py for the
time rules; recorded answers are in media.py (a recording that could not be used may be replaced by a typed
answer here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.assessment.answers.text import detect_language, length_units, normalise
from talentloop.core.errors import Conflict, NotFound, ValidationFailed

from ..models import InterviewAnswer, InterviewSession, SessionQuestion
from .rules import (
    ANSWERED,
    RECORDING_FAILED,
    AnswerAlreadySubmitted,
    AnswerStatus,
    Status,
    TimeUp,
    check_open,
    is_closed_for_time,
    is_overdue,
    language_warning,
    max_answer_chars,
)
from .sessions import locked_session, recording_discard

MISMATCH_MIN_UNITS = 10  # shorter texts are too short to tell their language


@dataclass(frozen=True)
class Submitted:
    answer: InterviewAnswer
    question: SessionQuestion
    warning: str  # "" or a sentence for the candidate (e.g. the answer is in another language)


def _question(session: InterviewSession, ref: Any) -> SessionQuestion:
    """A session question by position (1..n) or by bank question id or code; positions win when both fit."""
    if isinstance(ref, bool) or ref is None or ref == "":
        raise ValidationFailed(_("Say which question this answer is for."), field="question")
    questions = session.questions.select_related("answer")
    value: Any = ref
    if isinstance(ref, str) and ref.strip().isdigit():
        value = int(ref.strip())
    if isinstance(value, int):
        found = questions.filter(position=value).first() if 0 < value < 1000 else None
        found = found or (questions.filter(question_id=value).first() if 0 < value < 2**63 else None)
    elif isinstance(value, str):
        found = questions.filter(question__code=value[:60]).first()
    else:
        raise ValidationFailed(_("Say which question this answer is for."), field="question")
    if found is None:
        raise NotFound(_("This interview has no question %(question)s.") % {"question": str(ref)[:60]})
    return found


def _answer(question: SessionQuestion) -> InterviewAnswer:
    existing = getattr(question, "answer", None)
    return existing if existing is not None else InterviewAnswer(session_question=question)


def _start(session: InterviewSession, question: SessionQuestion, now: datetime) -> None:
    """The question's clock starts the first time it is shown (or answered, for a client that never showed it)."""
    if question.shown_at is None:
        question.shown_at = now
        question.save(update_fields=["shown_at"])
    if session.status == Status.CONSENTED:
        session.status = Status.IN_PROGRESS
        session.started_at = session.started_at or now
        session.save(update_fields=["status", "started_at", "updated_at"])


def _text(text: Any) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise ValidationFailed(_("The answer must be text."), field="text")
    return text


def _check_length(text: str) -> None:
    limit = max_answer_chars()
    if len(text) > limit:
        raise ValidationFailed(
            _("Your answer is %(length)d characters long; the limit is %(limit)d. Please shorten it. Your saved "
              "draft is kept.") % {"length": len(text), "limit": limit},
            field="text",
        )


@transaction.atomic
def question_show(*, token: str, position: int) -> SessionQuestion:
    """The question at `position` as the candidate opens it; the first opening starts its clock."""
    session = locked_session(token)
    now = timezone.now()
    check_open(session, now)
    question = session.questions.select_related("answer").filter(position=position).first()
    if question is None:
        raise NotFound(_("This interview has no question %(question)s.") % {"question": position})
    _start(session, question, now)
    return question


def current_question(session: InterviewSession, now: datetime) -> SessionQuestion | None:
    """The first question neither answered nor closed for time; None when every question is done."""
    for question in session.questions.select_related("answer").order_by("position"):
        answer = getattr(question, "answer", None)
        if answer is not None and answer.status in ANSWERED:
            continue
        if is_closed_for_time(question, answer, session, now):
            continue
        return question
    return None


@transaction.atomic
def interview_resume(*, token: str) -> InterviewSession:
    """A client (re)opening a consented interview: the current question counts as shown from now on (its clock
    does not restart if it was shown before). Closed, expired or not-yet-consented interviews are left alone."""
    session = locked_session(token)
    now = timezone.now()
    try:
        check_open(session, now)
    except Conflict:
        return session
    question = current_question(session, now)
    if question is not None:
        _start(session, question, now)
    return session


@transaction.atomic
def answer_draft_save(*, token: str, question: Any, text: Any) -> InterviewAnswer:
    """Autosave the text typed so far. Allowed until the answer is submitted, even after the time limit (the
    submission decides about time). A too-long text is refused and the previous draft stays untouched."""
    session = locked_session(token)
    now = timezone.now()
    check_open(session, now)
    found = _question(session, question)
    answer = _answer(found)
    if answer.status in ANSWERED:
        raise AnswerAlreadySubmitted(_("This answer has already been submitted and cannot be changed."))
    value = _text(text)
    _check_length(value)
    _start(session, found, now)
    answer.draft_text = value
    answer.draft_saved_at = now
    answer.save()
    return answer


def _language_warning(question: SessionQuestion, session: InterviewSession, text: str) -> str:
    normalised = normalise(text)
    if length_units(normalised) < MISMATCH_MIN_UNITS or detect_language(normalised) == session.language:
        return ""
    return language_warning(session.language)


def answer_submit(*, token: str, question: Any, text: Any) -> Submitted:
    """Submit the answer to one question. Refused, with the draft kept: empty text, text over the limit, an
    answer already submitted, and — when the session refuses late answers — one after the time limit and grace
    (the refused text is then kept as the draft). Accepted late answers are marked late."""
    from ..tasks import answer_score_task

    refused: TimeUp | None = None
    with transaction.atomic():
        session = locked_session(token)
        now = timezone.now()
        check_open(session, now)
        found = _question(session, question)
        answer = _answer(found)
        if answer.status in ANSWERED:
            raise AnswerAlreadySubmitted(_("This question has already been answered; an answer cannot be changed."))
        value = _text(text)
        if not value.strip():
            raise ValidationFailed(_("Please write an answer before submitting."), field="text")
        _check_length(value)
        _start(session, found, now)
        late = is_overdue(found, now)
        if late and not session.accept_late_answers:
            answer.draft_text, answer.draft_saved_at = value, now
            answer.save()
            refused = TimeUp(_("The time for this question is up, so the answer was not submitted. What you wrote "
                               "is kept. Please go on to the next question."))
        else:
            if answer.status in RECORDING_FAILED:
                recording_discard(answer)  # typed instead of the recording that could not be used
            answer.text, answer.draft_text, answer.draft_saved_at = value, value, now
            answer.status, answer.submitted_at, answer.is_late = AnswerStatus.SUBMITTED, now, late
            answer.flags = []
            answer.save()
            answer_id = answer.pk
            transaction.on_commit(lambda: answer_score_task.delay(answer_id))
    if refused is not None:
        raise refused  # after commit: the kept draft must survive the refusal
    return Submitted(answer=answer, question=found, warning=_language_warning(found, session, value))
