from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve TalentLoop with the production-grade waitress WSGI server (static files included)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from config.wsgi import application

        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"TalentLoop is serving on {url} (database: {settings.DATABASES['default']['ENGINE']})")
        self.stdout.write("Press Ctrl+C to stop.")
        serve(application, host=options["host"], port=options["port"], threads=options["threads"], ident="talentloop")
