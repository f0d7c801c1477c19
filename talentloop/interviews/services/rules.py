"""The rules of a candidate's interview that every service, selector and page shares: limits and settings, the
errors a closed interview raises, the time rules of a question, and the consent text.

Time rules. The link's expiry (`expires_at`) limits when an interview can be *started* (consent and the first
question); once started, the candidate may finish it. Each question's time limit runs from when it was first
shown (`shown_at`, kept on the server, so a reload or a dropped connection does not reset it). A submission up
to GRACE after the limit counts as on time (the browser submits at zero; a slow network must not cost the
answer). Later ones are accepted and marked late when the session accepts late answers (setting
TALENTLOOP_INTERVIEW_LATE_ANSWERS, "accept" by default), otherwise refused — the draft stays saved and the
question counts as unanswered. Drafts can be saved until the answer is submitted.

Recorded answers (voice, video). A modality is usable only when the interview offers it AND the candidate agreed
to its analysis separately (sensitive personal information under PIPL: its own explicit consent, recorded with
the time and the wording shown). A recording is `processing` until a worker has analysed it; one that cannot be
used (no speech, unreadable, too long) re-opens the question, and at completion counts as unanswered."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from talentloop.core.errors import Conflict
from talentloop.org.models import INTERVIEW_MODALITIES
from talentloop.recruiting.models import Application, Stage

from ..models import InterviewAnswer, InterviewSession, SessionQuestion

Status = InterviewSession.Status
AnswerStatus = InterviewAnswer.Status

QUESTION_COUNT = 8  # generated questions per interview (more when the model has more competencies)
MAX_EXPLICIT_QUESTIONS = 30
EXPIRY_DAYS_MIN, EXPIRY_DAYS_MAX = 1, 60
MAX_REASON = 2000
CONSENT_VERSION = "2026-1"
# What a consent may name: the text of the answers (always, to take part), and each recorded modality separately.
ANALYSES: tuple[str, ...] = INTERVIEW_MODALITIES
RECORDED: tuple[str, ...] = ("audio", "video")  # the modalities answered with a recording
RETENTION_MONTHS = 12
# Flags the services add to an answer's engine flags.
UNANSWERED = "unanswered"
FROM_DRAFT = "submitted_from_draft"
LANGUAGE_MISMATCH = "language_mismatch"
OPEN_STATUSES: frozenset[str] = frozenset({Status.INVITED, Status.CONSENTED, Status.IN_PROGRESS})
# Answers the candidate has given: a recording being analysed counts (the candidate moves on meanwhile).
ANSWERED: frozenset[str] = frozenset({
    AnswerStatus.SUBMITTED, AnswerStatus.SCORED, AnswerStatus.FAILED, AnswerStatus.PROCESSING,
})
# A recording that could not be used: the question is open again (record again or type); at completion it counts
# as unanswered and keeps its status and status_detail for HR.
RECORDING_FAILED: frozenset[str] = frozenset({AnswerStatus.NO_SPEECH, AnswerStatus.UNREADABLE, AnswerStatus.TOO_LONG})


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


def max_media_bytes() -> int:
    return int(getattr(settings, "TALENTLOOP_MEDIA_MAX_BYTES", 200 * 1024 * 1024))


def max_media_seconds() -> int:
    return int(getattr(settings, "TALENTLOOP_MEDIA_MAX_SECONDS", 1800))


def media_chunk_bytes() -> int:
    return int(getattr(settings, "TALENTLOOP_MEDIA_CHUNK_BYTES", 1024 * 1024))


def media_retention_days() -> int:
    return int(getattr(settings, "TALENTLOOP_MEDIA_RETENTION_DAYS", 90))


def video_sample_fps() -> float:
    return float(getattr(settings, "TALENTLOOP_VIDEO_SAMPLE_FPS", 2.0))


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


# --- Consent ---------------------------------------------------------------------------------------------------


def _recorded(modalities: Sequence[str]) -> list[str]:
    return [m for m in RECORDED if m in modalities]


def consent_paragraphs(language: str, modalities: Sequence[str] = ("text",)) -> list[tuple[str, str]]:
    """(heading, text) pairs of the consent page, in the interview's language. Stored with the consent. With
    voice or video offered, "what is analysed" says so; each recorded modality has its own wording
    (modality_consent_text), agreed to separately."""
    with translation.override(language):
        if _recorded(modalities):
            analysed = _(
                "The text of your answers: what you type or, if you answer by voice or video, the transcript of "
                "your recording. Voice and video analysis are optional and each needs your separate consent "
                "below; you can always type your answers instead. How fast you type is not analysed."
            )
            kept = _(
                "Your answers and the report are kept with your application for up to %(months)d months after the "
                "hiring decision, and are deleted earlier if you ask the recruiting team."
            ) % {"months": RETENTION_MONTHS} + " " + _retention_sentence()
        else:
            analysed = _(
                "Only the text you type in answer to each question. This interview records no voice, no video and "
                "no picture of you, and does not analyse how fast you type."
            )
            kept = _(
                "Your answers and the report are kept with your application for up to %(months)d months after the "
                "hiring decision, and are deleted earlier if you ask the recruiting team."
            ) % {"months": RETENTION_MONTHS}
        return [
            (_("What is analysed"), analysed),
            (_("How the result is used"), _(
                "A scoring program compares your answers with the points a good answer covers and writes a report "
                "for the recruiting team, with the sentences of your answers it relied on. The report informs the "
                "team; people make the decision. It never labels your emotions or personality."
            )),
            (_("Your rights"), _(
                "You may ask for a human interviewer instead of this AI interview, now, with the button below. "
                "After the interview you may ask for a person to review the result."
            )),
            (_("How long your data is kept"), kept),
        ]


def consent_text(language: str, modalities: Sequence[str] = ("text",)) -> str:
    return "\n\n".join(f"{heading}\n{text}" for heading, text in consent_paragraphs(language, modalities))


def _retention_sentence() -> str:
    days = media_retention_days()
    if days > 0:
        return _("Recordings are deleted %(days)d days after they are made; their transcripts and scores are kept "
                 "with your answers.") % {"days": days}
    return _("Recordings are kept with your answers for as long as your answers are.")


def modality_consent_text(modality: str, language: str) -> str:
    """The wording the candidate agrees to for one recorded modality: what is measured, what never is, that it
    is sensitive personal information needing separate explicit consent, and how long recordings are kept."""
    with translation.override(language):
        if modality == "audio":
            body = _(
                "Voice analysis (optional). If you answer by voice, your recording is transcribed and the transcript "
                "is scored like a typed answer. How you speak is also measured: speaking pace, pauses, pitch range "
                "and loudness variation, and filler words (such as “um”). The recruiting team sees these "
                "measurements; they count in your score only if the employer has chosen so, and then for a fifth "
                "of the answer's score at most. Your emotions and personality are never analysed. Your voice is "
                "sensitive personal information under the Personal Information Protection Law (PIPL), so this "
                "needs your separate, explicit consent; without it you can type every answer."
            )
        elif modality == "video":
            body = _(
                "Video analysis (optional). If you answer on camera, your recording is analysed like a voice answer "
                "(transcript, speaking pace, pauses, pitch range, loudness variation, filler words), and a few times "
                "a second it is also checked whether your face is in view, whether you are looking toward the "
                "camera, whether several faces or nobody are in view, and how much your head moves. Moments with "
                "nobody or several people in view are marked for the recruiting team to check. Your emotions and "
                "personality are never analysed, and you are not identified from your face. Your image and voice "
                "are sensitive personal information under the Personal Information Protection Law (PIPL), so this "
                "needs your separate, explicit consent; without it you can answer another way."
            )
        else:
            raise ValueError(f"no separate consent for the modality {modality!r}")
        return f"{body} {_retention_sentence()}"


def offered_modalities(session: InterviewSession) -> list[str]:
    """What this candidate may answer with: the interview's modalities in the canonical order, text always."""
    chosen = set(session.modalities or []) | {"text"}
    return [m for m in INTERVIEW_MODALITIES if m in chosen]


