"""The public careers page (namespace "careers", no login, phone first): the open jobs, one job with its
application form, and the thank-you page.

Anyone may post here, so the page never tells a visitor more than they typed: a duplicate application is
answered without the name or the application number the service's message carries."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.web import apply_domain_errors
from talentloop.insights.fairness import candidate_attributes_record
from talentloop.org.models import Job

from ..forms import ApplyForm, consent_wording, fairness_answers
from ..models import Application, Candidate
from ..services.intake import MAX_RESUME_BYTES, ResumeUpload, application_create

PAGE_SIZE = 20
THANKS_SALT = "talentloop.careers.applied"
THANKS_MAX_AGE = 24 * 3600


def resume_upload(file: UploadedFile) -> ResumeUpload:
    """The upload as the services take it. A file over the limit is never read: its size says enough."""
    name, size = file.name or "resume", int(file.size or 0)
    if size > MAX_RESUME_BYTES:
        return ResumeUpload(name, None, size)
    return ResumeUpload(name, file.read(), size)


def _open_jobs() -> QuerySet[Job]:
    jobs = Job.objects.filter(status=Job.Status.OPEN).select_related("department", "level")
    return jobs.order_by("-created_at", "-id")


def _public_job(pk: int) -> Job | None:
    """A job the careers page shows: open ones, and closed or paused ones (to say so); never drafts."""
    return Job.objects.select_related("department", "level").exclude(status=Job.Status.DRAFT).filter(pk=pk).first()


def _page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    context = {"company": settings.TALENTLOOP_COMPANY_NAME, **(context or {})}
    return render(request, f"recruiting/candidate/{template}", context, status=status)


def _missing(request: HttpRequest) -> HttpResponse:
    return _page(request, "careers_missing.html", status=404)


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(_open_jobs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(request, "careers_list.html", {"page_obj": page_obj})


@require_http_methods(["GET", "POST"])
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _public_job(pk)
    if job is None:
        return _missing(request)
    consent_text = consent_wording()
    status = 200
    if request.method == "POST":
        form = ApplyForm(request.POST, request.FILES, consent_text=consent_text)
        if form.is_valid():
            data = form.cleaned_data
            resume = resume_upload(data["resume"]) if data["resume"] else None
            try:
                with transaction.atomic():
                    application = application_create(
                        actor=None, job=job, resume=resume, name=data["name"], email=data["email"],
                        phone=data["phone"], source=Candidate.Source.CAREERS_PAGE, consent=True,
                        consent_text=consent_text, language=get_language() or "",
                    )
                    candidate_attributes_record(
                        candidate=application.candidate, consent=bool(data.get("fairness_consent")),
                        values=fairness_answers(data),
                    )
            except ValidationFailed as exc:
                apply_domain_errors(form, {f: [str(m) for m in ms] for f, ms in exc.errors.items()} or {
                    "__all__": [str(exc.message)]
                })
            except Conflict:
                form.add_error(None, _(
                    "You have already applied for this job with this email address or phone number. "
                    "There is no need to apply again: we will contact you."
                ))
            else:
                token = signing.dumps(application.pk, salt=THANKS_SALT)
                return redirect(f"{reverse('careers:application_thanks', args=[job.pk])}?a={token}")
        status = 400
    else:
        form = ApplyForm(consent_text=consent_text)
    return _page(request, "careers_job.html", {
        "job": job, "form": form, "is_open": job.status == Job.Status.OPEN,
    }, status=status)


@require_GET
def application_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    job = _public_job(pk)
    if job is None:
        return _missing(request)
    application: Application | None = None
    try:
        application_id = signing.loads(request.GET.get("a", ""), salt=THANKS_SALT, max_age=THANKS_MAX_AGE)
    except signing.BadSignature:
        application_id = None
    if isinstance(application_id, int):
        application = Application.objects.filter(pk=application_id, job=job).only(
            "pk", "job_id", "resume_status", "resume_error"
        ).first()
    unreadable = application is not None and application.resume_status == Application.ResumeStatus.UNREADABLE
    return _page(request, "careers_thanks.html", {
        "job": job, "resume_unreadable": unreadable, "resume_problem": application.resume_error if application else "",
    })


staff_urls: list[URLPattern | URLResolver] = []
public_urls: list[URLPattern | URLResolver] = [
    path("", job_list, name="job_list"),
    path("jobs/<int:pk>/", job_detail, name="job_detail"),
    path("jobs/<int:pk>/thanks/", application_thanks, name="application_thanks"),
]
