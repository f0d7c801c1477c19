"""Question drafts pages under /interviews/questions/drafts/ (HR and recruiters): ask the configured language model
for drafts, then review each one (key points, reference answer, self-check), edit, approve or reject it. Without a
backend the page says that interviews use the built-in generator."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from talentloop.assessment.interview.llm import MAX_COUNT
from talentloop.core.access import HR_AND_RECRUITING, require_role
from talentloop.core.errors import Conflict, DomainError, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view
from talentloop.org.models import Competency, Job
from talentloop.recruiting.access import jobs_in_reach

from ..models import InterviewQuestion, QuestionLanguage, QuestionReview
from ..question_forms import CompetencyChoice, KeyPointFormSet, QuestionForm
from ..services import drafts as services

PAGE_SIZE = 20


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


class JobChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.level.display_name})" if obj.level else str(obj.title)


class DraftRequestForm(forms.Form):
    """Only parses what the page posts; services.drafts checks the rules (the same for the API)."""

    competency = CompetencyChoice(
        label=gettext_lazy("Competency"), queryset=Competency.objects.none(), to_field_name="code",
        empty_label=gettext_lazy("Choose a competency"),
    )
    job = JobChoice(
        label=gettext_lazy("Job"), queryset=Job.objects.none(), required=False,
        empty_label=gettext_lazy("No particular job"),
        help_text=gettext_lazy("The job's title, level and description are sent to the model so the questions fit it."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=QuestionLanguage.choices)
    count = forms.IntegerField(label=gettext_lazy("Number of questions"), min_value=1, max_value=MAX_COUNT, initial=3)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        competency = self.fields["competency"]
        job = self.fields["job"]
        assert isinstance(competency, forms.ModelChoiceField)
        assert isinstance(job, forms.ModelChoiceField)
        competency.queryset = Competency.objects.filter(is_active=True).order_by("code")
        job.queryset = jobs_in_reach(actor).exclude(status=Job.Status.CLOSED).select_related("level").order_by("title")
        if not self.is_bound:
            self.initial.setdefault("language", "zh-hans" if (get_language() or "").startswith("zh") else "en")


def _readable(exc: DomainError) -> str:
    if exc.message:
        return str(exc.message)
    return " ".join(f"{name}: {'; '.join(map(str, msgs))}" for name, msgs in exc.errors.items())


def _drafts_page(request: HttpRequest, form: DraftRequestForm | None) -> HttpResponse:
    actor = _actor(request)
    backend = services.generator_status()
    page_obj = Paginator(services.question_drafts_pending(user=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    drafts = [{"question": q, "check": services.draft_self_check(q)} for q in page_obj]
    if form is None and backend.configured:
        form = DraftRequestForm(actor=actor)
    return render(request, "interviews/drafts/list.html", {
        "backend": backend, "form": form, "page_obj": page_obj, "drafts": drafts, "max_count": MAX_COUNT,
    })


@staff_view
@require_http_methods(["GET", "POST"])
def draft_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR_AND_RECRUITING)
    if request.method != "POST":
        return _drafts_page(request, None)
    form = DraftRequestForm(request.POST, actor=actor)
    if not form.is_valid():
        return _drafts_page(request, form)
    data = form.cleaned_data
    try:
        created = services.question_drafts_generate(
            actor=actor, competency=data["competency"], job=data.get("job"), language=data["language"],
            count=data["count"],
        )
    except ValidationFailed as exc:
        apply_domain_errors(form, {k: [str(m) for m in v] for k, v in exc.errors.items()})
        if exc.message:
            form.add_error(None, str(exc.message))
        return _drafts_page(request, form)
    except DomainError as exc:  # no backend (409), the vendor failed (502) or timed out (504)
        form.add_error(None, str(exc.message))
        return _drafts_page(request, form)
    messages.success(request, ngettext(
        "%(n)d draft is waiting for your review below.", "%(n)d drafts are waiting for your review below.",
        len(created),
    ) % {"n": len(created)})
    return redirect("interviews:question_drafts")


@staff_view
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    question = services.question_draft_get(user=actor, pk=pk)
    if question.review_status == QuestionReview.APPROVED:  # an ordinary bank question now
        return redirect("interviews:question_edit", pk=question.pk)
    key_point_errors: list[str] = []
    if request.method == "POST":
        form = QuestionForm(request.POST, current=question.competency)
        formset = KeyPointFormSet(request.POST)
        if form.is_valid() and formset.is_valid():
            data = {**form.to_data(), "key_points": formset.key_points()}
            try:
                saved = services.question_draft_edit(actor=actor, question=question, changes=data)
            except ValidationFailed as exc:
                errors = {k: [str(m) for m in v] for k, v in exc.errors.items()}
                key_point_errors = errors.pop("key_points", [])
                apply_domain_errors(form, errors)
                if exc.message:
                    form.add_error(None, str(exc.message))
            except Conflict as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Draft %(code)s saved.") % {"code": saved.code})
                return redirect("interviews:question_drafts")
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question), current=question.competency)
        formset = KeyPointFormSet(initial=KeyPointFormSet.initial_for(question))
    return render(request, "interviews/drafts/form.html", {
        "form": form, "formset": formset, "question": question, "key_point_errors": key_point_errors,
        "check": services.draft_self_check(question),
    })


def _decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    actor = _actor(request)
    question: InterviewQuestion = services.question_draft_get(user=actor, pk=pk)
    try:
        if approve:
            question = services.question_draft_approve(actor=actor, question=question)
        else:
            question = services.question_draft_reject(actor=actor, question=question)
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, _readable(exc))
    else:
        message = (_("Draft %(code)s approved: interviews may ask it now.") if approve
                   else _("Draft %(code)s rejected: it will not be asked."))
        messages.success(request, message % {"code": question.code})
    return redirect("interviews:question_drafts")


@staff_view
@require_POST
def draft_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@staff_view
@require_POST
def draft_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)


staff_urls: list[URLPattern] = [
    path("questions/drafts/", draft_list, name="question_drafts"),
    path("questions/drafts/<int:pk>/edit/", draft_edit, name="question_draft_edit"),
    path("questions/drafts/<int:pk>/approve/", draft_approve, name="question_draft_approve"),
    path("questions/drafts/<int:pk>/reject/", draft_reject, name="question_draft_reject"),
]
