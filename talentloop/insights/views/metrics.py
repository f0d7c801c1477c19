"""Insights pages: the recruiting and talent dashboard at /insights/ (insights:home; filters, SVG charts with
tables, each metric's definition beside it, `?format=xlsx` for the Excel export), HR's hiring costs at
/insights/costs/, and the candidate's one-question satisfaction answer posted from the feedback page
(/interview/<token>/satisfaction/, wired through the interviews app's public URLs)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentloop.core.access import HR, has_role, require_role
from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import apply_domain_errors, staff_view
from talentloop.interviews.models import InterviewSession
from talentloop.org.models import Job

from .. import costs, survey
from ..excel import dashboard_workbook
from ..metric_defs import GROUP_LABELS
from ..metrics import (
    Dashboard,
    MetricFilters,
    default_period,
    metrics_dashboard,
    metrics_departments,
    metrics_filters_parse,
    metrics_jobs,
    metrics_reach,
)
from ..metrics_charts import ChartText, FunnelBar, SeriesPoint, funnel_svg, series_svg
from ..models import HiringCost

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COST_PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _number(value: float, places: int, *, grouping: bool = False) -> str:
    """Rounded (Django's number_format cuts the digits off instead)."""
    return number_format(round(value, places), decimal_pos=places, force_grouping=grouping)


def _percent(value: float) -> str:
    return f"{_number(value * 100, 1)}%"


def display_value(metric: dict[str, Any]) -> str:
    """The metric's value for people: 62.5%, 25 days, ¥2,250.00, 4.2 / 5; "—" when nothing was measured."""
    value, unit = metric["value"], metric["unit"]
    if value is None:
        return "—"
    if unit == "share":
        return _percent(value)
    if unit == "days":
        return _("%(n)s days") % {"n": _number(value, 1 if value % 1 else 0)}
    if unit == "CNY":
        return f"¥{_number(value, 2, grouping=True)}"
    if unit == "rating":
        return _("%(n)s / 5") % {"n": _number(value, 2)}
    if unit == "points":
        return _number(value, 1)
    return _number(value, 0, grouping=True)


def _charts(dashboard: Dashboard) -> dict[str, str]:
    charts: dict[str, str] = {}
    funnel = dashboard.metric("funnel")
    if funnel and funnel["n"]:
        stages = funnel["detail"]["stages"]
        charts["funnel"] = funnel_svg(
            [FunnelBar(label=s["label"], count=s["count"],
                       note="" if s["conversion"] is None else _("%(p)s of the previous stage")
                       % {"p": _percent(s["conversion"])}) for s in stages],
            ChartText(title=_("Recruiting funnel"), description="; ".join(
                f"{s['label']}: {s['count']}" for s in stages)),
        )
    volume = dashboard.metric("hiring_volume")
    if volume:
        months = volume["detail"]["months"]
        charts["series"] = series_svg(
            [SeriesPoint(label=m["month"], first=m["applications"], second=m["hires"]) for m in months],
            ChartText(title=_("Applications and hires per month"),
                      description="; ".join(f"{m['month']}: {m['applications']} / {m['hires']}" for m in months),
                      first=_("Applications"), second=_("Hires")),
        )
    return charts


def _filters_text(filters: MetricFilters) -> str:
    parts = [f"{_('Department')}: {filters.department.display_name if filters.department else _('All')}",
             f"{_('Job')}: {filters.job.title if filters.job else _('All')}"]
    return " · ".join(parts)


def _groups(dashboard: Dashboard) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for metric in dashboard.metrics:
        entry = groups.setdefault(metric["group"], {"label": GROUP_LABELS[metric["group"]], "metrics": []})
        entry["metrics"].append({**metric, "display": display_value(metric)})
    return list(groups.values())


@staff_view
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    reach = metrics_reach(user=actor)
    context: dict[str, Any] = {
        "departments": metrics_departments(user=actor), "jobs": metrics_jobs(user=actor),
        "params": {k: request.GET.get(k, "") for k in ("from", "to", "department", "job")},
        "all_departments": reach.department_ids is None, "may_edit_costs": has_role(actor, HR),
    }
    try:
        filters = metrics_filters_parse(params=request.GET)
    except ValidationFailed as exc:
        start, end = default_period()
        context.update(errors=[f"{m}" for messages_ in exc.errors.values() for m in messages_],
                       default_from=start, default_to=end)
        return render(request, "insights/dashboard.html", context, status=400)
    dashboard = metrics_dashboard(user=actor, filters=filters)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(dashboard_workbook(dashboard, filters_text=_filters_text(dashboard.filters)),
                                content_type=XLSX)
        name = f"talentloop-metrics-{filters.start.isoformat()}-{filters.end.isoformat()}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    charts = _charts(dashboard)
    query = request.GET.copy()
    query["format"] = "xlsx"
    context.update(
        dashboard=dashboard, groups=_groups(dashboard), filters=dashboard.filters,
        funnel=dashboard.metric("funnel"), volume=dashboard.metric("hiring_volume"),
        sources=dashboard.metric("source_quality"),
        funnel_chart=mark_safe(charts.get("funnel", "")),  # funnel_svg escapes every text
        series_chart=mark_safe(charts.get("series", "")),  # series_svg escapes every text
        export_query=query.urlencode(),
    )
    return render(request, "insights/dashboard.html", context)


# --- hiring costs ---------------------------------------------------------------------------------------------


class HiringCostForm(forms.Form):
    job = forms.ModelChoiceField(label=gettext_lazy("Job"), queryset=Job.objects.order_by("title", "id"))
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=HiringCost.Category.choices,
                                 initial=HiringCost.Category.ADVERTISING)
    amount = forms.DecimalField(label=gettext_lazy("Amount (yuan)"), max_digits=12, decimal_places=2)
    incurred_on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


