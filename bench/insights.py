"""The insights pages over 100,000 hires and 1,000,000 competency scores on PostgreSQL (issue 7's target: 2 s per
page; the dashboard's first paint with cached aggregates 1 s).

The database is its own (`talentloop_bench_insights`, `_insights_10000` with --quick; made again every run):
migrated, the demo company seeded with 100 employees (departments, the HR login, the competency library), then
filled once, in bulk with COPY, not timed: 20 jobs with a ten-competency model each and four approved questions
per competency; 100,000 employees (10,000 with --quick) hired through an application to one of the jobs over the
last two years (about a tenth have left since), each with its candidate, a stage change to "hired", a completed
AI interview with five scored answers and a ready report scoring the job's ten competencies, and one submitted
review scoring the same ten competencies (1,000,000 review scores; 100,000 with --quick); half as many again
candidates who were rejected after their interview (report and answers too), so the candidate pool is 1.5 times
the hires; a satisfaction rating for 30% of the interviews. Interview and performance scores are generated so
that every job has over-rated and low-validity competencies and weak questions, i.e. the pages have flags.

Then, in one process (`python -m bench.insights time`), Django's test Client logged in as HR times each page:
the calibration page and API, the question-validity page and the candidate-pool page of one job (about 5,000
hires and 7,500 candidates), the dashboard /insights/ with the cache cleared before each request (cold) and
with it filled (warm: the first paint with cached aggregates), and GET /api/v1/insights/metrics/ cold. Two
warm-up requests per page, then 10 samples (5 with --quick). On SQLite the benchmark gives no rows.

    .venv/bin/python -m bench.run --only insights --databases postgres --quick
    DATABASE_URL=... .venv/bin/python -m bench.insights build --employees 10000   # fill a migrated, seeded DB
    DATABASE_URL=... .venv/bin/python -m bench.insights time --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.env import POSTGRES_URL, REPO, BenchEnv, BenchError, Result, _recreate_postgres, _tail

NAME = "insights"
EMPLOYEES = 100_000
QUICK_EMPLOYEES = 10_000
PAGE_TARGET = 2.0
WARM_TARGET = 1.0
JOBS = 20
MODEL_SIZE = 10  # competencies per job model = review scores per review
QUESTIONS_PER_COMPETENCY = 4
QUESTIONS_PER_INTERVIEW = 5
REJECTED_SHARE = 0.5  # rejected candidates (interviewed) per hire
SURVEY_SHARE = 0.3
MARK = "Bench insights"

# (row name, path template, target, cache): the path's {job} is the timed job's id.
PAGES: tuple[tuple[str, str, float, str], ...] = (
    ("insights: calibration page", "/insights/calibration/?job={job}", PAGE_TARGET, ""),
    ("insights: calibration API", "/api/v1/insights/calibration/?job={job}", PAGE_TARGET, ""),
    ("insights: question validity page", "/insights/questions/?job={job}", PAGE_TARGET, ""),
    ("insights: candidate-pool page", "/insights/candidate-pool/?job={job}", PAGE_TARGET, ""),
    ("insights: dashboard (cold cache)", "/insights/", PAGE_TARGET, "cold"),
    ("insights: dashboard first paint (cached)", "/insights/", WARM_TARGET, "warm"),
    ("insights: metrics API (cold cache)", "/api/v1/insights/metrics/", PAGE_TARGET, "cold"),
)

_READY: dict[tuple[str, int], str] = {}


def run(env: BenchEnv, db: str) -> list[Result]:
    if db != "postgres":  # the target is on PostgreSQL; the COPY build needs it
        return []
    n = QUICK_EMPLOYEES if env.quick else EMPLOYEES
    url, built = database(env, n)
    data = _probe(env, url, "time", "--repeat", str(env.requests(full=10, quick=5)))
    rows = []
    for name, _path, target, _cache in PAGES:
        page = data["pages"][name]
        notes = (f"{len(page['samples'])} requests, in-process test Client as hr; {page['path']}; "
                 f"{page['queries']} queries; {page['bytes']:,} bytes; job of {data['hires']:,} hires, "
                 f"{data['candidates']:,} candidates; {built['employees']:,} employees, "
                 f"{built['review_scores']:,} review scores, {built['answers']:,} answers "
                 f"(bulk build {built['seconds']:.0f} s, not timed)")
        rows.append(Result(benchmark=name, database=db, n=n, samples=page["samples"], target=target, notes=notes,
                           extra_failure=page.get("failure", "")))
    return rows


def database(env: BenchEnv, n: int) -> tuple[str, dict[str, Any]]:
    """A fresh PostgreSQL database holding the demo company and the bench history for `n` hires, once per run."""
    key = (str(env.workdir), n)
    if key not in _READY:
        parts = urlsplit(POSTGRES_URL)
        suffix = "" if n == EMPLOYEES else f"_{n}"  # a --quick run leaves the full-size database alone
        url = urlunsplit(parts._replace(path=f"{parts.path}_insights{suffix}"))
        _recreate_postgres(url)
        env.talentloop(url, "migrate", "--no-input", "-v", "0")
        env.talentloop(url, "seed-demo", "--employees", "100")
        _READY[key] = url
        _BUILT[key] = _probe(env, url, "build", "--employees", str(n))
    return _READY[key], _BUILT[key]


_BUILT: dict[tuple[str, int], dict[str, Any]] = {}


def _probe(env: BenchEnv, url: str, *args: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-m", "bench.insights", *args], env=env.child_env(url), cwd=REPO,
        capture_output=True, text=True, timeout=3600, check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"bench.insights {' '.join(args)} failed: {_tail(result.stderr or result.stdout)}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- in-process: the bulk build (python -m bench.insights build) -------------------------------------------------


class _Ids:
    """Primary keys handed out ahead of COPY (the database is the benchmark's own)."""

    def __init__(self, model: Any) -> None:
        from django.db.models import Max

        self.next = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


def _copy(model: Any, rows: Iterable[dict[str, Any]], now: Any) -> int:
    """COPY rows (dicts by attname, "id" included) into the model's table; other fields get their defaults
    (auto_now fields `now`). Then moves the table's id sequence past the rows."""
    from django.db import connection
    from django.db.models import JSONField

    fields = list(model._meta.concrete_fields)
    defaults: dict[str, Any] = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        elif not field.primary_key:
            defaults[field.attname] = field.get_default()
    json_fields = {field.attname for field in fields if isinstance(field, JSONField)}
    for name in json_fields:
        defaults[name] = json.dumps(defaults[name])
    names = [field.attname for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = model._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = []
                for name in names:
                    if name in row:
                        value = row[name]
                        values.append(json.dumps(value) if name in json_fields else value)
                    else:
                        values.append(defaults.get(name))
                copy.write_row(values)
                count += 1
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(table)}))")
    return count