def consented_modalities(session: InterviewSession) -> list[str]:
    """What the candidate agreed to: nothing before consent, then text, plus each recorded modality agreed to."""
    consent = session.consent or {}
    if not consent or session.consented_at is None:
        return []
    given = consent.get("modalities") or {}
    return ["text", *(m for m in RECORDED if isinstance(given.get(m), dict) and given[m].get("given") is True)]


def modality_usable(session: InterviewSession, modality: str) -> bool:
    return modality in offered_modalities(session) and modality in consented_modalities(session)


def modality_names() -> dict[str, str]:
    return {"text": _("text"), "audio": _("voice"), "video": _("video")}


# --- What a recorded answer's status means -------------------------------------------------------------------

# status_detail is stored in English (it is written by a worker, for readers in any language) from these
# templates; status_detail_text() shows it in the reader's language.
NO_SPEECH_DETAIL = gettext_noop("No speech was detected in the recording.")
UNREADABLE_DETAIL = gettext_noop("Recording unreadable: %(detail)s")
TOO_LONG_DETAIL = gettext_noop("Recording too long: %(detail)s")
ASR_FAILED_DETAIL = gettext_noop("Speech recognition failed: %(detail)s")
_DETAIL_TEMPLATES = (UNREADABLE_DETAIL, TOO_LONG_DETAIL, ASR_FAILED_DETAIL)
MAX_DETAIL = 300


