"""The course catalogue pages: /learning/courses/ (everyone in learning reads the active courses, HR all of them)
and the course form for HR (/learning/courses/new/, /learning/courses/<id>/edit/)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from talentloop.core.access import HR, has_role, require_role
from talentloop.core.errors import ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view
from talentloop.org.models import Competency

from .. import selectors, services
from ..models import Course

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


class CourseForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    provider = forms.CharField(label=gettext_lazy("Provider"), max_length=120, required=False)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=Course.Format.choices)
    hours = forms.DecimalField(
        label=gettext_lazy("Hours"), max_digits=6, decimal_places=1,
        widget=forms.NumberInput(attrs={"min": "0.5", "step": "0.5", "inputmode": "decimal"}),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Level"), choices=Course.Level.choices,
        help_text=gettext_lazy("Recommendations match levels to gaps: above 20 points beginner, above 10 "
                               "intermediate, otherwise advanced."),
    )
    competencies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Competencies it builds"), queryset=Competency.objects.filter(is_active=True),
        widget=forms.SelectMultiple(attrs={"size": 8}), required=False,
    )
    url = forms.URLField(label=gettext_lazy("Link"), required=False, assume_scheme="https")
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=gettext_lazy("Offered (active)"), required=False, initial=True)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["competencies"] = list(data["competencies"])
        return data


@staff_view
@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    competency = request.GET.get("competency", "")
    level = request.GET.get("level", "")
    search = request.GET.get("q", "").strip()
    courses = selectors.course_list(
        user=actor, competency=int(competency) if competency.isdigit() else None,
        level=level if level in Course.Level.values else None, search=search or None,
    )
    page_obj = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "learning/course_list.html", {
        "page_obj": page_obj, "courses": list(page_obj), "is_hr": has_role(actor, HR),
        "competencies": Competency.objects.filter(is_active=True).order_by("code"),
        "levels": Course.Level.choices, "filters": {"competency": competency, "level": level, "q": search},
    })


def _save(request: HttpRequest, course: Course | None) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR)
    if request.method == "POST":
        form = CourseForm(request.POST)
        if form.is_valid():
            try:
                if course is None:
                    course = services.course_create(actor=actor, **form.values())
                else:
                    course = services.course_update(actor=actor, course=course, changes=form.values())
            except ValidationFailed as exc:
                apply_domain_errors(form, exc.errors or {"__all__": [str(exc.message)]})
            else:
                messages.success(request, _("Course “%(title)s” saved.") % {"title": course.title})
                return redirect("learning:course_list")
    elif course is not None:
        form = CourseForm(initial={
            "title": course.title, "provider": course.provider, "format": course.format, "hours": course.hours,
            "level": course.level, "competencies": list(course.competencies.all()), "url": course.url,
            "description": course.description, "is_active": course.is_active,
        })
    else:
        form = CourseForm()
    return render(request, "learning/course_form.html", {"form": form, "course": course})


@staff_view
@require_http_methods(["GET", "POST"])
def course_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@staff_view
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(_actor(request), HR)
    return _save(request, selectors.course_get(user=_actor(request), pk=pk))


staff_urls: list[URLPattern] = [
    path("courses/", course_list, name="course_list"),
    path("courses/new/", course_create, name="course_create"),
    path("courses/<int:pk>/edit/", course_edit, name="course_edit"),
]