def _cost_errors(form: forms.Form, exc: ValidationFailed) -> None:
    apply_domain_errors(form, {k: [str(m) for m in v] for k, v in exc.errors.items()})
    if exc.message and not exc.errors:
        form.add_error(None, str(exc.message))


@staff_view
@require_http_methods(["GET", "POST"])
def costs_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    require_role(actor, HR)
    form = HiringCostForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                costs.hiring_cost_create(actor=actor, data=form.cleaned_data)
            except ValidationFailed as exc:
                _cost_errors(form, exc)
            else:
                messages.success(request, _("Hiring cost added."))
                return redirect("insights:costs")
        status = 400
    page_obj = Paginator(costs.hiring_cost_list(user=actor), COST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "insights/costs.html", {"form": form, "page_obj": page_obj}, status=status)


@staff_view
@require_http_methods(["GET", "POST"])
def cost_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    cost = costs.hiring_cost_get(user=actor, pk=pk)
    if request.method == "POST":
        form = HiringCostForm(request.POST)
        if form.is_valid():
            try:
                costs.hiring_cost_update(actor=actor, cost=cost, changes=form.cleaned_data)
            except ValidationFailed as exc:
                _cost_errors(form, exc)
            else:
                messages.success(request, _("Hiring cost saved."))
                return redirect("insights:costs")
        return render(request, "insights/costs_form.html", {"form": form, "cost": cost}, status=400)
    form = HiringCostForm(initial={f: getattr(cost, f) for f in ("job", "category", "amount", "incurred_on", "note")})
    return render(request, "insights/costs_form.html", {"form": form, "cost": cost})


@staff_view
@require_POST
def cost_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    costs.hiring_cost_delete(actor=actor, cost=costs.hiring_cost_get(user=actor, pk=pk))
    messages.success(request, _("Hiring cost deleted."))
    return redirect("insights:costs")


# --- the candidate's satisfaction answer (public, token only) -----------------------------------------------


def _language(token: str) -> str | None:
    return InterviewSession.objects.filter(token=str(token)[:64]).values_list("language", flat=True).first()


@never_cache
@require_POST
def satisfaction_answer(request: HttpRequest, token: str) -> HttpResponse:
    """Record the answer and go back to the feedback page; a bad or second answer gets a page that says why."""
    with translation.override(_language(token) or translation.get_language()):
        try:
            survey.satisfaction_submit(token=token, rating=request.POST.get("rating", ""),
                                       comment=request.POST.get("comment", ""))
        except (ValidationFailed, Conflict, NotFound) as exc:
            return render(request, "insights/satisfaction_result.html", {
                "message": exc.message, "token": token, "show_back": not isinstance(exc, NotFound),
                "company": settings.TALENTLOOP_COMPANY_NAME,
            }, status=exc.status_code)
        return redirect(reverse("interview:feedback", kwargs={"token": token}) + "#satisfaction")


staff_urls: list[URLPattern] = [
    path("", dashboard_page, name="home"),
    path("costs/", costs_page, name="costs"),
    path("costs/<int:pk>/", cost_edit, name="cost_edit"),
    path("costs/<int:pk>/delete/", cost_delete, name="cost_delete"),
]
public_urls: list[URLPattern] = [
    path("<str:token>/satisfaction/", satisfaction_answer, name="satisfaction"),
]
