"""The interview side of the demo: AI interviews for the demo applications, so HR finds reports to read.

Applications past the AI-interview stage get a completed interview whose answers are written from the bank's
reference answers (strong), from part of them (middling) or vaguely (weak), scored by the real engine; those
at the AI-interview stage get an invitation whose link works in the browser. Everything goes through the
same services a person's clicks go through."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.test.utils import override_settings

from talentloop.core.models import User
from talentloop.org.demo import HR_USERNAME, DemoError
from talentloop.recruiting.demo import demo_jobs
from talentloop.recruiting.models import Application, Stage

from .demo_media import MEDIA_JOB, VOICE_CANDIDATE, media_demo_seed
from .models import InterviewSession
from .services.answers import answer_submit
from .services.feedback import feedback_release
from .services.sessions import interview_complete, interview_consent, interview_create

INTERVIEWED = (Stage.WRITTEN_TEST, Stage.INTERVIEW, Stage.BACKGROUND_CHECK, Stage.OFFER, Stage.HIRED)
WEAK = {
    "zh-hans": "这个要看具体情况吧。一般我会尽量处理好，实在不行就交给领导决定。",
    "en": "It depends on the situation. I usually try my best, and if it does not work I leave it to my manager.",
}


def _answer(reference: str, quality: str, language: str) -> str:
    if quality == "weak" or not reference.strip():
        return WEAK[language]
    if quality == "strong":
        return reference
    separators = "。！？" if language == "zh-hans" else "."
    cut = max((i for i, char in enumerate(reference[: len(reference) // 2 + 1]) if char in separators), default=-1)
    return reference[: cut + 1] if cut > 0 else reference[: len(reference) // 2]


def _interview(actor: User, application: Application, quality: str, seed: int) -> InterviewSession:
    language = application.candidate.language if application.candidate.language in WEAK else "zh-hans"
    session = interview_create(actor=actor, application=application, language=language, seed=seed)
    interview_consent(token=session.token, accept=True, analyses=["text"])
    for question in session.questions.order_by("position"):
        answer_submit(token=session.token, question=question.position,
                      text=_answer(question.reference_answer, quality, language))
    return interview_complete(token=session.token)


def interviews_demo_seed(*, seed: int = 7, reset: bool = False) -> dict[str, Any]:
    """Interview the demo applications (see the module docstring). Does nothing when the demo jobs already have
    interviews, unless `reset`. Raises DemoError when the demo company or its applications are missing."""
    actor = User.objects.filter(username=HR_USERNAME, is_active=True).first()
    if actor is None:
        raise DemoError(f"The demo user {HR_USERNAME!r} is missing; run `talentloop seed-demo --reset`.")
    applications = Application.objects.filter(job__in=list(demo_jobs().values())).select_related("candidate", "job")
    if not applications.exists():
        raise DemoError("The demo jobs have no applications; run `talentloop seed-demo-recruiting` first.")
    existing = InterviewSession.objects.filter(application__in=applications)
    if existing.exists() and not reset:
        return {"created": False, "completed": existing.filter(status="completed").count(),
                "invited": existing.filter(status="invited").count()}
    rng = random.Random(seed)
    completed = invited = 0
    jobs = demo_jobs()
    # The demo prints nothing per email: invitations and feedback go to the dummy backend while seeding.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            existing.delete()
        # The vendor's round goes to the job's first applicant at the AI-interview stage (a reset picks the same).
        vendor_application = (
            applications.filter(job=jobs[MEDIA_JOB], stage=Stage.AI_INTERVIEW)
            .exclude(candidate__email=VOICE_CANDIDATE["email"]).order_by("pk").first()
        )
        ours = applications.exclude(candidate__email=VOICE_CANDIDATE["email"])
        if vendor_application is not None:
            ours = ours.exclude(pk=vendor_application.pk)
        for application in ours.order_by("pk"):
            if application.stage in INTERVIEWED:
                quality = rng.choice(["strong", "strong", "middling", "weak"])
                session = _interview(actor, application, quality, seed=rng.randrange(10_000))
                completed += 1
                if completed == 1:
                    feedback_release(actor=actor, session_id=session.pk)
            elif application.stage == Stage.AI_INTERVIEW:
                language = application.candidate.language if application.candidate.language in WEAK else "zh-hans"
                interview_create(actor=actor, application=application, language=language,
                                 seed=rng.randrange(10_000))
                invited += 1
        media = media_demo_seed(actor=actor, job=jobs[MEDIA_JOB], vendor_application=vendor_application,
                                seed=rng.randrange(10_000))
    return {"created": True, "completed": completed, "invited": invited + 1, "voice_link": media.voice_link,
            "vendor_interview": media.vendor_interview, "vendor_command": media.vendor_command}
