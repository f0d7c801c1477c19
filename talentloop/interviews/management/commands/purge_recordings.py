"""`talentloop purge-recordings [--days N]`: delete interview recordings older than the retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...services.media import media_retention_purge
from ...services.rules import media_retention_days


class Command(BaseCommand):
    help = (
        "Delete the voice and video recordings of interview answers submitted more than N days ago (default: "
        "TALENTLOOP_MEDIA_RETENTION_DAYS; 0 keeps them), keeping their transcripts, delivery metrics and scores, "
        "and remove abandoned uploads. Celery beat runs this hourly where there are workers; on one machine "
        "without workers, run it daily from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Retention in days (default: the setting).")

    def handle(self, *args: Any, **options: Any) -> None:
        days = media_retention_days() if options["days"] is None else options["days"]
        if days < 0:
            raise CommandError("--days must be 0 (keep recordings) or more.")
        deleted = media_retention_purge(days=days)
        if days == 0:
            self.stdout.write(f"Recordings are kept (retention 0 days); {deleted} deleted.")
        else:
            self.stdout.write(f"Deleted {deleted} recording(s) older than {days} days; transcripts and scores kept.")
