"""The recruiting REST API under /api/v1/: uploads with real, broken and hostile resume files (never a 500,
never half a record) and the resume download."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from rest_framework.test import APIClient

from talentloop.core.services import api_token_issue
from talentloop.recruiting.models import Application
from talentloop.recruiting.services import intake
from talentloop.recruiting.tests import files
from talentloop.recruiting.tests._api_support import backend_job, created, make_job, post_application, rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]

SIZE_LIMIT = "the file is larger than 10 MB"


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
