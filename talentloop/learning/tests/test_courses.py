"""The course catalogue API and the shipped starter catalogue."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talentloop.learning.defaults import CATALOGUE, course_catalogue_seed
from talentloop.learning.models import Course
from talentloop.learning.tests._support import comp, course
from talentloop.org.library import DATA_DIR

pytestmark = pytest.mark.django_db
URL = "/api/v1/courses/"


def client_for(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user=user)
    return client


def test_hr_creates_and_edits_a_course(org: dict[str, Any]) -> None:
    hr = client_for(org["users"]["hr"])
    ids = [comp("data_analysis").pk, comp("problem_solving").pk]
    response = hr.post(URL, {"title": " SQL ", "provider": "Academy", "format": "blended", "hours": 12.5,
                             "competencies": ids, "level": "intermediate"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["hours"], body["format"], body["level"], sorted(body["competencies"])) == (
        "SQL", 12.5, "blended", "intermediate", sorted(ids))
    assert [c["code"] for c in body["competency_details"]] == ["data_analysis", "problem_solving"]
    changed = hr.patch(f"{URL}{body['id']}/", {"is_active": False, "competencies": ids[:1]}, format="json").json()
    assert changed["is_active"] is False
    assert changed["competencies"] == ids[:1]


@pytest.mark.parametrize(("payload", "detail"), [
    ({"hours": 0}, "hours: Hours must be above 0 and at most 10000."),
    ({"competencies": []}, "competencies: Name at least one competency the course builds."),
    ({"title": "  "}, "title: This field may not be blank."),
    ({"level": "expert"}, "level: \"expert\" is not a valid choice."),
])
def test_course_refusals(org: dict[str, Any], payload: dict[str, Any], detail: str) -> None:
    body = {"title": "SQL", "hours": 2, "competencies": [comp("data_analysis").pk], **payload}
    response = client_for(org["users"]["hr"]).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == detail
    assert not Course.objects.exists()


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_only_hr_writes_and_others_see_active_courses(org: dict[str, Any], who: str) -> None:
    course("Old", "beginner", "2", "data_analysis", active=False)
    course("New", "beginner", "2", "data_analysis")
    client = client_for(org["users"][who])
    assert [c["title"] for c in client.get(URL).json()["results"]] == ["New"]
    assert client.post(URL, {"title": "X", "hours": 1, "competencies": [comp("integrity").pk]},
                       format="json").status_code == 403
    assert [c["title"] for c in client_for(org["users"]["hr"]).get(URL, {"active": "false"}).json()["results"]] == [
        "Old"]


def test_recruiters_and_candidates_see_no_courses(org: dict[str, Any]) -> None:
    assert client_for(org["users"]["recruiter"]).get(URL).status_code == 403
    assert client_for(org["users"]["candidate"]).get(URL).status_code == 403


def test_filters_and_constant_queries(org: dict[str, Any]) -> None:
    client = client_for(org["users"]["hr"])
    course("A", "beginner", "2", "data_analysis")
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(8):
        course(f"B{i}", "advanced", "3", "communication", "teamwork")
    with CaptureQueriesContext(connection) as more:
        body = client.get(URL).json()
    assert body["count"] == 9
    assert len(more.captured_queries) == len(few.captured_queries)
    assert client.get(URL, {"competency": comp("data_analysis").pk}).json()["count"] == 1
    assert client.get(URL, {"level": "advanced", "search": "b"}).json()["count"] == 8


def test_seed_covers_the_library_and_is_idempotent(db: Any) -> None:
    library = {c["code"] for c in json.loads((DATA_DIR / "competencies.json").read_text(encoding="utf-8"))}
    assert library <= {code for item in CATALOGUE for code in item["competencies"]}
    assert course_catalogue_seed() == len(CATALOGUE) >= 15
    assert course_catalogue_seed() == 0
    covered = set(Course.objects.values_list("competencies__code", flat=True))
    assert covered == library
    assert all("(" in title for title in Course.objects.values_list("title", flat=True))  # zh with en
