"""Data for the learning tests, with the expected recommendation worked out by hand.

The report (李员工) has a job whose model is data analysis (required 70) and communication (required 75); the
hiring interview scored data analysis 80 and communication 72. The submitted 2025 H1 review scored data
analysis 62 and communication 74. With the default margin 5:
* data analysis: 18 points below the interview (80 − 62) and 8 below the required score (70 − 62): a gap of 18,
  target 80; 10 < 18 ≤ 20 calls for an intermediate course.
* communication: 2 above the interview, 1 below the required score: no gap.
Courses building data analysis: "SQL" intermediate 12 h, "Excel" intermediate 6 h, "Basics" beginner 4 h,
"Expert" advanced 3 h but inactive. Ranked: Excel (intermediate, 6 h), SQL (intermediate, 12 h), Basics
(one level away)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from talentloop.core.testing.factories import JobCompetencyFactory, JobFactory
from talentloop.learning.models import Course
from talentloop.org.models import Competency, Employee, Job
from talentloop.performance.models import PerformanceCycle, Review, ReviewScore
from talentloop.performance.tests._support import make_hire_report


def comp(code: str) -> Competency:
    return Competency.objects.get(code=code)


def course(title: str, level: str, hours: str, *codes: str, active: bool = True) -> Course:
    c = Course.objects.create(title=title, provider="Academy", hours=Decimal(hours), level=level, is_active=active)
    c.competencies.set([comp(code) for code in codes])
    return c


def review(
    employee: Employee, scores: dict[str, float], *, name: str = "2025 H1", days_ago: int = 10,
    status: str = Review.Status.SUBMITTED,
) -> Review:
    start = timezone.localdate() - dt.timedelta(days=days_ago + 180)
    cycle = PerformanceCycle.objects.create(name=name, start=start, end=start + dt.timedelta(days=180))
    cycle.employees.add(employee)
    r = Review.objects.create(
        cycle=cycle, employee=employee, status=status,
        submitted_at=timezone.now() - dt.timedelta(days=days_ago) if status == Review.Status.SUBMITTED else None,
    )
    for code, score in scores.items():
        ReviewScore.objects.create(review=r, competency=comp(code), score=Decimal(str(score)))
    return r


def setup_gap(org: dict[str, Any]) -> dict[str, Any]:
    report: Employee = org["employees"]["report"]
    job = cast(Job, JobFactory(title="Analyst"))
    JobCompetencyFactory(job=job, competency=comp("data_analysis"), weight=Decimal("0.6"), required_score=70)
    JobCompetencyFactory(job=job, competency=comp("communication"), weight=Decimal("0.4"), required_score=75)
    report.job = job
    report.save(update_fields=["job"])
    make_hire_report(report, {"data_analysis": 80, "communication": 72})
    first = review(report, {"data_analysis": 62, "communication": 74})
    courses = {
        "sql": course("SQL", "intermediate", "12", "data_analysis"),
        "excel": course("Excel", "intermediate", "6", "data_analysis"),
        "basics": course("Basics", "beginner", "4", "data_analysis"),
        "expert": course("Expert", "advanced", "3", "data_analysis", active=False),
        "talk": course("Talk", "beginner", "2", "communication"),
    }
    return {"report": report, "job": job, "review": first, "courses": courses}
