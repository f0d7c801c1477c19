"""The employee list API as HR at full size: `GET /api/v1/employees/?department=<id>&page_size=50&page=<p>`
through a real HTTP server (`talentloop serve`) with a Bearer token, departments and pages varied at random
(pages anywhere in the department, deep ones included)."""

from __future__ import annotations

import json
import math
import random

from bench.env import BenchEnv, BenchError, Result, timed_gets

NAME = "employee list API (HR)"
TARGET_SECONDS = 0.050
PAGE_SIZE = 50


def run(env: BenchEnv, db: str) -> list[Result]:
    n = env.employees
    server = env.server(db, n)
    headers = {"Authorization": f"Bearer {env.token(db, n, 'hr')}", "Accept": "application/json"}
    _, bodies = timed_gets(server, ["/api/v1/departments/?page_size=500"], headers)
    departments = [d["id"] for d in json.loads(bodies[0])["results"]]
    if not departments:
        raise BenchError("no departments: is the demo company loaded?")
    # Warm-up: one first page per department, which also tells how many pages each one has.
    paths = [_path(d, 1) for d in departments]
    _, bodies = timed_gets(server, paths, headers)
    counts = {d: int(json.loads(body)["count"]) for d, body in zip(departments, bodies, strict=True)}
    pages = {d: max(1, math.ceil(count / PAGE_SIZE)) for d, count in counts.items()}
    if sum(counts.values()) != n:
        raise BenchError("the departments' counts do not add up to the seeded employees")
    rng = random.Random(2024)
    plan = []
    for _ in range(env.requests(full=200, quick=50)):
        department = rng.choice(departments)
        plan.append(_path(department, rng.randint(1, pages[department])))
    samples, bodies = timed_gets(server, plan, headers)
    if any(len(json.loads(body)["results"]) == 0 for body in bodies):
        raise BenchError("a page came back empty")
    queries = env.probe(env.url(db, n), "queries", "--path", _path(departments[0], 2))["queries"]
    return [Result(
        benchmark=NAME, database=db, n=n, samples=samples, target=TARGET_SECONDS,
        notes=f"{len(samples)} requests over {len(departments)} departments, pages 1 to "
              f"{max(pages.values())}; {queries} queries per request",
    )]


def _path(department: int, page: int) -> str:
    return f"/api/v1/employees/?department={department}&page_size={PAGE_SIZE}&page={page}"
