"""What recruiting staff write by hand: notes on an application, and the texts of the stage emails that
services.pipeline sends to candidates."""

from __future__ import annotations

from string import Formatter

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from talentloop.core.errors import ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record

from ..access import require_application_access, require_recruiter
from ..models import Application, ApplicationNote, EmailTemplate, Stage

MAX_NOTE_CHARS = 5000
# What services.pipeline.stage_email_send fills in; anything else in braces is a typo.
EMAIL_PLACEHOLDERS: tuple[str, ...] = ("candidate", "job", "stage", "company", "reason")


def application_note_add(*, actor: User, application: Application, text: str) -> ApplicationNote:
    """A note on an application by anyone who may work on it (HR, recruiters, the job's hiring manager)."""
    require_application_access(actor, application)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Write the note first."), field="text")
    if len(text) > MAX_NOTE_CHARS:
        raise ValidationFailed(
            _("Keep the note under %(count)d characters.") % {"count": MAX_NOTE_CHARS}, field="text"
        )
    return ApplicationNote.objects.create(application=application, author=actor, text=text)


def _placeholder_errors(text: str) -> list[str]:
    try:
        names = [name for _literal, name, _spec, _conversion in Formatter().parse(text) if name is not None]
    except ValueError:
        return [_("Use braces only around a placeholder, such as {candidate}.")]
    unknown = [name for name in dict.fromkeys(names) if name not in EMAIL_PLACEHOLDERS]
    if not unknown:
        return []
    return [
        _("Unknown placeholder %(names)s. Use %(known)s.") % {
            "names": ", ".join("{" + name + "}" for name in unknown),
            "known": ", ".join("{" + name + "}" for name in EMAIL_PLACEHOLDERS),
        }
    ]


@transaction.atomic
def email_template_save(
    *, actor: User, stage: str, language: str, subject: str, body: str, is_active: bool = True
) -> EmailTemplate:
    """Create or change the email a candidate gets on entering `stage`, in `language` (HR and recruiters)."""
    require_recruiter(actor)
    errors: dict[str, list[str]] = {}
    if stage not in Stage.values:
        errors["stage"] = [_("“%(stage)s” is not a pipeline stage.") % {"stage": stage}]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Unknown language.")]
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        errors.setdefault("subject", []).append(_("Give the email a subject."))
    elif len(subject) > 200:
        errors.setdefault("subject", []).append(_("Keep the subject under 200 characters."))
    if not body:
        errors.setdefault("body", []).append(_("Write the email text."))
    for field, text in (("subject", subject), ("body", body)):
        if text:
            errors.setdefault(field, []).extend(_placeholder_errors(text))
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationFailed(errors=errors)
    template = EmailTemplate.objects.select_for_update().filter(stage=stage, language=language).first()
    if template is None:
        template = EmailTemplate.objects.create(
            stage=stage, language=language, subject=subject, body=body, is_active=is_active
        )
        audit_record(actor=actor, obj=template, action=AuditEntry.Action.CREATE)
        return template
    new = {"subject": subject, "body": body, "is_active": is_active}
    diff = {
        field: (getattr(template, field), value) for field, value in new.items() if getattr(template, field) != value
    }
    if diff:
        for field, (_old, value) in diff.items():
            setattr(template, field, value)
        template.save(update_fields=[*diff, "updated_at"])
        audit_record(actor=actor, obj=template, action=AuditEntry.Action.UPDATE, changes=diff)
    return template
