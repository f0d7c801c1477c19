"""`profile timeline page (5 years)`: the employee performance profile page (/performance/employees/<id>/,
the interview-vs-performance chart, its table and the timeline) for an employee with five years of history,
as HR, in-process with Django's test Client (`force_login`), on the demo company with 1,000 employees.

The history, written once per database (bulk inserts, not timed): the hire's application and a ready interview
report scoring the job's competencies; 20 quarterly cycles, each with two personal objectives of three key
results and three check-ins per key result, a submitted competency review scoring every competency of the job
model (and its profile event), a closed 360° round with six raters of whom five answered every competency,
and three KPI targets with actuals; a department move and a job change on the profile. A second employee gets
one year of the same history: the page must run the same number of queries for both, or the row is FAILED
whatever its time. 10 warm-up requests, then 200 (30 with --quick). Target: p95 <= 100 ms.

The in-process half runs as `python -m bench.profile_timeline page --repeat N` on the database in
DATABASE_URL and prints one JSON line.

    .venv/bin/python -m bench.run --only "profile timeline page (5 years)" --quick
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

from bench.env import REPO, BenchEnv, BenchError, Result, _tail

NAME = "profile timeline page (5 years)"
TARGET_SECONDS = 0.100
YEARS = 5
SMALL_YEARS = 1
MARK = "Bench profile"  # the cycles' name prefix: the history is written once per database
FIRST_YEAR = 2021


def run(env: BenchEnv, db: str) -> list[Result]:
    url = env.seeded(db, env.small)  # the history does not depend on the company's size
    repeat = env.requests(full=200, quick=30)
    result = subprocess.run(
        [sys.executable, "-m", "bench.profile_timeline", "page", "--repeat", str(repeat)],
        env=env.child_env(url), cwd=REPO, capture_output=True, text=True, timeout=1800, check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"bench.profile_timeline failed: {_tail(result.stderr or result.stdout)}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    notes = (
        f"{repeat} requests, in-process test Client (force_login as hr), /performance/employees/<id>/ on the demo "
        f"company of {env.small:,}; {data['entries']} timeline entries, {data['reviews']} reviews x "
        f"{data['competencies']} competencies, {data['objectives']} objectives, {data['key_results']} key results, "
        f"{data['check_ins']} check-ins, {data['answers']} 360° answers; queries at {SMALL_YEARS} year: "
        f"{data['queries_small']}, at {YEARS} years: {data['queries_large']}"
    )
    return [Result(
        benchmark=NAME, database=db, n=data["entries"], samples=data["samples"], target=TARGET_SECONDS, notes=notes,
        extra_failure="" if data["queries_small"] == data["queries_large"] else
        "query count grows with the length of the history",
    )]


# --- in-process (python -m bench.profile_timeline page) ------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_timeline")
    parser.add_argument("mode", choices=["page"])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    print(json.dumps(_page(args.repeat), ensure_ascii=False))
    return 0


def _page(repeat: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    large, small, counts = _histories()
    client = Client()
    client.force_login(get_user_model().objects.get(username="hr"))
    paths = {pk: f"/performance/employees/{pk}/" for pk in (large, small)}
    for _ in range(10):  # warm-up: URL resolver, templates, translations
        _get(client, paths[large])
    queries = {}
    for pk in (small, large):
        with CaptureQueriesContext(connection) as captured:
            _get(client, paths[pk])
        queries[pk] = len(captured.captured_queries)
    samples = []
    body = b""
    for _ in range(repeat):
        started = time.perf_counter()
        body = _get(client, paths[large])
        samples.append(time.perf_counter() - started)
    entries = body.count(b'class="timeline-item')
    return {"samples": samples, "queries_small": queries[small], "queries_large": queries[large],
            "entries": entries, **counts}


def _get(client: Any, path: str) -> bytes:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    body: bytes = response.content
    if b'data-testid="comparison-chart"' not in body:
        raise SystemExit(f"GET {path} shows no comparison chart")
    return body


def _histories() -> tuple[int, int, dict[str, int]]:
    """The two employees (5 years, 1 year of history), written unless there, and the 5-year one's counts."""
    from talentloop.org.models import Employee, Job
    from talentloop.performance.models import (
        CheckIn,
        FeedbackAnswer,
        KeyResult,
        Objective,
        Review,
    )

    job = next((j for j in Job.objects.order_by("id") if j.competency_model.count() >= 3), None)
    if job is None:
        raise SystemExit("no demo job with a competency model of 3 or more: is the demo company loaded?")
    people = list(Employee.objects.filter(manager__isnull=False).order_by("-id")[:2])
    if len(people) < 2:
        raise SystemExit("the demo company has too few employees with a manager")
    large, small = people
    cycles = _cycles()
    for employee, years in ((large, YEARS), (small, SMALL_YEARS)):
        if not Review.objects.filter(employee=employee, cycle__name__startswith=MARK).exists():
            _history(employee, job, cycles[: 4 * years])
    objectives = Objective.objects.filter(owner_employee=large, cycle__name__startswith=MARK)
    counts = {
        "reviews": Review.objects.filter(employee=large, cycle__name__startswith=MARK).count(),
        "competencies": job.competency_model.count(),
        "objectives": objectives.count(),
        "key_results": KeyResult.objects.filter(objective__in=objectives).count(),
        "check_ins": CheckIn.objects.filter(key_result__objective__in=objectives).count(),
        "answers": FeedbackAnswer.objects.filter(invitation__request__subject=large).count(),
    }
    return large.pk, small.pk, counts


