"""A small hand-made company history for the dashboard tests, where every metric's answer is known exactly
(the expected numbers are worked out in test_metrics_definitions.py next to each assertion).

Period 2024-01-01..2024-12-31. Sales has the job "Account manager", R&D the job "Engineer".
Applications (created, source, path → hire):
  A1 sales 2024-01-10 referral  screening, ai_interview, interview, offer, hired 2024-02-09 → E1
  A2 sales 2024-03-01 job_board screening, rejected
  A3 sales 2024-03-03 job_board screening, ai_interview, written_test, interview, offer, hired 2024-04-12 → E2
  A4 sales 2024-05-01 agency    (still applied)
  A5 sales 2023-12-20 agency    screening, interview, hired 2024-01-19 → E3 (applied before the period)
  A6 R&D   2024-06-01 referral  screening, ai_interview, interview, offer, hired 2024-07-01 → E4"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from talentloop.core.testing.factories import EmployeeFactory, JobFactory
from talentloop.insights.models import CandidateSatisfaction, HiringCost
from talentloop.interviews.models import InterviewSession
from talentloop.learning.models import Course, Enrollment
from talentloop.org.models import Department, Employee, Job
from talentloop.performance.models import CheckIn, KeyResult, Objective, PerformanceCycle, Review
from talentloop.recruiting.models import Application, Candidate, StageChange

D = dt.date
PERIOD = {"from": "2024-01-01", "to": "2024-12-31"}
TODAY = D(2025, 6, 30)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def job_in(department: Department, title: str = "Job") -> Job:
    return cast(Job, JobFactory(title=title, department=department))


def application(job: Job, *, created: dt.date, source: str, path: list[tuple[str, dt.date]]) -> Application:
    candidate = Candidate.objects.create(name=f"C{secrets.token_hex(3)}", source=source)
    stage = path[-1][0] if path else "applied"
    app = Application.objects.create(candidate=candidate, job=job, stage=stage)
    Application.objects.filter(pk=app.pk).update(
        created_at=at(created), stage_changed_at=at(path[-1][1]) if path else at(created)
    )
    previous = "applied"
    for to_stage, day in path:
        change = StageChange.objects.create(application=app, from_stage=previous, to_stage=to_stage)
        StageChange.objects.filter(pk=change.pk).update(at=at(day))
        previous = to_stage
    app.refresh_from_db()
    return app


def employee(department: Department, job: Job | None, *, hired: dt.date, left: dt.date | None = None,
             **extra: Any) -> Employee:
    status = Employee.Status.TERMINATED if left else Employee.Status.ACTIVE
    return cast(Employee, EmployeeFactory(
        department=department, job=job, hire_date=hired, left_on=left, status=status, **extra
    ))


def review(person: Employee, *, submitted: dt.date, score: str, band: str, status: str = "submitted") -> Review:
    cycle = PerformanceCycle.objects.create(
        name=f"Cycle {secrets.token_hex(3)}", start=submitted - dt.timedelta(days=90), end=submitted,
    )
    return Review.objects.create(
        cycle=cycle, employee=person, status=status, overall_score=Decimal(score), band=band,
        submitted_at=at(submitted) if status == "submitted" else None,
    )


def key_result(person: Employee, *, created: dt.date, start: str, target: str, direction: str = "increase",
               check_ins: tuple[tuple[dt.date, str], ...] = ()) -> KeyResult:
    cycle = PerformanceCycle.objects.create(
        name=f"OKR {secrets.token_hex(3)}", start=created, end=created + dt.timedelta(days=90)
    )
    objective = Objective.objects.create(cycle=cycle, owner_employee=person, level="personal", title="Grow")
    kr = KeyResult.objects.create(
        objective=objective, title="KR", metric="m", start_value=Decimal(start), target_value=Decimal(target),
        current_value=Decimal(start), direction=direction, weight=Decimal("50"),
    )
    KeyResult.objects.filter(pk=kr.pk).update(created_at=at(created))
    for day, value in check_ins:
        check_in = CheckIn.objects.create(key_result=kr, value=Decimal(value))
        CheckIn.objects.filter(pk=check_in.pk).update(created_at=at(day))
    return kr


def satisfaction(app: Application, *, rating: int, answered: dt.date) -> CandidateSatisfaction:
    session = InterviewSession.objects.create(
        application=app, token=secrets.token_urlsafe(24), language="en",
        status=InterviewSession.Status.COMPLETED, expires_at=timezone.now() + dt.timedelta(days=7),
    )
    answer = CandidateSatisfaction.objects.create(session=session, rating=rating)
    CandidateSatisfaction.objects.filter(pk=answer.pk).update(created_at=at(answered))
    return answer


def enrolment(person: Employee, course: Course, *, due: dt.date, status: str) -> Enrollment:
    return Enrollment.objects.create(
        employee=person, course=course, status=status, start_date=due - dt.timedelta(days=30), due_date=due,
        completed_on=due if status == "completed" else None,
    )


def build_history(org: dict[str, Any]) -> dict[str, Any]:
    sales, rd = org["departments"]["sales"], org["departments"]["rd"]
    sales_job = job_in(sales, "Account manager")
    rd_job = job_in(rd, "Engineer")

    a1 = application(sales_job, created=D(2024, 1, 10), source="referral", path=[
        ("screening", D(2024, 1, 12)), ("ai_interview", D(2024, 1, 20)), ("interview", D(2024, 2, 1)),
        ("offer", D(2024, 2, 5)), ("hired", D(2024, 2, 9))])
    a2 = application(sales_job, created=D(2024, 3, 1), source="job_board", path=[
        ("screening", D(2024, 3, 2)), ("rejected", D(2024, 3, 5))])
    a3 = application(sales_job, created=D(2024, 3, 3), source="job_board", path=[
        ("screening", D(2024, 3, 4)), ("ai_interview", D(2024, 3, 10)), ("written_test", D(2024, 3, 15)),
        ("interview", D(2024, 3, 25)), ("offer", D(2024, 4, 5)), ("hired", D(2024, 4, 12))])
    a4 = application(sales_job, created=D(2024, 5, 1), source="agency", path=[])
    a5 = application(sales_job, created=D(2023, 12, 20), source="agency", path=[
        ("screening", D(2023, 12, 22)), ("interview", D(2024, 1, 5)), ("hired", D(2024, 1, 19))])
    a6 = application(rd_job, created=D(2024, 6, 1), source="referral", path=[
        ("screening", D(2024, 6, 2)), ("ai_interview", D(2024, 6, 5)), ("interview", D(2024, 6, 15)),
        ("offer", D(2024, 6, 25)), ("hired", D(2024, 7, 1))])

    e1 = employee(sales, sales_job, hired=D(2024, 2, 15))
    e2 = employee(sales, sales_job, hired=D(2024, 4, 20), left=D(2024, 7, 1))
    e3 = employee(sales, sales_job, hired=D(2024, 1, 25))
    e4 = employee(rd, rd_job, hired=D(2024, 7, 10))
    e5 = employee(sales, sales_job, hired=D(2024, 11, 1))
    e6 = employee(sales, sales_job, hired=D(2024, 3, 1), left=D(2024, 10, 15))
    for app, person in ((a1, e1), (a3, e2), (a5, e3), (a6, e4)):
        Application.objects.filter(pk=app.pk).update(employee=person)

    review(e1, submitted=D(2024, 8, 1), score="85", band="A")
    review(e1, submitted=D(2024, 12, 1), score="55", band="D")
    review(e2, submitted=D(2024, 6, 20), score="65", band="C")
    review(e4, submitted=D(2024, 12, 10), score="75", band="B")
    review(e4, submitted=D(2025, 1, 5), score="95", band="S")  # after the period
    review(e3, submitted=D(2024, 9, 1), score="99", band="S", status="draft")  # not submitted

    key_result(e1, created=D(2024, 3, 1), start="70", target="90", check_ins=(
        (D(2024, 3, 10), "80"), (D(2024, 3, 21), "92"), (D(2024, 4, 1), "95")))
    key_result(e1, created=D(2024, 5, 1), start="10", target="5", direction="decrease", check_ins=(
        (D(2024, 5, 8), "5"),))
    key_result(e4, created=D(2024, 6, 1), start="0", target="10", check_ins=((D(2024, 6, 20), "3"),))
    key_result(e4, created=D(2023, 11, 1), start="0", target="10", check_ins=((D(2023, 11, 2), "10"),))

    satisfaction(a1, rating=5, answered=D(2024, 2, 20))
    satisfaction(a3, rating=3, answered=D(2024, 4, 1))
    satisfaction(a6, rating=4, answered=D(2024, 6, 20))
    satisfaction(a5, rating=1, answered=D(2023, 12, 25))

    course_a = Course.objects.create(title="Negotiation", hours=Decimal("8"))
    course_b = Course.objects.create(title="Data analysis", hours=Decimal("12"))
    enrolment(e1, course_a, due=D(2024, 6, 30), status="completed")
    enrolment(e1, course_b, due=D(2024, 9, 30), status="in_progress")
    enrolment(e4, course_a, due=D(2024, 10, 1), status="cancelled")
    enrolment(e2, course_b, due=D(2025, 2, 1), status="planned")

    HiringCost.objects.create(job=sales_job, amount=Decimal("6000"), incurred_on=D(2024, 2, 1))
    HiringCost.objects.create(job=rd_job, amount=Decimal("2000"), incurred_on=D(2024, 6, 15))
    HiringCost.objects.create(job=sales_job, amount=Decimal("5000"), incurred_on=D(2023, 12, 1))
    return {"sales_job": sales_job, "rd_job": rd_job, "apps": [a1, a2, a3, a4, a5, a6],
            "employees": [e1, e2, e3, e4, e5, e6]}
