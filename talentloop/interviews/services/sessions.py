"""Interview sessions: HR invites a candidate (questions generated or chosen, the secret link emailed), the
candidate gives consent (or asks for a human interviewer instead) and finally hands the interview in, which
queues the report. Answering one question is in answers.py, recorded answers in media.py; the time rules and the
consent wording are in rules.py."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import FileField
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.org.models import INTERVIEW_MODALITIES
from talentloop.recruiting.access import require_application_access, require_recruiter
from talentloop.recruiting.models import Application, Stage
from talentloop.recruiting.services.pipeline import application_transition

from ..models import HumanReviewRequest, InterviewAnswer, InterviewReport, InterviewSession, QuestionLanguage
from . import asr, generation
from .invitations import invitation_email_send
from .rules import (
    ANALYSES,
    CONSENT_VERSION,
    EXPIRY_DAYS_MAX,
    EXPIRY_DAYS_MIN,
    FROM_DRAFT,
    MAX_REASON,
    OPEN_STATUSES,
    RECORDED,
    RECORDING_FAILED,
    UNANSWERED,
    AnswerStatus,
    Status,
    check_invitable,
    check_open,
    consent_text,
    expiry_days_default,
    is_overdue,
    late_answers_default,
    modality_consent_text,
    modality_names,
    offered_modalities,
)

# Stages before the AI interview: inviting moves the application on (sending that stage's email).
BEFORE_INTERVIEW: frozenset[str] = frozenset({Stage.APPLIED, Stage.SCREENING})
UNANSWERED_ENGINE: dict[str, Any] = {"name": "unanswered", "version": "1.0", "parameters": {}, "calibration": None}


# --- HR: invite, cancel ------------------------------------------------------------------------------------


def _expiry_days(value: Any) -> int:
    if value is None:
        return expiry_days_default()
    if isinstance(value, bool) or not isinstance(value, int) or not EXPIRY_DAYS_MIN <= value <= EXPIRY_DAYS_MAX:
        raise ValidationFailed(
            _("The link is valid for %(min)d to %(max)d days.") % {"min": EXPIRY_DAYS_MIN, "max": EXPIRY_DAYS_MAX},
            field="expires_in_days",
        )
    return value


def _modalities(value: Any, *, default: Sequence[str], language: str) -> list[str]:
    """The answer modes to offer: known values only, text always, and voice or video only when a speech
    recogniser is configured for the interview's language (naming the setting that would enable it). The job's
    default is trimmed to what the language allows, so a job offering voice still invites in Chinese without a
    Chinese recogniser; asking for voice or video explicitly is refused instead."""
    explicit = value is not None
    if value is None:
        value = default
    if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(
            _("Give the answer modes as a list of: %(choices)s.") % {"choices": ", ".join(INTERVIEW_MODALITIES)},
            field="modalities",
        )
    unknown = sorted(set(value) - set(INTERVIEW_MODALITIES))
    if unknown:
        raise ValidationFailed(
            _("Unknown answer mode %(names)s; choose from %(choices)s.")
            % {"names": ", ".join(unknown), "choices": ", ".join(INTERVIEW_MODALITIES)},
            field="modalities",
        )
    chosen = set(value) | {"text"}
    recorded = [m for m in RECORDED if m in chosen]
    if recorded and not explicit and not asr.voice_available(language):
        return ["text"]
    if recorded and not asr.voice_available(language):
        names = modality_names()
        raise ValidationFailed(
            _("Voice and video answers need a speech recogniser for %(language)s, and none is configured (setting "
              "%(setting)s). Offer text answers only, or ask the administrator to configure one. Not offered: "
              "%(modes)s.")
            % {"language": QuestionLanguage(language).label, "setting": asr.asr_setting(language),
               "modes": ", ".join(names[m] for m in recorded)},
            field="modalities",
        )
    return [m for m in INTERVIEW_MODALITIES if m in chosen]


@transaction.atomic
def interview_create(
    *,
    actor: User,
    application: Application,
    questions: str | Sequence[int] = "auto",
    language: str,
    expires_in_days: int | None = None,
    seed: int | None = None,
    modalities: Sequence[str] | None = None,
) -> InterviewSession:
    """Invite the application's candidate to the next round of AI interview: questions generated for the job
    ("auto") or the bank questions given by id; the answer modes offered (default: the job's; text always); the
    report row; the invitation email after commit; and an application before the AI-interview stage moves to
    it."""
    require_recruiter(actor)
    require_application_access(actor, application)
    if language not in QuestionLanguage.values:
        raise ValidationFailed(
            _("Choose the interview language: %(choices)s.") % {"choices": ", ".join(QuestionLanguage.values)},
            field="language",
        )
    days = _expiry_days(expires_in_days)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ValidationFailed(_("The seed is a whole number."), field="seed")
    application = Application.objects.select_for_update(of=("self",)).select_related("job__level", "candidate").get(
        pk=application.pk
    )
    offered = _modalities(modalities, default=application.job.interview_modalities or ["text"], language=language)
    now = timezone.now()
    check_invitable(application, now)
    if questions == "auto":
        selection = generation.generate(application=application, language=language, seed=seed)
    elif isinstance(questions, str):
        raise ValidationFailed(_("Give “auto” or a list of question ids."), field="questions")
    else:
        selection = generation.pick(application=application, language=language, ids=questions)
    last_round = (
        InterviewSession.objects.filter(application=application).order_by("-round").values_list("round", flat=True)
        .first()
    )
    session = InterviewSession.objects.create(
        application=application, round=(last_round or 0) + 1, token=secrets.token_urlsafe(32), language=language,
        expires_at=now + timedelta(days=days), accept_late_answers=late_answers_default(),
        generator=selection.generator, invited_by=actor, modalities=offered,
    )
    generation.snapshot(session, selection)
    InterviewReport.objects.create(session=session)
    audit_record(actor=actor, obj=session, action=AuditEntry.Action.CREATE, changes={
        "application": ("", application), "round": ("", session.round), "language": ("", language),
        "questions": ("", [item.question.code for item in selection.questions]),
        "expires_at": ("", session.expires_at), "modalities": ("", offered),
    })
    if application.stage in BEFORE_INTERVIEW:
        application_transition(
            actor=actor, application=application, to=Stage.AI_INTERVIEW,
            reason=_("Invited to AI interview round %(round)d.") % {"round": session.round},
        )
    session_id = session.pk
    transaction.on_commit(lambda: invitation_email_send(session_id=session_id))
    return session


@transaction.atomic
def interview_cancel(*, actor: User, session: InterviewSession) -> InterviewSession:
    """Close an interview the candidate has not finished; its link stops working."""
    require_recruiter(actor)
    require_application_access(actor, session.application)
    session = InterviewSession.objects.select_for_update().get(pk=session.pk)
    if session.status not in OPEN_STATUSES:
        raise Conflict(_("Only an interview that is not finished can be cancelled."))
    old = session.status
    session.status = Status.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, obj=session, action=AuditEntry.Action.UPDATE, changes={"status": (old, session.status)})
    return session


# --- The candidate: open, consent, complete ------------------------------------------------------------------


def locked_session(token: str) -> InterviewSession:
    """The session behind a link, locked for the candidate's write. Unknown token: NotFound."""
    session = (
        InterviewSession.objects.select_for_update(of=("self",)).select_related("application__job")
        .filter(token=str(token)[:64]).first()
    )
    if session is None:
        raise NotFound(_("This interview link is not valid."))
    return session


def interview_open(*, token: str) -> InterviewSession:
    """The session behind a link whatever its state (pages explain expired and completed ones)."""
    session = InterviewSession.objects.select_related("application__job").filter(token=str(token)[:64]).first()
    if session is None:
        raise NotFound(_("This interview link is not valid."))
    return session


def _modality_consent(session: InterviewSession, wanted: set[str], now: Any) -> tuple[dict[str, Any], list[str]]:
    """The per-modality part of the consent: for each recorded modality offered, whether it was given, when, and
    the exact wording shown. An entry changes (new time, new wording) only when the answer changes. Returns the
    new mapping and the modalities whose answer changed."""
    stored = dict((session.consent or {}).get("modalities") or {})
    changed: list[str] = []
    for modality in RECORDED:
        if modality not in offered_modalities(session):
            continue  # consent to a modality not offered is ignored
        given = modality in wanted
        entry = stored.get(modality)
        if isinstance(entry, dict) and entry.get("given") is given:
            continue
        stored[modality] = {
            "given": given, "at": now.isoformat(), "wording": modality_consent_text(modality, session.language),
        }
        changed.append(modality)
    return stored, changed


@transaction.atomic
def interview_consent(
    *,
    token: str,
    accept: bool,
    analyses: Sequence[str] = (),
    human_review: bool = False,
    reason: str = "",
) -> InterviewSession:
    """Accept the AI interview, or decline it and ask for a human interviewer instead (HR sees the request).

    Accepting needs "text" in `analyses`; "audio" and "video" agree to those analyses separately (ignored when the
    interview does not offer them). What was agreed to is recorded with the consent text's version, and each
    recorded modality with its own time and wording. Consenting again (a reload, or the candidate changing their
    mind about voice or video before the interview is over) updates only the modalities whose answer changed."""
    session = locked_session(token)
    now = timezone.now()
    check_open(session, now, need_consent=False)
    if accept:
        if isinstance(analyses, str) or not all(isinstance(a, str) for a in analyses):
            raise ValidationFailed(_("Say what you agree to: text, audio, video."), field="analyses")
        unknown = sorted(set(analyses) - set(ANALYSES))
        if unknown:
            raise ValidationFailed(
                _("%(names)s cannot be agreed to; the interview analyses text, and voice and video with your "
                  "consent.") % {"names": ", ".join(unknown)},
                field="analyses",
            )
        if "text" not in analyses:
            raise ValidationFailed(
                _("The interview analyses the text of your answers; agree to it to take part, or ask for a human "
                  "interviewer instead."),
                field="analyses",
            )
        given, changed = _modality_consent(session, set(analyses), now)
        if session.status != Status.INVITED:
            if not changed:
                return session  # consent given already: a double click or a reload changes nothing
            old_given = [m for m in RECORDED if ((session.consent or {}).get("modalities") or {}).get(m, {})
                         .get("given") is True]
            session.consent = {
                **(session.consent or {}), "modalities": given,
                "analyses": ["text", *(m for m in RECORDED if given.get(m, {}).get("given") is True)],
            }
            session.save(update_fields=["consent", "updated_at"])
            audit_record(actor=None, obj=session, action=AuditEntry.Action.UPDATE, changes={
                "consent_modalities": (old_given, session.consent["analyses"][1:]),
            })
            return session
        offered = offered_modalities(session)
        session.status = Status.CONSENTED
        session.consented_at = now
        session.consent = {
            "version": CONSENT_VERSION, "language": session.language,
            "text": consent_text(session.language, offered),
            "analyses": ["text", *(m for m in RECORDED if given.get(m, {}).get("given") is True)],
            "modalities": given,
        }
        session.save(update_fields=["status", "consented_at", "consent", "updated_at"])
        audit_record(actor=None, obj=session, action=AuditEntry.Action.UPDATE, changes={
            "status": (Status.INVITED, Status.CONSENTED), "consent": ("", CONSENT_VERSION),
            "consent_modalities": ([], session.consent["analyses"][1:]),
        })
        return session
    if not human_review:
        raise ValidationFailed(
            _("To decline the AI interview, ask for a human interviewer instead."), field="human_review"
        )
    if session.status not in (Status.INVITED, Status.CONSENTED):
        raise Conflict(_("You have already started the interview. After it you may ask for a human review of "
                         "the result."))
    reason = str(reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ValidationFailed(
            _("Keep the reason under %(max)d characters.") % {"max": MAX_REASON}, field="reason"
        )
    old = session.status
    session.status = Status.HUMAN_REVIEW
    session.save(update_fields=["status", "updated_at"])
    HumanReviewRequest.objects.create(session=session, kind=HumanReviewRequest.Kind.INSTEAD_OF_AI, reason=reason)
    audit_record(actor=None, obj=session, action=AuditEntry.Action.UPDATE, changes={"status": (old, session.status)})
    return session


def recording_discard(answer: InterviewAnswer) -> None:
    """Forget a recording that did not make an answer (it failed, and the candidate answers again): the answer's
    media fields are reset, and the file is deleted once the transaction commits."""
    name = str(answer.media.name or "") if answer.media else ""
    answer.modality = InterviewAnswer.Modality.TEXT
    answer.media = ""
    answer.media_format, answer.media_bytes, answer.media_sha256, answer.media_seconds = "", None, "", None
    answer.status_detail, answer.transcript, answer.transcript_original, answer.asr_backend = "", "", "", ""
    answer.transcript_corrected_by, answer.transcript_corrected_at = None, None
    answer.delivery, answer.delivery_used_in_score = {}, False
    answer.analysis_attempts, answer.analysed_at = 0, None
    if name:
        field = InterviewAnswer._meta.get_field("media")
        assert isinstance(field, FileField)
        storage = field.storage
        transaction.on_commit(lambda: storage.delete(name))


def _close_unanswered(session: InterviewSession, now: Any) -> list[int]:
    """At completion: a question with a draft but no submission gets the draft submitted (unless it is late and
    late answers are refused); the others become empty answers scored 0 and flagged "unanswered". A recording
    that could not be used (no speech, unreadable, too long) is treated the same way, but an unanswered one keeps
    its status and status_detail for HR.
    Returns the ids of the answers that still need scoring (submitted ones too: should a scoring task have been
    lost, completing queues it again; scoring twice changes nothing)."""
    to_score: list[int] = []
    for question in session.questions.select_related("answer").order_by("position"):
        answer = getattr(question, "answer", None)
        if answer is not None and answer.status == AnswerStatus.SUBMITTED:
            to_score.append(answer.pk)
        if answer is not None and answer.status != AnswerStatus.DRAFT and answer.status not in RECORDING_FAILED:
            continue
        if answer is None:
            answer = InterviewAnswer(session_question=question)
        if question.shown_at is None:
            question.shown_at = now
            question.save(update_fields=["shown_at"])
        draft = answer.draft_text.strip()
        saved_at = answer.draft_saved_at or now
        late = is_overdue(question, saved_at)
        if draft and (session.accept_late_answers or not late):
            if answer.status in RECORDING_FAILED:
                recording_discard(answer)
            answer.status, answer.text, answer.submitted_at = AnswerStatus.SUBMITTED, answer.draft_text, now
            answer.is_late, answer.flags = late, [FROM_DRAFT]
            answer.save()
            to_score.append(answer.pk)
            continue
        answer_mark_unanswered(answer, now)
        answer.save()
    return to_score


def answer_mark_unanswered(answer: InterviewAnswer, now: Any) -> None:
    """An answer of a completed interview that the candidate did not give: empty, scored 0, flagged unanswered.
    A recording that could not be used keeps its status and status_detail (HR sees why). Not saved here."""
    if answer.status not in RECORDING_FAILED:
        answer.status, answer.submitted_at = AnswerStatus.SCORED, now
    answer.text, answer.scored_at = "", now
    answer.score, answer.subscores, answer.evidence = 0.0, {}, []
    answer.missing_key_points = [str(kp.get("point", "")) for kp in answer.session_question.key_points]
    answer.matched_key_points, answer.flags, answer.engine = [], [UNANSWERED], dict(UNANSWERED_ENGINE)


@transaction.atomic
def interview_complete(*, token: str) -> InterviewSession:
    """Hand the interview in: unanswered questions count as empty (score 0), the report is queued. While a
    recording is still being analysed the report stays "scoring": the last analysis queues its build."""
    from ..tasks import answer_score_task, report_build_task

    session = locked_session(token)
    now = timezone.now()
    check_open(session, now)
    to_score = _close_unanswered(session, now)
    old = session.status
    session.status = Status.COMPLETED
    session.completed_at = now
    session.started_at = session.started_at or now
    session.save(update_fields=["status", "completed_at", "started_at", "updated_at"])
    InterviewReport.objects.filter(session=session).update(status=InterviewReport.Status.SCORING, updated_at=now)
    audit_record(actor=None, obj=session, action=AuditEntry.Action.UPDATE, changes={"status": (old, session.status)})
    session_id = session.pk

    def queue() -> None:
        for answer_id in to_score:
            answer_score_task.delay(answer_id)
        report_build_task.delay(session_id)

    transaction.on_commit(queue)
    return session
