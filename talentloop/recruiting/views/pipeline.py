"""Staff recruiting pages (namespace "recruiting"): the overview of jobs, a job's kanban board, its ranking
with the bulk resume upload, its screening rules, one application, and the stage email templates.

HR and recruiters see every job; a hiring manager the jobs of their department and below (access.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, path, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentloop.core.access import HR_AND_RECRUITING, has_role, require_role
from talentloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view
from talentloop.org.models import Job

from .. import selectors
from ..access import RECRUITING_ROLES, applications_in_reach, jobs_in_reach, require_recruiter
from ..forms import (
    BulkUploadForm,
    EmailTemplateForm,
    NoteForm,
    RankingFilterForm,
    ScreeningRulesForm,
    TransitionForm,
    max_bulk_files,
    max_resume_mb,
)
from ..models import Application, Degree, EmailTemplate, Stage
from ..services import notes as note_services
from ..services import pipeline as pipeline_services
from ..services.bulk_import import ImportSummary, Outcome, resumes_import
from ..services.screening import screening_rules_for, screening_rules_update
from .careers import resume_upload

HOME_PAGE_SIZE = 50
RANKING_PAGE_SIZE = 50
# Enough cards to work with on a screen; the column header keeps the full count and links to the rest.
BOARD_CARDS_PER_STAGE = 40

KNOCKOUT_LABELS = {
    "min_degree": gettext_lazy("degree below the minimum"),
    "min_years": gettext_lazy("too few years of experience"),
    "required_skills": gettext_lazy("a required skill is missing"),
    "location": gettext_lazy("location not accepted"),
}
PLACEHOLDER_HELP = (
    ("{candidate}", gettext_lazy("the candidate's name (their email when the name is unknown)")),
    ("{job}", gettext_lazy("the job title")),
    ("{stage}", gettext_lazy("the stage the application entered, in the candidate's language")),
    ("{company}", gettext_lazy("your company's name")),
    ("{reason}", gettext_lazy("the reason given when the application was moved (may be empty)")),
)
# Pages other capabilities add to an application; a link shows only once its page exists.
OTHER_APPLICATION_PAGES = (
    ("recruiting:written_test_assign", gettext_lazy("Assign a written test")),
    ("recruiting:check_request", gettext_lazy("Request a background check")),
    ("recruiting:offer_create", gettext_lazy("Prepare an offer")),
    ("recruiting:application_hire", gettext_lazy("Hire")),
)
RESUME_API_PATH = "/api/v1/applications/{pk}/resume/"


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _job(request: HttpRequest, pk: int) -> Job:
    require_role(_actor(request), RECRUITING_ROLES)
    return selectors.job_for_recruiting(user=_actor(request), pk=pk)


def _days_since(moment: dt.datetime, now: dt.datetime) -> int:
    return max(0, (now - moment).days)


def board_targets(stage: str) -> list[str]:
    """Where a card may be dragged from `stage`: hiring needs the Hire page, which creates the employee."""
    return [s for s in Stage.values if pipeline_services.transition_allowed(stage, s)[0]]


# ------------------------------------------------------------------------------------------------ overview


@staff_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, RECRUITING_ROLES)
    status = request.GET.get("status", Job.Status.OPEN)
    jobs = jobs_in_reach(actor).select_related("department").order_by("-created_at", "-id")
    if status in Job.Status.values:
        jobs = jobs.filter(status=status)
    page_obj = Paginator(jobs, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
    page_jobs = list(page_obj.object_list)
    counts: dict[tuple[int, str], int] = {
        (job_id, stage): n
        for job_id, stage, n in applications_in_reach(actor).filter(job__in=[job.pk for job in page_jobs])
        .order_by().values_list("job_id", "stage").annotate(n=Count("pk"))
    }
    stages = pipeline_services.PIPELINE
    rows = [
        {
            "job": job,
            "counts": [counts.get((job.pk, stage), 0) for stage in stages],
            "total": sum(n for (job_id, _stage), n in counts.items() if job_id == job.pk),
        }
        for job in page_jobs
    ]
    return render(request, "recruiting/home.html", {
        "page_obj": page_obj, "rows": rows, "stages": [Stage(s) for s in stages],
        "status": status, "statuses": Job.Status.choices, "can_manage": has_role(actor, HR_AND_RECRUITING),
    })


# ------------------------------------------------------------------------------------------------ board


@dataclass(frozen=True)
class Card:
    application: Application
    days_in_stage: int

    @property
    def name(self) -> str:
        candidate = self.application.candidate
        return candidate.name or candidate.email or _("Candidate #%(id)d") % {"id": self.application.pk}


@staff_view
@require_GET
def job_board(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    board = selectors.job_board(user=_actor(request), job=job, per_stage=BOARD_CARDS_PER_STAGE)
    now = timezone.now()
    labels = dict(Stage.choices)
    columns = []
    for column in board["columns"]:
        targets = board_targets(column["stage"])
        columns.append({
            **column,
            "cards": [Card(a, _days_since(a.stage_changed_at, now)) for a in column["cards"]],
            "more": column["count"] - len(column["cards"]),
            "targets": [(stage, labels[stage]) for stage in targets],
        })
    return render(request, "recruiting/job_board.html", {
        "job": job, "columns": columns, "total": sum(c["count"] for c in columns),
        "stage_targets": {c["stage"]: [stage for stage, _label in c["targets"]] for c in columns},
        "stage_labels": {str(k): str(v) for k, v in labels.items()},
        "can_manage": has_role(_actor(request), HR_AND_RECRUITING),
    })


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request: HttpRequest, application_pk: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("recruiting:application_detail", pk=application_pk)


@staff_view
@require_POST
def application_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an application (the board's drag and drop and "Move to…", the detail page's buttons).
    A fetch() asking for JSON gets {ok, stage, message}; a plain form post is redirected back."""
    actor = _actor(request)
    wants_json = _wants_json(request)
    form = TransitionForm(request.POST)
    try:
        application = selectors.application_get(user=actor, pk=pk)
        if not form.is_valid():
            raise ValidationFailed(_("Choose a stage to move the application to."), field="to")
        pipeline_services.application_transition(
            actor=actor, application=application, to=form.cleaned_data["to"], reason=form.cleaned_data["reason"],
        )
    except (PermissionDenied, NotFound) as exc:
        if wants_json:
            return JsonResponse({"ok": False, "message": str(exc.message)}, status=exc.status_code)
        raise
    except (Conflict, ValidationFailed) as exc:
        text = str(exc.message) or " ".join(str(m) for ms in exc.errors.values() for m in ms)
        if wants_json:
            return JsonResponse({"ok": False, "stage": application.stage, "message": text}, status=exc.status_code)
        messages.error(request, text)
        return _back(request, pk)
    stage = Stage(form.cleaned_data["to"])
    text = _("%(name)s moved to “%(stage)s”.") % {
        "name": application.candidate.name or application.candidate.email or f"#{application.pk}",
        "stage": stage.label,
    }
    if wants_json:
        return JsonResponse({"ok": True, "stage": stage.value, "stage_label": str(stage.label), "message": text})
    messages.success(request, text)
    return _back(request, pk)


