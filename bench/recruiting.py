"""Recruiting benchmarks, on a database of their own (the demo company with 22 employees, so the numbers are
the recruiting side's alone):

- `bulk import (resumes)`: `talentloop import-resumes` of 1,000 generated resumes (the demo generator's
  mix of Chinese and English PDF, Word and text files) into one job, timed as a whole process; reported as
  resumes per second, no target.
- `kanban page (HR)`: GET /recruiting/jobs/<pk>/board/ for a job with 1,000 candidates across the stages,
  in-process with Django's test Client logged in as HR; p95 within 300 ms, and the same number of queries
  as for a job with 100 candidates.

The in-process half runs as `python -m bench.recruiting board --large <job> --small <job>` on the database
in DATABASE_URL and prints one JSON line. The resume ranking of 10,000 applications is bench/parsing.py's;
`parsing_rows` fits its rows into the runner's table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import parsing
from bench.env import POSTGRES_URL, REPO, BenchEnv, BenchError, Result, _recreate_postgres, _tail

IMPORT_NAME = "bulk import (resumes)"
BOARD_NAME = "kanban page (HR)"
BOARD_TARGET_SECONDS = 0.300
IMPORT_JOB = "数据分析师"
BOARD_JOB, SMALL_BOARD_JOB = "高级后端工程师", "产品经理"
BOARD_SIZES = (1_000, 100)
# A pipeline some weeks into hiring: most candidates early on, a few at the end, some turned down.
STAGE_SHARES = {
    "applied": 40, "screening": 20, "ai_interview": 12, "written_test": 8, "interview": 6, "background_check": 2,
    "offer": 2, "hired": 1, "rejected": 8, "withdrawn": 1,
}
_READY: dict[tuple[str, str], str] = {}


@dataclass
class Reported(Result):
    """A row whose figures are given rather than computed from samples: a measurement with no target
    ("measured"), or a row of bench/parsing.py, which keeps its own verdict."""

    given_median: float | None = None
    given_p95: float | None = None
    given_ratio: float | None = None
    given_status: str = "measured"

    @property
    def median(self) -> float | None:
        return self.given_median if self.given_median is not None else super().median

    @property
    def p95(self) -> float | None:
        return self.given_p95 if self.given_p95 is not None else super().p95

    @property
    def ratio(self) -> float | None:
        return self.given_ratio

    @property
    def status(self) -> str:
        return "error" if self.error else self.given_status


# --- bulk import ---------------------------------------------------------------------------------------------


def run_import(env: BenchEnv, db: str) -> list[Result]:
    n = 100 if env.quick else 1_000
    url = database(env, db)
    folder = resume_folder(env, n)
    job = jobs(env, url)[IMPORT_JOB]
    started = time.perf_counter()
    output = env.talentloop(url, "import-resumes", "--job", str(job), str(folder), timeout=3600).stdout
    elapsed = time.perf_counter() - started
    imported = re.search(r"^\s+imported\s+(\d+)$", output, re.MULTILINE)
    took = re.search(r"^Took ([\d.]+) s", output, re.MULTILINE)
    if imported is None or took is None:
        raise BenchError(f"import-resumes printed no summary: {_tail(output)}")
    notes = (f"{n / elapsed:.1f} resumes/s over the whole process ({elapsed:.1f} s, {took.group(1)} s inside the "
             f"command); median = seconds per resume; {imported.group(1)} imported; no target (report)")
    return [Reported(
        benchmark=IMPORT_NAME, database=db, n=n, samples=[elapsed / n], target=0.0, notes=notes,
        extra_failure="" if int(imported.group(1)) == n else f"only {imported.group(1)} of {n} imported",
        given_status="measured" if int(imported.group(1)) == n else "FAILED",
    )]


def resume_folder(env: BenchEnv, n: int) -> Path:
    """n resumes from the demo generator, written once per run and shared by the databases."""
    folder = env.workdir / f"resumes-{n}"
    if not folder.exists():
        # Writing files needs Django set up (the generator reads the demo company's names), not a database.
        probe(env, f"sqlite:///{env.workdir / 'unused.sqlite3'}", "resumes", "--count", str(n), "--folder", str(folder))
    return folder


# --- kanban page ---------------------------------------------------------------------------------------------


def run_board(env: BenchEnv, db: str) -> list[Result]:
    url = database(env, db)
    ids = jobs(env, url)
    repeat = 30 if env.quick else 200
    data = probe(env, url, "board", "--large", str(ids[BOARD_JOB]), "--small", str(ids[SMALL_BOARD_JOB]),
                 "--repeat", str(repeat))
    large, small = BOARD_SIZES
    notes = (f"{repeat} requests, in-process test Client (force_login as hr), /recruiting/jobs/<pk>/board/; "
             f"queries at {small:,} candidates: {data['queries_small']}, at {large:,}: {data['queries_large']}")
    return [Result(
        benchmark=BOARD_NAME, database=db, n=large, samples=data["samples"], target=BOARD_TARGET_SECONDS,
        notes=notes,
        extra_failure="" if data["queries_small"] == data["queries_large"] else
        "query count grows with the number of candidates",
    )]


# --- bench/parsing.py's rows in the runner's table -----------------------------------------------------------


def parsing_rows(env: BenchEnv, db: str) -> list[Result]:
    """bench/parsing.py needs no database: it runs once, with the first database the runner was given."""
    if db != env.databases[0]:
        return []
    rows: list[Result] = []
    for row in parsing.run(env.quick):
        # Throughput rows (resumes/s, higher is better) become time per resume against 1 / target.
        per_second = row["unit"] == "resumes/s"
        target, value = _number(row["target"]), _number(row["value"])
        rows.append(Reported(
            benchmark=str(row["benchmark"]), database="—", n=int(_number(row["n"])), samples=[],
            target=1 / target if per_second else target,
            given_median=_number(row["median_ms"]) / 1000, given_p95=_number(row["p95_ms"]) / 1000,
            given_ratio=target / value if per_second else value / target,
            given_status=str(row["status"]),
            notes=f"{value} {row['unit']}; {row['notes']}",
        ))
    return rows


def _number(value: object) -> float:
    if isinstance(value, int | float):
        return float(value)
    raise BenchError(f"bench/parsing.py gave {value!r} where a number belongs")


# --- the database --------------------------------------------------------------------------------------------


def database(env: BenchEnv, db: str) -> str:
    """A fresh, migrated database holding the demo company (22 employees), made once per run."""
    key = (str(env.workdir), db)
    if key not in _READY:
        if db == "sqlite":
            path = env.workdir / "recruiting.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        elif db == "postgres":
            parts = urlsplit(POSTGRES_URL)
            url = urlunsplit(parts._replace(path=f"{parts.path}_recruiting"))
            _recreate_postgres(url)
        else:
            raise BenchError(f"unknown database {db!r}")
        env.talentloop(url, "migrate", "--no-input", "-v", "0")
        env.talentloop(url, "seed-demo", "--employees", "22")
        _READY[key] = url
    return _READY[key]


def jobs(env: BenchEnv, url: str) -> dict[str, int]:
    data: dict[str, int] = probe(env, url, "jobs")
    return data


def probe(env: BenchEnv, url: str, *args: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-m", "bench.recruiting", *args], env=env.child_env(url), cwd=REPO,
        capture_output=True, text=True, timeout=3600, check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"bench.recruiting {' '.join(args)} failed: {_tail(result.stderr or result.stdout)}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- in-process (python -m bench.recruiting ...) -------------------------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.recruiting")
    parser.add_argument("mode", choices=["jobs", "board", "resumes"])
    parser.add_argument("--large", type=int, default=0, help="the job the board is timed for")
    parser.add_argument("--small", type=int, default=0, help="the job with fewer candidates (query count)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--count", type=int, default=1_000, help="how many resumes to write")
    parser.add_argument("--folder", default="", help="where to write them")
    args = parser.parse_args(argv)
    _django()
    from talentloop.org.models import Job

    result: Any
    if args.mode == "jobs":
        result = dict(Job.objects.values_list("title", "pk"))
    elif args.mode == "resumes":
        from talentloop.recruiting.demo import sample_resumes, sample_resumes_write

        resumes = sample_resumes(count=args.count, seed=2024)
        result = len(sample_resumes_write(folder=Path(args.folder), resumes=resumes))
    else:
        result = _board(args.large, args.small, args.repeat)
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _board(large: int, small: int, repeat: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for job, count in zip((large, small), BOARD_SIZES, strict=True):
        _candidates(job, count)
    client = Client()
    client.force_login(get_user_model().objects.get(username="hr"))
    paths = {job: f"/recruiting/jobs/{job}/board/" for job in (large, small)}
    for _ in range(10):  # warm-up: URL resolver, templates, translations
        _get(client, paths[large])
    counts = {}
    for job in (small, large):
        with CaptureQueriesContext(connection) as captured:
            _get(client, paths[job])
        counts[job] = len(captured.captured_queries)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        _get(client, paths[large])
        samples.append(time.perf_counter() - started)
    return {"samples": samples, "queries_small": counts[small], "queries_large": counts[large]}


def _get(client: Any, path: str) -> bytes:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    body: bytes = response.content
    if b'data-testid="column"' not in body:
        raise SystemExit(f"GET {path} shows no board columns")
    return body


def _candidates(job_id: int, count: int) -> None:
    """`count` candidates with scored applications to the job, spread over the stages (unless there)."""
    import datetime as dt
    import random

    from django.db import connection
    from django.utils import timezone

    from talentloop.recruiting.models import Application, Candidate

    if Application.objects.filter(job_id=job_id).exists():
        return
    rng = random.Random(job_id)
    total = sum(STAGE_SHARES.values())
    stages = [stage for stage, share in STAGE_SHARES.items() for _ in range(round(count * share / total))]
    stages += ["applied"] * (count - len(stages))
    now = timezone.now()
    candidates = Candidate.objects.bulk_create(
        [Candidate(name=f"候选人{job_id}-{i:05d}", email=f"bench{job_id}-{i}@example.com",
                   phone=f"139{job_id % 100:02d}{i:06d}", source=Candidate.Source.IMPORT) for i in range(count)],
        batch_size=500,
    )
    Application.objects.bulk_create(
        [Application(candidate=c, job_id=job_id, stage=stage, resume_status=Application.ResumeStatus.OK,
                     screening_score=round(rng.uniform(20, 95), 1), screening_passed=rng.random() < 0.4,
                     stage_changed_at=now - dt.timedelta(days=rng.randint(0, 30)))
         for c, stage in zip(candidates, stages, strict=True)],
        batch_size=500,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE recruiting_candidate, recruiting_application")


if __name__ == "__main__":
    raise SystemExit(main())
