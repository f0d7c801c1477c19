from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talentloop.interviews.demo import interviews_demo_seed
from talentloop.org.demo import DemoError


class Command(BaseCommand):
    help = (
        "Load the AI-interview demo on top of the recruiting demo (run `talentloop seed-demo-recruiting` first): "
        "completed, scored interviews for the applications past the AI-interview stage and invitations for those "
        "at it. Does nothing if the demo jobs already have interviews, unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=7, help="Random seed (default 7).")
        parser.add_argument("--reset", action="store_true", help="Delete the demo interviews and load again.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = interviews_demo_seed(seed=options["seed"], reset=options["reset"])
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if result["created"]:
            self.stdout.write(
                f"Interviewed {result['completed']} demo candidates (reports ready) and invited "
                f"{result['invited']} more to an AI interview."
            )
            self.stdout.write(f"Answer by voice or video (English, open it in the browser): {result['voice_link']}")
            if result["vendor_command"]:
                self.stdout.write(
                    f"Interview {result['vendor_interview']} is run by the demo vendor Acme Interviews; with the "
                    f"server running, post its signed report to the webhook:\n  {result['vendor_command']}"
                )
        else:
            self.stdout.write(
                f"The interview demo is already loaded ({result['completed']} completed, {result['invited']} "
                "invited); nothing was changed. Run with --reset to delete and reload it."
            )
