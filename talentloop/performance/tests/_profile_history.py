"""An employee's performance history for the profile tests: quarterly cycles from 2021, each with a personal
objective (one key result and a check-in), a submitted review scoring two competencies, a closed 360° round
(two raters, one answered) and a KPI target; plus the hire's application and interview report, a joining
event, and an open cycle whose review is still a draft (never shown)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from talentloop.core.testing.factories import CompetencyFactory, JobCompetencyFactory, JobFactory
from talentloop.interviews.models import InterviewReport
from talentloop.org.models import Competency, EmployeeEvent
from talentloop.performance.models import (
    CheckIn,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackRequest,
    KeyResult,
    Kpi,
    KpiTarget,
    Objective,
    PerformanceCycle,
    Review,
    ReviewScore,
)
from talentloop.recruiting.models import Application

from ._support import make_hire_report

FIRST_QUARTER = dt.date(2021, 1, 1)
RATER_COMMENT = "Secret peer remark that must never reach the profile"


def aware(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def quarter(index: int) -> tuple[dt.date, dt.date, str]:
    """The index-th quarter from 2021 Q1: (start, end, name)."""
    year, q = FIRST_QUARTER.year + index // 4, index % 4 + 1
    start = dt.date(year, 3 * (q - 1) + 1, 1)
    end = (dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)) - dt.timedelta(days=1)
    return start, end, f"{year} Q{q}"


def competencies() -> tuple[Competency, Competency]:
    customer = CompetencyFactory(code="profile_customer", name="客户导向", name_en="Customer orientation")
    teamwork = CompetencyFactory(code="profile_teamwork", name="团队协作", name_en="Teamwork")
    return cast(Competency, customer), cast(Competency, teamwork)


def build_history(org: dict[str, Any], *, cycles: int, who: str = "report") -> dict[str, Any]:
    employee = org["employees"][who]
    manager = org["employees"]["manager"]
    customer, teamwork = competencies()
    job = JobFactory(title="Account manager")
    JobCompetencyFactory(job=job, competency=customer, position=0)
    JobCompetencyFactory(job=job, competency=teamwork, position=1)
    employee.job = job
    employee.hire_date = dt.date(2021, 1, 4)
    employee.save(update_fields=["job", "hire_date"])
    EmployeeEvent.objects.create(employee=employee, kind=EmployeeEvent.Kind.JOINED, occurred_on=dt.date(2021, 1, 4),
                                 summary="Sales")

    report = make_hire_report(employee, {"profile_customer": 88.0, "profile_teamwork": 72.5, "profile_other": None})
    InterviewReport.objects.filter(pk=report.pk).update(built_at=aware(2020, 12, 1), overall_score=85.0)
    application = report.session.application
    Application.objects.filter(pk=application.pk).update(created_at=aware(2020, 11, 1))

    kpi, _created = Kpi.objects.get_or_create(code="profile-revenue", defaults={
        "name": "销售额", "name_en": "Revenue", "unit": "万元", "floor_value": Decimal(0),
        "threshold_value": Decimal(60), "target_value": Decimal(100), "competency": customer,
    })
    made: dict[str, list[Any]] = {"cycles": [], "reviews": [], "objectives": [], "requests": []}
    for index in range(cycles):
        start, end, name = quarter(index)
        cycle = PerformanceCycle.objects.create(name=name, start=start, end=end, phase=PerformanceCycle.Phase.CLOSED)
        cycle.employees.add(employee)
        objective = Objective.objects.create(
            cycle=cycle, owner_employee=employee, level=Objective.Level.PERSONAL, title=f"Grow accounts {index + 1}",
            status=Objective.Status.ACTIVE,
        )
        kr = KeyResult.objects.create(
            objective=objective, title="CSAT", metric="survey", start_value=Decimal(70), target_value=Decimal(90),
            current_value=Decimal(80), weight=Decimal(100),
        )
        CheckIn.objects.create(key_result=kr, value=Decimal(80), comment="halfway")
        submitted = aware(end.year, end.month, end.day) + dt.timedelta(days=5)
        review = Review.objects.create(
            cycle=cycle, employee=employee, reviewer=org["users"]["manager"], status=Review.Status.SUBMITTED,
            overall_score=Decimal("80.5"), band="A", submitted_at=submitted,
        )
        ReviewScore.objects.create(review=review, competency=customer, score=Decimal(80 + index % 10))
        ReviewScore.objects.create(review=review, competency=teamwork, score=Decimal("70.5"))
        EmployeeEvent.objects.create(  # what the reviews service notes on submit: folded into the review's entry
            employee=employee, kind=EmployeeEvent.Kind.REVIEW, occurred_on=submitted.date(),
            summary="Review submitted", data={"review": review.pk, "cycle": cycle.pk},
        )
        request = FeedbackRequest.objects.create(
            cycle=cycle, subject=employee, deadline=aware(end.year, end.month, end.day) - dt.timedelta(days=5),
            status=FeedbackRequest.Status.CLOSED,
        )
        mine = FeedbackInvitation.objects.create(
            request=request, rater=employee, relation=FeedbackInvitation.Relation.SELF, token=f"self-{request.pk}",
        )
        boss = FeedbackInvitation.objects.create(
            request=request, rater=manager, relation=FeedbackInvitation.Relation.MANAGER, token=f"boss-{request.pk}",
            submitted_at=request.deadline - dt.timedelta(days=1), comment=RATER_COMMENT,
        )
        FeedbackAnswer.objects.create(invitation=boss, competency=customer, rating=Decimal(4), score=Decimal(75),
                                      comment=RATER_COMMENT)
        assert mine.submitted_at is None
        KpiTarget.objects.create(cycle=cycle, employee=employee, kpi=kpi, target_value=Decimal(100),
                                 actual_value=Decimal(80), weight=Decimal(100))
        made["cycles"].append(cycle)
        made["reviews"].append(review)
        made["objectives"].append(objective)
        made["requests"].append(request)

    # The current cycle: its review is a draft, which nobody but the reviewer sees.
    start, end, name = quarter(cycles)
    current = PerformanceCycle.objects.create(
        name=name, start=start, end=end, phase=PerformanceCycle.Phase.MANAGER_REVIEW
    )
    draft = Review.objects.create(cycle=current, employee=employee, status=Review.Status.DRAFT,
                                  overall_score=Decimal(20), band="D")
    ReviewScore.objects.create(review=draft, competency=customer, score=Decimal(20))
    return {
        "employee": employee, "customer": customer, "teamwork": teamwork, "report": report,
        "application": application, "current": current, "draft": draft, **made,
    }
