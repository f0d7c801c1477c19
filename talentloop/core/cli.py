"""The `talentloop` console command: Django's management commands, with dashes allowed in names
(`talentloop seed-demo` runs the `seed_demo` command)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
        # `talentloop help seed-demo` names a command too.
        if args[0] == "help" and len(args) > 1 and not args[1].startswith("-"):
            args[1] = args[1].replace("-", "_")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["talentloop", *args])
    except ImproperlyConfigured as exc:
        # A configuration mistake (a missing SECRET_KEY in production) deserves one clear line, not a traceback.
        print(f"talentloop: configuration error: {exc}", file=sys.stderr)
        return 2
    return 0
