"""The recruiting REST API under /api/v1/: the ranking of a job's applications and its screening rules."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from talentloop.recruiting.models import Application, ScreeningRules
from talentloop.recruiting.tests import files
from talentloop.recruiting.tests._api_support import (
    assert_bad_input,
    backend_job,
    created,
    make_job,
    post_application,
    public_screening,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]


# --- ranking ----------------------------------------------------------------------------------------------


def test_ranking_is_by_score_with_the_reasons_and_unreadable_resumes_last(
    org: dict[str, Any], hr_api: APIClient
) -> None:
    job = backend_job()
    broken = created(post_application(hr_api, job, files.corrupt_pdf(), email="broken@example.com"))
    zhou = created(post_application(hr_api, job, files.text_file(files.ZHOU_MIN)))
    liu = created(post_application(hr_api, job, files.pdf_file(files.LIU_YANG)))
    he = created(post_application(hr_api, job, files.docx_file(files.HE_JING)))
    gone = created(post_application(hr_api, job, files.text_file(files.LIU_YANG), email="twin@example.com",
                                    phone="13911112222"))
    hr_api.post(f"/api/v1/applications/{gone['id']}/transition/", {"to": "withdrawn"}, format="json")

    response = hr_api.get(f"/api/v1/jobs/{job.pk}/ranking/")
    assert response.status_code == 200
    body = response.json()
    assert body["job"] == job.pk
    order = [liu, he, zhou, broken]
    assert [row["application"] for row in body["results"]] == [a["id"] for a in order]
    scores = [row["score"] for row in body["results"]]
    assert scores == [a["screening"]["score"] if a["screening"] else None for a in order]
    assert scores[0] > scores[1] > scores[2]
    assert scores[3] is None
    first = Application.objects.get(pk=liu["id"])
    assert body["results"][0] == {
        "application": liu["id"], "candidate": liu["candidate"], "stage": "applied", "resume_status": "ok",
        "score": first.screening_score, "passed": True, "screening": public_screening(first),
    }
    assert body["results"][2]["passed"] is False
    assert body["results"][2]["screening"]["knocked_out_by"] == ["min_years", "required_skills"]
    assert body["results"][3] == {
        "application": broken["id"], "candidate": broken["candidate"], "stage": "applied",
        "resume_status": "unreadable", "score": None, "passed": None, "screening": None,
    }

    limited = hr_api.get(f"/api/v1/jobs/{job.pk}/ranking/", {"limit": 2}).json()
    assert [row["application"] for row in limited["results"]] == [liu["id"], he["id"]]
    assert_bad_input(hr_api.get(f"/api/v1/jobs/{job.pk}/ranking/", {"limit": 0}), "limit",
                     "Ensure this value is greater than or equal to 1.")
    assert_bad_input(hr_api.get(f"/api/v1/jobs/{job.pk}/ranking/", {"limit": "x"}), "limit",
                     "A valid integer is required.")
    assert hr_api.get("/api/v1/jobs/424242/ranking/").status_code == 404


# --- screening rules --------------------------------------------------------------------------------------


def test_screening_rules_read_replace_and_patch_re_score_the_job(
    org: dict[str, Any], hr_api: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    job = make_job()
    url = f"/api/v1/jobs/{job.pk}/screening-rules/"
    assert hr_api.get(url).json() == {
        "min_degree": 0, "min_years": 0.0, "required_skills": ["Python", "Django"], "preferred_skills": [],
        "locations": [], "pass_score": 60, "auto_advance": False,
    }
    liu = created(post_application(hr_api, job, files.text_file(files.LIU_YANG)))
    zhou = created(post_application(hr_api, job, files.text_file(files.ZHOU_MIN)))
    assert (liu["screening"]["passed"], zhou["screening"]["passed"]) == (True, False)

    with django_capture_on_commit_callbacks(execute=True):  # re-scoring runs as a task after commit
        replaced = hr_api.put(url, {
            "min_degree": 3, "min_years": 1.5, "required_skills": ["java"], "preferred_skills": ["Selenium", "js"],
            "locations": ["北京"], "pass_score": 50, "auto_advance": True,
        }, format="json")
    assert replaced.status_code == 200, replaced.content
    assert replaced.json() == {
        "min_degree": 3, "min_years": 1.5, "required_skills": ["Java"], "preferred_skills": ["Selenium", "JavaScript"],
        "locations": ["北京"], "pass_score": 50, "auto_advance": True,
    }
    assert hr_api.get(url).json() == replaced.json()
    liu_now = hr_api.get(f"/api/v1/applications/{liu['id']}/").json()
    zhou_now = hr_api.get(f"/api/v1/applications/{zhou['id']}/").json()
    assert (liu_now["screening"]["passed"], liu_now["screening"]["knocked_out_by"]) == (
        False, ["required_skills", "location"],
    )
    assert (zhou_now["screening"]["passed"], zhou_now["screening"]["knocked_out_by"]) == (True, [])
    # A rule change re-scores; it moves nobody, even with auto-advance switched on.
    assert (liu_now["stage"], zhou_now["stage"]) == ("applied", "applied")

    with django_capture_on_commit_callbacks(execute=True):
        patched = hr_api.patch(url, {"pass_score": 100}, format="json")
    assert patched.status_code == 200
    assert patched.json() == replaced.json() | {"pass_score": 100}
    assert hr_api.get(f"/api/v1/applications/{zhou['id']}/").json()["screening"]["passed"] is False


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"min_degree": 6}, "min_degree", "Ensure this value is less than or equal to 5."),
        ({"min_degree": -1}, "min_degree", "Ensure this value is greater than or equal to 0."),
        ({"min_degree": "bachelor"}, "min_degree", "A valid integer is required."),
        ({"min_years": -1}, "min_years", "Ensure this value is greater than or equal to 0."),
        ({"min_years": 61}, "min_years", "Ensure this value is less than or equal to 60."),
        ({"min_years": "three"}, "min_years", "A valid number is required."),
        ({"min_years": 2.25}, "min_years", "Ensure that there are no more than 1 decimal places."),
        ({"pass_score": 101}, "pass_score", "Ensure this value is less than or equal to 100."),
        ({"pass_score": None}, "pass_score", "This field may not be null."),
        ({"required_skills": "Python"}, "required_skills", 'Expected a list of items but got type "str".'),
        ({"preferred_skills": ["Docker", ""]}, "preferred_skills", "item 2: This field may not be blank."),
        ({"locations": [["北京"]]}, "locations", "item 1: Not a valid string."),
        ({"auto_advance": "maybe"}, "auto_advance", "Must be a valid boolean."),
    ],
)
def test_bad_screening_rules_are_a_400_naming_the_field(
    org: dict[str, Any], hr_api: APIClient, payload: dict[str, Any], field: str, message: str
) -> None:
    job = backend_job()
    response = hr_api.patch(f"/api/v1/jobs/{job.pk}/screening-rules/", payload, format="json")
    assert_bad_input(response, field, message)
    rules = ScreeningRules.objects.get(job=job)
    assert (rules.min_degree, float(rules.min_years), rules.required_skills, rules.preferred_skills,
            rules.locations, rules.pass_score, rules.auto_advance) == (3, 3.0, ["Python", "Django"], ["Docker"], [],
                                                                        60, False)


def test_a_put_must_give_every_rule(org: dict[str, Any], hr_api: APIClient) -> None:
    job = backend_job()
    response = hr_api.put(f"/api/v1/jobs/{job.pk}/screening-rules/", {"pass_score": 70}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        field: ["This field is required."]
        for field in ("min_degree", "min_years", "required_skills", "preferred_skills", "locations", "auto_advance")
    }
    assert ScreeningRules.objects.get(job=job).pass_score == 60
