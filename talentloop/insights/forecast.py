"""The talent demand forecast of a department (with its sub-departments): the quarterly history of
headcount, hires and leavers read from the employee records, and the engine's forecast
(talentloop/assessment/insights/forecast.py) of headcount and hiring need for the next 2–4 quarters.

History is read from each employee's hire date and leaving date (`left_on`; someone who left without one
counts as leaving on the day their record last changed; no hire date: the day the record was created) and
their *current* department: a transfer moves the person's whole history. It covers the completed quarters,
at most `MAX_HISTORY_QUARTERS`, starting with the quarter of the first hire. The forecast starts with the
quarter in progress. HR only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from talentloop.assessment.insights import forecast as maths
from talentloop.assessment.insights.forecast import Person, Quarter
from talentloop.core.access import HR, require_role
from talentloop.core.errors import ValidationFailed
from talentloop.core.models import User
from talentloop.org.models import Department, Employee
from talentloop.org.selectors import department_subtree_ids

MAX_HISTORY_QUARTERS = 20
MIN_QUARTERS, MAX_QUARTERS, DEFAULT_QUARTERS = 2, 4, 4

METHOD_LABELS: dict[str, Promise] = {
    "holt_linear": _("Holt's linear trend (double exponential smoothing)"),
    "mean_growth": _("Mean growth (fewer than 6 quarters of history)"),
}
DEFINITIONS: dict[str, Promise] = {
    "headcount": _(
        "Headcount: employees of the department and its sub-departments on the quarter's last day (hired on or "
        "before it and not left on or before it)."
    ),
    "method": _(
        "Method: Holt's linear trend when there are at least 6 quarters of history: a level and a trend, each "
        "updated every quarter with weights α and β fitted by least squares of the one-quarter-ahead errors. "
        "With less history: the last headcount plus the mean quarterly change."
    ),
    "bands": _(
        "Bands: the forecast ± 1.28 (80 %) or 1.96 (95 %) times the spread of past forecast errors, times the "
        "square root of the number of quarters ahead — the further ahead, the wider."
    ),
    "attrition_rate": _(
        "Attrition rate: leavers in the history divided by the sum of each quarter's average headcount; "
        "expected leavers = this rate × the quarter's starting headcount."
    ),
    "hiring_need": _(
        "Hiring need: forecast headcount − (starting headcount − expected leavers), at least 0. Its bands are "
        "the headcount bands shifted by the same amount."
    ),
    "history": _(
        "History is read from hire and leaving dates and each person's current department; a transfer moves "
        "the person's whole history to their new department."
    ),
}


def definitions() -> dict[str, str]:
    return {key: str(text) for key, text in DEFINITIONS.items()}


def parse_department(value: Any) -> Department:
    text = str(value or "").strip()
    if not text:
        raise ValidationFailed(_("Choose a department."), field="department")
    department = Department.objects.filter(pk=int(text)).first() if text.isdigit() and len(text) < 12 else None
    if department is None:
        raise ValidationFailed(
            _("There is no department with the id “%(id)s”.") % {"id": text[:20]}, field="department"
        )
    return department


def parse_quarters(value: Any) -> int:
    text = str(value or "").strip()
    if not text:
        return DEFAULT_QUARTERS
    if not (text.isdigit() and MIN_QUARTERS <= int(text) <= MAX_QUARTERS):
        raise ValidationFailed(
            _("The forecast covers %(min)d to %(max)d quarters.") % {"min": MIN_QUARTERS, "max": MAX_QUARTERS},
            field="quarters",
        )
    return int(text)


def _people(department_ids: list[int]) -> list[Person]:
    rows = Employee.objects.filter(department_id__in=department_ids).values_list(
        "hire_date", "left_on", "status", "created_at", "updated_at"
    )
    people = []
    for hired, left, status, created, updated in rows:
        hired_on = hired or timezone.localdate(created)
        left_on = left or (timezone.localdate(updated) if status == Employee.Status.TERMINATED else None)
        people.append(Person(hired_on, left_on))
    return people


def department_forecast(
    *, user: User, department: Department, quarters: int = DEFAULT_QUARTERS, today: dt.date | None = None
) -> maths.Forecast:
    require_role(user, HR)
    if not MIN_QUARTERS <= quarters <= MAX_QUARTERS:
        raise ValidationFailed(
            _("The forecast covers %(min)d to %(max)d quarters.") % {"min": MIN_QUARTERS, "max": MAX_QUARTERS},
            field="quarters",
        )
    today = today or timezone.localdate()
    last = Quarter.of(today).next(-1)
    ids = department_subtree_ids(department.pk)
    people = _people(ids)
    first = min((Quarter.of(p.hired_on) for p in people), default=last)
    first = max(min(first, last), last.next(-(MAX_HISTORY_QUARTERS - 1)))
    history = maths.quarter_history(people, first=first, last=last)
    return maths.forecast(history, horizon=quarters)


def forecast_document(*, department: Department, result: maths.Forecast) -> dict[str, Any]:
    def r(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return {
        "department": department.pk,
        "department_name": department.display_name,
        "method": result.method,
        "method_label": str(METHOD_LABELS[result.method]),
        "parameters": {k: (round(v, 6) if isinstance(v, float) else v) for k, v in result.parameters.items()},
        "attrition_rate": None if result.attrition_rate is None else round(result.attrition_rate, 4),
        "as_of": result.history[-1].quarter.last_day.isoformat(),
        "history": [
            {
                "quarter": h.quarter.label, "start": h.start, "hires": h.hires, "leavers": h.leavers,
                "headcount": h.end,
            }
            for h in result.history
        ],
        "forecast": [
            {
                "quarter": q.quarter.label, "horizon": q.horizon, "headcount": r(q.headcount),
                "headcount_80": [r(q.low80), r(q.high80)], "headcount_95": [r(q.low95), r(q.high95)],
                "start_headcount": r(q.start), "expected_leavers": r(q.expected_leavers),
                "hiring_need": r(q.hiring_need), "hiring_need_80": [r(q.need_low80), r(q.need_high80)],
                "hiring_need_95": [r(q.need_low95), r(q.need_high95)],
            }
            for q in result.quarters
        ],
        "definitions": definitions(),
    }


def departments_for_picker() -> list[Department]:
    return list(Department.objects.order_by("code"))
