"""360° feedback pages. Staff pages under /performance/feedback/ (namespace "performance"): the requests a user
may see with what they still have to answer, a new request (HR and managers: choose the cycle, the subject, then
the raters, suggested), a request's progress and aggregated results, HR's raw answers (peers and reports
nameless). The rater's page under /feedback/<token>/ (namespace "feedback"): no login, the secret token is the
key; one card per competency of the subject's job model, phone first, a plain form post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from talentloop.core.access import role_of
from talentloop.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from talentloop.core.models import Role, User
from talentloop.core.web import apply_domain_errors, staff_view
from talentloop.org.models import Employee
from talentloop.org.selectors import employee_visible

from .. import feedback as services
from .. import feedback_selectors as selectors
from ..models import FeedbackInvitation, FeedbackRequest, PerformanceCycle
from ..selectors import cycle_visible

Relation = FeedbackInvitation.Relation
MANAGERS = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER})


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _cycle_id(request: HttpRequest) -> int | None:
    value = request.GET.get("cycle", "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**63 else None


@staff_view
def feedback_list(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    cycle = _cycle_id(request)
    rows = list(selectors.feedback_request_list(user=user, cycle=cycle)[:200])
    items = [(row, selectors.feedback_request_status(user=user, request=row)) for row in rows]
    return render(request, "performance/feedback_list.html", {
        "items": items, "to_answer": selectors.feedback_my_invitations(user=user),
        "cycles": cycle_visible(user=user).order_by("-start", "-id"), "cycle": cycle,
        "may_create": role_of(user) in MANAGERS,
    })


class RequestForm(forms.Form):
    deadline = forms.DateTimeField(
        label=gettext_lazy("Deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    scale = forms.ChoiceField(label=gettext_lazy("Rating scale"), choices=FeedbackRequest.Scale.choices)
    extra_raters = forms.CharField(
        label=gettext_lazy("More raters (employee numbers, separated by commas)"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    extra_relation = forms.ChoiceField(
        label=gettext_lazy("They rate as"), choices=[(Relation.PEER, Relation.PEER.label),
                                                    (Relation.REPORT, Relation.REPORT.label),
                                                    (Relation.MANAGER, Relation.MANAGER.label)],
    )

    def clean_deadline(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["deadline"]
        return timezone.make_aware(value) if timezone.is_naive(value) else value


def _chosen_raters(request: HttpRequest, form: RequestForm) -> list[tuple[Employee | int, str]]:
    """The ticked suggested raters with the relation chosen for each, then the extra ones by employee number."""
    chosen: list[tuple[Employee | int, str]] = []
    for value in request.POST.getlist("rater"):
        if value.isdigit() and int(value) < 2**63:
            chosen.append((int(value), request.POST.get(f"relation_{value}", Relation.PEER)))
    numbers = [n.strip() for n in form.cleaned_data.get("extra_raters", "").replace("，", ",").split(",") if n.strip()]
    if numbers:
        found = {e.employee_no: e for e in Employee.objects.filter(employee_no__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise ValidationFailed(_("No employee has the number %(numbers)s.") % {"numbers": ", ".join(missing)},
                                   field="extra_raters")
        chosen += [(found[n], form.cleaned_data["extra_relation"]) for n in numbers]
    return chosen


@staff_view
@require_http_methods(["GET", "POST"])
def feedback_create(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    if role_of(user) not in MANAGERS:
        raise PermissionDenied(_("Only HR and managers can request or close 360° feedback."))
    cycles = cycle_visible(user=user).exclude(phase=PerformanceCycle.Phase.CLOSED).order_by("-start", "-id")
    source = request.POST if request.method == "POST" else request.GET
    cycle_id, subject_id = source.get("cycle", ""), source.get("subject", "")
    cycle = cycles.filter(pk=int(cycle_id)).first() if cycle_id.isdigit() and int(cycle_id) < 2**63 else None
    subjects = Employee.objects.none()
    if cycle is not None:
        subjects = (
            employee_visible(user=user).filter(pk__in=cycle.employees.values("pk"))
            .exclude(pk__in=FeedbackRequest.objects.filter(cycle=cycle).values("subject_id")).order_by("employee_no")
        )
    subject = None
    if subject_id.isdigit() and int(subject_id) < 2**63:
        subject = subjects.filter(pk=int(subject_id)).first()
    initial = {"deadline": (timezone.localtime() + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
               "scale": FeedbackRequest.Scale.FIVE, "extra_relation": Relation.PEER}
    form = RequestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and cycle is not None and subject is not None and form.is_valid():
        try:
            created = services.feedback_request_create(
                actor=user, cycle=cycle, subject=subject, deadline=form.cleaned_data["deadline"],
                scale=form.cleaned_data["scale"], raters=_chosen_raters(request, form),
            )
        except (ValidationFailed, Conflict) as exc:
            apply_domain_errors(form, exc.errors or {"__all__": [str(exc.message)]})
        else:
            messages.success(request, _("The 360° request was created and the raters were emailed their links."))
            return redirect("performance:feedback_detail", pk=created.pk)
    suggested = services.feedback_raters_suggest(subject=subject) if subject is not None else []
    return render(request, "performance/feedback_create.html", {
        "cycles": cycles, "cycle": cycle, "subjects": subjects, "subject": subject, "form": form,
        "suggested": suggested, "relations": Relation.choices,
        "ticked": set(request.POST.getlist("rater")) if request.method == "POST" else None,
        "competencies": services.feedback_competencies(subject) if subject is not None else [],
    })


@staff_view
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    obj = selectors.feedback_request_get(user=user, pk=pk)
    state = selectors.feedback_request_status(user=user, request=obj)
    results = selectors.feedback_results(user=user, request=obj) if state.may_see_results else None
    return render(request, "performance/feedback_detail.html", {
        "req": obj, "state": state, "results": results, "is_hr": role_of(user) == Role.HR_ADMIN,
        "relations": Relation.choices, "min_group": selectors.feedback_min_group(),
    })


@staff_view
def feedback_responses(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    obj = selectors.feedback_request_get(user=user, pk=pk)
    rows = selectors.feedback_responses(user=user, request=obj)
    return render(request, "performance/feedback_responses.html", {"req": obj, "rows": rows})


@staff_view
@require_POST
def feedback_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    obj = selectors.feedback_request_get(user=user, pk=pk)
    try:
        services.feedback_request_close(actor=user, request=obj)
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The 360° request is closed."))
    return redirect("performance:feedback_detail", pk=obj.pk)


@staff_view
def feedback_answer_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The logged-in rater's way in: their own invitation's page."""
    user = _actor(request)
    obj = selectors.feedback_request_get(user=user, pk=pk)
    mine = selectors.feedback_request_status(user=user, request=obj).my_invitation
    if mine is None:
        raise PermissionDenied(_("You are not one of the raters of this 360° feedback."))
    return redirect("feedback:answer", token=mine.token)


