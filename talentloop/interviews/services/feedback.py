"""The candidate's feedback: written once, when HR releases it, in the interview's language, from the report's
strengths (with a short quote of the candidate's own words) and its weaknesses (turned into concrete
suggestions from the key points the answers missed), plus delivery tips from the flags of recorded answers when
the candidate agreed to that analysis (voice, video). It never holds a score, another candidate's data or an HR
note. The candidate reads it through the interview's secret link for FEEDBACK_DAYS after the release, even when
the link has expired for answering, and may ask for a human review of the result there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentloop.core.access import HR_AND_RECRUITING, require_role
from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.org.models import Competency

from .. import delivery, explain
from ..models import HumanReviewRequest, InterviewReport, InterviewSession, SessionQuestion
from ..selectors.reports import answer_of, report_of, session_for_hr
from .rules import consented_modalities

FEEDBACK_DAYS = 180
MAX_REASON = 2000
MAX_STRENGTHS, MIN_SUGGESTIONS, MAX_SUGGESTIONS = 3, 2, 4
QUOTE_LIMIT = 100
# Generic advice when the report names no missing key point, weakest sub-score first.
GENERIC: dict[str, Any] = {
    "structure": gettext_lazy("Structure each answer: the situation, what you did, and the result it led to."),
    "specificity": gettext_lazy("Make your answers concrete: give numbers, dates and a real example."),
    "key_points": gettext_lazy("Answer each part of the question in turn, so that no part of it is left out."),
    "relevance": gettext_lazy("Stay close to the question: answer what was asked before adding background."),
    "length": gettext_lazy("Give fuller answers: a few sentences on what happened, what you did and why."),
}


def _question_text(text: str) -> str:
    return explain.quoted(text, 60)


def _strengths(report: InterviewReport, names: dict[str, str]) -> list[str]:
    found: list[str] = []
    used: set[str] = set()
    for item in sorted(report.strengths or [], key=lambda s: -float(s.get("gap") or 0)):
        code = str(item.get("code"))
        evidence = explain.evidence_pairs(item.get("evidence"))
        name = names.get(code, code)
        if evidence:
            found.append(_("You showed strength in %(name)s, for example when you said: %(quote)s")
                         % {"name": name, "quote": explain.quoted(evidence[0][1], QUOTE_LIMIT)})
        else:
            found.append(_("You showed strength in %(name)s.") % {"name": name})
        used.add(code)
    # Too few clear strengths: the best moments of the other competencies, strongest first.
    for item in sorted(report.competencies or [], key=lambda c: -float(c.get("score") or 0)):
        code = str(item.get("code"))
        evidence = explain.evidence_pairs(item.get("evidence"))
        if len(found) >= 2 or code in used or not evidence:
            continue
        # Not a strength in the report, so the feedback does not call it one.
        found.append(_("A good moment in your answers about %(name)s: %(quote)s")
                     % {"name": names.get(code, code), "quote": explain.quoted(evidence[0][1], QUOTE_LIMIT)})
        used.add(code)
    return found[:MAX_STRENGTHS]


def _point_question(code: str, point: str, questions: Sequence[SessionQuestion]) -> SessionQuestion | None:
    for question in questions:
        answer = answer_of(question)
        if question.competency.code == code and answer is not None and point in (answer.missing_key_points or []):
            return question
    return None


def _suggestions(report: InterviewReport, names: dict[str, str], questions: Sequence[SessionQuestion]) -> list[str]:
    found: list[str] = []
    weaknesses = sorted(report.weaknesses or [], key=lambda w: float(w.get("gap") or 0))
    # The first missed point of every weak competency (largest gap first), then the second ones.
    pairs = [
        (str(item.get("code")), str(point))
        for rank in range(2) for item in weaknesses
        for point in list(item.get("missing_key_points") or [])[rank:rank + 1]
    ]
    for code, point in pairs:
        question = _point_question(code, point, questions)
        params = {"point": point.strip().rstrip("。."), "name": names.get(code, code)}
        if question is not None:
            text = _("When you answer a question like %(question)s, a strong answer also covers this point: "
                     "%(point)s.") % {**params, "question": _question_text(question.text)}
        else:
            text = _("In answers about %(name)s, a strong answer also covers this point: %(point)s.") % params
        if text not in found:
            found.append(text)
    if len(found) < MIN_SUGGESTIONS:
        weak_codes = {str(item.get("code")) for item in weaknesses}
        found.extend(_generic(questions, weak_codes)[: MIN_SUGGESTIONS - len(found)])
    return found[:MAX_SUGGESTIONS]


def _generic(questions: Sequence[SessionQuestion], weak_codes: set[str]) -> list[str]:
    """Advice for the weakest sub-scores (of the weak competencies' answers when there are any)."""
    totals: dict[str, list[float]] = {name: [] for name in GENERIC}
    for question in questions:
        answer = answer_of(question)
        if answer is None or (weak_codes and question.competency.code not in weak_codes):
            continue
        for name, value in (answer.subscores or {}).items():
            if name in totals and isinstance(value, int | float):
                totals[name].append(float(value))
    order = list(GENERIC)
    means = {
        name: (sum(values) / len(values) if values else 100.0 + order.index(name)) for name, values in totals.items()
    }
    return [str(GENERIC[name]) for name in sorted(GENERIC, key=lambda n: (means[n], order.index(n)))]


def _delivery_tips(session: InterviewSession, questions: Sequence[SessionQuestion]) -> list[str]:
    recorded = []
    for question in questions:
        answer = answer_of(question)
        if answer is not None and answer.modality in delivery.RECORDED and answer.delivery:
            recorded.append((answer.modality, answer.delivery))
    return delivery.delivery_tips(recorded, consented_modalities(session))


def feedback_build(*, session: InterviewSession, report: InterviewReport) -> dict[str, Any]:
    """The feedback document in the session's language: {"language", "strengths", "suggestions"}, and
    "delivery_tips" when recorded answers gave any."""
    questions = list(
        SessionQuestion.objects.filter(session=session).select_related("answer", "competency").order_by("position")
    )
    codes = {str(i.get("code")) for i in [*(report.competencies or []), *(report.strengths or []),
                                          *(report.weaknesses or [])]}
    with translation.override(session.language):
        names = {c.code: c.display_name for c in Competency.objects.filter(code__in=codes)}
        document: dict[str, Any] = {
            "language": session.language,
            "strengths": _strengths(report, names),
            "suggestions": _suggestions(report, names, questions),
        }
        tips = _delivery_tips(session, questions)
    # Left out when empty: feedback written before recorded answers existed has the same shape.
    if tips:
        document["delivery_tips"] = tips
    return document


@transaction.atomic
def feedback_release(*, actor: User, session_id: int) -> InterviewReport:
    """Release the feedback to the candidate and email them the link (after commit). Once released it stays
    as first written: releasing again changes nothing and sends nothing."""
    require_role(actor, HR_AND_RECRUITING)
    session = session_for_hr(actor=actor, session_id=session_id)
    report = InterviewReport.objects.select_for_update().filter(session=session).first()
    if report is None or report.status != InterviewReport.Status.READY:
        raise Conflict(_("The report is not ready yet; feedback can be released once it is."))
    if report.feedback_released_at is not None:
        return report
    report.feedback = feedback_build(session=session, report=report)
    report.feedback_released_at, report.feedback_released_by = timezone.now(), actor
    report.save(update_fields=["feedback", "feedback_released_at", "feedback_released_by", "updated_at"])
    audit_record(
        actor=actor, obj=report, action=AuditEntry.Action.UPDATE,
        changes={"feedback_released_at": (None, report.feedback_released_at)},
    )
    session_pk = session.pk
    transaction.on_commit(lambda: feedback_email_send(session_id=session_pk))
    return report


def feedback_path(session: InterviewSession) -> str:
    return reverse("interview:feedback", kwargs={"token": session.token})


def feedback_email_send(*, session_id: int) -> bool:
    """Email the candidate the link to their feedback, in the interview's language. False without an email."""
    session = InterviewSession.objects.select_related("application__candidate", "application__job").get(pk=session_id)
    candidate = session.application.candidate
    if not candidate.email:
        return False
    link = f"{str(settings.TALENTLOOP_SITE_URL).rstrip('/')}{feedback_path(session)}"
    with translation.override(session.language):
        params = {
            "candidate": candidate.name or candidate.email, "company": settings.TALENTLOOP_COMPANY_NAME,
            "title": session.application.job.title, "link": link, "days": FEEDBACK_DAYS,
        }
        subject = _("%(company)s: feedback on your interview for %(title)s") % params
        body = _(
            "Dear %(candidate)s,\n\nThank you for taking the interview for %(title)s. Your feedback is ready: what "
            "went well and what you could do next time. Read it here:\n\n%(link)s\n\nThe page stays available for "
            "%(days)d days. If you would like a person to review the result, you can ask for it on the same page."
            "\n\nThe %(company)s recruiting team"
        ) % params
    send_mail(subject, body, None, [candidate.email])
    return True


def feedback_available_until(report: InterviewReport) -> dt.datetime | None:
    if report.feedback_released_at is None:
        return None
    return report.feedback_released_at + dt.timedelta(days=FEEDBACK_DAYS)


def feedback_for_candidate(*, token: str) -> tuple[InterviewSession, InterviewReport]:
    """The session and its released report for the candidate's link; NotFound with a sentence that says why
    (unknown link, not released yet, no longer kept)."""
    session = (
        InterviewSession.objects.select_related("application__job", "report").filter(token=str(token)[:64]).first()
    )
    if session is None:
        raise NotFound(_("This interview link is not valid. Check that you copied the whole link from the email."))
    report = report_of(session)
    if report is None or report.feedback_released_at is None:
        raise NotFound(_("Your feedback has not been released yet. You will get an email as soon as it is."))
    until = feedback_available_until(report)
    if until is not None and timezone.now() > until:
        raise NotFound(
            _("This feedback is no longer available: it is kept for %(days)d days after it is released.")
            % {"days": FEEDBACK_DAYS}
        )
    return session, report


@transaction.atomic
def review_request_submit(*, token: str, reason: str) -> HumanReviewRequest:
    """The candidate asks for a person to review the result. One open request per interview."""
    session, _report = feedback_for_candidate(token=token)
    InterviewSession.objects.select_for_update().filter(pk=session.pk).first()
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationFailed(_("Tell us briefly why you would like a person to review the result."), field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(_("Please keep the reason under %(n)d characters.") % {"n": MAX_REASON}, field="reason")
    if HumanReviewRequest.objects.filter(session=session, status=HumanReviewRequest.Status.OPEN).exists():
        raise Conflict(_("You have already asked for a human review of this interview. We will get back to you."))
    request = HumanReviewRequest.objects.create(
        session=session, kind=HumanReviewRequest.Kind.OF_RESULT, reason=reason,
    )
    audit_record(actor=None, obj=request, action=AuditEntry.Action.CREATE)
    return request
