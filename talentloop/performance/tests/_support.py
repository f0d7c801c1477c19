"""Helpers to build OKRs in tests (as HR, so every test starts from the same data)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from talentloop.core.testing.factories import JobFactory
from talentloop.interviews.models import InterviewReport, InterviewSession
from talentloop.org.models import Employee, Job
from talentloop.performance import services
from talentloop.performance.models import KeyResult, Objective, PerformanceCycle
from talentloop.recruiting.models import Application, Candidate


def make_objective(
    org: dict[str, Any], cycle: PerformanceCycle, *, owner: str | None = "report", level: str = "personal",
    title: str = "Grow key accounts", **extra: Any,
) -> Objective:
    return services.objective_create(
        actor=org["users"]["hr"], cycle=cycle, level=level, title=title,
        owner_employee=org["employees"][owner] if owner else None, **extra,
    )


def make_key_result(org: dict[str, Any], objective: Objective, **fields: Any) -> KeyResult:
    values: dict[str, Any] = {
        "title": "Customer satisfaction", "metric": "CSAT survey", "unit": "points",
        "start_value": Decimal("70"), "target_value": Decimal("90"), "weight": Decimal("50"),
    }
    values.update(fields)
    return services.key_result_create(actor=org["users"]["hr"], objective=objective, **values)


def make_hire_report(
    employee: Employee, scores: dict[str, float | None], *, ready: bool = True, round: int = 1,
    application: Application | None = None, built_minutes_ago: int = 0,
) -> InterviewReport:
    """The application that led to this employee's hire, one interview round and its report with these
    competency scores (None: the competency was in the model but got no score)."""
    if application is None:
        candidate = Candidate.objects.create(name=employee.name, email=f"{employee.pk}@example.com")
        job = cast(Job, JobFactory())
        application = Application.objects.create(candidate=candidate, job=job, stage="hired", employee=employee)
    session = InterviewSession.objects.create(
        application=application, round=round, token=secrets.token_urlsafe(24), language="en",
        status=InterviewSession.Status.COMPLETED, expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return InterviewReport.objects.create(
        session=session, status=InterviewReport.Status.READY if ready else InterviewReport.Status.SCORING,
        built_at=timezone.now() - dt.timedelta(minutes=built_minutes_ago) if ready else None,
        competencies=[{"code": code, "score": score, "required_score": 70, "weight": 0.25}
                      for code, score in scores.items()],
    )
