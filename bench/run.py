"""`make bench`: run every benchmark on SQLite and PostgreSQL, print a Markdown table and write it to
bench/results/latest.md (and the raw numbers to bench/results/latest.json).

    .venv/bin/python -m bench.run            # 100,000 employees
    .venv/bin/python -m bench.run --quick    # 2,000 employees, fewer requests: a sanity run
    .venv/bin/python -m bench.run --only seed-demo --databases sqlite
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import (
    cycle_open,
    employee_api,
    employee_page,
    insights,
    interview_engine,
    interview_report,
    media,
    parsing,
    profile_timeline,
    recruiting,
    seed_demo,
)
from bench.env import BenchEnv, BenchError, Result, postgres_version

Benchmark = Callable[[BenchEnv, str], list[Result]]

# Every benchmark, in the order they run: (name, run(env, database) -> rows). Add new benchmarks here.
# A benchmark asks `env` for what it needs (env.seeded(db, n), env.server(db, n), env.token(...)), so it runs
# alone too; the seeding benchmark goes first and leaves its database for the others.
BENCHMARKS: list[tuple[str, Benchmark]] = [
    (seed_demo.NAME, seed_demo.run),
    (employee_api.NAME, employee_api.run),
    (employee_page.NAME, employee_page.run),
    (recruiting.IMPORT_NAME, recruiting.run_import),
    (recruiting.BOARD_NAME, recruiting.run_board),
    (parsing.NAME, recruiting.parsing_rows),
    (interview_engine.SCORING_NAME, interview_engine.run_scoring),
    (interview_engine.BATCH_NAME, interview_engine.run_batch),
    (interview_report.NAME, interview_report.run),
    (media.NAME, media.run),
    (profile_timeline.NAME, profile_timeline.run),
    (insights.NAME, insights.run),
    # Last: it adds hire records to the database it shares with the others in --quick runs.
    (cycle_open.NAME, cycle_open.run),
]
DATABASES = ("sqlite", "postgres")
RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 employees and fewer requests")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--databases", default=",".join(DATABASES), help="comma-separated: sqlite,postgres")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (SQLite files, logs)")
    args = parser.parse_args(argv)

    selected = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(selected) - {name for name, _ in BENCHMARKS}
    databases = [db.strip() for db in args.databases.split(",") if db.strip()]
    if unknown or not set(databases) <= set(DATABASES):
        parser.error(f"unknown benchmark or database: {sorted(unknown) or databases}; "
                     f"benchmarks are {[name for name, _ in BENCHMARKS]}")
    env = BenchEnv(quick=args.quick, databases=databases, keep=args.keep)
    started = time.perf_counter()
    rows: list[Result] = []
    try:
        for name, benchmark in BENCHMARKS:
            if selected and name not in selected:
                continue
            for db in databases:
                print(f"-- {name} on {db} ...", file=sys.stderr, flush=True)
                rows.extend(_run_one(env, name, benchmark, db))
    finally:
        env.close()
    report = render(rows, env, time.perf_counter() - started)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(report, encoding="utf-8")
    (RESULTS / "latest.json").write_text(
        json.dumps([row.as_dict() for row in rows], indent=2, ensure_ascii=False), encoding="utf-8"
    )
    print(report)
    if args.keep:
        print(f"Kept {env.workdir}", file=sys.stderr)
    return 1 if any(row.status == "error" for row in rows) else 0


def _run_one(env: BenchEnv, name: str, benchmark: Benchmark, db: str) -> list[Result]:
    try:
        return benchmark(env, db)
    except BenchError as exc:
        message = str(exc)
    except Exception as exc:  # one broken benchmark must not hide the others' numbers
        traceback.print_exc()
        message = f"{type(exc).__name__}: {exc}"
    print(f"   {name} on {db} failed: {message}", file=sys.stderr)
    return [Result(benchmark=name, database=db, n=env.employees, samples=[], target=0.0, error=message)]


def render(rows: list[Result], env: BenchEnv, seconds: float) -> str:
    lines = [
        f"# TalentLoop benchmarks{' (quick)' if env.quick else ''}",
        "",
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; {os.cpu_count()} CPUs ({_cpu()}), "
        f"Python {platform.python_version()}, Django {_django()}, SQLite {sqlite3.sqlite_version}, "
        f"PostgreSQL {postgres_version() if 'postgres' in env.databases else 'not run'}; "
        f"took {seconds / 60:.1f} min.",
        "",
        "| benchmark | database | n | median | p95 | target | ratio to target | status | notes |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        ratio = row.ratio
        notes = "; ".join(part for part in (row.notes, row.extra_failure, row.error) if part)
        target = _duration(row.target, row.target) if row.target else "—"
        lines.append(
            f"| {row.benchmark} | {row.database} | {row.n:,} | {_duration(row.median, row.target)} | "
            f"{_duration(row.p95, row.target)} | {target} | "
            f"{'—' if ratio is None else f'{ratio:.2f}'} | {row.status} | {notes.replace('|', '/')} |"
        )
    lines += ["", "ratio = p95 / target; 1.00 or less means the target is met. See bench/README.md.", ""]
    return "\n".join(lines)


def _duration(value: float | None, scale: float) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} s" if scale >= 1 else f"{value * 1000:.1f} ms"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _django() -> str:
    import django

    return django.get_version()


if __name__ == "__main__":
    raise SystemExit(main())
