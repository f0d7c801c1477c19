"""Writes that belong to the core: the audit log, API tokens and notifications."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .models import AuditEntry, Notification, User, audit_value


def audit_record(
    *,
    actor: User | None,
    obj: models.Model,
    action: str,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
) -> list[AuditEntry]:
    """Write one entry per changed field (or one entry for a creation without field detail)."""
    object_type = obj._meta.label_lower
    base = {
        "actor": actor if actor is not None and actor.pk else None,
        "action": action,
        "object_type": object_type,
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:200],
    }
    rows = [
        AuditEntry(**base, field=field, old_value=audit_value(old), new_value=audit_value(new))
        for field, (old, new) in (changes or {}).items()
    ]
    if not rows:
        rows = [AuditEntry(**base)]
    return AuditEntry.objects.bulk_create(rows)


def api_token_issue(*, user: User) -> str:
    """The user's API token, created on first use; the same token is returned until it is revoked."""
    token, _created = Token.objects.get_or_create(user=user)
    return str(token.key)


# --- notifications ------------------------------------------------------------------------------------------


def _absolute(link: str) -> str:
    """A link for an email: the site's address in front of a path (emails are read outside the app)."""
    if not link.startswith("/"):
        return link
    return f"{str(getattr(settings, 'TALENTLOOP_SITE_URL', '')).rstrip('/')}{link}"


def notification_send(
    *, user: User, subject: str, body: str = "", link: str = "", dedupe_key: str = ""
) -> Notification | None:
    """Notify a user in the app and, when they have an email address, by email (sent once the transaction
    commits, so a rolled-back change sends nothing). With a `dedupe_key` the same user gets that notification
    once: a second send returns None and sends nothing."""
    subject = " ".join(str(subject).split())[:200]
    if dedupe_key and Notification.objects.filter(user=user, dedupe_key=dedupe_key).exists():
        return None
    try:
        # A savepoint: two workers sending the same reminder at once meet the unique constraint, not an error.
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, subject=subject, body=str(body), link=link[:300], dedupe_key=dedupe_key[:200],
                emailed_to=user.email or "",
            )
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    if user.email:
        text = str(body) + (f"\n\n{_absolute(link)}" if link else "")
        address = user.email
        transaction.on_commit(lambda: send_mail(subject, text, None, [address], fail_silently=True))
    return notification


def notification_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (the given ids, or all when None); returns how many changed.
    Ids of other users' notifications are ignored, so nobody can learn or touch what others were sent."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now(), updated_at=timezone.now())
