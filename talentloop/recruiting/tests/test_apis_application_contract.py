"""The recruiting REST API under /api/v1/: the application's public contract field by field, contact
details, auto-advance and duplicate applications."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate
from talentloop.recruiting.tests import files
from talentloop.recruiting.tests._api_support import (
    SCREENING_KEYS,
    assert_bad_input,
    backend_job,
    created,
    iso,
    make_job,
    post_application,
    rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]

APPLICATION_KEYS = {
    "id", "candidate", "job", "stage", "stage_changed_at", "resume_name", "resume_status", "resume_error",
    "resume_url", "parsed", "screening", "written_test_score", "stage_history", "created_at",
}


# --- the application contract -----------------------------------------------------------------------------


def test_an_uploaded_pdf_gives_the_application_field_by_field(org: dict[str, Any], hr_api: APIClient) -> None:
    job = backend_job()
    resume = files.pdf_file(files.LIU_YANG)
    body = created(post_application(hr_api, job, resume, consent="true", source="referral"))
    application = Application.objects.get()
    candidate = application.candidate
    assert set(body) == APPLICATION_KEYS
    assert body["id"] == application.pk
    assert body["candidate"] == {
        "id": candidate.pk, "name": "Liu Yang", "email": "liu.yang@example.com", "phone": "13600001111",
    }
    assert (body["job"], body["stage"], body["written_test_score"], body["stage_history"]) == (
        job.pk, "applied", None, [],
    )
    assert (body["resume_name"], body["resume_status"], body["resume_error"]) == ("liu_yang.pdf", "ok", "")
    assert body["resume_url"] == f"http://testserver/api/v1/applications/{application.pk}/resume/"
    assert body["parsed"] == {
        "name": "Liu Yang",
        "emails": ["liu.yang@example.com"],
        "phones": ["13600001111"],
        "location": "上海",
        "education": [{"degree": "bachelor", "school": "Tongji University", "major": "Computer Science",
                       "start_year": 2010, "end_year": 2014}],
        "highest_degree": "bachelor",
        "work_history": [{"employer": "Meituan", "title": "Backend Engineer", "start": "2014-07", "end": "2020-06"}],
        "total_years_experience": 5.9,
        "skills": ["Python", "Django", "PostgreSQL", "Redis", "Docker"],
        "languages": [],
        "certificates": [],
        "engine": "talentloop-resume-parser",
        "engine_version": "1.0",
    }
    assert set(body["screening"]) == SCREENING_KEYS
    assert body["screening"] == {
        "score": application.screening_score,
        "passed": True,
        "matched": [
            "Python (required)", "Django (required)", "Docker (preferred)", "has 5.9 years (needs ≥ 3)",
            "bachelor's degree (needs bachelor's degree or higher)",
        ],
        "missing": [],
        "knocked_out_by": [],
        "subscores": {
            "required_skills": 100.0, "preferred_skills": 100.0, "experience": 100.0, "education": 100.0,
            "similarity": application.screening["subscores"]["similarity"],
        },
        "engine": {"name": "talentloop-screening", "version": "1.0"},
    }
    assert body["stage_changed_at"] == iso(application.stage_changed_at)
    assert body["created_at"] == iso(application.created_at)
    assert body["created_at"].endswith("+08:00")
    # What the upload returned is what a read returns.
    assert hr_api.get(f"/api/v1/applications/{application.pk}/").json() == body
    assert (candidate.source, candidate.consent_text) == ("referral", "Confirmed by hr through the API.")
    assert candidate.consent_given_at is not None


def test_without_a_resume_contact_details_are_enough(org: dict[str, Any], hr_api: APIClient) -> None:
    body = created(post_application(hr_api, make_job(), name="王芳", phone="+86 186-0000-1234", language="en"))
    assert (body["resume_name"], body["resume_status"], body["resume_url"], body["parsed"], body["screening"]) == (
        "", "missing", None, None, None,
    )
    candidate = Candidate.objects.get()
    assert (candidate.name, candidate.phone, candidate.source, candidate.language, candidate.consent_given_at) == (
        "王芳", "18600001234", "api", "en", None,
    )
    as_json = hr_api.post(
        f"/api/v1/jobs/{make_job().pk}/applications/", {"email": "wf@example.com", "name": "王芳"}, format="json"
    )
    assert created(as_json)["candidate"]["id"] != candidate.pk


def test_a_job_that_does_not_exist_is_a_404(org: dict[str, Any], hr_api: APIClient) -> None:
    response = post_application(hr_api, Job(pk=987654), files.text_file(files.LIU_YANG))
    assert response.status_code == 404
    assert response.json() == {"detail": "No such job, or you may not see its candidates."}
    assert rows() == (0, 0, 0)


def test_bad_contact_fields_are_a_400_naming_the_field(org: dict[str, Any], hr_api: APIClient) -> None:
    job = make_job()
    assert_bad_input(post_application(hr_api, job, email="nope"), "email", "Enter a valid email address.")
    assert_bad_input(post_application(hr_api, job, email="a@example.com", source="newspaper"), "source",
                     '"newspaper" is not a valid choice.')
    assert_bad_input(post_application(hr_api, job, email="a@example.com", language="fr"), "language",
                     '"fr" is not a valid choice.')
    assert_bad_input(post_application(hr_api, job, name="x" * 101, email="a@example.com"), "name",
                     "Ensure this field has no more than 100 characters.")
    nothing = post_application(hr_api, job, name="无名")
    assert nothing.status_code == 400
    assert nothing.json() == {
        "detail": "Upload a resume or give an email or phone number.",
        "errors": {"resume": ["Upload a resume or give an email or phone number."]},
    }
    assert rows() == (0, 0, 0)


# --- auto-advance and duplicates through the API ----------------------------------------------------------


def test_auto_advance_moves_a_passing_upload_and_leaves_a_failing_one(
    org: dict[str, Any], hr_api: APIClient, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    job = backend_job(auto_advance=True)
    with django_capture_on_commit_callbacks(execute=True):
        passing = created(post_application(hr_api, job, files.docx_file(files.LIU_YANG)))
        failing = created(post_application(hr_api, job, files.pdf_file(files.ZHOU_MIN)))
    score = passing["screening"]["score"]
    assert passing["stage"] == "ai_interview"
    assert [{k: v for k, v in step.items() if k != "at"} for step in passing["stage_history"]] == [
        {"from": "applied", "to": "ai_interview", "actor": None, "reason": f"Passed automatic screening with {score}."},
    ]
    assert (failing["stage"], failing["screening"]["passed"], failing["stage_history"]) == ("applied", False, [])
    # The candidate's language is the site's (Chinese): the invitation goes out in Chinese.
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["liu.yang@example.com"], "TalentLoop：Backend Engineer 职位 AI 面试邀请"),
    ]
    assert "Liu Yang" in mailoutbox[0].body


def test_one_candidate_per_person_across_jobs(org: dict[str, Any], hr_api: APIClient) -> None:
    first = created(post_application(hr_api, make_job(), email="Liu.Yang@Example.COM"))
    second = created(post_application(hr_api, make_job(title="Python Developer"), files.text_file(files.LIU_YANG)))
    third = created(post_application(hr_api, make_job(title="Tech Lead"), phone="+86 136-0000-1111"))
    assert first["candidate"]["id"] == second["candidate"]["id"] == third["candidate"]["id"]
    candidates = hr_api.get("/api/v1/candidates/").json()
    assert candidates["count"] == 1
    row = candidates["results"][0]
    assert (row["name"], row["email"], row["phone"], row["location"]) == (
        "Liu Yang", "liu.yang@example.com", "13600001111", "上海",
    )
    assert row["applications"] == [first["id"], second["id"], third["id"]]


def test_applying_again_to_the_same_job_is_a_409_naming_the_application(
    org: dict[str, Any], hr_api: APIClient
) -> None:
    job = make_job()
    first = created(post_application(hr_api, job, files.text_file(files.LIU_YANG)))
    again = post_application(hr_api, job, files.pdf_file(files.LIU_YANG), email="LIU.YANG@example.com")
    assert again.status_code == 409
    assert again.json() == {"detail": f"Liu Yang has already applied for this job (application {first['id']})."}
    assert rows() == (1, 1, 0)