def status_detail_make(template: str, detail: str = "") -> str:
    """The stored (English) status_detail from one of the templates above, cut to the field's length."""
    text = template % {"detail": detail.strip().rstrip(".") + "."} if "%(detail)s" in template else template
    return text[:MAX_DETAIL]


def status_detail_text(detail: str) -> str:
    """A stored status_detail in the active language (the engine's own detail stays in English)."""
    if not detail:
        return ""
    if detail == NO_SPEECH_DETAIL:
        return _(NO_SPEECH_DETAIL)
    for template in _DETAIL_TEMPLATES:
        prefix = template.split("%(detail)s")[0]
        if detail.startswith(prefix):
            return _(template) % {"detail": detail[len(prefix):]}
    return detail


def status_message(answer: InterviewAnswer | None) -> str:
    """A sentence for the candidate about their answer's state ("" when there is nothing to say)."""
    if answer is None:
        return ""
    if answer.status == AnswerStatus.PROCESSING:
        return _("Your recording was received and is being analysed. You can go on to the next question.")
    if answer.status == AnswerStatus.NO_SPEECH:
        return _("No speech was detected in your recording. Please record again or type your answer.")
    if answer.status == AnswerStatus.UNREADABLE:
        prefix = UNREADABLE_DETAIL.split("%(detail)s")[0]
        reason = answer.status_detail[len(prefix):] if answer.status_detail.startswith(prefix) else ""
        return _("Your recording could not be read: %(reason)s. Please record again or type your answer.") % {
            "reason": reason.rstrip(".") or _("unknown reason")}
    if answer.status == AnswerStatus.TOO_LONG:
        limit = max_media_seconds()
        if limit % 60:
            return _("Your recording is longer than the limit of %(seconds)d seconds. Please record a shorter answer "
                     "or type it.") % {"seconds": limit}
        return _("Your recording is longer than the limit of %(minutes)d minutes. Please record a shorter answer "
                 "or type it.") % {"minutes": limit // 60}
    return ""


def check_invitable(application: Application, now: datetime) -> None:
    """An application can get a new interview round (ours or a vendor's) while it is open and has no open round."""
    from talentloop.recruiting.services.pipeline import CLOSED

    if application.stage in CLOSED:
        raise Conflict(
            _("The application is closed (%(stage)s); the candidate cannot be invited to an interview.")
            % {"stage": Stage(application.stage).label}
        )
    for open_session in InterviewSession.objects.filter(application=application, status__in=OPEN_STATUSES):
        if not is_expired(open_session, now):
            raise Conflict(
                _("This candidate already has an open AI interview (round %(round)d, link valid until %(date)s). "
                  "Cancel it before inviting again.")
                % {"round": open_session.round, "date": when(open_session.expires_at)}
            )
