"""KPI pages under /performance/: the library (everyone in performance reads it, HR creates and edits), a
cycle's KPI targets per employee with their scores and weighted KPI score, and one employee's targets in a
cycle where HR or their manager adds targets and enters actuals. Every write goes through kpis.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentloop.core.access import HR, has_role, require_role
from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view
from talentloop.org.models import Competency, Employee

from .. import kpi_selectors as selectors
from .. import kpis as services
from ..models import VALUE_MAX_DIGITS, VALUE_PLACES, KeyResult, Kpi, KpiTarget, PerformanceCycle
from ..selectors import PERFORMANCE_ROLES, cycle_get, cycle_list

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _value_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, help_text=help_text, max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES,
    )


def _weight_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=gettext_lazy("Weight (%)"), max_digits=5, decimal_places=2,
        help_text=gettext_lazy("An employee's KPI weights in a cycle add up to 100% at most."),
    )


class KpiForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=40, help_text=gettext_lazy("e.g. sales_revenue"))
    name = forms.CharField(label=gettext_lazy("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=120, required=False)
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=30, required=False)
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), choices=KeyResult.Direction.choices)
    floor_value = _value_field(gettext_lazy("Floor (scores 0)"))
    threshold_value = _value_field(gettext_lazy("Threshold (scores 60)"))
    target_value = _value_field(gettext_lazy("Target (scores 100)"))
    competency = forms.ModelChoiceField(
        label=gettext_lazy("Competency"), queryset=Competency.objects.filter(is_active=True), required=False,
        help_text=gettext_lazy("Reviews use the KPI as evidence for this competency."),
    )
    formula = forms.CharField(
        label=gettext_lazy("Formula"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("How the value is computed, in words people understand."),
    )
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)


class TargetForm(forms.Form):
    target_value = _value_field(
        gettext_lazy("Target"), required=False, help_text=gettext_lazy("Scores 100. Empty: the KPI's target."),
    )
    actual_value = _value_field(gettext_lazy("Actual"), required=False)
    weight = _weight_field()
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TargetAddForm(TargetForm):
    kpi = forms.TypedChoiceField(label=gettext_lazy("KPI"), coerce=int)
    field_order = ["kpi", "target_value", "weight", "actual_value", "comment"]

    def __init__(self, *args: Any, choices: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["kpi"]).choices = [("", "---------"), *choices]


class ActualsForm(forms.Form):
    """One actual value per target of the employee in the cycle (empty: not known yet)."""

    def __init__(self, *args: Any, targets: list[KpiTarget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for target in targets:
            self.fields[f"actual_{target.pk}"] = _value_field(target.kpi.code, required=False)
            self.initial.setdefault(f"actual_{target.pk}", target.actual_value)

    def actuals(self) -> dict[int, Decimal | None]:
        return {int(name.removeprefix("actual_")): value for name, value in self.cleaned_data.items()}


def _show_errors(form: forms.Form, exc: ValidationFailed | Conflict) -> None:
    apply_domain_errors(form, {k: [str(m) for m in v] for k, v in exc.errors.items()})
    if exc.message and not exc.errors:
        form.add_error(None, str(exc.message))


# --- the library ----------------------------------------------------------------------------------------------


@staff_view
@require_GET
def kpi_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    q = request.GET.get("q", "").strip()
    show = request.GET.get("show", "active")
    kpis = selectors.kpi_list(user=actor, q=q or None, is_active=None if show == "all" else True)
    page_obj = Paginator(kpis, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "performance/kpi_list.html", {
        "page_obj": page_obj, "q": q, "show": show, "may_edit": has_role(actor, HR),
        "cycles": cycle_list(user=actor)[:12],
    })


def _kpi_form_page(request: HttpRequest, kpi: Kpi | None) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR)
    if request.method == "POST":
        form = KpiForm(request.POST)
        if form.is_valid():
            try:
                if kpi is None:
                    saved = services.kpi_create(actor=actor, **form.cleaned_data)
                else:
                    saved = services.kpi_update(actor=actor, kpi=kpi, changes=form.cleaned_data)
            except (ValidationFailed, Conflict) as exc:
                _show_errors(form, exc)
            else:
                message = _("KPI %(code)s created.") if kpi is None else _("KPI %(code)s saved.")
                messages.success(request, message % {"code": saved.code})
                return redirect("performance:kpi_list")
    elif kpi is not None:
        form = KpiForm(initial={field: getattr(kpi, field) for field in services.KPI_FIELDS})
    else:
        form = KpiForm()
    return render(request, "performance/kpi_form.html", {
        "form": form, "kpi": kpi, "in_use": kpi is not None and kpi.targets.exists(),
    })


@staff_view
@require_http_methods(["GET", "POST"])
def kpi_create(request: HttpRequest) -> HttpResponse:
    return _kpi_form_page(request, None)


@staff_view
@require_http_methods(["GET", "POST"])
def kpi_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(_actor(request), HR)
    return _kpi_form_page(request, selectors.kpi_get(user=_actor(request), pk=pk))


@staff_view
@require_POST
def kpi_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    kpi = selectors.kpi_get(user=actor, pk=pk)
    try:
        services.kpi_delete(actor=actor, kpi=kpi)
    except Conflict as exc:
        messages.error(request, str(exc.message))
        return redirect("performance:kpi_edit", pk=kpi.pk)
    messages.success(request, _("KPI %(code)s deleted.") % {"code": kpi.code})
    return redirect("performance:kpi_list")


# --- a cycle's targets ----------------------------------------------------------------------------------------


def _row(employee: Employee) -> dict[str, Any]:
    targets: list[KpiTarget] = getattr(employee, "cycle_kpi_targets", [])
    return {
        "employee": employee,
        "targets": [{"target": t, "score": selectors.kpi_target_score(t)} for t in targets],
        "weight_total": selectors.kpi_weight_total(targets),
        "score": selectors.kpi_weighted_score(targets),
    }


@staff_view
@require_GET
def kpi_cycle(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, PERFORMANCE_ROLES)
    cycle = cycle_get(user=actor, pk=cycle_pk)
    q = request.GET.get("q", "").strip()
    page_obj = Paginator(selectors.kpi_cycle_employees(user=actor, cycle=cycle, q=q or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "performance/kpi_cycle.html", {
        "cycle": cycle, "page_obj": page_obj, "rows": [_row(e) for e in page_obj.object_list], "q": q,
    })


def _employee_in_cycle(request: HttpRequest, cycle_pk: int, employee_pk: int) -> tuple[PerformanceCycle, Employee]:
    actor = _actor(request)
    cycle = cycle_get(user=actor, pk=cycle_pk)
    return cycle, selectors.kpi_employee_get(user=actor, pk=employee_pk)


@staff_view
@require_http_methods(["GET", "POST"])
def kpi_employee(request: HttpRequest, cycle_pk: int, employee_pk: int) -> HttpResponse:
    """One employee's targets in a cycle; POST `form=actuals` enters actuals, `form=add` adds a target."""
    actor = _actor(request)
    cycle, employee = _employee_in_cycle(request, cycle_pk, employee_pk)
    targets = list(selectors.kpi_target_list(user=actor, cycle=cycle.pk, employee=employee.pk))
    may_write = selectors.kpi_may_write(user=actor, employee=employee) and cycle.phase != cycle.Phase.CLOSED
    choices = selectors.kpi_choices(user=actor) if may_write else []
    actuals_form = ActualsForm(targets=targets)
    add_form = TargetAddForm(choices=choices)
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            services.kpi_target_require_write(actor=actor, cycle=cycle, employee=employee)
            if which == "actuals":
                actuals_form = ActualsForm(request.POST, targets=targets)
                if actuals_form.is_valid():
                    actuals = actuals_form.actuals()
                    services.kpi_actuals_set(actor=actor, cycle=cycle, employee=employee, actuals=actuals)
                    messages.success(request, _("Actuals saved."))
                    return redirect("performance:kpi_employee", cycle_pk=cycle.pk, employee_pk=employee.pk)
            elif which == "add":
                add_form = TargetAddForm(request.POST, choices=choices)
                if add_form.is_valid():
                    data = dict(add_form.cleaned_data)
                    kpi = selectors.kpi_get(user=actor, pk=data.pop("kpi"))
                    services.kpi_target_create(actor=actor, cycle=cycle, employee=employee, kpi=kpi, **data)
                    messages.success(request, _("KPI %(code)s added.") % {"code": kpi.code})
                    return redirect("performance:kpi_employee", cycle_pk=cycle.pk, employee_pk=employee.pk)
        except (ValidationFailed, Conflict) as exc:
            _show_errors(actuals_form if which == "actuals" else add_form, exc)
    rows = [{"target": t, "score": selectors.kpi_target_score(t), "field": actuals_form[f"actual_{t.pk}"]}
            for t in targets]
    return render(request, "performance/kpi_employee.html", {
        "cycle": cycle, "employee": employee, "rows": rows, "may_write": may_write,
        "actuals_form": actuals_form, "add_form": add_form,
        "weight_total": selectors.kpi_weight_total(targets), "score": selectors.kpi_weighted_score(targets),
    }, status=400 if request.method == "POST" else 200)


