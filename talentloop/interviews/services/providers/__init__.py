"""External AI-interview vendors (docs/providers.md): HR sets a vendor up and links an application's next interview
round to it (setup.py); the vendor posts its result to `/api/v1/providers/{slug}/webhook/`, signed with HMAC-SHA256
of the raw body, and a valid result becomes the interview's report, marked with its source (webhook.py)."""

from __future__ import annotations

from .setup import (
    SIGNATURE_PREFIX,
    mapping_clean,
    provider_create,
    provider_delete,
    provider_interview_create,
    provider_secret_rotate,
    provider_update,
    secret_generate,
    signature_for,
)
from .webhook import SIGNATURE_HEADER, SignatureRejected, WebhookResult, provider_webhook_receive

__all__ = [
    "SIGNATURE_HEADER",
    "SIGNATURE_PREFIX",
    "SignatureRejected",
    "WebhookResult",
    "mapping_clean",
    "provider_create",
    "provider_delete",
    "provider_interview_create",
    "provider_secret_rotate",
    "provider_update",
    "provider_webhook_receive",
    "secret_generate",
    "signature_for",
]
