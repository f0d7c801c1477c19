"""Job pages: every staff member browses jobs and their competency models; HR admins and recruiters
create and edit them with the competency-model editor."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from talentloop.core.access import HR_AND_RECRUITING, has_role, require_role
from talentloop.core.errors import ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view

from .. import selectors, services
from ..forms.jobs import (
    CompetencyModelFormSet,
    JobFilterForm,
    JobForm,
    total_is_complete,
    weight_percent,
)
from ..models import Job

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@staff_view
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filters = JobFilterForm(request.GET, departments=selectors.department_list(user=actor))
    filters.is_valid()  # an invalid value only drops that filter; cleaned_data keeps the valid ones
    status = filters.cleaned_data.get("status") or None
    department = filters.cleaned_data.get("department")
    jobs = selectors.job_list(user=actor, status=status, department=department.pk if department else None)
    page_obj = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "org/job_list.html", {
        "filters": filters,
        "page_obj": page_obj,
        "can_edit": has_role(actor, HR_AND_RECRUITING),
    })


@staff_view
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    job = selectors.job_get(user=actor, pk=pk)
    lines = list(job.competency_model.all())
    total = weight_percent(sum((line.weight for line in lines), Decimal("0"))) if lines else None
    return render(request, "org/job_detail.html", {
        "job": job,
        "model_rows": [{"line": line, "percent": weight_percent(line.weight)} for line in lines],
        "weight_total": total,
        "weight_ok": total is not None and total_is_complete(total),
        "can_edit": has_role(actor, HR_AND_RECRUITING),
    })


def _editor_context(formset: CompetencyModelFormSet, model_errors: list[str]) -> dict[str, Any]:
    total = formset.weight_total()
    return {
        "formset": formset,
        "model_errors": [*formset.non_form_errors(), *model_errors],
        "weight_total": total,
        "weight_ok": total_is_complete(total),
    }


def _save(
    request: HttpRequest, job: Job | None, form: JobForm, formset: CompetencyModelFormSet
) -> tuple[Job | None, list[str]]:
    """Call the service once both parts parse. Its field errors go onto the form; competency-model errors
    are returned to be shown above the editor."""
    if not (form.is_valid() and formset.is_valid()):
        return None, []
    actor = _actor(request)
    data, lines = form.to_data(), formset.lines()
    try:
        if job is None:
            saved = services.job_create(actor=actor, data=data, competency_model=lines)
        else:
            saved = services.job_update(actor=actor, job=job, changes=data, competency_model=lines)
    except ValidationFailed as exc:
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.errors.items()}
        model_errors = errors.pop("competency_model", [])
        apply_domain_errors(form, errors)
        return None, model_errors
    return saved, []


def _job_form_page(request: HttpRequest, job: Job | None) -> HttpResponse:
    actor = _actor(request)
    keep = [line.competency_id for line in job.competency_model.all()] if job else []
    # Retired competencies cannot be picked for new lines but stay selectable where a job already uses them.
    competencies = list(selectors.competency_list(user=actor).filter(Q(is_active=True) | Q(pk__in=keep)))
    departments, levels = selectors.department_list(user=actor), selectors.level_list()
    model_errors: list[str] = []
    if request.method == "POST":
        form = JobForm(request.POST, departments=departments, levels=levels)
        formset = CompetencyModelFormSet(request.POST, competencies=competencies)
        saved, model_errors = _save(request, job, form, formset)
        if saved is not None:
            message = _("Job “%(title)s” created.") if job is None else _("Job “%(title)s” saved.")
            messages.success(request, message % {"title": saved.title})
            return redirect("org:job_detail", pk=saved.pk)
    elif job is not None:
        form = JobForm(initial=JobForm.initial_for(job), departments=departments, levels=levels)
        initial = CompetencyModelFormSet.initial_for(job)
        formset = CompetencyModelFormSet(initial=initial, competencies=competencies)
    else:
        form = JobForm(departments=departments, levels=levels)
        formset = CompetencyModelFormSet(competencies=competencies)
    context = {"form": form, "job": job, **_editor_context(formset, model_errors)}
    return render(request, "org/job_form.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def job_create(request: HttpRequest) -> HttpResponse:
    # The services refuse the write; checking here too spares other roles a form they cannot submit.
    require_role(_actor(request), HR_AND_RECRUITING)
    return _job_form_page(request, None)


@staff_view
@require_http_methods(["GET", "POST"])
def job_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(_actor(request), HR_AND_RECRUITING)
    return _job_form_page(request, selectors.job_get(user=_actor(request), pk=pk))
