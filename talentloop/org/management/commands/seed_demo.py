from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talentloop.org.demo import DemoError, demo_logins_table, demo_seed


class Command(BaseCommand):
    help = (
        "Load the demo company 云帆科技 (Yunfan Technology): departments, jobs with competency models, "
        "employees and demo logins. Does nothing if it is already loaded, unless --reset is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employees", type=int, default=200, help="How many employees (default 200).")
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed (default 42): the same seed, the same people."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo company first, then load it again."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = demo_seed(
                employees=options["employees"],
                seed=options["seed"],
                reset=options["reset"],
                stdout=self.stdout,
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write(demo_logins_table(summary))
