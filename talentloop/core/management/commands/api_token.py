from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talentloop.core.models import User
from talentloop.core.services import api_token_issue


class Command(BaseCommand):
    help = "Print the API token of USERNAME, for `Authorization: Bearer <token>`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        self.stdout.write(api_token_issue(user=user))