@staff_view
@require_http_methods(["GET", "POST"])
def kpi_target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    target = selectors.kpi_target_get(user=actor, pk=pk)
    services.kpi_target_require_write(actor=actor, employee=target.employee)
    back = redirect("performance:kpi_employee", cycle_pk=target.cycle_id, employee_pk=target.employee_id)
    if request.method == "POST":
        form = TargetForm(request.POST)
        if form.is_valid():
            changes = dict(form.cleaned_data)
            if changes["target_value"] is None:
                changes["target_value"] = target.target_value
            try:
                services.kpi_target_update(actor=actor, target=target, changes=changes)
            except (ValidationFailed, Conflict) as exc:
                _show_errors(form, exc)
            else:
                messages.success(request, _("KPI %(code)s saved.") % {"code": target.kpi.code})
                return back
    else:
        fields = ("target_value", "actual_value", "weight", "comment")
        form = TargetForm(initial={f: getattr(target, f) for f in fields})
    return render(request, "performance/kpi_target_form.html", {
        "form": form, "target": target, "score": selectors.kpi_target_score(target),
    })


@staff_view
@require_POST
def kpi_target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    target = selectors.kpi_target_get(user=actor, pk=pk)
    try:
        services.kpi_target_delete(actor=actor, target=target)
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("KPI %(code)s removed.") % {"code": target.kpi.code})
    return redirect("performance:kpi_employee", cycle_pk=target.cycle_id, employee_pk=target.employee_id)


staff_urls: list[URLPattern] = [
    path("kpis/", kpi_list, name="kpi_list"),
    path("kpis/new/", kpi_create, name="kpi_create"),
    path("kpis/<int:pk>/edit/", kpi_edit, name="kpi_edit"),
    path("kpis/<int:pk>/delete/", kpi_delete, name="kpi_delete"),
    path("cycles/<int:cycle_pk>/kpis/", kpi_cycle, name="kpi_cycle"),
    path("cycles/<int:cycle_pk>/kpis/<int:employee_pk>/", kpi_employee, name="kpi_employee"),
    path("kpi-targets/<int:pk>/edit/", kpi_target_edit, name="kpi_target_edit"),
    path("kpi-targets/<int:pk>/delete/", kpi_target_delete, name="kpi_target_delete"),
]
