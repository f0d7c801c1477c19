"""Candidates and applications coming in: from the careers page, HR, the API or a bulk import.

A resume that cannot be read never loses a candidate who gave contact details: the application is created
and marked "resume unreadable: <reason>"."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentloop.assessment.resume.documents import UnreadableDocument, extract_text
from talentloop.assessment.resume.extract import parse_resume
from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.org.models import Job

from ..access import require_recruiter
from ..models import Application, Candidate
from .screening import application_screen

MAX_RESUME_BYTES: int = getattr(settings, "TALENTLOOP_MAX_RESUME_BYTES", 10 * 1024 * 1024)

# The engine reports problems by code; people read them in their own language.
RESUME_PROBLEMS = {
    "empty": gettext_lazy("the file is empty"),
    "too_large": gettext_lazy("the file is larger than %(mb)d MB"),
    "unsupported_type": gettext_lazy("this type of file is not supported; upload a PDF, a Word (.docx) or a text file"),
    "encrypted": gettext_lazy("the file is protected by a password"),
    "corrupt": gettext_lazy("the file is damaged and cannot be opened"),
    "zip_bomb": gettext_lazy("the document expands to an unsafe size and was not opened"),
    "no_text": gettext_lazy("the PDF contains only images (a scan?); text recognition (OCR) is not supported"),
}


@dataclass(frozen=True)
class ResumeUpload:
    name: str
    data: bytes | None  # None when the upload was refused before reading (too large)
    size: int


def resume_problem_message(code: str) -> str:
    message = RESUME_PROBLEMS.get(code, gettext_lazy("the file cannot be read"))
    return str(message) % {"mb": MAX_RESUME_BYTES // (1024 * 1024)} if code == "too_large" else str(message)


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


_MAX_LENGTHS = {"name": 100, "email": 254, "phone": 30, "location": 100}


def candidate_find_duplicate(*, email: str = "", phone: str = "") -> Candidate | None:
    """The same person applying again: same email (case-insensitive) or same phone number."""
    if email:
        # Emails are stored lower-cased, so an exact match uses the index (iexact would scan every candidate).
        found = Candidate.objects.filter(email=email.strip().lower()).order_by("pk").first()
        if found:
            return found
    digits = normalise_phone(phone)
    if len(digits) >= 7:
        return Candidate.objects.filter(phone=digits).order_by("pk").first()
    return None


def candidate_upsert(
    *, name: str = "", email: str = "", phone: str = "", source: str = Candidate.Source.OTHER,
    consent: bool = False, consent_text: str = "", language: str = "", location: str = "",
) -> tuple[Candidate, bool]:
    """Find the candidate by email or phone and fill in what was missing, or create them. (candidate, created)"""
    email = (email or "").strip().lower()
    phone = normalise_phone(phone)
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationFailed(_("Enter a valid email address."), field="email") from exc
    existing = candidate_find_duplicate(email=email, phone=phone)
    if existing is not None:
        changed = []
        for field, value in (("name", name), ("email", email), ("phone", phone), ("location", location)):
            if value and not getattr(existing, field):
                setattr(existing, field, value[:_MAX_LENGTHS[field]])
                changed.append(field)
        if consent and existing.consent_given_at is None:
            existing.consent_given_at, existing.consent_text = timezone.now(), consent_text
            changed += ["consent_given_at", "consent_text"]
        if changed:
            existing.save(update_fields=[*changed, "updated_at"])
        return existing, False
    candidate = Candidate.objects.create(
        name=(name or "").strip()[:100], email=email, phone=phone, source=source, location=location[:100],
        language=language or settings.LANGUAGE_CODE,
        consent_given_at=timezone.now() if consent else None, consent_text=consent_text if consent else "",
    )
    return candidate, True


CANDIDATE_EDITABLE = ("name", "email", "phone", "location", "source", "language")


@transaction.atomic
def candidate_update(*, actor: User, candidate: Candidate, changes: Mapping[str, Any]) -> Candidate:
    """HR or a recruiter corrects a candidate's details. Email and phone stay unique to one candidate, since
    applications find the candidate by them; every changed field goes to the audit log."""
    require_recruiter(actor)
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items() if k in CANDIDATE_EDITABLE}
    errors: dict[str, list[str]] = {}
    others = Candidate.objects.exclude(pk=candidate.pk)
    if "email" in values:
        values["email"] = email = str(values["email"] or "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors["email"] = [_("Enter a valid email address.")]
            else:
                if others.filter(email__iexact=email).exists():
                    errors["email"] = [_("Another candidate already has this email address.")]
    if "phone" in values:
        given = str(values["phone"] or "")
        values["phone"] = phone = normalise_phone(given)
        if given and len(phone) < 7:
            errors["phone"] = [_("Enter a phone number of at least 7 digits.")]
        elif phone and others.filter(phone=phone).exists():
            errors["phone"] = [_("Another candidate already has this phone number.")]
    if "source" in values and values["source"] not in Candidate.Source.values:
        errors["source"] = [_("Unknown source.")]
    if "language" in values and values["language"] not in dict(settings.LANGUAGES):
        errors["language"] = [_("Unknown language.")]
    for field in ("name", "location"):
        if field in values and len(str(values[field] or "")) > 100:
            errors[field] = [_("Keep this under 100 characters.")]
    if errors:
        raise ValidationFailed(errors=errors)
    changed = {f: (getattr(candidate, f), v) for f, v in values.items() if getattr(candidate, f) != v}
    if changed:
        for field, (_old, new) in changed.items():
            setattr(candidate, field, new)
        candidate.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, obj=candidate, action=AuditEntry.Action.UPDATE, changes=changed)
    return candidate


def _read_resume(upload: ResumeUpload) -> tuple[str, dict[str, Any], str, str]:
    """(text, parsed, status, problem)"""
    if upload.data is None or upload.size > MAX_RESUME_BYTES:
        return "", {}, Application.ResumeStatus.UNREADABLE, resume_problem_message("too_large")
    try:
        extracted = extract_text(upload.data, upload.name, max_bytes=MAX_RESUME_BYTES)
    except UnreadableDocument as exc:
        return "", {}, Application.ResumeStatus.UNREADABLE, resume_problem_message(exc.code)
    parsed = parse_resume(extracted.text)
    return extracted.text, parsed.to_dict(), Application.ResumeStatus.OK, ""


@transaction.atomic
def application_create(
    *, actor: User | None, job: Job, resume: ResumeUpload | None, name: str = "", email: str = "",
    phone: str = "", source: str = Candidate.Source.OTHER, consent: bool = False, consent_text: str = "",
    language: str = "", screen: bool = True,
) -> Application:
    """Create an application for `job`. `actor=None` is a candidate on the public careers page (the job must
    be open and consent is required); otherwise the actor must be HR or a recruiter."""
    if actor is None:
        if job.status != Job.Status.OPEN:
            raise ValidationFailed(_("This job is not open for applications."), field="job")
        if not consent:
            raise ValidationFailed(_("Please agree to the processing of your data to apply."), field="consent")
    else:
        require_recruiter(actor)
    text: str = ""
    parsed: dict[str, Any] = {}
    status: str = Application.ResumeStatus.MISSING
    problem: str = ""
    if resume is not None:
        text, parsed, status, problem = _read_resume(resume)
    has_contact = bool(email or phone)
    if status == Application.ResumeStatus.UNREADABLE and not has_contact:
        raise ValidationFailed(
            _("The resume cannot be read: %(problem)s. Upload another file, or give an email or phone number.")
            % {"problem": problem},
            field="resume",
        )
    if resume is None and not has_contact:
        raise ValidationFailed(_("Upload a resume or give an email or phone number."), field="resume")
    # Contact details the request did not give come from the resume.
    emails, phones = parsed.get("emails") or [], parsed.get("phones") or []
    candidate, _created = candidate_upsert(
        name=name or parsed.get("name") or "", email=email or _valid_email(emails),
        phone=phone or (phones[0] if phones else ""), source=source, consent=consent, consent_text=consent_text,
        language=language, location=parsed.get("location") or "",
    )
    existing = Application.objects.filter(candidate=candidate, job=job).first()
    if existing is not None:
        raise Conflict(
            _("%(name)s has already applied for this job (application %(id)d).")
            % {"name": candidate, "id": existing.pk}
        )
    application = Application(
        candidate=candidate, job=job, resume_status=status,
        resume_error=problem[:300], resume_text=text, parsed=parsed,
    )
    if resume is not None:
        application.resume_name = resume.name[:255]
        if resume.data is not None and resume.size <= MAX_RESUME_BYTES:
            application.resume_sha256 = hashlib.sha256(resume.data).hexdigest()
            application.resume.save(_safe_name(resume.name), ContentFile(resume.data), save=False)
    application.save()
    if screen and status == Application.ResumeStatus.OK:
        application_screen(application=application, auto_advance=True)
    return application


def _valid_email(candidates: list[str]) -> str:
    """The first address found in a resume that is a valid email (a parser's guess must not fail the request)."""
    for value in candidates:
        try:
            validate_email(value)
        except ValidationError:
            continue
        return value
    return ""


def _safe_name(name: str) -> str:
    base = re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._") or "resume"
    return base[-100:]
