"""The recruiting and talent dashboard: who may see which metrics for which departments, the filters (period,
department, job), and the numbers, cached.

Reach: HR sees every metric everywhere. A hiring manager sees every metric, limited to their own department
and the departments below it (the default filter; another department is a 403). A recruiter sees the
recruiting metrics (funnel, hires, time to hire, cost per hire, candidate satisfaction) everywhere, not the
ones made from employees' records. Everyone else gets a 403.

Caching: the computed numbers (language-free) are kept in Django's cache for TALENTLOOP_INSIGHTS_CACHE_SECONDS
(600 by default), keyed by the filters, the reach, today's date and a version number. Writes made here
(hiring costs, survey answers) bump the version after they commit, so they show at once; other changes show
within the TTL. Names and definitions are added per request, in the reader's language."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.assessment.insights import metrics as engine
from talentloop.assessment.review import MEETS
from talentloop.core.access import role_of
from talentloop.core.errors import PermissionDenied, ValidationFailed
from talentloop.core.models import Role, User
from talentloop.org.models import Department, Job
from talentloop.org.selectors import department_subtree_ids
from talentloop.recruiting.models import Candidate, Stage

from . import metric_rows as rows
from .metric_defs import BY_KEY, KEYS, RECRUITING_KEYS

VERSION_KEY = "insights:metrics:version"
MAX_MONTHS = 120
_MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class MetricFilters:
    start: dt.date
    end: dt.date
    department: Department | None = None
    job: Job | None = None


@dataclass(frozen=True)
class Reach:
    department_ids: tuple[int, ...] | None  # None: everywhere
    keys: tuple[str, ...]
    default_department: Department | None = None


@dataclass(frozen=True)
class Dashboard:
    filters: MetricFilters
    metrics: list[dict[str, Any]] = field(default_factory=list)
    cached: bool = False

    def metric(self, key: str) -> dict[str, Any] | None:
        return next((m for m in self.metrics if m["key"] == key), None)


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve calendar months, this one included."""
    end = today or timezone.localdate()
    return engine.add_months(end.replace(day=1), -11), end


