"""Writes that belong to the core: the audit log and API tokens."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from rest_framework.authtoken.models import Token

from .models import AuditEntry, User, audit_value


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
