"""Helpers shared by the recruiting API tests (test_apis_*.py): jobs with screening rules, posting an
application, the bad-input check."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.utils import timezone
from rest_framework.test import APIClient

from talentloop.core.testing.factories import JobFactory
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate, ScreeningRules, StageChange
from talentloop.recruiting.tests import files

LIST_KEYS = {"count", "next", "previous", "results"}
SCREENING_KEYS = {"score", "passed", "matched", "missing", "knocked_out_by", "subscores", "engine"}
BACKEND_RULES: dict[str, Any] = {
    "min_degree": 3, "min_years": 3, "required_skills": ["Python", "Django"], "preferred_skills": ["Docker"],
    "locations": [], "pass_score": 60,
}


def make_job(**fields: Any) -> Job:
    return cast(Job, JobFactory(**{"title": "Backend Engineer", **files.BACKEND_JOB_TEXT, **fields}))


def backend_job(*, auto_advance: bool = False, **fields: Any) -> Job:
    job = make_job(**fields)
    ScreeningRules.objects.create(job=job, auto_advance=auto_advance, **BACKEND_RULES)
    return job


def post_application(client: APIClient, job: Job, resume: files.ResumeFile | None = None, **fields: Any) -> Any:
    data = dict(fields)
    if resume is not None:
        data["resume"] = resume.upload()
    return client.post(f"/api/v1/jobs/{job.pk}/applications/", data, format="multipart")


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def rows() -> tuple[int, int, int]:
    return Candidate.objects.count(), Application.objects.count(), StageChange.objects.count()


def iso(moment: dt.datetime | None) -> str:
    """A time as the API writes it: ISO 8601 in the site's time zone (Asia/Shanghai)."""
    assert moment is not None
    return timezone.localtime(moment).isoformat()


def public_screening(application: Application) -> dict[str, Any]:
    return {key: application.screening[key] for key in SCREENING_KEYS}


def assert_bad_input(response: Any, field: str, message: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert list(body["errors"]) == [field]
    assert body["detail"] == f"{field}: {message}"