def _cycles() -> list[Any]:
    import datetime as dt

    from talentloop.performance.models import PerformanceCycle

    cycles = []
    for index in range(4 * YEARS):
        year, quarter = FIRST_YEAR + index // 4, index % 4 + 1
        start = dt.date(year, 3 * quarter - 2, 1)
        end = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) - dt.timedelta(days=1)
        cycle, _created = PerformanceCycle.objects.get_or_create(
            name=f"{MARK} {year} Q{quarter}",
            defaults={"start": start, "end": end, "kind": PerformanceCycle.Kind.QUARTERLY,
                      "method": PerformanceCycle.Method.MIXED, "phase": PerformanceCycle.Phase.CLOSED},
        )
        cycles.append(cycle)
    return cycles


def _history(employee: Any, job: Any, cycles: list[Any]) -> None:
    import datetime as dt
    import random
    import secrets
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from talentloop.interviews.models import InterviewReport, InterviewSession
    from talentloop.org.models import Employee, EmployeeEvent
    from talentloop.performance.models import (
        CheckIn,
        FeedbackAnswer,
        FeedbackInvitation,
        FeedbackRequest,
        KeyResult,
        Kpi,
        KpiTarget,
        Objective,
        Review,
        ReviewScore,
    )
    from talentloop.recruiting.models import Application, Candidate

    rng = random.Random(employee.pk)
    model = [line.competency for line in job.competency_model.select_related("competency").order_by("position")]
    raters = list(Employee.objects.exclude(pk=employee.pk).order_by("id")[:6])
    first = cycles[0].start

    def at(day: dt.date, hour: int = 10) -> dt.datetime:
        return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))

    with transaction.atomic():
        Employee.objects.filter(pk=employee.pk).update(job=job, hire_date=first)
        if not Application.objects.filter(employee=employee).exists():
            candidate = Candidate.objects.create(name=employee.name, email=f"bench-profile-{employee.pk}@example.com")
            application = Application.objects.create(candidate=candidate, job=job, stage="hired", employee=employee)
            Application.objects.filter(pk=application.pk).update(created_at=at(first - dt.timedelta(days=60)))
            session = InterviewSession.objects.create(
                application=application, round=1, token=secrets.token_urlsafe(24), language="zh-hans",
                status=InterviewSession.Status.COMPLETED, expires_at=at(first),
            )
            InterviewReport.objects.create(
                session=session, status=InterviewReport.Status.READY, built_at=at(first - dt.timedelta(days=30)),
                overall_score=78.0,
                competencies=[{"code": c.code, "score": float(rng.randint(60, 92)), "required_score": 70,
                               "weight": 0.2} for c in model],
            )
        EmployeeEvent.objects.bulk_create([
            EmployeeEvent(employee=employee, kind=EmployeeEvent.Kind.JOINED, occurred_on=first, summary="入职"),
            EmployeeEvent(employee=employee, kind=EmployeeEvent.Kind.DEPARTMENT_CHANGED,
                          occurred_on=first + dt.timedelta(days=400),
                          data={"field": "department", "from": employee.department_id, "to": employee.department_id}),
            EmployeeEvent(employee=employee, kind=EmployeeEvent.Kind.JOB_CHANGED,
                          occurred_on=first + dt.timedelta(days=800),
                          data={"field": "job", "from": None, "to": job.pk}),
        ])
        kpis = [
            Kpi.objects.get_or_create(code=f"bench-profile-{i}", defaults={
                "name": f"基准指标{i}", "name_en": f"Bench KPI {i}", "unit": "%", "floor_value": Decimal(0),
                "threshold_value": Decimal(60), "target_value": Decimal(100), "competency": model[i % len(model)],
            })[0]
            for i in range(3)
        ]
        for cycle in cycles:
            cycle.employees.add(employee, *raters)
            objectives = Objective.objects.bulk_create([
                Objective(cycle=cycle, owner_employee=employee, level=Objective.Level.PERSONAL,
                          title=f"{cycle.name} 目标 {n}", status=Objective.Status.CLOSED)
                for n in (1, 2)
            ])
            key_results = KeyResult.objects.bulk_create([
                KeyResult(objective=o, title=f"关键结果 {n}", metric="指标", unit="%", start_value=Decimal(50),
                          target_value=Decimal(100), current_value=Decimal(rng.randint(50, 100)),
                          weight=Decimal("33.33"))
                for o in objectives for n in (1, 2, 3)
            ])
            CheckIn.objects.bulk_create([
                CheckIn(key_result=kr, value=kr.current_value, comment="进展") for kr in key_results for _ in range(3)
            ])
            submitted = at(cycle.end + dt.timedelta(days=7))
            review = Review.objects.create(
                cycle=cycle, employee=employee, status=Review.Status.SUBMITTED, submitted_at=submitted,
                overall_score=Decimal(rng.randint(60, 95)), band="B", summary="",
            )
            ReviewScore.objects.bulk_create([
                ReviewScore(review=review, competency=c, score=Decimal(rng.randint(55, 98))) for c in model
            ])
            EmployeeEvent.objects.create(
                employee=employee, kind=EmployeeEvent.Kind.REVIEW, occurred_on=submitted.date(),
                summary=f"{cycle.name}", data={"review": review.pk, "cycle": cycle.pk},
            )
            request = FeedbackRequest.objects.create(
                cycle=cycle, subject=employee, deadline=at(cycle.end - dt.timedelta(days=3)),
                status=FeedbackRequest.Status.CLOSED,
            )
            relations = ["self", "manager", "peer", "peer", "peer", "report"]
            invitations = FeedbackInvitation.objects.bulk_create([
                FeedbackInvitation(
                    request=request, rater=employee if relation == "self" else rater, relation=relation,
                    token=secrets.token_urlsafe(24),
                    submitted_at=None if n == 5 else at(cycle.end - dt.timedelta(days=5)),
                )
                for n, (relation, rater) in enumerate(zip(relations, raters, strict=True))
            ])
            FeedbackAnswer.objects.bulk_create([
                FeedbackAnswer(invitation=i, competency=c, rating=Decimal(4), score=Decimal(75))
                for i in invitations if i.submitted_at is not None for c in model
            ])
            KpiTarget.objects.bulk_create([
                KpiTarget(cycle=cycle, employee=employee, kpi=k, target_value=Decimal(100),
                          actual_value=Decimal(rng.randint(40, 110)), weight=Decimal("33.33"))
                for k in kpis
            ])


if __name__ == "__main__":
    raise SystemExit(main())