# ------------------------------------------------------------------------------------------------ ranking


def _upload_summary(summary: ImportSummary) -> dict[str, Any]:
    """What the page shows after a bulk upload: counts that add up to the number of files, and each
    file's outcome with its reason."""
    return {
        "total": summary.total,
        "imported": summary.having(Outcome.IMPORTED),
        "kept_unreadable": summary.having(Outcome.UNREADABLE),
        "duplicates": summary.having(Outcome.DUPLICATE),
        "not_imported": summary.having(Outcome.UNSUPPORTED) + summary.having(Outcome.FAILED),
        "seconds": summary.seconds,
    }


@dataclass(frozen=True)
class RankingRow:
    rank: int
    application: Application
    matched: list[str]
    missing: list[str]
    knockouts: list[str]


def _ranking_rows(applications: Iterable[Application], start: int) -> list[RankingRow]:
    rows = []
    for rank, application in enumerate(applications, start=start):
        result = application.screening or {}
        rows.append(RankingRow(
            rank=rank, application=application,
            matched=[str(m) for m in result.get("matched") or []],
            missing=[str(m) for m in result.get("missing") or []],
            knockouts=[str(KNOCKOUT_LABELS.get(code, code)) for code in result.get("knocked_out_by") or []],
        ))
    return rows


