from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talentloop.insights.demo import insights_demo_seed
from talentloop.org.demo import HR_USERNAME, MANAGER_USERNAMES, DemoError


class Command(BaseCommand):
    help = (
        "Load two years of history for the insights on top of the demo (run `talentloop seed-demo-interviews` "
        "first): past candidates, applications and AI interviews for three demo jobs, the hires' quarterly reviews, "
        "departures, hiring costs, survey answers and course enrolments. Does nothing if the history is already "
        "there, unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=7, help="Random seed (default 7).")
        parser.add_argument(
            "--reset", action="store_true",
            help="Delete the history an earlier run loaded (and only that) and load it again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = insights_demo_seed(seed=options["seed"], reset=options["reset"])
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        write = self.stdout.write
        if not result["created"]:
            write(
                f"The insights history is already loaded ({result['applications']} applications, "
                f"{result['employees']} hires, {result['reviews']} submitted reviews); nothing was changed. Run with "
                "--reset to delete and reload it."
            )
            return
        deleted = result["deleted"]
        if deleted:
            write(f"Deleted the insights history: {deleted['applications']} applications, {deleted['employees']} "
                  f"hires, {deleted['cycles']} cycles.")
        write(f"Loaded two years of history (since {result['first_day']}): {result['applications']} applications "
              f"with {result['changes']} stage changes, {result['sessions']} AI interviews, "
              f"{result['employees']} hires ({result['left']} left since), {result['cycles']} quarterly cycles with "
              f"{result['reviews']} reviews, {result['enrolments']} course enrolments, {result['costs']} hiring costs, "
              f"{result['answered']} survey answers.")
        write(f"Log in as {HR_USERNAME} and open:")
        for job in result["jobs"]:
            if job["over_rated"]:
                finding = f"the interview over-rates {job['over_rated']}"
            elif job["unpredicted"]:
                finding = f"the interview does not predict {job['unpredicted']}"
            else:
                finding = "calibration"
            write(f"  {job['title']} ({job['hires']} hires): {finding}: {job['calibration_url']}")
        write(f"  Question validity (retire the weak question in one click): {result['jobs'][0]['questions_url']}")
        write(f"  Dashboards (choose a period from {result['first_day']} for two years): {result['insights_url']}")
        if result["forecast_url"]:
            write(f"  Demand forecast of the sales department: {result['forecast_url']}")
        if result["recommendations_url"]:
            write(f"{result['gap_employee_name']} scored well below the interview in "
                  f"{result['gap_competency_name']} in the latest review: training is recommended (as {HR_USERNAME} "
                  f"or {MANAGER_USERNAMES[0]}, enrol them): {result['recommendations_url']}")
