"""Interview sessions: HR invites a candidate (questions generated or chosen, the secret link emailed), the
candidate gives consent (or asks for a human interviewer instead) and finally hands the interview in, which
queues the report. Answering one question is in answers.py; the time rules are in rules.py."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.recruiting.access import require_application_access, require_recruiter
from talentloop.recruiting.models import Application, Stage
from talentloop.recruiting.services.pipeline import CLOSED, application_transition

from ..models import HumanReviewRequest, InterviewAnswer, InterviewReport, InterviewSession, QuestionLanguage
from . import generation
from .invitations import invitation_email_send
from .rules import (
    ANALYSES,
    CONSENT_VERSION,
    EXPIRY_DAYS_MAX,
    EXPIRY_DAYS_MIN,
    FROM_DRAFT,
    MAX_REASON,
    OPEN_STATUSES,
    UNANSWERED,
    AnswerStatus,
    Status,
    check_open,
    consent_text,
    expiry_days_default,
    is_expired,
    is_overdue,
    late_answers_default,
    when,
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


@transaction.atomic
def interview_create(
    *,
    actor: User,
    application: Application,
    questions: str | Sequence[int] = "auto",
    language: str,
    expires_in_days: int | None = None,
    seed: int | None = None,
) -> InterviewSession:
    """Invite the application's candidate to the next round of AI interview: questions generated for the job
    ("auto") or the bank questions given by id; the report row; the invitation email after commit; and an
    application before the AI-interview stage moves to it."""
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
    if application.stage in CLOSED:
        raise Conflict(
            _("The application is closed (%(stage)s); the candidate cannot be invited to an interview.")
            % {"stage": Stage(application.stage).label}
        )
    now = timezone.now()
    for open_session in InterviewSession.objects.filter(application=application, status__in=OPEN_STATUSES):
        if not is_expired(open_session, now):
            raise Conflict(
                _("This candidate already has an open AI interview (round %(round)d, link valid until %(date)s). "
                  "Cancel it before inviting again.")
                % {"round": open_session.round, "date": when(open_session.expires_at)}
            )
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
        generator=selection.generator, invited_by=actor,
    )
    generation.snapshot(session, selection)
    InterviewReport.objects.create(session=session)
    audit_record(actor=actor, obj=session, action=AuditEntry.Action.CREATE, changes={
        "application": ("", application), "round": ("", session.round), "language": ("", language),
        "questions": ("", [item.question.code for item in selection.questions]),
        "expires_at": ("", session.expires_at),
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


@transaction.atomic
def interview_consent(
    *,
    token: str,
    accept: bool,
    analyses: Sequence[str] = (),
    human_review: bool = False,
    reason: str = "",
) -> InterviewSession:
    """Accept the AI interview (what is analysed is recorded with the consent text's version), or decline it
    and ask for a human interviewer instead (HR sees the request)."""
    session = locked_session(token)
    now = timezone.now()
    check_open(session, now, need_consent=False)
    if accept:
        unknown = sorted(set(analyses) - set(ANALYSES))
        if unknown:
            raise ValidationFailed(
                _("Only the text of your answers is analysed in this version; %(names)s cannot be agreed to.")
                % {"names": ", ".join(unknown)},
                field="analyses",
            )
        if "text" not in analyses:
            raise ValidationFailed(
                _("The interview analyses the text of your answers; agree to it to take part, or ask for a human "
                  "interviewer instead."),
                field="analyses",
            )
        if session.status != Status.INVITED:
            return session  # consent given already: a double click or a reload changes nothing
        session.status = Status.CONSENTED
        session.consented_at = now
        session.consent = {
            "version": CONSENT_VERSION, "language": session.language, "text": consent_text(session.language),
            "analyses": list(ANALYSES),
        }
        session.save(update_fields=["status", "consented_at", "consent", "updated_at"])
        audit_record(actor=None, obj=session, action=AuditEntry.Action.UPDATE, changes={
            "status": (Status.INVITED, Status.CONSENTED), "consent": ("", CONSENT_VERSION),
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


def _close_unanswered(session: InterviewSession, now: Any) -> list[int]:
    """At completion: a question with a draft but no submission gets the draft submitted (unless it is late and
    late answers are refused); the others become empty answers scored 0 and flagged "unanswered".
    Returns the ids of the answers that still need scoring (submitted ones too: should a scoring task have been
    lost, completing queues it again; scoring twice changes nothing)."""
    to_score: list[int] = []
    for question in session.questions.select_related("answer").order_by("position"):
        answer = getattr(question, "answer", None)
        if answer is not None and answer.status == AnswerStatus.SUBMITTED:
            to_score.append(answer.pk)
        if answer is not None and answer.status != AnswerStatus.DRAFT:
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
            answer.status, answer.text, answer.submitted_at = AnswerStatus.SUBMITTED, answer.draft_text, now
            answer.is_late, answer.flags = late, [FROM_DRAFT]
            answer.save()
            to_score.append(answer.pk)
            continue
        answer.status, answer.text, answer.submitted_at, answer.scored_at = AnswerStatus.SCORED, "", now, now
        answer.score, answer.subscores, answer.evidence = 0.0, {}, []
        answer.missing_key_points = [str(kp.get("point", "")) for kp in question.key_points]
        answer.matched_key_points, answer.flags, answer.engine = [], [UNANSWERED], dict(UNANSWERED_ENGINE)
        answer.save()
    return to_score


@transaction.atomic
def interview_complete(*, token: str) -> InterviewSession:
    """Hand the interview in: unanswered questions count as empty (score 0), the report is queued."""
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
