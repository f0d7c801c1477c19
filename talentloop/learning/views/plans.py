"""Development plan pages: /learning/plans/ (the plans the user may see), the plan editor
(/learning/plans/<id>/: status and note, each item's goal, actions, course, due date and status, add and remove
items) and generating a plan from a submitted review (POST /learning/plans/generate/)."""

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
from django.views.decorators.http import require_GET, require_POST

from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import staff_view
from talentloop.org.models import Competency
from talentloop.performance.reviews import review_get

from .. import plans, selectors
from ..models import Course, DevelopmentItem, DevelopmentPlan

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


class PlanForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=DevelopmentPlan.Status.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ItemForm(forms.Form):
    goal = forms.CharField(label=gettext_lazy("Goal"), max_length=300)
    competency = forms.ModelChoiceField(
        label=gettext_lazy("Competency"), queryset=Competency.objects.filter(is_active=True), required=False
    )
    course = forms.ModelChoiceField(label=gettext_lazy("Course"), queryset=Course.objects.all(), required=False)
    due_date = forms.DateField(label=gettext_lazy("Due"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    actions = forms.CharField(label=gettext_lazy("Actions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=DevelopmentItem.Status.choices, required=False)


def _errors(request: HttpRequest, exc: ValidationFailed | Conflict) -> None:
    found = [str(exc.message)] if exc.message else [str(m) for ms in exc.errors.values() for m in ms]
    for message in found:
        messages.error(request, message)


@staff_view
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(plans.plan_list(user=_actor(request)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "learning/plan_list.html", {"page_obj": page_obj, "plans": list(page_obj)})


@staff_view
@require_POST
def plan_generate(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    raw = request.POST.get("review", "")
    try:
        review = review_get(user=actor, pk=int(raw) if raw.isdigit() else 0)
    except NotFound:
        messages.error(request, _("No such review."))
        return redirect("learning:plan_list")
    try:
        plan = plans.plan_generate(actor=actor, review=review)
    except (ValidationFailed, Conflict) as exc:
        _errors(request, exc)
        return redirect("learning:recommendations", pk=review.employee_id)
    messages.success(request, _("Development plan drafted from the review: check and edit it."))
    return redirect("learning:plan_detail", pk=plan.pk)


def _item_forms(plan: DevelopmentPlan) -> list[tuple[DevelopmentItem, ItemForm]]:
    return [
        (item, ItemForm(prefix=f"item{item.pk}", initial={
            "goal": item.goal, "competency": item.competency_id, "course": item.course_id,
            "due_date": item.due_date, "actions": item.actions, "status": item.status,
        }))
        for item in plan.items.all()
    ]


@staff_view
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    plan = plans.plan_get(user=actor, pk=pk)
    can_edit = selectors.may_enrol(user=actor, employee=plan.employee)
    context: dict[str, Any] = {
        "plan": plan, "can_edit": can_edit, "editable_items": can_edit and plan.status != DevelopmentPlan.Status.DONE,
        "plan_form": PlanForm(initial={"status": plan.status, "note": plan.note}),
        "items": _item_forms(plan) if can_edit else [(item, None) for item in plan.items.all()],
        "new_item": ItemForm(prefix="new"),
    }
    return render(request, "learning/plan_detail.html", context)


@staff_view
@require_POST
def plan_edit(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """One POST target for the editor's forms: the plan itself, a new item, or one item (change / remove)."""
    actor = _actor(request)
    plan = plans.plan_get(user=actor, pk=pk)
    try:
        if part == "plan":
            form = PlanForm(request.POST)
            if not form.is_valid():
                raise ValidationFailed(_("Choose a status."), field="status")
            plans.plan_update(actor=actor, plan=plan, changes=form.cleaned_data)
            messages.success(request, _("Plan saved."))
        elif part == "add":
            new = ItemForm(request.POST, prefix="new")
            if not new.is_valid():
                raise ValidationFailed(_("An item needs a goal (at most 300 characters)."), field="goal")
            values = {k: v for k, v in new.cleaned_data.items() if k != "status"}
            plans.plan_item_add(actor=actor, plan=plan, **values)
            messages.success(request, _("Item added."))
        elif part.isdigit():
            item = plans.item_get(user=actor, pk=int(part))
            if item.plan_id != plan.pk:
                raise NotFound(_("No such development plan item."))
            if request.POST.get("delete"):
                plans.plan_item_delete(actor=actor, item=item)
                messages.success(request, _("Item removed."))
            else:
                edit = ItemForm(request.POST, prefix=f"item{item.pk}")
                if not edit.is_valid():
                    raise ValidationFailed(_("An item needs a goal (at most 300 characters)."), field="goal")
                changes = dict(edit.cleaned_data)
                if not changes.get("status"):
                    changes.pop("status", None)
                plans.plan_item_update(actor=actor, item=item, changes=changes)
                messages.success(request, _("Item saved."))
        else:
            raise NotFound(_("No such action."))
    except (ValidationFailed, Conflict) as exc:
        _errors(request, exc)
    return redirect("learning:plan_detail", pk=plan.pk)


staff_urls: list[URLPattern] = [
    path("plans/", plan_list, name="plan_list"),
    path("plans/generate/", plan_generate, name="plan_generate"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/<slug:part>/", plan_edit, name="plan_edit"),
]