def _build(employees: int) -> dict[str, Any]:
    import datetime as dt
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from talentloop.assessment.review import band
    from talentloop.insights.models import CandidateSatisfaction
    from talentloop.interviews.models import (
        InterviewAnswer,
        InterviewQuestion,
        InterviewReport,
        InterviewSession,
        SessionQuestion,
    )
    from talentloop.interviews.models.bank import QuestionReview
    from talentloop.org.models import Competency, Department, Employee, Job, JobCompetency
    from talentloop.performance.models import PerformanceCycle, Review, ReviewScore
    from talentloop.recruiting.models import Application, Candidate, StageChange

    if connection.vendor != "postgresql":
        raise SystemExit("bench.insights builds with COPY: PostgreSQL only")
    if Job.objects.filter(title__startswith=MARK).exists():
        return _counts(0.0)
    started = time.perf_counter()
    rng = random.Random(7)
    now = timezone.now()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    def moment(day: dt.date, hour: int = 10) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, tzinfo=tz)

    with transaction.atomic():
        departments = list(Department.objects.order_by("id").values_list("id", flat=True))
        library = list(Competency.objects.order_by("code"))
        if len(library) < MODEL_SIZE:
            raise SystemExit("the competency library is too small: was the database migrated?")
        jobs: list[tuple[int, int, list[Competency]]] = []  # (job id, department id, model)
        for j in range(JOBS):
            department = departments[(j + 1) % len(departments)]
            job = Job.objects.create(title=f"{MARK} {j + 1:02d}", department_id=department, status=Job.Status.OPEN,
                                     headcount=employees // JOBS)
            model = [library[(3 * j + k) % len(library)] for k in range(MODEL_SIZE)]
            JobCompetency.objects.bulk_create([
                JobCompetency(job=job, competency=c, weight=Decimal("0.1"), required_score=70, position=k)
                for k, c in enumerate(model)
            ])
            jobs.append((job.pk, department, model))
        used = {c.pk: c for _job, _dept, model in jobs for c in model}
        questions: dict[int, list[int]] = {}
        for competency in used.values():
            made = InterviewQuestion.objects.bulk_create([
                InterviewQuestion(code=f"bench-{competency.code}-{q}", competency=competency, language="zh-hans",
                                  type="behavioral", text=f"请举例说明你在{competency.name}方面的经历（基准题 {q}）。",
                                  review_status=QuestionReview.APPROVED, is_active=True)
                for q in range(QUESTIONS_PER_COMPETENCY)
            ])
            questions[competency.pk] = [question.pk for question in made]
        first_quarter = dt.date(today.year - 3, 1, 1)
        cycles: dict[tuple[int, int], int] = {}
        for index in range(16):
            year, quarter = first_quarter.year + index // 4, index % 4 + 1
            start = dt.date(year, 3 * quarter - 2, 1)
            end = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) \
                - dt.timedelta(days=1)
            cycles[(year, quarter)] = PerformanceCycle.objects.create(
                name=f"{MARK} {year} Q{quarter}", start=start, end=end, kind=PerformanceCycle.Kind.QUARTERLY,
                phase=PerformanceCycle.Phase.CLOSED,
            ).pk

        ids = {model: _Ids(model) for model in (Employee, Candidate, Application, StageChange, InterviewSession,
                                                 InterviewReport, SessionQuestion, InterviewAnswer, Review,
                                                 ReviewScore, CandidateSatisfaction)}
        sources = [value for value, _label in Candidate.Source.choices]
        rejected = int(employees * REJECTED_SHARE)
        tables: dict[Any, list[dict[str, Any]]] = {model: [] for model in ids}
        for i in range(employees + rejected):
            hired = i < employees
            job_id, department_id, model = jobs[i % JOBS]
            # Per competency position: 0 and 5 over-rated, 1 and 6 barely predictive, the rest predictive.
            interview = [min(100.0, max(0.0, rng.gauss(74, 9))) for _ in model]
            candidate = ids[Candidate].take()
            tables[Candidate].append({"id": candidate, "name": f"基准候选人{i}",
                                      "email": f"bench-insights-{i}@example.com", "source": sources[i % len(sources)]})
            if hired:
                hire_day = today - dt.timedelta(days=rng.randint(90, 730))
                applied = moment(hire_day - dt.timedelta(days=rng.randint(20, 60)))
                decided = moment(hire_day)
            else:
                applied = moment(today - dt.timedelta(days=rng.randint(20, 730)))
                decided = applied + dt.timedelta(days=10)
            employee = None
            if hired:
                employee = ids[Employee].take()
                left_on = None
                status = Employee.Status.ACTIVE if (today - hire_day).days > 180 else Employee.Status.PROBATION
                if rng.random() < 0.1:
                    left_on = min(today - dt.timedelta(days=1), hire_day + dt.timedelta(days=rng.randint(30, 400)))
                    status = Employee.Status.TERMINATED
                tables[Employee].append({
                    "id": employee, "employee_no": f"BI{i:07d}", "name": f"基准员工{i}", "department_id": department_id,
                    "job_id": job_id, "hire_date": hire_day, "left_on": left_on, "status": status,
                    "gender": "female" if i % 2 else "male",
                })
            application = ids[Application].take()
            tables[Application].append({
                "id": application, "candidate_id": candidate, "job_id": job_id, "employee_id": employee,
                "stage": "hired" if hired else "rejected", "created_at": applied, "updated_at": decided,
                "stage_changed_at": decided,
            })
            tables[StageChange].append({
                "id": ids[StageChange].take(), "application_id": application,
                "from_stage": "offer" if hired else "ai_interview", "to_stage": "hired" if hired else "rejected",
                "at": decided,
            })
            session = ids[InterviewSession].take()
            interviewed = applied + dt.timedelta(days=5)
            tables[InterviewSession].append({
                "id": session, "application_id": application, "token": f"bench-insights-{application}",
                "language": "zh-hans", "status": InterviewSession.Status.COMPLETED, "expires_at": interviewed,
                "completed_at": interviewed, "created_at": applied, "updated_at": interviewed,
            })
            tables[InterviewReport].append({
                "id": ids[InterviewReport].take(), "session_id": session, "status": InterviewReport.Status.READY,
                "built_at": interviewed, "overall_score": round(sum(interview) / len(interview), 1),
                "competencies": [{"code": c.code, "score": round(s, 1), "required_score": 70, "weight": 0.1}
                                 for c, s in zip(model, interview, strict=True)],
            })
            for position in range(QUESTIONS_PER_INTERVIEW):
                k = (position + i) % MODEL_SIZE
                pick = rng.randrange(QUESTIONS_PER_COMPETENCY)
                question = questions[model[k].pk][pick]
                # The last question of each competency is noise; the others follow the interview score.
                answer = rng.uniform(30, 95) if pick == QUESTIONS_PER_COMPETENCY - 1 else interview[k] + rng.gauss(0, 6)
                sq = ids[SessionQuestion].take()
                tables[SessionQuestion].append({
                    "id": sq, "session_id": session, "question_id": question, "competency_id": model[k].pk,
                    "position": position + 1, "text": "基准题", "type": "behavioral", "difficulty": 2,
                    "time_limit_seconds": 180,
                })
                tables[InterviewAnswer].append({
                    "id": ids[InterviewAnswer].take(), "session_question_id": sq, "status": "scored",
                    "text": "基准回答", "submitted_at": interviewed, "scored_at": interviewed,
                    "score": round(min(100.0, max(0.0, answer)), 1), "created_at": interviewed,
                    "updated_at": interviewed,
                })
            if rng.random() < SURVEY_SHARE:
                tables[CandidateSatisfaction].append({
                    "id": ids[CandidateSatisfaction].take(), "session_id": session, "rating": rng.randint(2, 5),
                    "created_at": interviewed, "updated_at": interviewed,
                })
            if not hired:
                continue
            submitted_day = min(today - dt.timedelta(days=1), hire_day + dt.timedelta(days=rng.randint(90, 200)))
            performance = []
            for k, score in enumerate(interview):
                if k % 5 == 0:
                    value = score - 10 + rng.gauss(0, 4)
                elif k % 5 == 1:
                    value = rng.gauss(72, 8)
                else:
                    value = 0.8 * score + 14 + rng.gauss(0, 4)
                performance.append(round(min(100.0, max(0.0, value)), 2))
            overall = round(sum(performance) / len(performance), 2)
            review = ids[Review].take()
            tables[Review].append({
                "id": review, "employee_id": employee,
                "cycle_id": cycles[(submitted_day.year, (submitted_day.month - 1) // 3 + 1)],
                "status": Review.Status.SUBMITTED, "submitted_at": moment(submitted_day), "overall_score": overall,
                "band": band(overall), "created_at": moment(submitted_day), "updated_at": moment(submitted_day),
            })
            for c, value in zip(model, performance, strict=True):
                tables[ReviewScore].append({"id": ids[ReviewScore].take(), "review_id": review,
                                            "competency_id": c.pk, "score": value})
        counts = {model.__name__: _copy(model, rows, now) for model, rows in tables.items()}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return _counts(time.perf_counter() - started, counts)


def _counts(seconds: float, counts: dict[str, int] | None = None) -> dict[str, Any]:
    from talentloop.interviews.models import InterviewAnswer
    from talentloop.org.models import Employee
    from talentloop.performance.models import ReviewScore

    return {
        "seconds": seconds, "employees": Employee.objects.count(), "review_scores": ReviewScore.objects.count(),
        "answers": InterviewAnswer.objects.count(), "copied": counts or {},
    }


# --- in-process: the timing (python -m bench.insights time) ------------------------------------------------------


def _time(repeat: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from talentloop.org.models import Job
    from talentloop.recruiting.models import Application

    job = Job.objects.filter(title__startswith=MARK).order_by("title").first()
    if job is None:
        raise SystemExit("no bench job: run `python -m bench.insights build` first")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(get_user_model().objects.get(username="hr"))
    pages: dict[str, Any] = {}
    for name, template, _target, mode in PAGES:
        path = template.format(job=job.pk)
        for _ in range(2):  # warm-up: URL resolver, templates, translations (and the cache for "warm")
            if mode == "cold":
                cache.clear()
            _get(client, path)
        if mode == "cold":
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            body = _get(client, path)
        queries = len(captured.captured_queries)  # now: the next request clears the connection's log
        samples = []
        for _ in range(repeat):
            if mode == "cold":
                cache.clear()
            started = time.perf_counter()
            body = _get(client, path)
            samples.append(time.perf_counter() - started)
        pages[name] = {"path": path, "samples": samples, "queries": queries,
                       "bytes": len(body), "failure": _check(name, body)}
    applications = Application.objects.filter(job=job)
    return {"job": job.pk, "pages": pages, "hires": applications.filter(employee__isnull=False).count(),
            "candidates": applications.values("candidate").distinct().count()}


def _get(client: Any, path: str) -> bytes:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}: {response.content[:300]!r}")
    body: bytes = response.content
    return body


def _check(name: str, body: bytes) -> str:
    """The pages must show what the data holds: flagged competencies, scored questions, metrics."""
    if name == "insights: calibration API":
        data = json.loads(body)
        flags = {row["flag"] for row in data["competencies"]}
        if len(data["competencies"]) != MODEL_SIZE or not flags & {"over_rated", "low_validity"}:
            return f"the calibration shows {len(data['competencies'])} competencies, flags {sorted(map(str, flags))}"
    if name == "insights: metrics API (cold cache)":
        data = json.loads(body)
        if not data.get("metrics"):
            return "the metrics API returned no metrics"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.insights")
    parser.add_argument("mode", choices=["build", "time"])
    parser.add_argument("--employees", type=int, default=QUICK_EMPLOYEES)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    result = _build(args.employees) if args.mode == "build" else _time(args.repeat)
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
