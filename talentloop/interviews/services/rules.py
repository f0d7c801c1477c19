"""The rules of a candidate's interview that every service, selector and page shares: limits and settings, the
errors a closed interview raises, the time rules of a question, and the consent text.

Time rules. The link's expiry (`expires_at`) limits when an interview can be *started* (consent and the first
question); once started, the candidate may finish it. Each question's time limit runs from when it was first
shown (`shown_at`, kept on the server, so a reload or a dropped connection does not reset it). A submission up
to GRACE after the limit counts as on time (the browser submits at zero; a slow network must not cost the
answer). Later ones are accepted and marked late when the session accepts late answers (setting
TALENTLOOP_INTERVIEW_LATE_ANSWERS, "accept" by default), otherwise refused — the draft stays saved and the
question counts as unanswered. Drafts can be saved until the answer is submitted."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict

from ..models import InterviewAnswer, InterviewSession, SessionQuestion

Status = InterviewSession.Status
AnswerStatus = InterviewAnswer.Status

QUESTION_COUNT = 8  # generated questions per interview (more when the model has more competencies)
MAX_EXPLICIT_QUESTIONS = 30
EXPIRY_DAYS_MIN, EXPIRY_DAYS_MAX = 1, 60
MAX_REASON = 2000
CONSENT_VERSION = "2025-1"
ANALYSES: tuple[str, ...] = ("text",)  # what this version analyses: the typed text of the answers, nothing else
RETENTION_MONTHS = 12
# Flags the services add to an answer's engine flags.
UNANSWERED = "unanswered"
FROM_DRAFT = "submitted_from_draft"
LANGUAGE_MISMATCH = "language_mismatch"
OPEN_STATUSES: frozenset[str] = frozenset({Status.INVITED, Status.CONSENTED, Status.IN_PROGRESS})
ANSWERED: frozenset[str] = frozenset({AnswerStatus.SUBMITTED, AnswerStatus.SCORED, AnswerStatus.FAILED})


def expiry_days_default() -> int:
    return int(getattr(settings, "TALENTLOOP_INTERVIEW_EXPIRES_DAYS", 7))


def late_answers_default() -> bool:
    return str(getattr(settings, "TALENTLOOP_INTERVIEW_LATE_ANSWERS", "accept")).lower() != "reject"


def grace() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "TALENTLOOP_INTERVIEW_GRACE_SECONDS", 15)))


def max_answer_chars() -> int:
    return int(getattr(settings, "TALENTLOOP_MAX_ANSWER_CHARS", 20000))


def site_url() -> str:
    return str(getattr(settings, "TALENTLOOP_SITE_URL", "")).rstrip("/")


def when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


# --- Errors: each says why in a sentence the candidate understands --------------------------------------------


class InterviewExpired(Conflict):
    pass


class InterviewCompleted(Conflict):
    pass


class InterviewClosed(Conflict):
    """Cancelled by HR, or replaced by a human interviewer at the candidate's request."""


class ConsentMissing(Conflict):
    pass


class AnswerAlreadySubmitted(Conflict):
    pass


class TimeUp(Conflict):
    pass


def expired_message(session: InterviewSession) -> str:
    return _("This interview link expired on %(date)s. Please contact the recruiting team for a new link.") % {
        "date": when(session.expires_at)
    }


def completed_message() -> str:
    return _("This interview is already completed. Thank you; your answers have been submitted.")


def closed_message(session: InterviewSession) -> str:
    if session.status == Status.HUMAN_REVIEW:
        return _("You asked for a human interviewer instead of this AI interview. The recruiting team will "
                 "contact you.")
    return _("This interview was cancelled by the recruiting team.")


def is_expired(session: InterviewSession, now: datetime) -> bool:
    """Expired for starting: the link's date has passed and the candidate had not started yet."""
    return session.started_at is None and session.status in (Status.INVITED, Status.CONSENTED) and (
        session.expires_at <= now
    )


def check_open(session: InterviewSession, now: datetime, *, need_consent: bool = True) -> None:
    """Raise the error that explains why the candidate cannot act on this interview now, if any."""
    if session.status == Status.COMPLETED:
        raise InterviewCompleted(completed_message())
    if session.status in (Status.CANCELLED, Status.HUMAN_REVIEW):
        raise InterviewClosed(closed_message(session))
    if is_expired(session, now):
        raise InterviewExpired(expired_message(session))
    if need_consent and session.status == Status.INVITED:
        raise ConsentMissing(_("Please read and accept the consent page before answering."))


# --- Time of one question -----------------------------------------------------------------------------------


def deadline(question: SessionQuestion) -> datetime | None:
    if question.shown_at is None:
        return None
    return question.shown_at + timedelta(seconds=question.time_limit_seconds)


def remaining_seconds(question: SessionQuestion, now: datetime) -> int:
    """Seconds left on the question's clock: the whole limit before it is shown, never negative."""
    end = deadline(question)
    if end is None:
        return int(question.time_limit_seconds)
    return max(0, math.ceil((end - now).total_seconds()))


def is_overdue(question: SessionQuestion, now: datetime) -> bool:
    """Past the time limit and the grace period: a submission now is late."""
    end = deadline(question)
    return end is not None and now > end + grace()


def is_closed_for_time(question: SessionQuestion, answer: InterviewAnswer | None, session: InterviewSession,
                       now: datetime) -> bool:
    """A question nobody can answer any more: unanswered, overdue, and late answers are refused."""
    answered = answer is not None and answer.status in ANSWERED
    return not answered and not session.accept_late_answers and is_overdue(question, now)


def language_warning(language: str) -> str:
    """Said when an answer seems to be in another language than its question: accepted, noted, not penalised."""
    names = {"zh-hans": _("Chinese"), "en": _("English")}
    return _("Your answer seems to be in another language than the question (%(language)s). It is saved; the "
             "automatic scoring reads %(language)s, so the report marks this answer for HR to read themselves.") % {
        "language": names.get(language, language)}


# --- Consent ------------------------------------------------------------------------------------------------


def consent_paragraphs(language: str) -> list[tuple[str, str]]:
    """(heading, text) pairs of the consent page, in the interview's language. Stored with the consent."""
    with translation.override(language):
        return [
            (_("What is analysed"), _(
                "Only the text you type in answer to each question. This version records no voice, no video and "
                "no picture of you, and does not analyse how fast you type."
            )),
            (_("How the result is used"), _(
                "A scoring program compares your answers with the points a good answer covers and writes a report "
                "for the recruiting team, with the sentences of your answers it relied on. The report informs the "
                "team; people make the decision. It never labels your emotions or personality."
            )),
            (_("Your rights"), _(
                "You may ask for a human interviewer instead of this AI interview, now, with the button below. "
                "After the interview you may ask for a person to review the result."
            )),
            (_("How long your data is kept"), _(
                "Your answers and the report are kept with your application for up to %(months)d months after the "
                "hiring decision, and are deleted earlier if you ask the recruiting team."
            ) % {"months": RETENTION_MONTHS}),
        ]


def consent_text(language: str) -> str:
    return "\n\n".join(f"{heading}\n{text}" for heading, text in consent_paragraphs(language))
