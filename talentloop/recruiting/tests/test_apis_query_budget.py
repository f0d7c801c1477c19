"""The recruiting REST API under /api/v1/: the query budget of the lists and the ranking."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talentloop.core.models import User
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, ApplicationNote, Candidate, StageChange
from talentloop.recruiting.tests._api_support import make_job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]


# --- query budget -----------------------------------------------------------------------------------------


def _fill(job: Job, count: int, actor: User) -> None:
    for index in range(count):
        candidate = Candidate.objects.create(name=f"候选人{index}", email=f"c{job.pk}-{index}@example.com")
        application = Application.objects.create(
            candidate=candidate, job=job, screening_score=float(index), screening_passed=index % 2 == 0,
            screening={"score": float(index), "passed": index % 2 == 0, "matched": [], "missing": [],
                       "knocked_out_by": [], "subscores": {}, "engine": {"name": "x", "version": "1"}},
            parsed={"name": f"候选人{index}", "terms": {"x": 1}},
        )
        StageChange.objects.create(application=application, from_stage="applied", to_stage="screening", actor=actor)
        StageChange.objects.create(application=application, from_stage="screening", to_stage="interview")
        ApplicationNote.objects.create(application=application, author=actor, text="ok")


@pytest.mark.parametrize(
    ("user_key", "list_queries", "ranking_queries"),
    [
        # list: a count, the page, the stage changes; ranking: the job, then the rows
        ("hr", 3, 2),
        # a manager's reach also costs their employee record and the department tree (read again for the rows)
        ("manager", 5, 5),
    ],
)
def test_the_application_list_and_ranking_run_a_fixed_number_of_queries(
    org: dict[str, Any], api: APIClient, user_key: str, list_queries: int, ranking_queries: int
) -> None:
    job = make_job(department=org["departments"]["sales"])
    user = org["users"][user_key]

    def measure() -> tuple[int, int, int, int]:
        api.force_authenticate(user=User.objects.get(pk=user.pk))  # a fresh user: nothing cached on it
        with CaptureQueriesContext(connection) as listed:
            response = api.get("/api/v1/applications/", {"page_size": 100})
        assert response.status_code == 200
        rows_listed = len(response.json()["results"])
        api.force_authenticate(user=User.objects.get(pk=user.pk))
        with CaptureQueriesContext(connection) as ranked:
            ranking = api.get(f"/api/v1/jobs/{job.pk}/ranking/", {"limit": 100})
        assert ranking.status_code == 200
        return len(listed.captured_queries), rows_listed, len(ranked.captured_queries), len(ranking.json()["results"])

    _fill(job, 5, org["users"]["hr"])
    assert measure() == (list_queries, 5, ranking_queries, 5)
    _fill(job, 35, org["users"]["hr"])
    assert measure() == (list_queries, 40, ranking_queries, 40)


def test_the_candidate_list_runs_a_fixed_number_of_queries(org: dict[str, Any], hr_api: APIClient) -> None:
    job = make_job()

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = hr_api.get("/api/v1/candidates/", {"page_size": 100})
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["results"])

    _fill(job, 5, org["users"]["hr"])
    assert measure() == (3, 5)
    _fill(make_job(title="Second"), 35, org["users"]["hr"])
    assert measure() == (3, 40)