def _ranking_queryset(user: User, job: Job, *, passed_only: bool, stage: str | None) -> QuerySet[Application]:
    if not stage:
        return selectors.job_ranking(user=user, job=job, passed_only=passed_only)
    # One stage, withdrawn included (the board's "and N more" links here), in the ranking's order.
    qs = selectors.application_list(user=user, job=job.pk, stage=stage)
    if passed_only:
        qs = qs.filter(screening_passed=True)
    return qs.order_by(F("screening_score").desc(nulls_last=True), "pk")


@staff_view
@require_http_methods(["GET", "POST"])
def job_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    job = _job(request, pk)
    summary: dict[str, Any] | None = None
    status = 200
    upload_form = BulkUploadForm()
    if request.method == "POST":
        upload_form = BulkUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            # A generator: each file is read only when its turn comes, and one over the size limit never is.
            uploads = (resume_upload(file) for file in upload_form.cleaned_data["resumes"])
            summary = _upload_summary(resumes_import(actor=actor, job=job, paths=uploads))
        else:
            status = 400
    filters = RankingFilterForm(request.GET)
    filters.is_valid()  # an invalid value only drops that filter
    passed_only = filters.cleaned_data.get("show") == "passed"
    stage = filters.cleaned_data.get("stage") or None
    page_obj = Paginator(
        _ranking_queryset(actor, job, passed_only=passed_only, stage=stage), RANKING_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "recruiting/job_ranking.html", {
        "job": job, "filters": filters, "page_obj": page_obj,
        "rows": _ranking_rows(page_obj.object_list, page_obj.start_index() or 1),
        "upload_form": upload_form, "summary": summary, "can_manage": has_role(actor, HR_AND_RECRUITING),
        "max_files": max_bulk_files(), "max_mb": max_resume_mb(),
    }, status=status)


# ------------------------------------------------------------------------------------------------ rules


@staff_view
@require_http_methods(["GET", "POST"])
def job_rules(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    require_recruiter(actor)
    job = selectors.job_for_recruiting(user=actor, pk=pk)
    status = 200
    if request.method == "POST":
        form = ScreeningRulesForm(request.POST)
        if form.is_valid():
            try:
                screening_rules_update(actor=actor, job=job, changes=form.to_changes())
            except ValidationFailed as exc:
                apply_domain_errors(form, {f: [str(m) for m in ms] for f, ms in exc.errors.items()})
            else:
                messages.success(request, _("Screening rules saved; the candidates were scored again."))
                return redirect("recruiting:job_ranking", pk=job.pk)
        status = 400
    else:
        form = ScreeningRulesForm(initial=ScreeningRulesForm.initial_for(screening_rules_for(job)))
    return render(request, "recruiting/job_rules.html", {"job": job, "form": form}, status=status)


# ------------------------------------------------------------------------------------------------ one application


def _other_pages(application: Application) -> list[tuple[str, str]]:
    links = []
    for name, label in OTHER_APPLICATION_PAGES:
        try:
            links.append((str(label), reverse(name, args=[application.pk])))
        except NoReverseMatch:
            continue
    return links


def _resume_url(application: Application) -> str | None:
    """The API's download of the original file, once that endpoint exists."""
    if not application.resume:
        return None
    try:
        match = resolve(RESUME_API_PATH.format(pk=application.pk))
    except Resolver404:
        return None
    try:
        return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return RESUME_API_PATH.format(pk=application.pk)


def _degree_label(code: Any) -> str:
    """The parser's degree code ("bachelor") named as the Degree choices name it, in the page's language."""
    member = Degree.__members__.get(code.upper()) if isinstance(code, str) else None
    return str(member.label) if member is not None and member != Degree.NONE else ""


def _parsed_for_display(parsed: dict[str, Any]) -> dict[str, Any]:
    return {
        "education": [
            {**e, "degree_label": _degree_label(e.get("degree"))}
            for e in parsed.get("education") or [] if isinstance(e, dict)
        ],
        "work_history": [w for w in parsed.get("work_history") or [] if isinstance(w, dict)],
        "highest_degree": _degree_label(parsed.get("highest_degree")),
        "years": parsed.get("total_years_experience"),
        "skills": [str(s) for s in parsed.get("skills") or []],
        "languages": [lang for lang in parsed.get("languages") or [] if isinstance(lang, dict)],
        "certificates": [str(c) for c in parsed.get("certificates") or []],
        "location": parsed.get("location"),
    }


def _detail(
    request: HttpRequest, application: Application, *, note_form: NoteForm | None = None, status: int = 200
) -> HttpResponse:
    labels = dict(Stage.choices)
    targets = [s for s in pipeline_services.allowed_targets(application) if s != Stage.HIRED]
    screening = _ranking_rows([application], 1)[0]
    return render(request, "recruiting/application_detail.html", {
        "application": application,
        "candidate": application.candidate,
        "job": application.job,
        "parsed": _parsed_for_display(application.parsed or {}),
        "screening": screening,
        "subscores": (application.screening or {}).get("subscores") or {},
        "history": list(application.stage_changes.select_related("actor").order_by("at", "id")),
        "notes": list(application.notes.select_related("author").order_by("-created_at", "-id")),
        "attachments": list(application.attachments.select_related("uploaded_by").order_by("-created_at", "-id")),
        "note_form": note_form or NoteForm(),
        "targets": [(stage, labels[stage]) for stage in targets],
        "other_pages": _other_pages(application),
        "resume_url": _resume_url(application),
        "days_in_stage": _days_since(application.stage_changed_at, timezone.now()),
    }, status=status)


@staff_view
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.application_get(user=_actor(request), pk=pk))


