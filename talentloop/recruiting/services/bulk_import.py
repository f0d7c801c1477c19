"""Bulk import of resume files into one job: `talentloop import-resumes` and HR's bulk upload.

Every file is its own transaction, so one bad file never rolls back the others, and every file ends in
exactly one outcome:

- imported: an application was created (and screened, unless screening was switched off);
- duplicate: the candidate (same email or phone) already applied to this job; nothing was doubled;
- unreadable: the file could not be read, but the file name carried a phone number or an email address
  (job boards export resumes as "张伟-13812345678.pdf"), so the application was created and marked
  "resume unreadable" for HR to ask for another file;
- unsupported: not a .pdf, .docx or .txt file; it was not opened;
- failed: nothing was created; the reason says why (empty, damaged, scanned without contact details...).
"""

from __future__ import annotations

import enum
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from talentloop.core.models import Role, User
from talentloop.org.models import Job

from ..access import require_recruiter
from ..models import Application, Candidate
from .intake import MAX_RESUME_BYTES, ResumeUpload, application_create, normalise_phone

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".txt")

_EMAIL_IN_NAME = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}")
_MOBILE_IN_NAME = re.compile(r"(?<!\d)(?:\+?86[\s\-]?)?1[3-9]\d(?:[\s\-]?\d{4}){2}(?!\d)")


class Outcome(enum.StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    UNREADABLE = "unreadable"
    UNSUPPORTED = "unsupported"
    FAILED = "failed"


@dataclass(frozen=True)
class FileOutcome:
    name: str  # the path (or upload name) as it was given
    outcome: Outcome
    reason: str = ""  # why it is a duplicate, unreadable, unsupported or failed
    application_id: int | None = None  # the application created (imported and unreadable)
    candidate: str = ""  # who it turned out to be, when known


@dataclass(frozen=True)
class ImportSummary:
    job_id: int
    imported: int
    duplicates: int
    unreadable: int
    unsupported: int
    failed: int
    seconds: float
    outcomes: tuple[FileOutcome, ...] = field(default=(), repr=False)

    @classmethod
    def of(cls, *, job_id: int, outcomes: Sequence[FileOutcome], seconds: float) -> ImportSummary:
        def count(outcome: Outcome) -> int:
            return sum(1 for item in outcomes if item.outcome == outcome)

        return cls(
            job_id=job_id, imported=count(Outcome.IMPORTED), duplicates=count(Outcome.DUPLICATE),
            unreadable=count(Outcome.UNREADABLE), unsupported=count(Outcome.UNSUPPORTED),
            failed=count(Outcome.FAILED), seconds=seconds, outcomes=tuple(outcomes),
        )

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def created(self) -> int:
        """Applications created: the imported ones and the unreadable ones kept for their contact details."""
        return self.imported + self.unreadable

    def having(self, outcome: Outcome) -> tuple[FileOutcome, ...]:
        return tuple(item for item in self.outcomes if item.outcome == outcome)


ImportItem = Path | ResumeUpload
Progress = Callable[[FileOutcome], None]


def resume_files(folder: Path) -> list[Path]:
    """Every file below `folder` (recursively), sorted by path, leaving out hidden files and folders
    (.DS_Store, .git/...): they are the system's, not resumes anybody meant to import."""
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def resumes_import(
    *, actor: User, job: Job, paths: Iterable[ImportItem], source: str = Candidate.Source.IMPORT,
    progress: Progress | None = None, screen: bool = True,
) -> ImportSummary:
    """Import resume files (paths, or uploads already in memory) as applications to `job`."""
    require_recruiter(actor)
    if source not in Candidate.Source.values:
        raise ValidationFailed(
            _("Unknown source “%(source)s”; use one of: %(choices)s.")
            % {"source": source, "choices": ", ".join(Candidate.Source.values)},
            field="source",
        )
    started = time.perf_counter()
    outcomes: list[FileOutcome] = []
    for item in paths:
        outcome = _import_one(actor=actor, job=job, item=item, source=source, screen=screen)
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    return ImportSummary.of(job_id=job.pk, outcomes=outcomes, seconds=time.perf_counter() - started)


def import_actor(*, username: str | None = None) -> User:
    """Who a command-line import acts as: the named user, else the first active HR admin (superusers count
    as HR admins). Raises NotFound when there is nobody to act as."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise NotFound(_("No active user named “%(username)s”.") % {"username": username})
        return user
    user = (
        User.objects.filter(is_active=True).filter(Q(role=Role.HR_ADMIN) | Q(is_superuser=True)).order_by("pk").first()
    )
    if user is None:
        raise NotFound(
            _("There is no active HR admin to import as. Create one (talentloop createsuperuser) or name a recruiter "
              "with --as USERNAME.")
        )
    return user


def contact_from_file_name(name: str) -> tuple[str, str]:
    """(email, phone) written in a file name such as "张伟-13812345678.pdf"; empty strings when absent."""
    stem = Path(name).stem  # without the extension: "a@b.com.pdf" is the address a@b.com
    email = _EMAIL_IN_NAME.search(stem)
    phone = _MOBILE_IN_NAME.search(stem)
    return (email.group().lower() if email else "", normalise_phone(phone.group()) if phone else "")


def _import_one(*, actor: User, job: Job, item: ImportItem, source: str, screen: bool) -> FileOutcome:
    name = str(item) if isinstance(item, Path) else item.name
    file_name = item.name
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kind = suffix or _("no extension")
        return FileOutcome(name, Outcome.UNSUPPORTED, _("unsupported file type (%(kind)s)") % {"kind": kind})
    try:
        upload = _upload_of(item)
    except OSError as exc:
        return FileOutcome(name, Outcome.FAILED, _("cannot read the file: %(error)s") % {"error": exc.strerror or exc})
    email, phone = contact_from_file_name(file_name)
    try:
        with transaction.atomic():
            application = application_create(
                actor=actor, job=job, resume=upload, email=email, phone=phone, source=source, screen=screen,
            )
    except Conflict as exc:
        return FileOutcome(name, Outcome.DUPLICATE, str(exc.message))
    except DomainError as exc:
        return FileOutcome(name, Outcome.FAILED, _message(exc))
    except Exception as exc:  # one broken file must not stop a thousand others; the log keeps the traceback
        logger.exception("importing %s into job %s failed", name, job.pk)
        return FileOutcome(
            name, Outcome.FAILED, _("unexpected error (%(error)s); see the server log") % {"error": type(exc).__name__}
        )
    who = str(application.candidate)
    if application.resume_status == Application.ResumeStatus.UNREADABLE:
        return FileOutcome(name, Outcome.UNREADABLE, application.resume_error, application.pk, who)
    return FileOutcome(name, Outcome.IMPORTED, "", application.pk, who)


def _upload_of(item: ImportItem) -> ResumeUpload:
    if isinstance(item, ResumeUpload):
        return item
    size = item.stat().st_size
    if size > MAX_RESUME_BYTES:  # not read: intake reports it as too large
        return ResumeUpload(name=item.name, data=None, size=size)
    data = item.read_bytes()
    return ResumeUpload(name=item.name, data=data, size=len(data))


def _message(exc: DomainError) -> str:
    if exc.message:
        return str(exc.message)
    return "; ".join(str(message) for messages in exc.errors.values() for message in messages)
