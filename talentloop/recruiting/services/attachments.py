"""Files HR adds to an application besides the resume: certificates, portfolios, signed forms."""

from __future__ import annotations

import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from talentloop.core.errors import ValidationFailed
from talentloop.core.models import User

from ..access import require_application_access
from ..models import Application, Attachment

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What the bytes start with decides the type, never the file name.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "Office document or ZIP"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
)


def attachment_kind(head: bytes) -> str | None:
    """A readable name for an accepted file type, or None. Plain UTF-8 text is accepted too."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text" if head and b"\x00" not in head else None


@transaction.atomic
def application_attachment_add(
    *, actor: User, application: Application, name: str, data: bytes | None, size: int
) -> Attachment:
    """Store a file on an application. `data=None` means the upload was too large to read."""
    require_application_access(actor, application)
    if size == 0 or data == b"":
        raise ValidationFailed(_("The file is empty."), field="file")
    if data is None or size > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}, field="file"
        )
    if attachment_kind(data[:2048]) is None:
        raise ValidationFailed(
            _("This type of file is not accepted; attach a PDF, an Office document, an image or a text file."),
            field="file",
        )
    clean = (re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._") or "attachment")[-100:]
    attachment = Attachment(application=application, name=(name or clean)[:255], uploaded_by=actor)
    attachment.file.save(clean, ContentFile(data), save=False)
    attachment.save()
    return attachment


def application_attachments(*, actor: User, application: Application) -> list[Attachment]:
    require_application_access(actor, application)
    return list(application.attachments.select_related("uploaded_by").order_by("-created_at", "-id"))