def _date(value: str, name: str, errors: dict[str, list[str]]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        errors.setdefault(name, []).append(_("Enter a date as YYYY-MM-DD."))
        return None


def _id(value: str, name: str, errors: dict[str, list[str]]) -> int | None:
    text = value.strip()
    if not text.isdigit() or not 0 < int(text) <= _MAX_ID:
        errors.setdefault(name, []).append(_("Enter the id as a whole number."))
        return None
    return int(text)


def metrics_filters_parse(*, params: Mapping[str, Any], today: dt.date | None = None) -> MetricFilters:
    """`from`, `to` (YYYY-MM-DD, inclusive; default the last twelve months), `department`, `job` (ids).
    ValidationFailed naming each bad parameter."""
    errors: dict[str, list[str]] = {}
    raw = {k: str(params.get(k) or "").strip() for k in ("from", "to", "department", "job")}
    end = _date(raw["to"], "to", errors) if raw["to"] else default_period(today)[1]
    start = _date(raw["from"], "from", errors) if raw["from"] else (default_period(end)[0] if end else None)
    if start and end:
        if end < start:
            errors.setdefault("to", []).append(_("The end of the period is before its start."))
        elif len(engine.months_between(start, end)) > MAX_MONTHS:
            errors.setdefault("from", []).append(_("Choose a period of at most %(n)d months.") % {"n": MAX_MONTHS})
    department = job = None
    if raw["department"]:
        pk = _id(raw["department"], "department", errors)
        department = Department.objects.filter(pk=pk).first() if pk else None
        if pk and department is None:
            errors.setdefault("department", []).append(_("No such department."))
    if raw["job"]:
        pk = _id(raw["job"], "job", errors)
        job = Job.objects.select_related("department").filter(pk=pk).first() if pk else None
        if pk and job is None:
            errors.setdefault("job", []).append(_("No such job."))
    if errors:
        raise ValidationFailed(errors=errors)
    assert start is not None
    assert end is not None
    return MetricFilters(start=start, end=end, department=department, job=job)


def metrics_reach(*, user: User) -> Reach:
    role = role_of(user)
    if role == Role.HR_ADMIN:
        return Reach(department_ids=None, keys=KEYS)
    if role == Role.RECRUITER:
        return Reach(department_ids=None, keys=tuple(k for k in KEYS if k in RECRUITING_KEYS))
    own = getattr(user, "employee", None) if role == Role.HIRING_MANAGER else None
    if own is None:
        raise PermissionDenied(_("Only HR and managers may see the insights dashboards."))
    department = Department.objects.get(pk=own.department_id)
    return Reach(department_ids=tuple(department_subtree_ids(own.department_id)), keys=KEYS,
                 default_department=department)


def _scope(reach: Reach, filters: MetricFilters) -> rows.Scope:
    department_ids = reach.department_ids
    if filters.department is not None:
        if department_ids is not None and filters.department.pk not in department_ids:
            raise PermissionDenied(_("You may only see the insights of your own department and the ones below it."))
        department_ids = tuple(department_subtree_ids(filters.department.pk))
    if filters.job is not None and reach.department_ids is not None \
            and filters.job.department_id not in reach.department_ids:
        raise PermissionDenied(_("You may only see the insights of your own department's jobs."))
    return rows.Scope(start=filters.start, end=filters.end, department_ids=department_ids,
                      job=filters.job.pk if filters.job else None)


def _share(share: engine.Share) -> tuple[float | None, int]:
    return share.value, share.n


def _compute(scope: rows.Scope, keys: tuple[str, ...], today: dt.date) -> dict[str, dict[str, Any]]:
    """The numbers only (codes, no words), as plain JSON-able dicts per metric key."""
    out: dict[str, dict[str, Any]] = {}
    wanted = set(keys)
    if "funnel" in wanted:
        counts = rows.funnel_counts(scope)
        steps = engine.funnel(counts, rows.PIPELINE)
        out["funnel"] = {"value": steps[-1].of_first, "n": steps[0].count, "detail": {"stages": [
            {"stage": s.stage, "count": s.count, "conversion": s.conversion, "of_applied": s.of_first}
            for s in steps
        ]}}
    hires = rows.hire_rows(scope) if wanted & {"hiring_volume", "time_to_hire", "cost_per_hire",
                                               "source_quality", "recruitment_accuracy"} else []
    if "hiring_volume" in wanted:
        applied = engine.fill_months(rows.application_months(scope), start=scope.start, end=scope.end)
        hired = engine.monthly_counts((h.hired_on for h in hires), start=scope.start, end=scope.end)
        out["hiring_volume"] = {"value": len(hires), "n": len(hires), "detail": {"months": [
            {"month": a.month.strftime("%Y-%m"), "applications": a.count, "hires": h.count}
            for a, h in zip(applied, hired, strict=True)
        ]}}
    if "time_to_hire" in wanted:
        summary = engine.time_to_hire((h.applied_on, h.hired_on) for h in hires)
        out["time_to_hire"] = {"value": summary.value, "n": summary.n}
    if "cost_per_hire" in wanted:
        total, entries = rows.cost_total(scope)
        out["cost_per_hire"] = {
            "value": engine.cost_per_hire(total_cost=total, cost_entries=entries, hires=len(hires)),
            "n": len(hires),
            "detail": {"total_cost": float(total) if total is not None else None, "cost_entries": entries},
        }
    if "candidate_satisfaction" in wanted:
        distribution = rows.rating_distribution(scope)
        summary = engine.mean_rating(distribution)
        out["candidate_satisfaction"] = {"value": summary.value, "n": summary.n, "detail": {
            "ratings": {str(r): distribution.get(r, 0) for r in range(1, 6)}}}
    if "source_quality" in wanted:
        stats = engine.source_quality(((h.source, h.first_band) for h in hires), MEETS)
        out["source_quality"] = {"value": None, "n": len(hires), "detail": {"sources": [
            {"source": s.source, "hires": s.hires, "reviewed": s.reviewed, "meeting": s.meeting, "share": s.share}
            for s in stats
        ]}}
    if "recruitment_accuracy" in wanted:
        share = engine.recruitment_accuracy((h.first_band for h in hires), MEETS)
        out["recruitment_accuracy"] = {"value": share.value, "n": share.n, "detail": {"meeting": share.hits}}
    tenure = rows.tenure_rows(scope) if wanted & {"probation_pass_rate", "retention_6m", "retention_12m"} else []
    if "probation_pass_rate" in wanted:
        share = engine.probation_pass_rate(tenure, as_of=today)
        out["probation_pass_rate"] = {"value": share.value, "n": share.n, "detail": {
            "passed": share.hits, "probation_days": engine.PROBATION_DAYS}}
    for key, months in (("retention_6m", 6), ("retention_12m", 12)):
        if key in wanted:
            share = engine.retention(tenure, as_of=today, months=months)
            out[key] = {"value": share.value, "n": share.n, "detail": {"stayed": share.hits}}
    if "average_performance" in wanted:
        groups = rows.review_groups(scope)
        summary = engine.mean_of_groups((n, total) for _band, n, total in groups)
        bands: dict[str, int] = {}
        for band, n, _total in groups:
            bands[band or "-"] = bands.get(band or "-", 0) + n
        out["average_performance"] = {"value": summary.value, "n": summary.n, "detail": {"bands": bands}}
    if "time_to_target" in wanted:
        summary = engine.time_to_target(rows.key_result_rows(scope))
        out["time_to_target"] = {"value": summary.value, "n": summary.n, "detail": {
            "key_results": summary.of, "reached": summary.n}}
    if "training_completion" in wanted:
        completed, due = rows.training_counts(scope)
        share = engine.completion_rate(completed=completed, due=due)
        out["training_completion"] = {"value": share.value, "n": share.n, "detail": {"completed": completed}}
    return out


def _cache_key(scope: rows.Scope, keys: tuple[str, ...], today: dt.date) -> str:
    version = cache.get(VERSION_KEY) or 0
    text = json.dumps([scope.start.isoformat(), scope.end.isoformat(), scope.department_ids, scope.job,
                       list(keys), today.isoformat()])
    return f"insights:metrics:{version}:{hashlib.sha256(text.encode()).hexdigest()}"


def metrics_cache_bump() -> None:
    """Make the next dashboard recompute (called after a write that changes a metric commits)."""
    def bump() -> None:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 1, timeout=None)
    transaction.on_commit(bump)


