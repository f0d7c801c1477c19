"""Fixtures shared by the split recruiting API and page tests. None is autouse: the API modules that need
English name it in their `pytestmark` (the other tests of this folder are untouched). A module's own
fixture of the same name (e.g. `job` in test_views_careers.py) still wins over these."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from talentloop.assessment.tests.resume_samples import EMILY_CHEN, LI_NA, ZHANG_WEI
from talentloop.core.models import User
from talentloop.core.testing.factories import JobFactory
from talentloop.org.models import Job
from talentloop.recruiting.models import Application
from talentloop.recruiting.services.intake import ResumeUpload, application_create
from talentloop.recruiting.services.screening import screening_rules_update
from talentloop.recruiting.tests._pipeline_support import Login, Org

# --- the API tests (test_apis_*.py) -----------------------------------------------------------------------


@pytest.fixture
def _english_api_client(api: APIClient) -> None:
    """The shared API client asks for English."""
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def hr_api(org: dict[str, Any], api_as: Any) -> APIClient:
    client: APIClient = api_as(org["users"]["hr"])
    return client


# --- the staff pages (test_views_pipeline_*.py) ----------------------------------------------------------


@pytest.fixture
def login() -> Login:
    """login(user, language="en") -> a browser-like client logged in with that interface language."""

    def make(user: User, language: str = "en") -> Client:
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


@pytest.fixture
def job(org: Org) -> Job:
    """A sales job: the sales manager's reach."""
    return cast(Job, JobFactory(title="数据分析师", department=org["departments"]["sales"], status=Job.Status.OPEN))


@pytest.fixture
def rd_job(org: Org) -> Job:
    """An R&D job: outside the sales manager's reach."""
    return cast(Job, JobFactory(title="后端工程师", department=org["departments"]["rd"], status=Job.Status.OPEN))


@pytest.fixture
def screened(org: Org, job: Job) -> dict[str, Application]:
    """Real resumes through the real intake: Python required, Docker and Kafka preferred, 3 years."""
    hr = org["users"]["hr"]
    screening_rules_update(actor=hr, job=job, changes={
        "required_skills": ["Python"], "preferred_skills": ["Docker", "Kafka"], "min_years": 3,
    })
    result = {}
    for key, resume in (("zhang", ZHANG_WEI), ("emily", EMILY_CHEN), ("li", LI_NA)):
        result[key] = application_create(
            actor=hr, job=job, resume=ResumeUpload(f"{key}.txt", resume.text().encode(), 1000)
        )
    result["empty"] = application_create(
        actor=hr, job=job, resume=ResumeUpload("empty.pdf", b"", 0), email="empty@example.com"
    )
    return result
