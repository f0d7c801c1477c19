"""The competency library: browse and search everyone; HR admins create and edit."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from talentloop.core.access import HR, has_role, require_role
from talentloop.core.errors import ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view

from .. import selectors, services
from ..forms.competencies import CompetencyFilterForm, CompetencyForm
from ..models import Competency

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _get(request: HttpRequest, pk: int) -> Competency:
    return selectors.competency_get(user=_actor(request), pk=pk)


@staff_view
@require_GET
def competency_list(request: HttpRequest) -> HttpResponse:
    filters = CompetencyFilterForm(request.GET)
    filters.is_valid()  # an invalid value only drops that filter; cleaned_data keeps the valid ones
    search = filters.cleaned_data.get("q") or None
    category = filters.cleaned_data.get("category") or None
    competencies = selectors.competency_list(user=_actor(request), search=search, category=category)
    page_obj = Paginator(competencies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "org/competency_list.html", {
        "filters": filters,
        "page_obj": page_obj,
        "can_edit": has_role(_actor(request), HR),
    })


@staff_view
@require_GET
def competency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competency = _get(request, pk)
    return render(request, "org/competency_detail.html", {
        "competency": competency,
        "indicators": competency.indicators_for_display(),
        "can_edit": has_role(_actor(request), HR),
    })


@staff_view
@require_http_methods(["GET", "POST"])
def competency_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    # The service refuses the write; checking here too spares non-HR users a form they cannot submit.
    require_role(actor, HR)
    form = CompetencyForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            competency = services.competency_create(actor=actor, data=form.to_data())
        except ValidationFailed as exc:
            apply_domain_errors(form, exc.errors)
        else:
            message = _("Competency “%(name)s” created.") % {"name": competency.display_name}
            messages.success(request, message)
            return redirect("org:competency_detail", pk=competency.pk)
    return render(request, "org/competency_form.html", {"form": form, "competency": None})


@staff_view
@require_http_methods(["GET", "POST"])
def competency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR)
    competency = _get(request, pk)
    if request.method == "POST":
        form = CompetencyForm(request.POST, initial=CompetencyForm.initial_for(competency))
        if form.is_valid():
            try:
                services.competency_update(actor=actor, competency=competency, changes=form.to_data())
            except ValidationFailed as exc:
                apply_domain_errors(form, exc.errors)
            else:
                message = _("Competency “%(name)s” saved.") % {"name": competency.display_name}
                messages.success(request, message)
                return redirect("org:competency_detail", pk=competency.pk)
    else:
        form = CompetencyForm(initial=CompetencyForm.initial_for(competency))
    return render(request, "org/competency_form.html", {"form": form, "competency": competency})