def _stage_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Stage.choices}


def _present(key: str, numbers: dict[str, Any]) -> dict[str, Any]:
    """Add the name, unit and definition in the current language (and labels inside the detail)."""
    definition = BY_KEY[key]
    detail = json.loads(json.dumps(numbers.get("detail"))) if numbers.get("detail") is not None else None
    if key == "funnel" and detail:
        labels = _stage_labels()
        for step in detail["stages"]:
            step["label"] = labels.get(step["stage"], step["stage"])
    if key == "source_quality" and detail:
        sources = {value: str(label) for value, label in Candidate.Source.choices}
        for row in detail["sources"]:
            row["label"] = sources.get(row["source"], row["source"])
    item: dict[str, Any] = {
        "key": key, "label": str(definition.label), "value": numbers["value"], "unit": definition.unit,
        "definition": str(definition.definition), "n": numbers["n"], "group": definition.group,
    }
    if detail is not None:
        item["detail"] = detail
    return item


def metrics_dashboard(*, user: User, filters: MetricFilters, today: dt.date | None = None) -> Dashboard:
    """The metrics the user may read, for the filters (PermissionDenied outside their reach)."""
    reach = metrics_reach(user=user)
    if filters.department is None and reach.default_department is not None:
        filters = MetricFilters(start=filters.start, end=filters.end, department=reach.default_department,
                                job=filters.job)
    scope = _scope(reach, filters)
    day = today or timezone.localdate()
    key = _cache_key(scope, reach.keys, day)
    numbers = cache.get(key)
    cached = numbers is not None
    if numbers is None:
        numbers = _compute(scope, reach.keys, day)
        cache.set(key, numbers, timeout=getattr(settings, "TALENTLOOP_INSIGHTS_CACHE_SECONDS", 600))
    return Dashboard(filters=filters, metrics=[_present(k, numbers[k]) for k in reach.keys], cached=cached)


def metrics_departments(*, user: User) -> list[Department]:
    """The departments the user may filter by."""
    reach = metrics_reach(user=user)
    qs = Department.objects.order_by("code")
    if reach.department_ids is not None:
        qs = qs.filter(pk__in=reach.department_ids)
    return list(qs)


def metrics_jobs(*, user: User) -> list[Job]:
    reach = metrics_reach(user=user)
    qs = Job.objects.select_related("department").order_by("title", "id")
    if reach.department_ids is not None:
        qs = qs.filter(department_id__in=reach.department_ids)
    return list(qs)
