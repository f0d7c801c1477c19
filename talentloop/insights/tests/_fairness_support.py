"""Builders for the fairness and forecast tests: candidates with consented attributes, applications at given
stages (with the stage history), ready interview reports."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from typing import Any

from django.utils import timezone

from talentloop.insights.models import CandidateAttribute
from talentloop.interviews.models import InterviewReport, InterviewSession
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate, StageChange

_numbers = itertools.count(1)


def candidate(**attributes: str) -> Candidate:
    n = next(_numbers)
    person = Candidate.objects.create(name=f"候选人{n}", email=f"c{n}@example.com")
    for name, value in attributes.items():
        CandidateAttribute.objects.create(candidate=person, name=name, value=value, consent_at=timezone.now())
    return person


def application(job: Job, stage: str, *, passed_before: bool = False, **attributes: str) -> Application:
    """An application now at `stage`; `passed_before`: its history shows it reached the AI interview."""
    app = Application.objects.create(candidate=candidate(**attributes), job=job, stage=stage)
    if passed_before:
        StageChange.objects.create(application=app, from_stage="screening", to_stage="ai_interview")
        StageChange.objects.create(application=app, from_stage="ai_interview", to_stage=stage)
    return app


def report(app: Application, score: float | None, *, minutes_ago: int = 0, round: int = 1) -> InterviewReport:
    session = InterviewSession.objects.create(
        application=app, round=round, token=secrets.token_urlsafe(24), language="en",
        status=InterviewSession.Status.COMPLETED, expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return InterviewReport.objects.create(
        session=session, status=InterviewReport.Status.READY, overall_score=score,
        built_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def screening_example(job: Job) -> dict[str, Any]:
    """The hand-worked screening example (gender):

    female: 10 decided, 4 passed (one of them rejected later, after the AI interview) -> 0.4
    male:   10 decided, 8 passed -> 0.8 (the highest); female's impact ratio 0.4 / 0.8 = 0.5 -> flagged
    other:  2 decided (both passed) -> too small (minimum 5)
    unknown: 2 decided (1 passed); 1 still in screening and 1 withdrawn before a decision: not counted
    """
    for _ in range(3):
        application(job, "ai_interview", gender="female")
    application(job, "rejected", passed_before=True, gender="female")
    for _ in range(6):
        application(job, "rejected", gender="female")
    for stage in ("ai_interview", "interview", "offer", "hired", "written_test", "background_check", "ai_interview"):
        application(job, stage, gender="male")
    application(job, "withdrawn", passed_before=True, gender="male")  # passed, then withdrew: passed
    application(job, "rejected", gender="male")
    application(job, "rejected", gender="male")
    application(job, "interview", gender="other")
    application(job, "hired", gender="other")
    application(job, "interview")
    application(job, "rejected")
    application(job, "screening")
    application(job, "withdrawn")
    return {}


def scoring_example(job: Job) -> None:
    """The hand-worked scoring example (age band):

    under_25: 90 80 70 60 50   25_34: 40 55 65 45 35   unknown: 75   (one earlier report of 10 is superseded)
    All 11 sorted: 35 40 45 50 55 60 65 70 75 80 90 -> median 60.
    under_25 above 60: 3 of 5 = 0.6 (highest); 25_34: 1 of 5 = 0.2 -> ratio 1/3, flagged.
    """
    for score in (90, 80, 70, 60, 50):
        report(application(job, "ai_interview", age_band="under_25"), score)
    apps = []
    for score in (40, 55, 65, 45, 35):
        app = application(job, "ai_interview", age_band="25_34")
        report(app, score)
        apps.append(app)
    report(apps[2], 10, minutes_ago=60, round=2)  # older than its 65: not used
    report(application(job, "ai_interview"), 75)
