"""Opening a review cycle for 10,000 employees and drafting their OKRs from the KR rules (issue 6's target: 30 s).

The database is the demo company seeded with 10,000 employees (2,000 with `--quick`); before timing, every
employee is given what a hire through recruiting leaves behind (a candidate, a hired application, a completed
interview and its ready report with five competency scores that the shipped rules use), in bulk and once.
Then, in one process on that database (`python -m bench.cycle_open time`), the clock runs around what HR does
to open the cycle: `phases.cycle_create` with every employee as a participant and the phase deadlines, then
`phases.cycle_okrs_draft` for the whole cycle (one draft objective and its key results per employee, audited).
One sample per database (a second one would find the drafts made). The note gives the two parts and the count
of objectives and key results written; the row fails unless every employee got a draft.

    .venv/bin/python -m bench.run --only "cycle open (draft OKRs)" --databases sqlite
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from typing import Any

from bench.env import REPO, BenchEnv, BenchError, Result, _tail

NAME = "cycle open (draft OKRs)"
TARGET_SECONDS = 30.0
EMPLOYEES = 10_000
QUICK_EMPLOYEES = 2_000
COMPETENCIES = ("customer_orientation", "communication", "problem_solving", "teamwork", "execution")


def run(env: BenchEnv, db: str) -> list[Result]:
    n = QUICK_EMPLOYEES if env.quick else EMPLOYEES
    url = env.seeded(db, n)
    _probe(env, url, "prepare")
    data = _probe(env, url, "time")
    notes = (f"in-process: cycle_create {data['create']:.1f} s + cycle_okrs_draft {data['draft']:.1f} s; "
             f"{data['participants']:,} participants, {data['drafted']:,} objectives and {data['key_results']:,} "
             f"key results drafted, {data['skipped']:,} skipped")
    return [Result(
        benchmark=NAME, database=db, n=n, samples=[data["seconds"]], target=TARGET_SECONDS, notes=notes,
        extra_failure="" if data["drafted"] == data["participants"] else "not every participant got a draft",
    )]


def _probe(env: BenchEnv, url: str, mode: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-m", "bench.cycle_open", mode], env=env.child_env(url), cwd=REPO,
        capture_output=True, text=True, timeout=3600, check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"bench.cycle_open {mode} failed: {_tail(result.stderr or result.stdout)}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- in-process (python -m bench.cycle_open prepare|time) -------------------------------------------------------


def _prepare() -> dict[str, Any]:
    """Give every employee without one a hire record with a ready interview report (bulk, idempotent)."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from talentloop.interviews.models import InterviewReport, InterviewSession
    from talentloop.org.models import Employee, Job
    from talentloop.recruiting.models import Application, Candidate

    job = Job.objects.order_by("pk").first()
    if job is None:
        raise SystemExit("no job: is the demo company loaded?")
    done = Application.objects.filter(employee__isnull=False).values("employee_id")
    employees = list(Employee.objects.exclude(pk__in=done).order_by("pk").values_list("pk", "name"))
    rng = random.Random(2026)
    now = timezone.now()
    batch = 1000
    for start in range(0, len(employees), batch):
        chunk = employees[start:start + batch]
        candidates = Candidate.objects.bulk_create(
            [Candidate(name=name, email=f"bench-cycle-{pk}@example.com", source=Candidate.Source.IMPORT)
             for pk, name in chunk], batch_size=batch,
        )
        applications = Application.objects.bulk_create(
            [Application(candidate=candidate, job=job, stage="hired", employee_id=pk)
             for candidate, (pk, _name) in zip(candidates, chunk, strict=True)], batch_size=batch,
        )
        sessions = InterviewSession.objects.bulk_create(
            [InterviewSession(application=application, round=1, token=f"bench-cycle-{application.pk}",
                              language="zh-hans", status=InterviewSession.Status.COMPLETED,
                              expires_at=now + dt.timedelta(days=7))
             for application in applications], batch_size=batch,
        )
        InterviewReport.objects.bulk_create(
            [InterviewReport(session=session, status=InterviewReport.Status.READY, built_at=now,
                             competencies=[{"code": code, "score": round(rng.uniform(55, 97), 1), "required_score": 70,
                                            "weight": 0.2} for code in COMPETENCIES])
             for session in sessions], batch_size=batch,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"prepared": len(employees)}


def _time() -> dict[str, Any]:
    import datetime as dt

    from django.conf import settings
    from django.utils import translation

    from talentloop.core.models import User
    from talentloop.org.models import Employee
    from talentloop.performance import phases
    from talentloop.performance.models import KeyResult

    hr = User.objects.get(username="hr")
    ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
    run_id = int(time.time())
    with translation.override(settings.LANGUAGE_CODE):
        started = time.perf_counter()
        cycle = phases.cycle_create(
            actor=hr, name=f"Bench {run_id}", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30), employees=ids,
            deadlines={"goal_setting": dt.date(2026, 7, 15), "manager_review": dt.date(2026, 9, 25)},
        )
        created = time.perf_counter()
        result = phases.cycle_okrs_draft(actor=hr, cycle=cycle)
        finished = time.perf_counter()
    return {
        "seconds": finished - started, "create": created - started, "draft": finished - created,
        "participants": len(ids), "drafted": result.drafted, "skipped": len(result.skipped),
        "key_results": KeyResult.objects.filter(objective__cycle=cycle).count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cycle_open")
    parser.add_argument("mode", choices=["prepare", "time"])
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    print(json.dumps(_prepare() if args.mode == "prepare" else _time()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
