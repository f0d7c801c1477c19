"""The employee performance profile page (/performance/employees/<id>/): per competency the interview score
next to the performance review scores over time (a server-drawn chart and the same numbers as a table), and
the timeline joining recruiting, interviews, objectives, reviews, 360° rounds, KPIs and the profile events.
The selector decides who may see what; the page only renders it."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from talentloop.core.models import User
from talentloop.core.web import staff_view

from .. import profile_chart
from ..profile import CompetencySeries, PerformanceProfile, employee_performance_profile, number_text


def chart_markup(profile: PerformanceProfile) -> str:
    """The comparison chart as inline SVG, or "" when nothing has been scored yet."""
    chart = profile_chart.comparison_chart([
        profile_chart.SeriesInput(
            name=s.name, interview_score=s.interview_score, interview_date=s.interview_date,
            points=[(p.date, p.score, p.cycle_name) for p in s.performance_scores],
        )
        for s in profile.competencies
    ])
    if chart is None:
        return ""
    text = profile_chart.ChartText(
        title=_("Interview score and performance review scores per competency, %(name)s")
        % {"name": profile.employee.name},
        description=_describe(profile.competencies),
        interview=_("Interview score"),
        performance=_("Performance review score"),
        interview_mark=_("Interview, %(date)s: %(score)s"),
        performance_mark=_("%(label)s review, %(date)s: %(score)s"),
    )
    return profile_chart.comparison_svg(chart, text, uid=f"comparison-{profile.employee.pk}")


def _describe(competencies: tuple[CompetencySeries, ...]) -> str:
    lines = []
    for s in competencies:
        if s.interview_score is None and not s.performance_scores:
            continue
        lines.append(_("%(name)s: interview %(interview)s, reviews %(reviews)s") % {
            "name": s.name, "interview": number_text(s.interview_score),
            "reviews": ", ".join(number_text(p.score) for p in s.performance_scores) or "—",
        })
    return "; ".join(lines)


def _table(profile: PerformanceProfile) -> dict[str, Any]:
    """The chart's numbers as a table that grows downwards with the history: a column per competency, a row
    for the interview, a row per reviewed cycle (oldest first) and a row for the gap."""
    series = [s for s in profile.competencies if s.interview_score is not None or s.performance_scores]
    cycles: dict[int, tuple[Any, str]] = {}
    for s in series:
        for p in s.performance_scores:
            cycles.setdefault(p.cycle, (p.date, p.cycle_name))
    scores = {(s.code, p.cycle): p.score for s in series for p in s.performance_scores}
    rows = [{
        "label": _("Interview"), "date": next((s.interview_date for s in series if s.interview_date), None),
        "cells": [number_text(s.interview_score) for s in series], "kind": "interview",
    }]
    for cycle, (date, name) in sorted(cycles.items(), key=lambda item: (item[1][0], item[0])):
        rows.append({
            "label": name, "date": date, "cells": [number_text(scores.get((s.code, cycle))) for s in series],
            "kind": "review",
        })
    gaps = []
    for s in series:
        gap = s.gap
        sign = "none" if gap is None else ("up" if gap > 0 else "down" if gap < 0 else "even")
        gaps.append({"text": "—" if gap is None else ("+" if gap > 0 else "") + number_text(gap), "sign": sign})
    return {"columns": [s.name for s in series], "rows": rows, "gaps": gaps}


@staff_view
@require_GET
def profile_page(request: HttpRequest, pk: int) -> HttpResponse:
    profile = employee_performance_profile(user=cast(User, request.user), pk=pk)
    return render(request, "performance/profile_page.html", {
        "profile": profile,
        "employee": profile.employee,
        "chart": mark_safe(chart_markup(profile)),  # comparison_svg escapes every text
        "table": _table(profile),
        "timeline": profile.timeline,
    })


staff_urls: list[URLPattern] = [
    path("employees/<int:pk>/", profile_page, name="profile"),
]
