"""The recruiting REST API under /api/v1/: candidates, applications, uploads with real (and broken) resume
files, ranking, screening rules, transitions, notes and the resume download. The public contract field by
field, filters, bad input (a 400 naming the field, nothing written), the permission matrix by role and the
query budget of the lists."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from talentloop.core.models import AuditEntry, User
from talentloop.core.services import api_token_issue
from talentloop.core.testing.factories import DepartmentFactory, JobFactory
from talentloop.org.models import Job
from talentloop.recruiting.models import (
    Application,
    ApplicationNote,
    Candidate,
    ScreeningRules,
    StageChange,
)
from talentloop.recruiting.services import intake
from talentloop.recruiting.tests import files

pytestmark = pytest.mark.django_db

LIST_KEYS = {"count", "next", "previous", "results"}
APPLICATION_KEYS = {
    "id", "candidate", "job", "stage", "stage_changed_at", "resume_name", "resume_status", "resume_error",
    "resume_url", "parsed", "screening", "written_test_score", "stage_history", "created_at",
}
SCREENING_KEYS = {"score", "passed", "matched", "missing", "knocked_out_by", "subscores", "engine"}
CANDIDATE_KEYS = {"id", "name", "email", "phone", "location", "source", "consent_given_at", "language", "applications"}
BACKEND_RULES: dict[str, Any] = {
    "min_degree": 3, "min_years": 3, "required_skills": ["Python", "Django"], "preferred_skills": ["Docker"],
    "locations": [], "pass_score": 60,
}
SIZE_LIMIT = "the file is larger than 10 MB"


@pytest.fixture(autouse=True)
def _english(api: APIClient) -> None:
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def hr_api(org: dict[str, Any], api_as: Any) -> APIClient:
    client: APIClient = api_as(org["users"]["hr"])
    return client


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


# --- broken and hostile files: never a 500, never half a record ---------------------------------------------

BAD_FILES: list[tuple[str, Callable[[], files.ResumeFile], str]] = [
    ("corrupt PDF", files.corrupt_pdf, "the file is damaged and cannot be opened"),
    ("encrypted PDF", files.encrypted_pdf, "the file is protected by a password"),
    ("DOCX zip bomb", files.zip_bomb_docx, "the document expands to an unsafe size and was not opened"),
    ("image-only PDF", files.image_only_pdf,
     "the PDF contains only images (a scan?); text recognition (OCR) is not supported"),
    ("empty file", files.empty_file, "the file is empty"),
    ("PNG image", files.png_image,
     "this type of file is not supported; upload a PDF, a Word (.docx) or a text file"),
]


@pytest.mark.parametrize(("label", "make", "problem"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_an_unreadable_resume_with_contact_details_is_a_201_marked_unreadable(
    org: dict[str, Any], hr_api: APIClient, label: str, make: Callable[[], files.ResumeFile], problem: str
) -> None:
    resume = make()
    body = created(post_application(hr_api, make_job(), resume, name="周敏", email="zm@example.cn"))
    application = Application.objects.get()
    assert (body["resume_status"], body["resume_error"], body["resume_name"]) == ("unreadable", problem, resume.name)
    assert (body["parsed"], body["screening"], body["stage"]) == (None, None, "applied")
    assert body["candidate"] == {"id": application.candidate_id, "name": "周敏", "email": "zm@example.cn", "phone": ""}
    assert body["resume_url"] == f"http://testserver/api/v1/applications/{application.pk}/resume/"
    assert rows() == (1, 1, 0)


@pytest.mark.parametrize(("label", "make", "problem"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_an_unreadable_resume_without_contact_details_is_a_400_naming_the_problem(
    org: dict[str, Any], hr_api: APIClient, label: str, make: Callable[[], files.ResumeFile], problem: str
) -> None:
    response = post_application(hr_api, make_job(), make(), name="周敏")
    message = f"The resume cannot be read: {problem}. Upload another file, or give an email or phone number."
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"resume": [message]}}
    assert rows() == (0, 0, 0)


def test_a_text_file_named_pdf_is_read_as_text(org: dict[str, Any], hr_api: APIClient) -> None:
    body = created(post_application(hr_api, backend_job(), files.text_named_pdf(files.ZHOU_MIN)))
    assert (body["resume_name"], body["resume_status"], body["resume_error"]) == ("zhou_min.pdf", "ok", "")
    assert body["candidate"]["name"] == "周敏"
    assert body["parsed"]["skills"] == ["Java", "Test Automation", "Selenium"]
    assert (body["screening"]["passed"], body["screening"]["knocked_out_by"]) == (
        False, ["min_years", "required_skills"],
    )


@pytest.fixture
def spy_on_intake(monkeypatch: pytest.MonkeyPatch) -> list[intake.ResumeUpload | None]:
    """What the API hands to the intake service, to check an oversized upload arrives without its bytes."""
    seen: list[intake.ResumeUpload | None] = []
    original = intake.application_create

    def spy(**kwargs: Any) -> Application:
        seen.append(kwargs["resume"])
        return original(**kwargs)

    monkeypatch.setattr(intake, "application_create", spy)
    return seen


@pytest.mark.parametrize(
    ("contact", "status", "outcome"),
    [
        ({"email": "big@example.com"}, 201, SIZE_LIMIT),
        ({}, 400, f"The resume cannot be read: {SIZE_LIMIT}. Upload another file, or give an email or phone number."),
    ],
)
def test_a_50_mb_upload_is_refused_by_its_size_without_being_read(
    org: dict[str, Any], hr_api: APIClient, tmp_path: Path, spy_on_intake: list[intake.ResumeUpload | None],
    contact: dict[str, str], status: int, outcome: str,
) -> None:
    huge = files.sparse_file(tmp_path, 50)
    size = 50 * 1024 * 1024
    assert huge.stat().st_size == size
    started = time.monotonic()
    with huge.open("rb") as handle:
        response = hr_api.post(
            f"/api/v1/jobs/{make_job().pk}/applications/", {"resume": handle, **contact}, format="multipart"
        )
    assert time.monotonic() - started < 20
    assert response.status_code == status
    assert spy_on_intake == [intake.ResumeUpload("huge.pdf", None, size)]
    if status == 201:
        body = response.json()
        assert (body["resume_status"], body["resume_error"], body["resume_url"]) == ("unreadable", outcome, None)
        assert rows() == (1, 1, 0)
    else:
        assert response.json() == {"detail": outcome, "errors": {"resume": [outcome]}}
        assert rows() == (0, 0, 0)


# --- candidates -------------------------------------------------------------------------------------------


def test_candidate_contract_search_and_update(org: dict[str, Any], hr_api: APIClient) -> None:
    job = make_job()
    liu = created(post_application(hr_api, job, files.text_file(files.LIU_YANG), consent="true"))
    zhou = created(post_application(hr_api, job, files.text_file(files.ZHOU_MIN)))
    candidate = Candidate.objects.get(pk=liu["candidate"]["id"])
    detail = hr_api.get(f"/api/v1/candidates/{candidate.pk}/").json()
    assert set(detail) == CANDIDATE_KEYS
    assert detail == {
        "id": candidate.pk, "name": "Liu Yang", "email": "liu.yang@example.com", "phone": "13600001111",
        "location": "上海", "source": "api", "consent_given_at": iso(candidate.consent_given_at),
        "language": "zh-hans", "applications": [liu["id"]],
    }

    def names(search: str) -> list[str]:
        response = hr_api.get("/api/v1/candidates/", {"search": search})
        assert response.status_code == 200
        assert set(response.json()) == LIST_KEYS
        return [row["name"] for row in response.json()["results"]]

    assert names("") == ["周敏", "Liu Yang"]
    assert names("liu y") == ["Liu Yang"]
    assert names("EXAMPLE.CN") == ["周敏"]
    assert names("137-0000") == ["周敏"]
    assert names("+86 136 0000 1111") == ["Liu Yang"]
    assert names("nobody") == []

    updated = hr_api.patch(
        f"/api/v1/candidates/{candidate.pk}/",
        {"name": "刘洋", "phone": "+86 136-0000-9999", "language": "en", "consent_given_at": None,
         "applications": [zhou["id"]]},
        format="json",
    )
    assert updated.status_code == 200
    assert updated.json() == detail | {"name": "刘洋", "phone": "13600009999", "language": "en"}
    assert AuditEntry.objects.filter(object_type="recruiting.candidate").count() == 3
    replaced = hr_api.put(f"/api/v1/candidates/{candidate.pk}/", {"location": "杭州"}, format="json")
    assert replaced.status_code == 200
    assert replaced.json()["location"] == "杭州"
    assert replaced.json()["name"] == "刘洋"


def test_candidate_updates_keep_contacts_unique(org: dict[str, Any], hr_api: APIClient) -> None:
    job = make_job()
    created(post_application(hr_api, job, files.text_file(files.LIU_YANG)))
    zhou = created(post_application(hr_api, job, files.text_file(files.ZHOU_MIN)))["candidate"]
    url = f"/api/v1/candidates/{zhou['id']}/"
    assert_bad_input(hr_api.patch(url, {"email": "LIU.YANG@example.com"}, format="json"), "email",
                     "Another candidate already has this email address.")
    assert_bad_input(hr_api.patch(url, {"phone": "136 0000 1111"}, format="json"), "phone",
                     "Another candidate already has this phone number.")
    assert_bad_input(hr_api.patch(url, {"email": "broken"}, format="json"), "email", "Enter a valid email address.")
    assert_bad_input(hr_api.patch(url, {"source": "tv"}, format="json"), "source", '"tv" is not a valid choice.')
    assert hr_api.get(url).json()["email"] == "zhoumin@example.cn"


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999", "0", "424242"])
def test_unknown_ids_are_a_404(org: dict[str, Any], hr_api: APIClient, pk: str) -> None:
    for url in (f"/api/v1/candidates/{pk}/", f"/api/v1/applications/{pk}/"):
        response = hr_api.get(url)
        assert response.status_code == 404, url


# --- the application list ---------------------------------------------------------------------------------


def test_application_list_filters(org: dict[str, Any], hr_api: APIClient) -> None:
    backend, other = backend_job(), make_job(title="Tester")
    liu = created(post_application(hr_api, backend, files.text_file(files.LIU_YANG)))
    zhou = created(post_application(hr_api, backend, files.text_file(files.ZHOU_MIN)))
    he = created(post_application(hr_api, other, files.text_file(files.HE_JING)))
    hr_api.post(f"/api/v1/applications/{zhou['id']}/transition/", {"to": "rejected"}, format="json")

    def ids(**params: Any) -> list[int]:
        response = hr_api.get("/api/v1/applications/", params)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == LIST_KEYS
        assert body["count"] == len(body["results"])
        return [row["id"] for row in body["results"]]

    assert ids() == [he["id"], zhou["id"], liu["id"]]
    assert ids(job=backend.pk) == [zhou["id"], liu["id"]]
    assert ids(job=other.pk) == [he["id"]]
    assert ids(stage="rejected") == [zhou["id"]]
    assert ids(stage="applied") == [he["id"], liu["id"]]
    assert ids(job=backend.pk, stage="applied") == [liu["id"]]
    assert ids(search="周") == [zhou["id"]]
    assert ids(search="HE.JING@") == [he["id"]]
    assert ids(search="136-0000-1111") == [liu["id"]]
    assert ids(search="  ") == [he["id"], zhou["id"], liu["id"]]
    assert ids(job=424242) == []
    assert_bad_input(hr_api.get("/api/v1/applications/", {"stage": "bogus"}), "stage",
                     '"bogus" is not a valid choice.')
    assert_bad_input(hr_api.get("/api/v1/applications/", {"job": "abc"}), "job", "A valid integer is required.")


def test_a_manager_lists_only_applications_of_jobs_in_their_department_subtree(
    org: dict[str, Any], api_as: Any, hr_api: APIClient
) -> None:
    team = DepartmentFactory(code="SALES-EAST", parent=org["departments"]["sales"])
    sales_job = make_job(department=org["departments"]["sales"])
    team_job = make_job(department=team)
    rd_job = make_job(department=org["departments"]["rd"])
    own = created(post_application(hr_api, sales_job, email="a@example.com"))
    below = created(post_application(hr_api, team_job, email="b@example.com"))
    created(post_application(hr_api, rd_job, email="c@example.com"))
    manager = api_as(org["users"]["manager"])
    body = manager.get("/api/v1/applications/").json()
    assert [row["id"] for row in body["results"]] == [below["id"], own["id"]]
    assert manager.get("/api/v1/applications/", {"job": rd_job.pk}).json()["count"] == 0


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


# --- transitions ------------------------------------------------------------------------------------------


def test_a_transition_is_recorded_and_the_candidate_gets_the_stage_email(
    org: dict[str, Any], api_as: Any, hr_api: APIClient, django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    job = make_job(department=org["departments"]["sales"])
    application = created(post_application(hr_api, job, files.text_file(files.LIU_YANG), language="en"))
    manager = org["users"]["manager"]
    client = api_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/applications/{application['id']}/transition/",
            {"to": "interview", "reason": "Great written sample"}, format="json",
        )
    assert response.status_code == 200, response.content
    body = response.json()
    change = StageChange.objects.get()
    assert body["stage"] == "interview"
    assert body["stage_changed_at"] == iso(Application.objects.get().stage_changed_at)
    assert body["stage_history"] == [{
        "from": "applied", "to": "interview", "actor": manager.pk, "reason": "Great written sample",
        "at": iso(change.at),
    }]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["liu.yang@example.com"], "TalentLoop: interview for Backend Engineer"),
    ]
    assert mailoutbox[0].body.startswith("Dear Liu Yang,")


def test_a_transition_that_is_not_allowed_is_a_409_with_the_reason(
    org: dict[str, Any], hr_api: APIClient, mailoutbox: list[Any]
) -> None:
    application = created(post_application(hr_api, make_job(), email="a@example.com"))
    url = f"/api/v1/applications/{application['id']}/transition/"
    to_hired = hr_api.post(url, {"to": "hired"}, format="json")
    assert to_hired.status_code == 409
    assert to_hired.json() == {"detail": "Only a candidate who accepted an offer can be hired."}
    same = hr_api.post(url, {"to": "applied"}, format="json")
    assert (same.status_code, same.json()) == (409, {"detail": "The application is already in this stage."})
    assert hr_api.post(url, {"to": "rejected", "reason": "Not a fit"}, format="json").status_code == 200
    closed = hr_api.post(url, {"to": "interview"}, format="json")
    assert closed.status_code == 409
    assert closed.json() == {"detail": "The application is closed (Rejected); it cannot move any more."}
    assert list(StageChange.objects.values_list("from_stage", "to_stage", "reason")) == [
        ("applied", "rejected", "Not a fit"),
    ]


def test_bad_transition_input_is_a_400(org: dict[str, Any], hr_api: APIClient) -> None:
    application = created(post_application(hr_api, make_job(), email="a@example.com"))
    url = f"/api/v1/applications/{application['id']}/transition/"
    assert_bad_input(hr_api.post(url, {"to": "promoted"}, format="json"), "to", '"promoted" is not a valid choice.')
    assert_bad_input(hr_api.post(url, {}, format="json"), "to", "This field is required.")
    assert_bad_input(hr_api.post(url, {"to": "screening", "reason": "x" * 501}, format="json"), "reason",
                     "Ensure this field has no more than 500 characters.")
    assert StageChange.objects.count() == 0


# --- notes ------------------------------------------------------------------------------------------------


def test_notes_are_added_and_listed_newest_first(org: dict[str, Any], api_as: Any, hr_api: APIClient) -> None:
    application = created(post_application(hr_api, make_job(department=org["departments"]["sales"]),
                                           email="a@example.com"))
    url = f"/api/v1/applications/{application['id']}/notes/"
    first = hr_api.post(url, {"text": "  Call back on Monday  "}, format="json")
    assert first.status_code == 201
    note = ApplicationNote.objects.get()
    assert first.json() == {
        "id": note.pk, "author": org["users"]["hr"].pk, "text": "Call back on Monday",
        "created_at": iso(note.created_at),
    }
    manager = api_as(org["users"]["manager"])
    second = manager.post(url, {"text": "经理：安排二面"}, format="json")
    assert second.status_code == 201
    listed = manager.get(url)
    assert listed.status_code == 200
    body = listed.json()
    assert set(body) == LIST_KEYS
    assert body["count"] == 2
    assert body["results"] == [second.json(), first.json()]
    assert_bad_input(manager.post(url, {"text": "   "}, format="json"), "text", "This field may not be blank.")
    assert_bad_input(manager.post(url, {"text": "x" * 5001}, format="json"), "text",
                     "Ensure this field has no more than 5000 characters.")
    assert ApplicationNote.objects.count() == 2
    assert hr_api.get("/api/v1/applications/424242/notes/").status_code == 404


# --- the resume download ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "content_type"),
    [
        (lambda: files.pdf_file(files.LIU_YANG), "application/pdf"),
        (lambda: files.docx_file(files.LIU_YANG), files.DOCX_TYPE),
        (lambda: files.text_file(files.LIU_YANG), "text/plain"),
        (lambda: files.text_named_pdf(files.LIU_YANG), "application/octet-stream"),
        (files.png_image, "image/png"),
    ],
)
def test_the_resume_downloads_as_an_attachment_with_its_type(
    org: dict[str, Any], hr_api: APIClient, make: Callable[[], files.ResumeFile], content_type: str
) -> None:
    resume = make()
    body = created(post_application(hr_api, make_job(), resume, email="liu.yang@example.com"))
    client = Client()
    client.force_login(org["users"]["recruiter"])
    response = client.get(body["resume_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{resume.name}"'
    assert response["Content-Length"] == str(len(resume.data))
    assert response.getvalue() == resume.data


def test_a_chinese_file_name_is_encoded_for_the_browser(org: dict[str, Any], hr_api: APIClient) -> None:
    resume = files.pdf_file(files.ZHOU_MIN, name="周敏的简历.pdf")
    body = created(post_application(hr_api, make_job(), resume))
    client = Client()
    client.force_login(org["users"]["hr"])
    response = client.get(body["resume_url"])
    assert response.status_code == 200
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('周敏的简历.pdf')}"
    assert response.getvalue() == resume.data


def test_the_resume_download_checks_who_asks(org: dict[str, Any], hr_api: APIClient) -> None:
    sales = created(post_application(hr_api, make_job(department=org["departments"]["sales"]),
                                     files.pdf_file(files.LIU_YANG)))
    rd = created(post_application(hr_api, make_job(department=org["departments"]["rd"]),
                                  files.pdf_file(files.ZHOU_MIN)))
    no_file = created(post_application(hr_api, make_job(), email="nofile@example.com"))
    url = "/api/v1/applications/{}/resume/"

    def status(user_key: str | None, pk: int, **headers: Any) -> tuple[int, dict[str, Any]]:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user_key:
            client.force_login(org["users"][user_key])
        response = client.get(url.format(pk), **headers)
        payload = {} if response.streaming else response.json()
        return response.status_code, payload

    assert status("hr", sales["id"])[0] == 200
    assert status("manager", sales["id"])[0] == 200
    assert status("manager", rd["id"]) == (403, {"detail": "You do not have permission to see this application."})
    assert status("employee", sales["id"]) == (
        403, {"detail": "You do not have permission to see recruiting records."},
    )
    assert status("candidate", sales["id"])[0] == 403
    assert status(None, sales["id"]) == (401, {"detail": "Authentication credentials were not provided."})
    assert status("hr", no_file["id"]) == (404, {"detail": "This application has no stored resume file."})
    assert status("hr", 424242) == (404, {"detail": "No such application."})

    token = api_token_issue(user=org["users"]["recruiter"])
    assert status(None, sales["id"], HTTP_AUTHORIZATION=f"Bearer {token}")[0] == 200
    assert status(None, sales["id"], HTTP_AUTHORIZATION="Bearer not-a-token") == (
        401, {"detail": "Invalid token."},
    )
    employee_token = api_token_issue(user=org["users"]["employee"])
    assert status(None, sales["id"], HTTP_AUTHORIZATION=f"Bearer {employee_token}")[0] == 403
    posted = Client()
    posted.force_login(org["users"]["hr"])
    assert posted.post(url.format(sales["id"])).status_code == 405


# --- the permission matrix --------------------------------------------------------------------------------

ROLES = ["hr", "recruiter", "manager", "employee", "candidate", None]
# (method, path, payload) -> status for hr, recruiter, manager, employee, candidate, anonymous. "{sales}" is an
# application of a job in the manager's department, "{rd}" one outside it; "{sales_job}", "{rd_job}" their jobs.
# An application outside the manager's reach is a 403 (it exists; ask), a job outside it a 404.
MATRIX: list[tuple[str, str, dict[str, Any] | None, tuple[int, ...]]] = [
    ("get", "/api/v1/candidates/", None, (200, 200, 403, 403, 403, 401)),
    ("get", "/api/v1/candidates/{sales_candidate}/", None, (200, 200, 403, 403, 403, 401)),
    ("patch", "/api/v1/candidates/{sales_candidate}/", {"location": "上海"}, (200, 200, 403, 403, 403, 401)),
    ("get", "/api/v1/applications/", None, (200, 200, 200, 403, 403, 401)),
    ("get", "/api/v1/applications/{sales}/", None, (200, 200, 200, 403, 403, 401)),
    ("get", "/api/v1/applications/{rd}/", None, (200, 200, 403, 403, 403, 401)),
    ("post", "/api/v1/jobs/{sales_job}/applications/", {"email": "new@example.com"}, (201, 201, 403, 403, 403, 401)),
    ("get", "/api/v1/jobs/{sales_job}/ranking/", None, (200, 200, 200, 403, 403, 401)),
    ("get", "/api/v1/jobs/{rd_job}/ranking/", None, (200, 200, 404, 403, 403, 401)),
    ("get", "/api/v1/jobs/{sales_job}/screening-rules/", None, (200, 200, 403, 403, 403, 401)),
    ("patch", "/api/v1/jobs/{sales_job}/screening-rules/", {"pass_score": 70}, (200, 200, 403, 403, 403, 401)),
    ("put", "/api/v1/jobs/{sales_job}/screening-rules/", {"pass_score": 70}, (400, 400, 403, 403, 403, 401)),
    ("post", "/api/v1/applications/{sales}/transition/", {"to": "interview"}, (200, 200, 200, 403, 403, 401)),
    ("post", "/api/v1/applications/{rd}/transition/", {"to": "interview"}, (200, 200, 403, 403, 403, 401)),
    ("get", "/api/v1/applications/{sales}/notes/", None, (200, 200, 200, 403, 403, 401)),
    ("post", "/api/v1/applications/{sales}/notes/", {"text": "Seen"}, (201, 201, 201, 403, 403, 401)),
    ("get", "/api/v1/applications/{rd}/notes/", None, (200, 200, 403, 403, 403, 401)),
    ("post", "/api/v1/applications/{rd}/notes/", {"text": "Seen"}, (201, 201, 403, 403, 403, 401)),
]


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=[str(role) for role in ROLES])
@pytest.mark.parametrize(("method", "path", "payload", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
def test_permission_matrix(
    org: dict[str, Any], api: APIClient, method: str, path: str, payload: dict[str, Any] | None,
    expected: tuple[int, ...], role_index: int,
) -> None:
    sales_job = make_job(department=org["departments"]["sales"])
    rd_job = make_job(department=org["departments"]["rd"])
    hr = org["users"]["hr"]
    sales = intake.application_create(actor=hr, job=sales_job, resume=None, email="s@example.com")
    rd = intake.application_create(actor=hr, job=rd_job, resume=None, email="r@example.com")
    url = path.format(
        sales=sales.pk, rd=rd.pk, sales_job=sales_job.pk, rd_job=rd_job.pk, sales_candidate=sales.candidate_id
    )
    role = ROLES[role_index]
    if role is not None:
        api.force_authenticate(user=org["users"][role])
    before = rows(), ApplicationNote.objects.count()
    response = getattr(api, method)(url, payload, format="json") if payload is not None else api.get(url)
    assert response.status_code == expected[role_index], response.content
    if response.status_code >= 400:
        assert (rows(), ApplicationNote.objects.count()) == before
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == "Bearer"


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
