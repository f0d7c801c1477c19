from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from talentloop.core.errors import DomainError
from talentloop.org.models import Job
from talentloop.recruiting.models import Candidate
from talentloop.recruiting.services.bulk_import import (
    SUPPORTED_SUFFIXES,
    FileOutcome,
    ImportSummary,
    Outcome,
    import_actor,
    resume_files,
    resumes_import,
)

BAD_ARGUMENTS = 2  # the exit code for a job, folder, user or source that does not exist

SECTIONS: tuple[tuple[Outcome, str], ...] = (
    (Outcome.DUPLICATE, "Duplicates (already applied to this job; the candidate was not created twice):"),
    (Outcome.UNREADABLE, "Unreadable but created (contact details from the file name; ask for another file):"),
    (Outcome.UNSUPPORTED, f"Unsupported (only {', '.join(SUPPORTED_SUFFIXES)} files are imported):"),
    (Outcome.FAILED, "Failed (nothing was created):"),
)


class Command(BaseCommand):
    help = (
        "Import every resume (.pdf, .docx, .txt) in FOLDER and its subfolders as applications to one job. "
        "Each file is imported on its own: a bad file is reported and the others go on. A candidate who "
        "already applied to the job (same email or phone) is reported as a duplicate, not created twice. "
        "Exits with 0 when the folder was processed, even if some files failed; 2 for a bad job or folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="The folder holding the resumes (searched recursively).")
        parser.add_argument("--job", type=int, required=True, help="The id of the job the candidates apply to.")
        parser.add_argument(
            "--source", default=Candidate.Source.IMPORT, choices=Candidate.Source.values,
            help="Where the candidates came from (default: import).",
        )
        parser.add_argument("--no-screen", action="store_true", help="Do not screen the resumes against the job.")
        parser.add_argument(
            "--as", dest="username", default=None, metavar="USERNAME",
            help="The HR or recruiter user the import is recorded as (default: the first active HR admin).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"]).expanduser()
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.", returncode=BAD_ARGUMENTS)
        job = Job.objects.filter(pk=options["job"]).first()
        if job is None:
            raise CommandError(f"No job with id {options['job']}.", returncode=BAD_ARGUMENTS)
        try:
            actor = import_actor(username=options["username"])
        except DomainError as exc:
            raise CommandError(str(exc.message), returncode=BAD_ARGUMENTS if options["username"] else 1) from exc
        paths = resume_files(folder)
        # tqdm hides itself when stderr is not a terminal (a log file, a pipe, the tests).
        with tqdm(total=len(paths), file=_Raw(self.stderr), unit="file", desc="Importing", disable=None) as bar:

            def advance(outcome: FileOutcome) -> None:
                bar.update(1)

            try:
                summary = resumes_import(
                    actor=actor, job=job, paths=paths, source=options["source"], progress=advance,
                    screen=not options["no_screen"],
                )
            except DomainError as exc:
                raise CommandError(str(exc.message), returncode=BAD_ARGUMENTS) from exc
        self.stdout.write(render(summary, job=job, folder=folder))


def render(summary: ImportSummary, *, job: Job, folder: Path) -> str:
    """The report printed at the end: counts, then every file that was not simply imported, and why."""
    lines = [
        f"Job #{job.pk} {job.title}: {summary.total} files in {folder}",
        f"  imported                {summary.imported:>6}",
        f"  duplicates              {summary.duplicates:>6}",
        f"  unreadable but created  {summary.unreadable:>6}",
        f"  unsupported             {summary.unsupported:>6}",
        f"  failed                  {summary.failed:>6}",
    ]
    for outcome, title in SECTIONS:
        items = summary.having(outcome)
        if items:
            lines += ["", title]
            lines += [f"  {_relative(item.name, folder)}: {item.reason}" for item in items]
    rate = summary.total / summary.seconds if summary.seconds > 0 else 0.0
    lines += ["", f"Took {summary.seconds:.1f} s ({rate:.1f} files/s)."]
    return "\n".join(lines)


def _relative(name: str, folder: Path) -> str:
    try:
        return Path(name).relative_to(folder).as_posix()
    except ValueError:
        return os.path.basename(name) or name


class _Raw(io.TextIOBase):
    """tqdm writes carriage returns and expects them untouched; Django's OutputWrapper adds a newline to
    every write. This passes writes through as they are."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str, /) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()
