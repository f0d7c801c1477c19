"""Seeding the demo company: `talentloop seed-demo --employees N --reset` into a fresh, migrated database,
timed as a whole process (interpreter start, Django setup and system checks included)."""

from __future__ import annotations

import re
import time

from bench.env import BenchEnv, Result

NAME = "seed-demo"
TARGET_SECONDS = 60.0


def run(env: BenchEnv, db: str) -> list[Result]:
    n = env.employees
    url = env.fresh(db, n)
    started = time.perf_counter()
    output = env.talentloop(url, "seed-demo", "--employees", str(n), "--reset").stdout
    elapsed = time.perf_counter() - started
    env.mark_seeded(db, n)
    inner = re.search(r"with [\d,]+ employees in ([\d.]+) s", output)
    notes = "one run, whole process"
    if inner:
        notes += f"; {inner.group(1)} s inside the command"
    return [Result(benchmark=NAME, database=db, n=n, samples=[elapsed], target=TARGET_SECONDS, notes=notes)]
