"""Insights pages for calibration (issue 7, items 1–3), under /insights/ (namespace "insights"):

* /insights/calibration/?job=ID (insights:calibration) — interview vs performance per competency, a gap chart
  with confidence intervals and the same numbers as a table, flags and recommendations (HR).
* /insights/questions/?job=ID (insights:questions) — question validity with a Retire button on each question
  in use that the data says to retire or revise; POST /insights/questions/<id>/retire/
  (insights:question_retire) retires it (HR).
* /insights/candidate-pool/?job=ID (insights:pool) — candidate-pool signals (HR and recruiters).

Each page has a job picker; without a job it shows only the picker. The selectors decide who may see what."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from talentloop.assessment.insights import stats
from talentloop.core.access import has_role
from talentloop.core.models import User
from talentloop.core.web import staff_view
from talentloop.org.models import Job

from .. import calibration as selectors
from .. import calibration_chart
from ..pool import job_candidate_pool
from ..question_validity import insights_question_retire, job_question_validity


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _picked(request: HttpRequest, roles: frozenset[str]) -> tuple[Job | None, dict[str, Any]]:
    """The job asked for (None when none is) and the picker's context. Checks the role first."""
    user = _user(request)
    jobs = list(selectors.insights_job_choices(user=user, roles=roles))
    raw = request.GET.get("job", "").strip()
    job, error = None, ""
    if raw:
        if raw.isdigit():
            job = selectors.insights_job_get(user=user, pk=int(raw), roles=roles)
        else:
            error = _("A job is given by its id, a number.")
    return job, {
        "jobs": jobs, "job": job, "job_error": error,
        "sees_calibration": has_role(user, selectors.CALIBRATION_ROLES),
    }


def _flag_label(flag: str | None) -> str:
    return {
        stats.OVER_RATED: _("Interview over-rates"), stats.LOW_VALIDITY: _("Low validity"),
        stats.NOT_ENOUGH_DATA: _("Not enough data"), stats.LOW_ACROSS_POOL: _("Low across the pool"),
    }.get(flag or "", _("No flag"))


def _suggestion_label(suggestion: str) -> str:
    return {
        stats.RETIRE: _("Retire"), stats.REVISE: _("Revise"), stats.KEEP: _("Keep"),
        stats.NOT_ENOUGH_DATA: _("Not enough data"),
    }[suggestion]


def _chart(calibration: selectors.JobCalibration) -> str:
    rows = [
        calibration_chart.GapRow(
            name=row.competency.display_name, gap=row.gap, ci=row.gap_ci, flagged=row.flag == stats.OVER_RATED
        )
        for row in calibration.competencies
    ]
    text = calibration_chart.ChartText(
        title=_("Mean gap between performance and interview per competency, %(job)s") % {"job": calibration.job.title},
        description="; ".join(
            _("%(name)s: gap %(gap)s, 95%% CI %(low)s to %(high)s") % {
                "name": row.competency.display_name, "gap": selectors.number_text(row.gap),
                "low": selectors.number_text(row.gap_ci[0]), "high": selectors.number_text(row.gap_ci[1])}
            if row.gap_ci else _("%(name)s: not enough data") % {"name": row.competency.display_name}
            for row in calibration.competencies
        ),
        no_data=_("not enough data"), zero=_("0: performance equals the interview"),
        margin=_("−%(margin)s: the over-rating threshold") % {"margin": selectors.number_text(calibration.gap_margin)},
        mark=_("%(name)s: gap %(gap)s (95%% CI %(low)s to %(high)s)"),
    )
    return calibration_chart.gap_svg(rows, text, margin=calibration.gap_margin, uid="calibration-gaps") or ""


@staff_view
@require_GET
def calibration_page(request: HttpRequest) -> HttpResponse:
    job, context = _picked(request, selectors.CALIBRATION_ROLES)
    if job is not None:
        calibration = selectors.job_calibration(user=_user(request), job=job)
        context.update({
            "calibration": calibration,
            "rows": [{"row": row, "flag_label": _flag_label(row.flag)} for row in calibration.competencies],
            "chart": mark_safe(_chart(calibration)),  # gap_svg escapes every text
        })
    return render(request, "insights/calibration.html", {**context, "section": "calibration"})


@staff_view
@require_GET
def questions_page(request: HttpRequest) -> HttpResponse:
    job, context = _picked(request, selectors.CALIBRATION_ROLES)
    if job is not None:
        validity = job_question_validity(user=_user(request), job=job)
        context.update({
            "validity": validity,
            "rows": [{"row": row, "label": _suggestion_label(row.suggestion)} for row in validity.questions],
        })
    return render(request, "insights/questions.html", {**context, "section": "questions"})


@staff_view
@require_POST
def question_retire(request: HttpRequest, pk: int) -> HttpResponse:
    question = insights_question_retire(actor=_user(request), question_id=pk)
    messages.success(request, _("Question %(code)s retired: it will not be asked again.") % {"code": question.code})
    target = reverse("insights:questions")
    job = request.POST.get("job", "")
    return redirect(f"{target}?{urlencode({'job': job})}" if job.isdigit() else target)


@staff_view
@require_GET
def pool_page(request: HttpRequest) -> HttpResponse:
    job, context = _picked(request, selectors.POOL_ROLES)
    if job is not None:
        pool = job_candidate_pool(user=_user(request), job=job)
        context.update({
            "pool": pool,
            "rows": [{"row": row, "flag_label": _flag_label(row.flag),
                      "share_pct": None if row.share_below_required is None else row.share_below_required * 100}
                     for row in pool.competencies],
        })
    return render(request, "insights/pool.html", {**context, "section": "pool"})


staff_urls: list[URLPattern] = [
    path("calibration/", calibration_page, name="calibration"),
    path("questions/", questions_page, name="questions"),
    path("questions/<int:pk>/retire/", question_retire, name="question_retire"),
    path("candidate-pool/", pool_page, name="pool"),
]