@staff_view
@require_POST
def application_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    application = selectors.application_get(user=actor, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note_services.application_note_add(actor=actor, application=application, text=form.cleaned_data["text"])
        except ValidationFailed as exc:
            apply_domain_errors(form, {f: [str(m) for m in ms] for f, ms in exc.errors.items()})
        else:
            messages.success(request, _("Note added."))
            return redirect(f"{reverse('recruiting:application_detail', args=[application.pk])}#notes")
    return _detail(request, application, note_form=form, status=400)


# ------------------------------------------------------------------------------------------------ emails


@staff_view
@require_GET
def email_templates(request: HttpRequest) -> HttpResponse:
    require_recruiter(_actor(request))
    existing = {(t.stage, t.language): t for t in EmailTemplate.objects.all()}
    rows = [
        {
            "stage": stage, "label": label,
            "languages": [
                {"code": code, "name": name, "template": existing.get((stage, code))}
                for code, name in settings.LANGUAGES
            ],
        }
        for stage, label in Stage.choices
    ]
    return render(request, "recruiting/email_templates.html", {"rows": rows, "placeholders": PLACEHOLDER_HELP})


@staff_view
@require_http_methods(["GET", "POST"])
def email_template_edit(request: HttpRequest, stage: str, language: str) -> HttpResponse:
    actor = _actor(request)
    require_recruiter(actor)
    languages = dict(settings.LANGUAGES)
    if stage not in Stage.values or language not in languages:
        raise NotFound(_("There is no such stage or language."))
    template = EmailTemplate.objects.filter(stage=stage, language=language).first()
    status = 200
    if request.method == "POST":
        form = EmailTemplateForm(request.POST)
        if form.is_valid():
            try:
                note_services.email_template_save(actor=actor, stage=stage, language=language, **form.cleaned_data)
            except ValidationFailed as exc:
                apply_domain_errors(form, {f: [str(m) for m in ms] for f, ms in exc.errors.items()})
            else:
                messages.success(request, _("Email saved."))
                return redirect("recruiting:email_templates")
        status = 400
    elif template is not None:
        form = EmailTemplateForm(initial={"subject": template.subject, "body": template.body,
                                          "is_active": template.is_active})
    else:
        form = EmailTemplateForm()
    return render(request, "recruiting/email_template_form.html", {
        "form": form, "template": template, "stage_label": Stage(stage).label, "language_name": languages[language],
        "placeholders": PLACEHOLDER_HELP,
    }, status=status)


staff_urls: list[URLPattern | URLResolver] = [
    path("", home, name="home"),
    path("jobs/<int:pk>/board/", job_board, name="job_board"),
    path("jobs/<int:pk>/ranking/", job_ranking, name="job_ranking"),
    path("jobs/<int:pk>/rules/", job_rules, name="job_rules"),
    path("applications/<int:pk>/", application_detail, name="application_detail"),
    path("applications/<int:pk>/transition/", application_transition, name="application_transition"),
    path("applications/<int:pk>/notes/", application_note_add, name="application_note_add"),
    path("emails/", email_templates, name="email_templates"),
    path("emails/<str:stage>/<str:language>/", email_template_edit, name="email_template_edit"),
]
public_urls: list[URLPattern | URLResolver] = []
