"""The voice, video and vendor side of the interview demo: one English-speaking candidate invited to answer by
typing, voice or video (the customer-success job offers all three), and an interview vendor whose signed report
the visitor can post to the webhook with one command. Everything goes through the services a person's clicks
go through."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from talentloop.core.models import User
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate
from talentloop.recruiting.services.intake import application_create

from .models import InterviewProvider, InterviewSession
from .services.invitations import candidate_url
from .services.providers import provider_create, provider_interview_create, provider_update, signature_for
from .services.rules import site_url
from .services.sessions import interview_create

MEDIA_JOB = "客户成功专员"
VOICE_CANDIDATE = {"name": "Alex Morgan", "email": "alex.morgan@example.com"}
VENDOR_SLUG = "acme-interviews"
# A demo secret, printed in the demo's instructions; a real vendor's secret is generated and shown once.
VENDOR_SECRET = "demo-acme-webhook-secret-0001"
VENDOR_SCALE = 5
VENDOR_SCORES = (4.5, 4.0, 3.5, 4.0)  # the vendor measures the job's first four competencies, on its own names
VENDOR_NAMES = {"customer_orientation": "Customer focus", "resilience": "Composure under pressure",
                "learning_agility": "Learning"}


@dataclass(frozen=True)
class MediaDemo:
    voice_link: str
    vendor_interview: int
    vendor_command: str


def _voice_interview(actor: User, job: Job, seed: int) -> InterviewSession:
    application = Application.objects.filter(job=job, candidate__email=VOICE_CANDIDATE["email"]).first()
    if application is None:
        application = application_create(
            actor=actor, job=job, resume=None, name=VOICE_CANDIDATE["name"], email=VOICE_CANDIDATE["email"],
            source=Candidate.Source.CAREERS_PAGE, language="en", screen=False,
        )
    return interview_create(actor=actor, application=application, language="en", seed=seed,
                            modalities=["text", "audio", "video"])


def _dimensions(job: Job) -> list[tuple[str, str]]:
    """(vendor dimension, competency code) for the first competencies of the job's model."""
    items = job.competency_model.select_related("competency").order_by("position")[: len(VENDOR_SCORES)]
    return [(VENDOR_NAMES.get(item.competency.code, item.competency.name_en or item.competency.code),
             item.competency.code) for item in items]


def _vendor(actor: User, job: Job) -> InterviewProvider:
    mapping = [{"dimension": name, "competency": code, "max": VENDOR_SCALE} for name, code in _dimensions(job)]
    existing = InterviewProvider.objects.filter(slug=VENDOR_SLUG).first()
    if existing is not None:
        return provider_update(actor=actor, provider=existing, changes={"mapping": mapping, "secret": VENDOR_SECRET,
                                                                        "is_active": True})
    return provider_create(actor=actor, slug=VENDOR_SLUG, name="Acme Interviews", secret=VENDOR_SECRET,
                           mapping=mapping)


def _vendor_report(session: InterviewSession, job: Job, folder: Path) -> str:
    """Write the vendor's report for `session` and return the command that posts it, signed, to the webhook."""
    body = json.dumps({
        "event_id": f"acme-demo-{session.pk}",
        "interview": session.pk,
        "dimensions": [{"name": name, "score": score, "max": VENDOR_SCALE}
                       for (name, _code), score in zip(_dimensions(job), VENDOR_SCORES, strict=False)]
        + [{"name": "Enthusiasm for the product", "score": 4, "max": VENDOR_SCALE}],
        "summary": "Structured answers with concrete customer examples; follow-up on escalations was brief.",
    }, ensure_ascii=False, indent=1).encode()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "vendor-report.json"
    path.write_bytes(body)
    return (
        f"curl -X POST {site_url()}/api/v1/providers/{VENDOR_SLUG}/webhook/ -H 'Content-Type: application/json' "
        f"-H 'X-Signature-256: {signature_for(VENDOR_SECRET, body)}' --data-binary @{path}"
    )


def media_demo_seed(*, actor: User, job: Job, vendor_application: Application | None, seed: int) -> MediaDemo:
    """Offer voice and video on the customer-success job, invite the English-speaking demo candidate, and give
    `vendor_application` a round run by the demo vendor, with the vendor's signed report ready to post."""
    Job.objects.filter(pk=job.pk).update(interview_modalities=["text", "audio", "video"])
    job.refresh_from_db()
    voice = _voice_interview(actor, job, seed)
    vendor = _vendor(actor, job)
    if vendor_application is None:
        return MediaDemo(candidate_url(voice), 0, "")
    session = provider_interview_create(actor=actor, application=vendor_application, provider=vendor)
    folder = Path(settings.DATA_DIR) / "demo"
    return MediaDemo(candidate_url(voice), session.pk, _vendor_report(session, job, folder))
