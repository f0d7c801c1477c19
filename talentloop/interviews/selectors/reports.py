"""Reads of interviews for HR: the list, the report document (the API's contract, also what the page and the PDF
show), review requests, and the summaries on the employee profile.

Who may read: whoever may see the application (talentloop.recruiting.access): HR admins and recruiters every
one, a hiring manager those of the jobs in their department subtree. An interview that exists outside the
reader's reach is "not allowed" (403), one that does not exist "not found" (404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.access import HR_AND_RECRUITING, require_role
from talentloop.core.errors import NotFound, PermissionDenied
from talentloop.core.models import User
from talentloop.org.models import Competency, JobLevel
from talentloop.recruiting.access import applications_in_reach
from talentloop.recruiting.models import Application

from .. import explain
from ..models import HumanReviewRequest, InterviewAnswer, InterviewReport, InterviewSession, SessionQuestion
from .providers import provider_finding_sentence

READY = InterviewReport.Status.READY
# Flags the page and the PDF show for an answer (besides the engine's own flags).
UNANSWERED = "unanswered"


def iso_time(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def interview_list(
    *, actor: User, application: int | None = None, status: str | None = None
) -> QuerySet[InterviewSession]:
    """Interviews of the applications the actor may see, newest first, with their report (one query a page)."""
    qs = InterviewSession.objects.filter(application__in=applications_in_reach(actor)).select_related(
        "application__candidate", "application__job", "report"
    )
    if application is not None:
        qs = qs.filter(application_id=application)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def session_for_hr(*, actor: User, session_id: int) -> InterviewSession:
    session = (
        interview_list(actor=actor)
        .select_related("application__job__level", "report__decided_by", "report__feedback_released_by")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        if InterviewSession.objects.filter(pk=session_id).exists():
            raise PermissionDenied(_("You do not have permission to see this interview."))
        raise NotFound(_("No such interview."))
    return session


def report_of(session: InterviewSession) -> InterviewReport | None:
    try:
        return session.report
    except InterviewReport.DoesNotExist:
        return None


def _questions(session: InterviewSession) -> list[SessionQuestion]:
    return list(
        SessionQuestion.objects.filter(session=session).select_related("answer", "competency", "answer__rated_by")
        .order_by("position")
    )


def answer_of(question: SessionQuestion) -> InterviewAnswer | None:
    try:
        return question.answer
    except InterviewAnswer.DoesNotExist:
        return None


def _answer_json(question: SessionQuestion) -> dict[str, Any]:
    answer = answer_of(question)
    submitted = answer is not None and answer.submitted_at is not None
    flags = list(answer.flags or []) if answer is not None else []
    # Handed in without a word (the sessions service stores those as empty answers scored 0) or never reached; a
    # recording still being analysed has no text yet but is not unanswered.
    processing = answer is not None and answer.status == InterviewAnswer.Status.PROCESSING
    if not processing and not (submitted and answer is not None and answer.text.strip()) and UNANSWERED not in flags:
        flags.append(UNANSWERED)
    return {
        "position": question.position,
        "question": question.text,
        "competency": question.competency.code,
        "competency_name": question.competency.display_name,
        "text": answer.text if answer is not None and submitted else "",
        "status": answer.status if answer is not None else UNANSWERED,
        "submitted_at": iso_time(answer.submitted_at) if answer is not None else None,
        "score": answer.score if answer is not None else None,
        "subscores": dict(answer.subscores or {}) if answer is not None else {},
        "evidence": list(answer.evidence or []) if answer is not None else [],
        "missing_key_points": list(answer.missing_key_points or []) if answer is not None else [],
        "matched_key_points": list(answer.matched_key_points or []) if answer is not None else [],
        "flags": flags,
        "is_late": bool(answer and answer.is_late),
        "language_mismatch": bool(answer and answer.language_mismatch),
        "engine": dict(answer.engine or {}) if answer is not None else {},
        "hr_rating": answer.hr_rating if answer is not None else None,
    }


def _evidence_json(raw: Any) -> list[dict[str, Any]]:
    return [{"position": position, "sentence": sentence} for position, sentence in explain.evidence_pairs(raw)]


def _names(codes: set[str], questions: list[SessionQuestion]) -> dict[str, Competency]:
    known = {q.competency.code: q.competency for q in questions}
    missing = codes - set(known)
    if missing:
        known.update({c.code: c for c in Competency.objects.filter(code__in=missing)})
    return known


def _competency_head(code: str, competencies: dict[str, Competency]) -> dict[str, Any]:
    competency = competencies.get(code)
    return {
        "competency": competency.pk if competency else None,
        "code": code,
        "name": competency.display_name if competency else code,
    }


def _vendor_keys(item: dict[str, Any]) -> dict[str, Any]:
    """A vendor-scored report's extra keys: whether the vendor measured the competency, and from which of its
    dimensions (TalentLoop's own reports have neither, so their shape is unchanged)."""
    if "dimensions" not in item:
        return {}
    keys: dict[str, Any] = {"dimensions": list(item.get("dimensions") or [])}
    if "measured" in item:
        keys["measured"] = bool(item["measured"])
    return keys


def _finding_json(item: dict[str, Any], competencies: dict[str, Competency], *, strength: bool) -> dict[str, Any]:
    head = _competency_head(str(item.get("code", "")), competencies)
    evidence = explain.evidence_pairs(item.get("evidence"))
    missing = [str(point) for point in item.get("missing_key_points") or []]
    score, required = float(item.get("score") or 0), int(item.get("required_score") or 0)
    if "dimensions" in item:  # a vendor's report cites the vendor's dimensions, not the candidate's words
        explanation = provider_finding_sentence(name=head["name"], score=score, required=required,
                                                dimensions=item["dimensions"] or [], strength=strength)
    elif strength:
        explanation = explain.strength_sentence(name=head["name"], score=score, required=required, evidence=evidence)
    else:
        explanation = explain.weakness_sentence(
            name=head["name"], score=score, required=required, missing=missing, evidence=evidence
        )
    return {
        **head, "score": item.get("score"), "required_score": item.get("required_score"), "gap": item.get("gap"),
        "explanation": explanation, "evidence": _evidence_json(item.get("evidence")), "missing_key_points": missing,
        **_vendor_keys(item),
    }


def _review_json(request: HumanReviewRequest) -> dict[str, Any]:
    return {
        "id": request.pk, "kind": request.kind, "kind_label": str(HumanReviewRequest.Kind(request.kind).label),
        "reason": request.reason, "status": request.status, "resolution": request.resolution,
        "created_at": iso_time(request.created_at), "resolved_at": iso_time(request.resolved_at),
        "resolved_by": str(request.resolved_by) if request.resolved_by else None,
    }


def _empty_result() -> dict[str, Any]:
    return {
        "overall_score": None, "fit": {"level": None, "label": None}, "competencies": [], "strengths": [],
        "weaknesses": [],
    }


def _result_json(report: InterviewReport, questions: list[SessionQuestion]) -> dict[str, Any]:
    stored = [dict(item) for item in report.competencies or []]
    codes = {str(item.get("code", "")) for item in [*stored, *(report.strengths or []), *(report.weaknesses or [])]}
    competencies = _names(codes, questions)
    levels = list(JobLevel.objects.order_by("rank", "code")) if report.fit_level else []
    return {
        "overall_score": report.overall_score,
        "fit": {"level": report.fit_level or None, "label": explain.fit_label(report.fit_level, levels)},
        "competencies": [
            {
                **_competency_head(str(item.get("code", "")), competencies), "score": item.get("score"),
                "required_score": item.get("required_score"), "weight": item.get("weight"),
                "answers": item.get("answers"), "evidence": _evidence_json(item.get("evidence")),
                "missing_key_points": list(item.get("missing_key_points") or []), **_vendor_keys(item),
            }
            for item in stored
        ],
        "strengths": [_finding_json(dict(item), competencies, strength=True) for item in report.strengths or []],
        "weaknesses": [_finding_json(dict(item), competencies, strength=False) for item in report.weaknesses or []],
    }


def report_document(session: InterviewSession) -> dict[str, Any]:
    """The report as the API returns it, for a session already checked (session_for_hr). Names and sentences
    are in the active language. A constant number of queries whatever the number of questions."""
    report = report_of(session)
    questions = _questions(session)
    status = report.status if report is not None else InterviewReport.Status.IN_PROGRESS
    result = _result_json(report, questions) if report is not None and status == READY else _empty_result()
    application = session.application
    requests = HumanReviewRequest.objects.filter(session=session).select_related("resolved_by")
    return {
        "id": session.pk,
        "application": application.pk,
        "candidate": {"id": application.candidate_id, "name": application.candidate.name},
        "job": {"id": application.job_id, "title": application.job.title},
        "round": session.round,
        "language": session.language,
        "session_status": session.status,
        "completed_at": iso_time(session.completed_at),
        "status": status,
        **result,
        "answers": [_answer_json(q) for q in questions],
        "engine": dict(report.engine or {}) if report is not None else {},
        "built_at": iso_time(report.built_at) if report is not None else None,
        "hr_rating": report.hr_rating if report is not None else None,
        "decision": report.decision if report is not None else "",
        "decision_comment": report.decision_comment if report is not None else "",
        "decided_by": str(report.decided_by) if report is not None and report.decided_by else None,
        "decided_at": iso_time(report.decided_at) if report is not None else None,
        "feedback_released_at": iso_time(report.feedback_released_at) if report is not None else None,
        "feedback": dict(report.feedback or {}) if report is not None and report.feedback_released_at else None,
        "review_requests": [_review_json(r) for r in requests.order_by("-created_at", "-id")],
    }


def report_for_hr(*, actor: User, session_id: int) -> dict[str, Any]:
    return report_document(session_for_hr(actor=actor, session_id=session_id))


# --- review requests -----------------------------------------------------------------------------------------


def review_request_list(
    *, actor: User, status: str | None = None, kind: str | None = None
) -> QuerySet[HumanReviewRequest]:
    """Candidates' requests for a human review (HR and recruiters), open ones first, newest first."""
    require_role(actor, HR_AND_RECRUITING)
    qs = HumanReviewRequest.objects.filter(session__application__in=applications_in_reach(actor)).select_related(
        "session__application__candidate", "session__application__job", "resolved_by"
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("status", "-created_at", "-id")  # "open" sorts before "resolved"


def review_request_get(*, actor: User, pk: int) -> HumanReviewRequest:
    found = review_request_list(actor=actor).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such review request."))
    return found


# --- the employee profile ------------------------------------------------------------------------------------


def interview_report_summaries(*, application: Application) -> list[dict[str, Any]]:
    """The interviews of a hire's application for the profile's recruiting section (the caller decided that the
    reader may see the record)."""
    sessions = list(
        InterviewSession.objects.filter(application=application)
        .select_related("report")
        .order_by("round", "id")
    )
    levels = list(JobLevel.objects.order_by("rank", "code")) if sessions else []
    summaries = []
    for session in sessions:
        report = report_of(session)
        ready = report is not None and report.status == READY
        summaries.append({
            "id": session.pk,
            "round": session.round,
            "status": report.status if report is not None else InterviewReport.Status.IN_PROGRESS,
            "overall_score": report.overall_score if ready and report else None,
            "fit": {
                "level": (report.fit_level or None) if ready and report else None,
                "label": explain.fit_label(report.fit_level, levels) if ready and report else None,
            },
            "decision": report.decision if report is not None else "",
            "url": reverse("interviews:report", kwargs={"pk": session.pk}),
        })
    return summaries
