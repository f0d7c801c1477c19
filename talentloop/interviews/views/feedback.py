"""The candidate's feedback page, /interview/<token>/feedback/ (no login: the interview's secret token). It shows
the released feedback in the interview's language and lets the candidate ask for a person to review the
result. Unknown links and feedback not released (or no longer kept) get a page that says which, with a 404."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.insights.survey import satisfaction_of
from talentloop.insights.views.metrics import public_urls as satisfaction_urls

from ..models import HumanReviewRequest, InterviewSession
from ..services import feedback as services


def _language(token: str) -> str | None:
    return InterviewSession.objects.filter(token=str(token)[:64]).values_list("language", flat=True).first()


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {"company": settings.TALENTLOOP_COMPANY_NAME, **context}
    return render(request, f"interviews/feedback/{template}", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_page(request: HttpRequest, token: str) -> HttpResponse:
    # The page speaks the interview's language, like the feedback written in it.
    with translation.override(_language(token) or translation.get_language()):
        try:
            session, report = services.feedback_for_candidate(token=token)
        except NotFound as exc:
            return _page(request, "missing.html", {"message": exc.message}, status=404)
        error, reason, status = "", "", 200
        if request.method == "POST":
            reason = request.POST.get("reason", "")
            try:
                services.review_request_submit(token=token, reason=reason)
            except ValidationFailed as exc:
                error, status = str(exc.message), 400
            except Conflict as exc:
                error, status = str(exc.message), 409
            else:
                return redirect("interview:feedback", token=token)
        requests = HumanReviewRequest.objects.filter(session=session).order_by("-created_at", "-id")
        feedback = report.feedback or {}
        return _page(request, "feedback.html", {
            "session": session, "job": session.application.job, "report": report,
            "strengths": feedback.get("strengths", []), "suggestions": feedback.get("suggestions", []),
            "open_request": next((r for r in requests if r.status == HumanReviewRequest.Status.OPEN), None),
            "resolved_requests": [r for r in requests if r.status == HumanReviewRequest.Status.RESOLVED],
            "available_until": services.feedback_available_until(report),
            "error": error, "reason": reason, "max_reason": services.MAX_REASON,
            "satisfaction": satisfaction_of(session),
        }, status=status)


staff_urls: list[URLPattern | URLResolver] = []
public_urls: list[URLPattern | URLResolver] = [
    path("<str:token>/feedback/", feedback_page, name="feedback"),
    # The one-question satisfaction survey under the feedback (the insights app's view).
    *satisfaction_urls,
]
