"""Training pages: /learning/ (the enrolments the user may see, filterable by status), an employee's
recommendations (/learning/employees/<id>/) with a one-click "Enrol" per course (a schedule form: start and
due date), and an enrolment's page (/learning/enrollments/<id>/) to start, complete, reschedule or cancel it."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from talentloop.assessment.insights import training
from talentloop.core.access import require_role
from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import staff_view
from talentloop.org.models import Competency
from talentloop.performance.models import Review
from talentloop.performance.selectors import employee_of

from .. import gaps, selectors, services
from ..models import Course, Enrollment
from ..plans import plan_list
from ..recommendations import training_recommendations

PAGE_SIZE = 50
DEFAULT_DAYS = 30


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _messages_of(exc: ValidationFailed | Conflict | PermissionDenied) -> list[str]:
    if exc.message:
        return [str(exc.message)]
    return [str(m) for found in exc.errors.values() for m in found]


@staff_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "")
    if status not in Enrollment.Status.values:
        status = ""
    services.enrollments_follow_up()
    enrollments = selectors.enrollment_list(user=actor, status=status or None)
    page_obj = Paginator(enrollments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "learning/home.html", {
        "page_obj": page_obj, "enrollments": list(page_obj), "status": status, "me": employee_of(actor),
        "status_choices": [("", _("All")), *Enrollment.Status.choices],
    })


class ScheduleForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.all(), widget=forms.HiddenInput)
    competency = forms.ModelChoiceField(queryset=Competency.objects.all(), widget=forms.HiddenInput, required=False)
    start_date = forms.DateField(label=gettext_lazy("Start"), widget=forms.DateInput(attrs={"type": "date"}),
                                 required=False)
    due_date = forms.DateField(label=gettext_lazy("Due"), widget=forms.DateInput(attrs={"type": "date"}),
                               required=False)


@staff_view
@require_GET
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    result = training_recommendations(user=_actor(request), employee_id=pk)
    today = timezone.localdate()
    enrollments = list(selectors.enrollment_list(user=_actor(request), employee=result.employee.pk)[:PAGE_SIZE])
    return render(request, "learning/recommendations.html", {
        "result": result, "employee": result.employee, "today": today,
        "default_due": today + dt.timedelta(days=DEFAULT_DAYS), "enrollments": enrollments,
        "plans": list(plan_list(user=_actor(request), employee=result.employee.pk)[:10]),
        "latest_review": next((r.review for r in result.recommendations), None)
        or _latest_review(result.employee.pk),
        "rules": {
            "margin": result.margin, "beginner": training.BEGINNER_ABOVE, "intermediate": training.INTERMEDIATE_ABOVE,
        },
    })


def _latest_review(employee_id: int) -> Review | None:
    return (
        Review.objects.filter(employee_id=employee_id, status=Review.Status.SUBMITTED)
        .order_by("-submitted_at", "-id").first()
    )


@staff_view
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    employee = selectors.employee_for(user=actor, pk=pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a course and valid dates."))
        return redirect("learning:recommendations", pk=employee.pk)
    data = form.cleaned_data
    try:
        enrollment = services.enrollment_create(
            actor=actor, employee=employee, course=data["course"], competency=data.get("competency"),
            start_date=data.get("start_date"), due_date=data.get("due_date"),
        )
    except (ValidationFailed, Conflict) as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
        return redirect("learning:recommendations", pk=employee.pk)
    messages.success(request, _("%(name)s is enrolled in “%(course)s”.")
                     % {"name": employee.name, "course": enrollment.course.title})
    return redirect("learning:recommendations", pk=employee.pk)


class RescheduleForm(forms.Form):
    start_date = forms.DateField(label=gettext_lazy("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    due_date = forms.DateField(label=gettext_lazy("Due"), widget=forms.DateInput(attrs={"type": "date"}))


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label=gettext_lazy("Completed on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))


@staff_view
@require_GET
def enrollment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    enrollment = selectors.enrollment_get(user=actor, pk=pk)
    if enrollment.status == Enrollment.Status.COMPLETED and enrollment.closed_at is None:
        services.enrollments_follow_up(employee_id=enrollment.employee_id)
        enrollment = selectors.enrollment_get(user=actor, pk=pk)
    me = employee_of(actor)
    is_open = enrollment.status in services.OPEN
    can_plan = selectors.may_enrol(user=actor, employee=enrollment.employee)
    outcome = (enrollment.source or {}).get("outcome")
    return render(request, "learning/enrollment_detail.html", {
        "enrollment": enrollment, "outcome": outcome if isinstance(outcome, dict) else None,
        "can_plan": can_plan and is_open,
        "can_progress": is_open and (can_plan or (me is not None and me.pk == enrollment.employee_id)),
        "reschedule": RescheduleForm(initial={"start_date": enrollment.start_date, "due_date": enrollment.due_date}),
        "complete": CompleteForm(initial={"completed_on": timezone.localdate()}),
        "source": enrollment.source or {}, "margin": gaps.gap_margin(),
    })


@staff_view
@require_POST
def enrollment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, selectors.LEARNING_ROLES)
    enrollment = selectors.enrollment_get(user=actor, pk=pk)
    try:
        if action == "start":
            services.enrollment_start(actor=actor, enrollment=enrollment)
            messages.success(request, _("Marked in progress."))
        elif action == "complete":
            form = CompleteForm(request.POST)
            completed_on = form.cleaned_data.get("completed_on") if form.is_valid() else None
            if not form.is_valid():
                raise ValidationFailed(_("Enter a valid completion date."), field="completed_on")
            services.enrollment_complete(actor=actor, enrollment=enrollment, completed_on=completed_on)
            messages.success(
                request, _("Marked completed. The next submitted review will show whether the gap closed.")
            )
        elif action == "cancel":
            services.enrollment_cancel(actor=actor, enrollment=enrollment)
            messages.success(request, _("Enrolment cancelled."))
        elif action == "reschedule":
            schedule = RescheduleForm(request.POST)
            if not schedule.is_valid():
                raise ValidationFailed(_("Enter a valid start and due date."), field="due_date")
            services.enrollment_update(actor=actor, enrollment=enrollment, changes=schedule.cleaned_data)
            messages.success(request, _("Schedule saved."))
        else:
            return render(request, "404.html", {"message": _("No such action.")}, status=404)
    except (ValidationFailed, Conflict) as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
    return redirect("learning:enrollment_detail", pk=enrollment.pk)


staff_urls: list[URLPattern] = [
    path("", home, name="home"),
    path("employees/<int:pk>/", recommendations, name="recommendations"),
    path("employees/<int:pk>/enrol/", enrol, name="enrol"),
    path("enrollments/<int:pk>/", enrollment_detail, name="enrollment_detail"),
    path("enrollments/<int:pk>/<slug:action>/", enrollment_action, name="enrollment_action"),
]
