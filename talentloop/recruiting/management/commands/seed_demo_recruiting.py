from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talentloop.org.demo import DemoError
from talentloop.recruiting.demo import PROFILES, default_folder, demo_jobs, job_folder_name, recruiting_demo_seed
from talentloop.recruiting.models import Stage


class Command(BaseCommand):
    help = (
        "Load the recruiting demo on top of the demo company (run `talentloop seed-demo` first): sample "
        "resumes for the demo jobs in data/demo-resumes/, some of them imported as applications and moved "
        "through the pipeline. Does nothing if the demo jobs already have applications, unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--folder", type=Path, default=None,
            help="Where to write the sample resumes (default: data/demo-resumes/ in the data folder).",
        )
        parser.add_argument(
            "--reset", action="store_true",
            help="Delete the demo jobs' applications (and the candidates left without one) and load again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = (options["folder"] or default_folder()).resolve()
        try:
            result = recruiting_demo_seed(seed=options["seed"], folder=folder, reset=options["reset"],
                                          stdout=self.stdout)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        stages = ", ".join(f"{stage} {count}" for stage, count in sorted(
            result["stages"].items(), key=lambda item: list(Stage.values).index(item[0])))
        if result["created"]:
            self.stdout.write(f"Wrote {result['files']} sample resumes (one folder per demo job) to {folder}")
            self.stdout.write(
                f"Imported {result['applications']} of them as applications to the open demo jobs: {stages}."
            )
        else:
            self.stdout.write(
                f"The recruiting demo is already loaded ({result['applications']} applications: {stages}); nothing "
                "was changed. Run with --reset to delete and reload it."
            )
            self.stdout.write(f"The {result['files']} sample resumes (one folder per demo job) are in {folder}")
        jobs = demo_jobs()
        example = next(p for p in PROFILES if jobs[p.job].status == jobs[p.job].Status.OPEN)
        self.stdout.write(
            "Try the bulk import with the rest (the ones already imported show up as duplicates):\n"
            f"  talentloop import-resumes --job {jobs[example.job].pk} {folder / job_folder_name(example)}"
        )
