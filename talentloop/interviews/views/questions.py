"""Question bank pages under /interviews/questions/ (HR and recruiters): the list with filters and the count per
competency, the create/edit form with its key-point rows, and retire/restore."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentloop.core.access import HR_AND_RECRUITING, require_role
from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view

from ..models import InterviewQuestion
from ..question_forms import KeyPointFormSet, QuestionFilterForm, QuestionForm
from ..selectors import questions as selectors
from ..services import questions as services

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@staff_view
@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR_AND_RECRUITING)
    counts = selectors.question_counts(user=actor)
    filters = QuestionFilterForm(request.GET or None, competencies=[(c["code"], c["name"]) for c in counts])
    questions = selectors.question_list(user=actor, **filters.filters())
    page_obj = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interviews/questions/list.html", {
        "filters": filters, "page_obj": page_obj, "counts": counts,
        "totals": {key: sum(c[key] for c in counts) for key in ("zh", "en", "retired")},
    })


def _form_page(request: HttpRequest, question: InterviewQuestion | None) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR_AND_RECRUITING)
    current = question.competency if question else None
    key_point_errors: list[str] = []
    if request.method == "POST":
        form = QuestionForm(request.POST, current=current)
        formset = KeyPointFormSet(request.POST)
        if form.is_valid() and formset.is_valid():
            data = {**form.to_data(), "key_points": formset.key_points()}
            try:
                if question is None:
                    saved = services.question_create(actor=actor, data=data)
                else:
                    saved = services.question_update(actor=actor, question=question, changes=data)
            except ValidationFailed as exc:
                errors = {k: [str(m) for m in v] for k, v in exc.errors.items()}
                key_point_errors = errors.pop("key_points", [])
                apply_domain_errors(form, errors)
                if exc.message:
                    form.add_error(None, str(exc.message))
            except Conflict as exc:
                form.add_error(None, str(exc.message))
            else:
                message = _("Question %(code)s created.") if question is None else _("Question %(code)s saved.")
                messages.success(request, message % {"code": saved.code})
                return redirect("interviews:question_list")
    elif question is not None:
        form = QuestionForm(initial=QuestionForm.initial_for(question), current=current)
        formset = KeyPointFormSet(initial=KeyPointFormSet.initial_for(question))
    else:
        form = QuestionForm(current=None)
        formset = KeyPointFormSet()
    return render(request, "interviews/questions/form.html", {
        "form": form, "formset": formset, "question": question, "key_point_errors": key_point_errors,
    })


@staff_view
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@staff_view
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(_actor(request), HR_AND_RECRUITING)
    return _form_page(request, selectors.question_get(user=_actor(request), pk=pk))


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("interviews:question_list")


@staff_view
@require_POST
def question_retire(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    question = services.question_retire(actor=actor, question=selectors.question_get(user=actor, pk=pk))
    messages.success(request, _("Question %(code)s retired: it will not be asked again.") % {"code": question.code})
    return _back(request)


@staff_view
@require_POST
def question_restore(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        question = services.question_restore(actor=actor, question=selectors.question_get(user=actor, pk=pk))
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Question %(code)s is in use again.") % {"code": question.code})
    return _back(request)


staff_urls: list[URLPattern | URLResolver] = [
    path("questions/", question_list, name="question_list"),
    path("questions/new/", question_create, name="question_create"),
    path("questions/<int:pk>/edit/", question_edit, name="question_edit"),
    path("questions/<int:pk>/retire/", question_retire, name="question_retire"),
    path("questions/<int:pk>/restore/", question_restore, name="question_restore"),
]
public_urls: list[URLPattern | URLResolver] = []
