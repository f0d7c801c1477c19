"""Test data of the interview-vendor tests: a provider whose mapping covers the default job's competencies in every
way the normalisation has (the mapping's max, the payload's max, the default 100, two dimensions on one competency,
a competency outside the job's model), a vendor interview linked through the real service, and signed deliveries."""

from __future__ import annotations

import json
from typing import Any

from rest_framework.test import APIClient

from talentloop.core.models import User

from ..models import InterviewProvider, InterviewSession
from ..services.providers import provider_create, provider_interview_create, signature_for
from ._support import InterviewSetup

SECRET = "s3cret-For-Tests_0123456789"
MAPPING: list[dict[str, Any]] = [
    {"dimension": "Communication", "competency": "communication", "max": 10},
    {"dimension": "Clarity", "competency": "communication", "max": None},
    {"dimension": "Customer focus", "competency": "customer_orientation", "max": 5},
    {"dimension": "Analytical thinking", "competency": "problem_solving", "max": None},
    {"dimension": "Coding", "competency": "technical_expertise", "max": 10},  # not in the job's model
]
# Communication 8/10 → 80 and Clarity 3/5 → 60: communication 70.0; Customer focus 4.5/5 → 90.0; Analytical
# thinking 55 (no max anywhere → of 100) → 55.0; teamwork not measured. Overall over the measured competencies:
# (0.3·70 + 0.3·90 + 0.2·55) / 0.8 = 73.75 → 73.8, the junior band (60-74).
DIMENSIONS: list[dict[str, Any]] = [
    {"name": "communication", "score": 8, "max": 10},  # case differs from the mapping on purpose
    {"name": "Clarity", "score": 3, "max": 5},
    {"name": "Customer focus", "score": 4.5},
    {"name": "Analytical thinking", "score": 55},
    {"name": "Coding", "score": 9, "max": 10},
    {"name": "Enthusiasm", "score": 4, "max": 5},  # not in the mapping
]
WEBHOOK = "/api/v1/providers/{slug}/webhook/"


def make_provider(actor: User, *, slug: str = "acme-ai", secret: str = SECRET,
                  mapping: list[dict[str, Any]] | None = None, is_active: bool = True) -> InterviewProvider:
    return provider_create(actor=actor, slug=slug, name="Acme AI Interviews", secret=secret,
                           mapping=MAPPING if mapping is None else mapping, is_active=is_active)


def link(setup: InterviewSetup, provider: InterviewProvider) -> InterviewSession:
    return provider_interview_create(actor=setup.hr, application=setup.application, provider=provider.slug)


def body_of(session: InterviewSession | int, *, event_id: str = "evt-1", dimensions: Any = None,
            **extra: Any) -> bytes:
    interview = session if isinstance(session, int) else session.pk
    data = {"event_id": event_id, "interview": interview,
            "dimensions": DIMENSIONS if dimensions is None else dimensions, **extra}
    return json.dumps(data).encode()


def client_as(user: User | None, language: str = "en") -> APIClient:
    """An API client for the user (or nobody) reading messages in the language (English by default, so that the
    assertions read naturally whatever the site's default language)."""
    client = APIClient()
    client.force_authenticate(user=user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def deliver(body: bytes, *, slug: str = "acme-ai", secret: str | None = SECRET,
            signature: str | None = None, language: str = "en") -> Any:
    """POST a delivery as a vendor would: no login, the signature header computed over the exact bytes."""
    headers: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": language}
    if signature is not None:
        headers["HTTP_X_SIGNATURE_256"] = signature
    elif secret is not None:
        headers["HTTP_X_SIGNATURE_256"] = signature_for(secret, body)
    return APIClient().post(WEBHOOK.format(slug=slug), data=body, content_type="application/json", **headers)
