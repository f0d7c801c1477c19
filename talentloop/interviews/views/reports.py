"""The HR report page (/interviews/<pk>/report/), its PDF and its forms (answer ratings, the decision, releasing
the feedback, correcting a recording's transcript), and the list of the candidates' review requests. Reads come
from selectors.reports, writes go through the services; both decide who may do what. Recorded answers (voice,
video) show their transcript, the recording and a "delivery" section (delivery.py, delivery_chart.py)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from talentloop.core.access import HR_AND_RECRUITING, has_role
from talentloop.core.errors import DomainError
from talentloop.core.models import User
from talentloop.core.web import staff_view
from talentloop.recruiting.access import RECRUITING_ROLES

from .. import delivery, explain
from ..models import HumanReviewRequest, InterviewReport, InterviewSession
from ..pdf import report_pdf
from ..radar import RadarAxis, radar_chart, radar_svg
from ..selectors import reports as selectors
from ..services import feedback as feedback_services
from ..services import media as media_services
from ..services import review as review_services
from ..services.rules import RECORDED, consented_modalities, offered_modalities

REFRESH_SECONDS = 5
PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _radar(doc: dict[str, Any]) -> str:
    # A vendor may not measure every competency of the model: those are not plotted at 0.
    rows = [r for r in doc["competencies"] if r.get("measured", True)]
    if not rows:
        return ""
    chart = radar_chart([RadarAxis(r["name"], float(r["score"] or 0), float(r["required_score"] or 0)) for r in rows])
    description = "; ".join(
        _("%(name)s %(score)s (required %(required)s)") % {
            "name": r["name"], "score": explain.number(r["score"]), "required": explain.number(r["required_score"]),
        }
        for r in rows
    )
    return radar_svg(
        chart, title=_("Competency scores against the required scores"), description=description,
        score_name=_("Candidate's score"), required_name=_("Required score"), uid=f"radar-{doc['id']}",
    )


def _answers(doc: dict[str, Any], recordings: dict[int, delivery.Recording]) -> list[dict[str, Any]]:
    rows = []
    for answer in doc["answers"]:
        recorded = recordings.get(answer["position"])
        chart = delivery.delivery_svg(recorded.delivery, uid=f"timeline-{answer['position']}") if recorded else ""
        rows.append({
            **answer,
            "flag_labels": explain.answer_flags(answer),
            "subscore_rows": [(explain.subscore_label(k), v) for k, v in answer["subscores"].items()],
            "rateable": bool(answer["text"].strip()),
            "recording": recorded,
            "timeline": mark_safe(chart),  # timeline_svg escapes every text
        })
    return rows


def _delivery_context(session: InterviewSession, recordings: dict[int, delivery.Recording]) -> dict[str, Any]:
    """What the top of the report says about recorded answers: which signals counted in the scores, and what the
    candidate agreed to (shown when the interview offered voice or video, or the job counts delivery)."""
    job = session.application.job
    offered = offered_modalities(session)
    shown = bool(recordings) or job.delivery_in_score or any(m in RECORDED for m in offered)
    return {
        "show_delivery_header": shown,
        "scoring_line": delivery.scoring_line(
            delivery_in_score=job.delivery_in_score, consented=consented_modalities(session)
        ) if shown else "",
        "consent_lines": delivery.consent_lines(session) if shown else [],
        "delivery_percent": delivery.percent(delivery.DELIVERY_WEIGHT),
    }


@staff_view
@require_GET
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    session = selectors.session_for_hr(actor=actor, session_id=pk)
    doc = selectors.report_document(session)
    ready = doc["status"] == InterviewReport.Status.READY
    # A typed-only interview has no recording to look up (and its page keeps its query count).
    recorded = any(m in RECORDED for m in offered_modalities(session))
    recordings = delivery.recordings(session.pk) if recorded else {}
    return render(request, "interviews/reports/report.html", {
        "doc": doc,
        "session": session,
        "application": session.application,
        "ready": ready,
        "refresh_seconds": None if ready else REFRESH_SECONDS,
        "status_label": InterviewReport.Status(doc["status"]).label,
        "radar": mark_safe(_radar(doc)) if ready else "",  # radar_svg escapes every text
        "answers": _answers(doc, recordings),
        **_delivery_context(session, recordings),
        "decisions": [(d.value, d.label) for d in review_services.DECISIONS],
        "decision_label": InterviewReport.Decision(doc["decision"]).label if doc["decision"] else "",
        "can_release": has_role(actor, HR_AND_RECRUITING),
        "can_resolve": has_role(actor, HR_AND_RECRUITING),
        # The service's rule: whoever may rate an answer may correct its transcript.
        "can_correct": has_role(actor, RECRUITING_ROLES),
        "open_requests": [r for r in doc["review_requests"] if r["status"] == HumanReviewRequest.Status.OPEN],
        "closed_requests": [r for r in doc["review_requests"] if r["status"] != HumanReviewRequest.Status.OPEN],
        "calibration": (doc["engine"] or {}).get("calibration"),
        "candidate_feedback_url": request.build_absolute_uri(feedback_services.feedback_path(session))
        if doc["feedback_released_at"] else "",
    })


@staff_view
@require_GET
def report_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.report_for_hr(actor=_actor(request), session_id=pk)
    response = HttpResponse(report_pdf(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="interview-report-{doc["id"]}.pdf"'
    return response


def _to_report(pk: int) -> HttpResponse:
    return redirect("interviews:report", pk=pk)


def _errors(exc: DomainError) -> str:
    if exc.message:
        return str(exc.message)
    return " ".join(str(m) for messages_ in exc.errors.values() for m in messages_)


@staff_view
@require_POST
def report_rate(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    try:
        answer = review_services.answer_rate(
            actor=_actor(request), session_id=pk, position=position, rating=request.POST.get("rating", "")
        )
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, _("Question %(n)d: %(problem)s") % {"n": position, "problem": _errors(exc)})
    else:
        messages.success(request, _("Your rating of answer %(n)d (%(rating)d) is saved.") % {
            "n": position, "rating": answer.hr_rating or 0,
        })
    return redirect(f"{reverse('interviews:report', kwargs={'pk': pk})}#answer-{position}")


@staff_view
@require_POST
def report_transcript_correct(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """HR corrects what the speech recogniser heard; the service keeps the original and re-scores the answer."""
    actor = _actor(request)
    session = selectors.session_for_hr(actor=actor, session_id=pk)
    try:
        media_services.answer_transcript_correct(
            actor=actor, session=session, position=position, transcript=request.POST.get("transcript", ""),
        )
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, _("Question %(n)d: %(problem)s") % {"n": position, "problem": _errors(exc)})
    else:
        messages.success(request, _("The transcript of answer %(n)d is corrected and the answer scored again.")
                         % {"n": position})
    return redirect(f"{reverse('interviews:report', kwargs={'pk': pk})}#answer-{position}")


@staff_view
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review_services.report_decide(
            actor=_actor(request), session_id=pk, decision=request.POST.get("decision", ""),
            comment=request.POST.get("comment", ""), rating=request.POST.get("rating", "").strip() or None,
        )
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Decision saved."))
    return _to_report(pk)


@staff_view
@require_POST
def report_release(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = feedback_services.feedback_release(actor=_actor(request), session_id=pk)
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Feedback released on %(at)s; the candidate was emailed the link.") % {
            "at": date_format(timezone.localtime(report.feedback_released_at), "Y-m-d H:i"),
        })
    return _to_report(pk)


@staff_view
@require_GET
def review_request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", HumanReviewRequest.Status.OPEN)
    status = status if status in (*HumanReviewRequest.Status.values, "all") else HumanReviewRequest.Status.OPEN
    requests = selectors.review_request_list(actor=_actor(request), status=None if status == "all" else status)
    page_obj = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interviews/reports/review_requests.html", {
        "page_obj": page_obj, "status": status,
        "statuses": [("open", _("Open")), ("resolved", _("Resolved")), ("all", _("All"))],
    })


@staff_view
@require_POST
def review_request_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review_services.review_request_resolve(
            actor=_actor(request), request_id=pk, resolution=request.POST.get("resolution", "")
        )
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The review request is resolved."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("interviews:review_requests")


staff_urls: list[URLPattern | URLResolver] = [
    path("<int:pk>/report/", report_page, name="report"),
    path("<int:pk>/report.pdf", report_pdf_download, name="report_pdf"),
    path("<int:pk>/report/answers/<int:position>/rating/", report_rate, name="report_rate"),
    path("<int:pk>/report/answers/<int:position>/transcript/", report_transcript_correct,
         name="report_transcript"),
    path("<int:pk>/report/decision/", report_decide, name="report_decide"),
    path("<int:pk>/report/release-feedback/", report_release, name="report_release"),
    path("review-requests/", review_request_list, name="review_requests"),
    path("review-requests/<int:pk>/resolve/", review_request_resolve, name="review_request_resolve"),
]
public_urls: list[URLPattern | URLResolver] = []
