"""Insights pages: the fairness audit (/insights/fairness/, `?format=xlsx` downloads the audit report) and
the talent demand forecast (/insights/forecast/, a chart with bands and the same numbers as a table). HR
only; the selectors refuse everyone else. A bad filter shows the page with the message and answers 400."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from talentloop.assessment.insights.fairness import METHOD
from talentloop.core.access import HR, require_role
from talentloop.core.errors import ValidationFailed
from talentloop.core.models import User
from talentloop.core.web import staff_view
from talentloop.org.models import Job

from .. import fairness, forecast, forecast_chart
from ..fairness_export import XLSX, audit_workbook, export_filename
from ..models import CandidateAttribute


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _rows(audit: fairness.FairnessAudit, result: Any) -> list[dict[str, Any]]:
    return [
        {
            "label": audit.label(g.group), "n": g.n, "hits": g.hits, "rate": _percent(g.rate),
            "ratio": _ratio(g.impact_ratio), "flag": g.four_fifths, "too_small": g.too_small, "highest": g.highest,
        }
        for g in result.groups
    ]


@staff_view
@require_GET
def fairness_page(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    require_role(user, HR)
    attribute = request.GET.get("attribute") or CandidateAttribute.Name.GENDER
    job_value = request.GET.get("job", "")
    context: dict[str, Any] = {
        "jobs": Job.objects.exclude(status=Job.Status.DRAFT).order_by("title", "id").only("pk", "title"),
        "attributes": CandidateAttribute.Name.choices, "attribute": attribute, "job_value": job_value,
        "definitions": fairness.definitions(), "method": METHOD,
    }
    try:
        job = fairness.parse_job(job_value)
        audit = fairness.fairness_audit(user=user, job=job, attribute=attribute)
    except ValidationFailed as exc:
        context["error"] = str(exc.message)
        return render(request, "insights/fairness.html", context, status=400)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(audit_workbook(audit), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{export_filename(audit)}"'
        return response
    context.update({
        "audit": audit,
        "parts": [
            {
                "key": "screening", "title": _("Screening decisions"), "rate_name": _("Selection rate"),
                "hits_name": _("Passed screening"), "definition": context["definitions"]["selection_rate"],
                "result": audit.selection, "rows": _rows(audit, audit.selection), "threshold": None,
            },
            {
                "key": "ai_interview", "title": _("AI interview scores"), "rate_name": _("Scoring rate"),
                "hits_name": _("Above the median"), "definition": context["definitions"]["scoring_rate"],
                "result": audit.scoring, "rows": _rows(audit, audit.scoring),
                "threshold": None if audit.scoring.threshold is None else f"{audit.scoring.threshold:.1f}",
            },
        ],
        "export_query": request.GET.urlencode(),
    })
    return render(request, "insights/fairness.html", context)


def _chart(document: dict[str, Any]) -> str:
    history = [forecast_chart.Point(h["quarter"], float(h["headcount"])) for h in document["history"]]
    ahead = [
        forecast_chart.Point(
            q["quarter"], q["headcount"], q["headcount_80"][0], q["headcount_80"][1], q["headcount_95"][0],
            q["headcount_95"][1],
        )
        for q in document["forecast"]
    ]
    last = document["forecast"][-1] if document["forecast"] else None
    words = forecast_chart.ChartWords(
        title=_("Headcount history and forecast, %(name)s") % {"name": document["department_name"]},
        description=_("%(method)s. Forecast for %(quarter)s: %(value)s (95%%: %(low)s–%(high)s).") % {
            "method": document["method_label"], "quarter": last["quarter"] if last else "—",
            "value": forecast_chart.fmt(last["headcount"]) if last else "—",
            "low": forecast_chart.fmt(last["headcount_95"][0]) if last else "—",
            "high": forecast_chart.fmt(last["headcount_95"][1]) if last else "—",
        },
        history=_("Headcount"), forecast=_("Forecast"), band80=_("80% band"), band95=_("95% band"),
        history_mark=_("%(quarter)s: %(value)s people"),
        forecast_mark=_("%(quarter)s: forecast %(value)s (95%%: %(low)s–%(high)s)"),
    )
    return forecast_chart.forecast_svg(history, ahead, words, uid=f"forecast-{document['department']}")


@staff_view
@require_GET
def forecast_page(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    require_role(user, HR)
    departments = forecast.departments_for_picker()
    department_value = request.GET.get("department") or (str(departments[0].pk) if departments else "")
    quarters_value = request.GET.get("quarters", "")
    context: dict[str, Any] = {
        "departments": departments, "department_value": department_value,
        "quarters_value": quarters_value or str(forecast.DEFAULT_QUARTERS),
        "quarter_choices": [str(n) for n in range(forecast.MIN_QUARTERS, forecast.MAX_QUARTERS + 1)],
        "definitions": forecast.definitions(),
    }
    if not departments:
        return render(request, "insights/forecast.html", context)
    try:
        department = forecast.parse_department(department_value)
        quarters = forecast.parse_quarters(quarters_value)
        result = forecast.department_forecast(user=user, department=department, quarters=quarters)
    except ValidationFailed as exc:
        context["error"] = str(exc.message)
        return render(request, "insights/forecast.html", context, status=400)
    document = forecast.forecast_document(department=department, result=result)
    context.update({
        "document": document,
        "chart": mark_safe(_chart(document)),  # forecast_svg escapes every text
        "parameters": [(key, value) for key, value in document["parameters"].items()],
        "attrition_percent": _percent(document["attrition_rate"]),
    })
    return render(request, "insights/forecast.html", context)


staff_urls: list[URLPattern] = [
    path("fairness/", fairness_page, name="fairness"),
    path("forecast/", forecast_page, name="forecast"),
]
