"""`talentloop calibrate-scoring [--dry-run] [--min-ratings N]`: fit the answer scorer's calibration on HR's
ratings, report how well it agrees with them, and save it as the new active version."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talentloop.core.errors import DomainError

from ...services.calibration import DEFAULT_MIN_RATINGS, calibration_fit


def _number(value: float | None, places: int) -> str:
    return "n/a" if value is None else f"{value:.{places}f}"


class Command(BaseCommand):
    help = (
        "Fit a linear calibration of the text-answer scorer (rating = slope x raw score + intercept) on every "
        "answer HR rated, print its cross-validated Pearson r and quadratic weighted kappa against the ratings, "
        "and save it as the new active calibration version (new answers are scored with it). Exits with 1 when "
        "there are too few ratings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Fit and report, but save nothing.")
        parser.add_argument(
            "--min-ratings", type=int, default=DEFAULT_MIN_RATINGS,
            help=f"Refuse to fit on fewer rated answers than this (default {DEFAULT_MIN_RATINGS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            calibration = calibration_fit(min_ratings=options["min_ratings"], dry_run=options["dry_run"])
        except DomainError as exc:
            raise CommandError(str(exc.message or exc), returncode=1) from exc
        parameters = calibration.parameters
        lines = [
            f"Rated answers: {calibration.n_ratings}",
            f"Slope: {parameters['slope']:.4f}",
            f"Intercept: {parameters['intercept']:.4f}",
            f"Cross-validated Pearson r: {_number(calibration.pearson_r, 3)}",
            f"Cross-validated QWK: {_number(calibration.qwk, 3)}",
            f"Engine: {calibration.engine} {calibration.engine_version}",
        ]
        if options["dry_run"]:
            lines.append(f"Dry run: nothing saved (it would be version {calibration.version}).")
        else:
            lines.append(f"Saved as calibration version {calibration.version} (active).")
        self.stdout.write("\n".join(lines))
