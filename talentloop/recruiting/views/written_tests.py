"""Written-test pages. staff_urls (under /recruiting/, namespace "recruiting"): the list of tests, the builder,
assigning a test from an application, and the review of short answers. public_urls (under /careers/, namespace
"careers", no login): the candidate takes the test through the secret link in the URL.

The candidate's page works without JavaScript (answers are sent when submitted); with it, a countdown runs, the
answers are saved every few seconds and on every change, and the answers are submitted when the time is up.
The server decides about time in any case (services.written_tests)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentloop.core.access import HR_AND_RECRUITING, has_role, require_role
from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view

from .. import selectors
from .. import written_test_selectors as test_selectors
from ..access import RECRUITING_ROLES, jobs_in_reach
from ..models import WrittenTest, WrittenTestQuestion, WrittenTestSitting
from ..services import written_tests as services
from ..written_test_forms import AssignForm, QuestionFormSet, WrittenTestForm

Kind = WrittenTestQuestion.Kind
PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- Staff pages --------------------------------------------------------------------------------------------


@staff_view
@require_GET
def written_test_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    tests = test_selectors.written_test_list(user=actor)
    page_obj = Paginator(tests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recruiting/written_test_list.html", {
        "page_obj": page_obj, "can_edit": has_role(actor, HR_AND_RECRUITING),
    })


@staff_view
@require_GET
def written_test_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    test = test_selectors.written_test_get(user=actor, pk=pk)
    sittings = list(test_selectors.sitting_list(user=actor, test=test))
    now = timezone.now()
    can_edit = has_role(actor, HR_AND_RECRUITING)
    return render(request, "recruiting/written_test_detail.html", {
        "test": test,
        "questions": [_question_view(q) for q in test.questions.all()],
        "total_points": sum(q.points for q in test.questions.all()),
        "sittings": [_sitting_row(request, s, now, show_link=can_edit) for s in sittings],
        "can_edit": can_edit,
    })


def _question_view(question: WrittenTestQuestion) -> dict[str, Any]:
    return {
        "question": question,
        "options": [
            {"index": i, "text": option, "correct": i in question.correct} for i, option in enumerate(question.options)
        ],
    }


def _sitting_row(request: HttpRequest, sitting: WrittenTestSitting, now: Any, *, show_link: bool) -> dict[str, Any]:
    return {
        "sitting": sitting,
        "status": services.sitting_status_label(sitting, now),
        "url": request.build_absolute_uri(services.candidate_path(sitting)) if show_link else "",
    }


def _builder_page(request: HttpRequest, test: WrittenTest | None) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR_AND_RECRUITING)
    jobs = jobs_in_reach(actor).order_by("title")
    question_errors: list[str] = []
    if request.method == "POST":
        form = WrittenTestForm(request.POST, jobs=jobs)
        formset = QuestionFormSet(request.POST)
        saved = _save_test(request, test, form, formset, question_errors)
        if saved is not None:
            message = _("Test “%(title)s” created.") if test is None else _("Test “%(title)s” saved.")
            messages.success(request, message % {"title": saved.title})
            return redirect("recruiting:written_test_detail", pk=saved.pk)
    elif test is not None:
        form = WrittenTestForm(initial=WrittenTestForm.initial_for(test), jobs=jobs)
        formset = QuestionFormSet(initial=QuestionFormSet.initial_for(test))
    else:
        form = WrittenTestForm(jobs=jobs)
        formset = QuestionFormSet(extra=2)
    return render(request, "recruiting/written_test_form.html", {
        "form": form, "formset": formset, "test": test, "question_errors": question_errors,
        "kinds": {"single": Kind.SINGLE, "multiple": Kind.MULTIPLE, "short": Kind.SHORT},
    })


def _save_test(
    request: HttpRequest, test: WrittenTest | None, form: WrittenTestForm, formset: QuestionFormSet,
    question_errors: list[str],
) -> WrittenTest | None:
    if not (form.is_valid() and formset.is_valid()):
        return None
    questions, rows = formset.questions()
    data = dict(form.cleaned_data)
    actor = _actor(request)
    try:
        if test is None:
            return services.written_test_create(actor=actor, data=data, questions=questions)
        return services.written_test_update(actor=actor, test=test, changes=data, questions=questions)
    except services.QuestionsInvalid as exc:
        for position, problems in exc.by_question.items():
            for problem in problems:
                rows[position].add_error(None, problem)
        question_errors.extend(exc.overall)
        apply_domain_errors(form, {k: [str(m) for m in v] for k, v in exc.errors.items() if k != "questions"})
    except ValidationFailed as exc:
        apply_domain_errors(form, {k: [str(m) for m in v] for k, v in exc.errors.items()})
        if exc.message:
            form.add_error(None, str(exc.message))
    except Conflict as exc:
        form.add_error(None, str(exc.message))
    return None


@staff_view
@require_http_methods(["GET", "POST"])
def written_test_create(request: HttpRequest) -> HttpResponse:
    return _builder_page(request, None)


@staff_view
@require_http_methods(["GET", "POST"])
def written_test_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(_actor(request), HR_AND_RECRUITING)
    return _builder_page(request, test_selectors.written_test_get(user=_actor(request), pk=pk))


@staff_view
@require_POST
def written_test_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    test = test_selectors.written_test_get(user=actor, pk=pk)
    try:
        services.written_test_delete(actor=actor, test=test)
    except Conflict as exc:
        messages.error(request, str(exc.message))
        return redirect("recruiting:written_test_detail", pk=pk)
    messages.success(request, _("Test “%(title)s” deleted.") % {"title": test.title})
    return redirect("recruiting:written_test_list")


@staff_view
@require_http_methods(["GET", "POST"])
def written_test_assign(request: HttpRequest, application_pk: int) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR_AND_RECRUITING)
    application = selectors.application_get(user=actor, pk=application_pk)
    tests = test_selectors.written_test_list(user=actor)
    form = AssignForm(request.POST or None, tests=tests, initial={"test": _suggested_test(tests, application.job_id)})
    if request.method == "POST" and form.is_valid():
        try:
            sitting = services.written_test_assign(
                actor=actor, application=application, test=form.cleaned_data["test"],
                expires_in_days=form.cleaned_data["expires_in_days"],
                site_url=request.build_absolute_uri("/") if form.cleaned_data["send_email"] else "",
            )
        except ValidationFailed as exc:
            errors = {("expires_in_days" if k == "expires_in_days" else "test"): v for k, v in exc.errors.items()}
            apply_domain_errors(form, {k: [str(m) for m in v] for k, v in errors.items()})
            if not exc.errors:
                form.add_error(None, str(exc.message))
        except Conflict as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Test link created. Copy it below or let the email deliver it."))
            return redirect(f"{reverse('recruiting:written_test_assign', args=[application.pk])}?new={sitting.pk}")
    now = timezone.now()
    sittings = test_selectors.sitting_list(user=actor, application=application)
    return render(request, "recruiting/written_test_assign.html", {
        "application": application, "form": form, "new_id": request.GET.get("new", ""),
        "sittings": [_sitting_row(request, s, now, show_link=True) for s in sittings],
        "has_tests": tests.exists(),
    })


def _suggested_test(tests: QuerySet[WrittenTest], job_id: int) -> int | None:
    match = tests.filter(job_id=job_id).values_list("pk", flat=True).first()
    return match


@staff_view
@require_http_methods(["GET", "POST"])
def written_test_review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, RECRUITING_ROLES)
    sitting = test_selectors.sitting_get(user=actor, pk=pk)
    questions = list(sitting.test.questions.all())
    can_review = has_role(actor, HR_AND_RECRUITING)
    errors: list[str] = []
    if request.method == "POST":
        require_role(actor, HR_AND_RECRUITING)
        points = {
            str(q.pk): request.POST.get(f"points-{q.pk}", "").strip()
            for q in questions if q.kind == Kind.SHORT and request.POST.get(f"points-{q.pk}", "").strip()
        }
        try:
            services.sitting_review(actor=actor, sitting=sitting, points=points)
        except ValidationFailed as exc:
            errors = [str(m) for v in exc.errors.values() for m in v] or [str(exc.message)]
        except Conflict as exc:
            errors = [str(exc.message)]
        else:
            messages.success(request, _("Review saved."))
            return redirect("recruiting:written_test_review", pk=sitting.pk)
    now = timezone.now()
    return render(request, "recruiting/written_test_review.html", {
        "sitting": sitting,
        "status": services.sitting_status_label(sitting, now),
        "deadline": services.sitting_deadline(sitting),
        "timed_out": services.sitting_timed_out(sitting),
        "rows": [_answer_row(sitting, q, n, request.POST if errors else None) for n, q in enumerate(questions, 1)],
        "total_points": sum(q.points for q in questions),
        "pending": services.pending_short_answers(sitting, questions),
        "can_review": can_review and any(q.kind == Kind.SHORT for q in questions)
        and (sitting.submitted_at is not None or services.sitting_overdue(sitting, now)),
        "errors": errors,
    })


def _answer_row(
    sitting: WrittenTestSitting, question: WrittenTestQuestion, number: int, posted: Any
) -> dict[str, Any]:
    answer = sitting.answers.get(str(question.pk))
    chosen = set(answer) if isinstance(answer, list) else set()
    row: dict[str, Any] = {"question": question, "number": number}
    if question.kind == Kind.SHORT:
        given = sitting.manual_points.get(str(question.pk))
        row.update(text=answer if isinstance(answer, str) else "", points=given,
                   value=posted.get(f"points-{question.pk}", "") if posted is not None else (given or ""))
    else:
        correct = bool(chosen) and chosen == set(question.correct)
        row.update(
            options=[
                {"text": option, "chosen": i in chosen, "correct": i in question.correct}
                for i, option in enumerate(question.options)
            ],
            points=question.points if correct else 0 if sitting.submitted_at else None,
            correct=correct,
        )
    return row


# --- The candidate's pages (no login: the token is the key) --------------------------------------------------


def _candidate_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {"company": settings.TALENTLOOP_COMPANY_NAME, **context}
    return render(request, f"recruiting/candidate/{template}", context, status=status)


def _closed(request: HttpRequest, title: str, message: str, status: int, token: str = "") -> HttpResponse:
    """The page for a link that does not lead to the test (any more); `token` adds a way back to it."""
    context = {"title": title, "message": message, "token": token}
    return _candidate_page(request, "written_test_closed.html", context, status=status)


def _clock(seconds: int) -> str:
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _closed(request, _("Test link not found"), str(exc.message), 404)


def _gone(request: HttpRequest, sitting_or_message: WrittenTestSitting | str, expired: bool) -> HttpResponse:
    message = (
        sitting_or_message if isinstance(sitting_or_message, str)
        else services.sitting_closed_message(sitting_or_message)
    )
    title = _("This test link has expired") if expired else _("This test has been submitted")
    return _closed(request, title, message, 410)


CandidateView = Callable[..., HttpResponse]


def _candidate(view: CandidateView) -> CandidateView:
    """Unknown links: 404 page; expired or submitted ones: 410 page, each with a sentence that says why."""

    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        try:
            return view(request, token)
        except NotFound as exc:
            return _not_found(request, exc)
        except services.SittingExpired as exc:
            return _gone(request, str(exc.message), expired=True)
        except services.SittingSubmitted as exc:
            return _gone(request, str(exc.message), expired=False)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


@_candidate
@require_GET
def written_test_take(request: HttpRequest, token: str) -> HttpResponse:
    sitting = services.sitting_open(token=token)
    state = services.sitting_state(sitting)
    if state in ("submitted", "expired"):
        return _gone(request, sitting, expired=state == "expired")
    questions = list(sitting.test.questions.order_by("position", "pk"))
    context: dict[str, Any] = {
        "sitting": sitting, "test": sitting.test, "token": token, "question_count": len(questions),
        "total_points": sum(q.points for q in questions),
    }
    if state == "ready":
        return _candidate_page(request, "written_test_intro.html", context)
    remaining = services.sitting_remaining_seconds(sitting)
    context.update(
        questions=[_candidate_question(sitting, q) for q in questions],
        remaining=remaining, remaining_text=_clock(remaining),
        deadline=services.sitting_deadline(sitting),
        grace=int(services.GRACE.total_seconds()),
    )
    return _candidate_page(request, "written_test_take.html", context)


def _candidate_question(sitting: WrittenTestSitting, question: WrittenTestQuestion) -> dict[str, Any]:
    answer = sitting.answers.get(str(question.pk))
    chosen = set(answer) if isinstance(answer, list) else set()
    return {
        "question": question,
        "options": [{"index": i, "text": option, "chosen": i in chosen} for i, option in enumerate(question.options)],
        "text": answer if isinstance(answer, str) else "",
        "max_length": services.MAX_TEXT_ANSWER,
    }


@_candidate
@require_POST
def written_test_start(request: HttpRequest, token: str) -> HttpResponse:
    services.sitting_start(token=token)
    return redirect("careers:written_test", token=token)


_CHOICE = re.compile(r"^q-(\d{1,19})$")
_TEXT = re.compile(r"^q-(\d{1,19})-text$")


def _posted_answers(request: HttpRequest) -> dict[str, Any]:
    """Answers from the form: `q-<id>` (chosen option indices) and `q-<id>-text` (short answers)."""
    answers: dict[str, Any] = {}
    for key in request.POST:
        if match := _CHOICE.match(key):
            answers[match.group(1)] = request.POST.getlist(key)
        elif match := _TEXT.match(key):
            answers[match.group(1)] = request.POST.get(key, "")
    return answers


@never_cache
@require_POST
def written_test_save(request: HttpRequest, token: str) -> JsonResponse:
    """Autosave (JSON): the page posts its whole form; the answer says how much time is left."""
    try:
        sitting = services.sitting_save_draft(token=token, answers=_posted_answers(request))
    except NotFound as exc:
        return JsonResponse({"detail": str(exc.message)}, status=404)
    except (services.SittingExpired, services.SittingSubmitted) as exc:
        url = reverse("careers:written_test", kwargs={"token": token})
        return JsonResponse({"detail": str(exc.message), "redirect": url}, status=410)
    except services.SittingTimeUp as exc:
        return JsonResponse({"detail": str(exc.message), "remaining_seconds": 0}, status=409)
    except ValidationFailed as exc:
        return JsonResponse({"detail": str(exc.message)}, status=400)
    return JsonResponse({
        "saved_at": timezone.localtime(sitting.updated_at).strftime("%H:%M:%S"),
        "remaining_seconds": services.sitting_remaining_seconds(sitting),
    })


@_candidate
@require_POST
def written_test_submit(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.sitting_submit(token=token, answers=_posted_answers(request))
    except ValidationFailed as exc:
        if isinstance(exc, services.SittingExpired):
            raise
        return _closed(request, _("The answers could not be submitted"), str(exc.message), 400, token=token)
    return redirect("careers:written_test_done", token=token)


@_candidate
@require_GET
def written_test_done(request: HttpRequest, token: str) -> HttpResponse:
    sitting = services.sitting_open(token=token)
    if sitting.submitted_at is None:
        return redirect("careers:written_test", token=token)
    return _candidate_page(request, "written_test_done.html", {
        "test": sitting.test, "sitting": sitting, "timed_out": services.sitting_timed_out(sitting),
        "deadline": services.sitting_deadline(sitting),
    })


staff_urls: list[URLPattern | URLResolver] = [
    path("written-tests/", written_test_list, name="written_test_list"),
    path("written-tests/new/", written_test_create, name="written_test_create"),
    path("written-tests/<int:pk>/", written_test_detail, name="written_test_detail"),
    path("written-tests/<int:pk>/edit/", written_test_edit, name="written_test_edit"),
    path("written-tests/<int:pk>/delete/", written_test_delete, name="written_test_delete"),
    path("written-tests/assign/<int:application_pk>/", written_test_assign, name="written_test_assign"),
    path("written-tests/sittings/<int:pk>/", written_test_review, name="written_test_review"),
]
public_urls: list[URLPattern | URLResolver] = [
    path("test/<str:token>/", written_test_take, name="written_test"),
    path("test/<str:token>/start/", written_test_start, name="written_test_start"),
    path("test/<str:token>/save/", written_test_save, name="written_test_save"),
    path("test/<str:token>/submit/", written_test_submit, name="written_test_submit"),
    path("test/<str:token>/done/", written_test_done, name="written_test_done"),
]
