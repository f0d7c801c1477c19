from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talentloop.org.demo import EMPLOYEE_USERNAME, HR_USERNAME, MANAGER_USERNAMES, DemoError
from talentloop.performance.demo import performance_demo_seed


class Command(BaseCommand):
    help = (
        "Load the performance demo on top of the interview demo (run `talentloop seed-demo-interviews` first): "
        "the KPI library, a probation cycle and this quarter's OKR cycle, a demo hire whose OKRs are drafted from "
        "the interview and approved, check-ins, a 360° round and competency reviews. Does nothing if the demo "
        "company's employees already take part in a cycle, unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=7, help="Random seed (default 7).")
        parser.add_argument(
            "--reset", action="store_true",
            help="Delete the cycles the demo company's employees take part in (with everything in them) and load "
                 "again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = performance_demo_seed(seed=options["seed"], reset=options["reset"])
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if not result["created"]:
            self.stdout.write(
                f"The performance demo is already loaded ({result['cycles']} cycles, {result['objectives']} "
                f"objectives, {result['reviews']} submitted reviews); nothing was changed. Run with --reset to "
                "delete and reload it."
            )
            return
        if result["deleted_cycles"]:
            self.stdout.write(f"Deleted the performance demo: {result['deleted_cycles']} cycles.")
        write = self.stdout.write
        write(f"Opened a probation cycle for new hires and this quarter's OKR cycle; added {result['kpis_added']} "
              "KPIs to the library.")
        drafted = "; ".join(result["key_results"]) or "no key result drafted"
        write(f"Hired {result['hire_name']} (application {result['hire_application']}): OKRs drafted from the "
              f"interview ({drafted}), approved by {MANAGER_USERNAMES[0]}, two check-ins.")
        write(f"360° feedback about {result['subject_name']} (log in as {EMPLOYEE_USERNAME}): self, manager, 3 peers "
              "and 2 reports answered; peers are shown, reports stay hidden (fewer than 3).")
        write(f"  Results: {result['feedback_url']}")
        write(f"Competency reviews submitted (bands {result['subject_band']} and {result['hire_band']}); interview vs "
              f"review scores on the hire's profile: {result['profile_url']}")
        write(f"A 360° form waits for {EMPLOYEE_USERNAME}'s answers: {result['pending_link']}")
        if result["waiting_url"]:
            write(f"Accepted offer, not hired yet: log in as {HR_USERNAME}, hire the candidate and see OKRs drafted "
                  f"from the interview: {result['waiting_url']}")