staff_urls: list[URLPattern] = [
    path("feedback/", feedback_list, name="feedback_list"),
    path("feedback/new/", feedback_create, name="feedback_create"),
    path("feedback/<int:pk>/", feedback_detail, name="feedback_detail"),
    path("feedback/<int:pk>/responses/", feedback_responses, name="feedback_responses"),
    path("feedback/<int:pk>/close/", feedback_close, name="feedback_close"),
    path("feedback/<int:pk>/answer/", feedback_answer_mine, name="feedback_answer_mine"),
]


# --- the rater's page -------------------------------------------------------------------------------------


def _public(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {"company": getattr(settings, "TALENTLOOP_COMPANY_NAME", "TalentLoop"), **context}
    return render(request, f"performance/{template}", context, status=status)


def _closed(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return _public(request, "feedback_closed.html", {"message": message}, status=status)


def _rater_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        try:
            return view(request, token)
        except DomainError as exc:
            return _closed(request, str(exc.message), 404 if exc.status_code == 404 else exc.status_code)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


def _form_rows(invitation: FeedbackInvitation, data: Any) -> list[dict[str, Any]]:
    return [
        {"competency": c, "rating": data.get(f"rating_{c.code}", "") if data else "",
         "comment": data.get(f"comment_{c.code}", "") if data else ""}
        for c in services.feedback_competencies(invitation.request.subject)
    ]


@_rater_view
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.feedback_invitation_by_token(token=token)
    if invitation.submitted_at is not None and request.method != "POST":
        return redirect("feedback:thanks", token=token)
    # A second answer (say, from a tab left open) is refused with the reason (409), not quietly dropped.
    services.feedback_require_open(invitation)
    error = ""
    if request.method == "POST":
        answers = [
            services.AnswerInput(competency=row["competency"].code, rating=row["rating"].strip(),
                                 comment=row["comment"])
            for row in _form_rows(invitation, request.POST) if row["rating"].strip()
        ]
        try:
            services.feedback_respond_by_token(
                token=token, answers=answers, comment=request.POST.get("comment", ""),
                actor=_actor(request) if request.user.is_authenticated else None,
            )
        except ValidationFailed as exc:
            error = " ".join(str(m) for messages_ in exc.errors.values() for m in messages_) or str(exc.message)
        else:
            return redirect("feedback:thanks", token=token)
    request_ = invitation.request
    return _public(request, "feedback_answer.html", {
        "invitation": invitation, "req": request_, "subject": request_.subject, "error": error,
        "rows": _form_rows(invitation, request.POST if request.method == "POST" else None),
        "five": request_.scale == FeedbackRequest.Scale.FIVE, "points": ["1", "2", "3", "4", "5"],
        "comment": request.POST.get("comment", "") if request.method == "POST" else "",
        "is_self": invitation.relation == Relation.SELF,
    }, status=400 if error else 200)


@_rater_view
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.feedback_invitation_by_token(token=token)
    if invitation.submitted_at is None:
        return redirect("feedback:answer", token=token)
    return _public(request, "feedback_thanks.html", {"invitation": invitation})


public_urls: list[URLPattern] = [
    path("<str:token>/", answer, name="answer"),
    path("<str:token>/thanks/", thanks, name="thanks"),
]
