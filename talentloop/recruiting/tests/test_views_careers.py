"""The public careers page: the open jobs, one job with its application form, and the thank-you page.
Real files go through the real upload path (text, DOCX made with python-docx, PDF, empty, PNG)."""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from talentloop.assessment.tests.resume_samples import DANIEL_WU, EMILY_CHEN, ZHANG_WEI, docx_bytes, pdf_bytes
from talentloop.core.testing.factories import DepartmentFactory, JobFactory
from talentloop.org.models import Job, JobLevel
from talentloop.recruiting.forms import consent_wording
from talentloop.recruiting.models import Application, Candidate
from talentloop.recruiting.services.intake import ResumeUpload
from talentloop.recruiting.views import careers

LIST = reverse("careers:job_list")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def visitor(language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def job_url(job: Job) -> str:
    return reverse("careers:job_detail", args=[job.pk])


def text_of(response: Any) -> str:
    """The page as a person reads it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def apply_data(resume: SimpleUploadedFile | None = None, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": "张伟", "email": "", "phone": "", "consent": "on"}
    if resume is not None:
        data["resume"] = resume
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def job(org: dict[str, Any]) -> Job:
    return cast(Job, JobFactory(
        title="高级Java工程师", department=org["departments"]["rd"], status=Job.Status.OPEN,
        level=JobLevel.objects.get(code="senior"),
        description="负责电商交易系统的设计与开发。" * 20, requirements="Java, Spring Boot, MySQL",
    ))


# ------------------------------------------------------------------------------------------------ list


def test_list_shows_open_jobs_with_department_level_and_short_description(job: Job) -> None:
    JobFactory(title="草稿职位", department=job.department, status=Job.Status.DRAFT)
    JobFactory(title="已关闭职位", department=job.department, status=Job.Status.CLOSED)
    JobFactory(title="暂停职位", department=job.department, status=Job.Status.ON_HOLD)

    response = visitor("en").get(LIST)

    assert response.status_code == 200
    page = text_of(response)
    assert response.content.decode().count('data-testid="careers-job"') == 1
    assert "高级Java工程师" in page
    assert "R&amp;D" in response.content.decode()  # the department in the visitor's language
    assert JobLevel.objects.get(code="senior").name_en in page
    for hidden in ("草稿职位", "已关闭职位", "暂停职位"):
        assert hidden not in page
    # The description is cut short on the list; the job page has all of it.
    assert job.description not in page
    assert job.description[:100] in page
    assert f'href="{job_url(job)}"' in response.content.decode()


def test_list_in_chinese_names_the_department_in_chinese(job: Job) -> None:
    response = visitor("zh-hans").get(LIST)

    assert response.status_code == 200
    assert "研发部" in text_of(response)
    assert '<html lang="zh-hans">' in response.content.decode()


def test_list_needs_no_login_and_runs_constant_queries(org: dict[str, Any]) -> None:
    sales = org["departments"]["sales"]
    JobFactory(department=sales, status=Job.Status.OPEN)
    with CaptureQueriesContext(connection) as few:
        assert visitor().get(LIST).status_code == 200
    for _ in range(15):
        JobFactory(department=DepartmentFactory(), status=Job.Status.OPEN)
    with CaptureQueriesContext(connection) as many:
        response = visitor().get(LIST)
    assert response.content.decode().count('data-testid="careers-job"') == 16
    assert len(many) == len(few)


def test_empty_list_says_so(db: Any) -> None:
    response = visitor().get(LIST)

    assert response.status_code == 200
    assert "There are no open jobs at the moment." in text_of(response)


# ------------------------------------------------------------------------------------------------ job page


def test_job_page_shows_the_job_and_the_form_with_consent_and_size_limit(job: Job) -> None:
    response = visitor().get(job_url(job))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="apply-form"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'accept=".pdf,.docx,.txt"' in html
    assert "up to 10 MB" in html
    with translation.override("en"):
        assert consent_wording() in html
    for name in ("name", "email", "phone", "resume", "consent"):
        assert f'name="{name}"' in html
    assert "Spring Boot" in html


def test_draft_and_missing_jobs_are_not_found(org: dict[str, Any]) -> None:
    draft = cast(Job, JobFactory(department=org["departments"]["sales"], status=Job.Status.DRAFT))

    for url in (job_url(draft), reverse("careers:job_detail", args=[999_999])):
        response = visitor().get(url)
        assert response.status_code == 404
        assert "This job is not on our careers page." in text_of(response)


def test_closed_job_says_it_is_closed_without_a_form(job: Job) -> None:
    job.status = Job.Status.CLOSED
    job.save()

    response = visitor().get(job_url(job))

    assert response.status_code == 200
    assert 'data-testid="job-closed"' in response.content.decode()
    assert 'data-testid="apply-form"' not in response.content.decode()


# ------------------------------------------------------------------------------------------------ applying


def test_text_resume_creates_the_application_with_consent_and_language(job: Job) -> None:
    resume = SimpleUploadedFile("zhang_wei.txt", ZHANG_WEI.text().encode(), content_type="text/plain")

    response = visitor("en").post(job_url(job), apply_data(resume, email="zhangwei@example.com"))

    assert response.status_code == 302
    application = Application.objects.select_related("candidate").get()
    candidate = application.candidate
    assert application.job == job
    assert application.stage == "applied"
    assert application.resume_status == Application.ResumeStatus.OK
    assert application.resume_name == "zhang_wei.txt"
    assert "Java" in application.parsed["skills"]
    assert application.screening_score is not None
    assert (candidate.name, candidate.email, candidate.phone) == ("张伟", "zhangwei@example.com", "13812345678")
    assert candidate.source == Candidate.Source.CAREERS_PAGE
    assert candidate.language == "en"
    assert candidate.consent_given_at is not None
    with translation.override("en"):
        assert candidate.consent_text == consent_wording()

    thanks = visitor("en").get(response["Location"])
    assert thanks.status_code == 200
    assert "We have received your application for “高级Java工程师”." in text_of(thanks)
    assert 'data-testid="resume-unreadable"' not in thanks.content.decode()


def test_docx_resume_made_with_python_docx_is_read(job: Job) -> None:
    resume = SimpleUploadedFile(
        "emily.docx", docx_bytes(EMILY_CHEN),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )

    response = visitor("zh-hans").post(job_url(job), apply_data(resume, name="Emily Chen"))

    assert response.status_code == 302
    application = Application.objects.select_related("candidate").get()
    assert application.resume_status == Application.ResumeStatus.OK
    assert "Python" in application.parsed["skills"]
    # Contact details the form left empty come from the resume.
    assert application.candidate.email == "emily.chen@example.com"
    assert application.candidate.language == "zh-hans"


def test_pdf_resume_is_read(job: Job) -> None:
    resume = SimpleUploadedFile("daniel.pdf", pdf_bytes(DANIEL_WU), content_type="application/pdf")

    response = visitor().post(job_url(job), apply_data(resume, name="Daniel Wu", phone="13512345678"))

    assert response.status_code == 302
    assert Application.objects.get().parsed["highest_degree"] == "bachelor"


def test_empty_file_with_contact_details_still_applies_and_the_thank_you_page_says_so(job: Job) -> None:
    resume = SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf")

    response = visitor().post(job_url(job), apply_data(resume, email="someone@example.com"))

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.resume_status == Application.ResumeStatus.UNREADABLE
    assert application.resume_error == "the file is empty"
    thanks = visitor().get(response["Location"])
    page = text_of(thanks)
    assert 'data-testid="resume-unreadable"' in thanks.content.decode()
    assert "We could not read your resume file (the file is empty)." in page
    assert "HR may ask you for another copy." in page


def test_png_without_contact_details_is_refused_on_the_form(job: Job) -> None:
    resume = SimpleUploadedFile("photo.png", PNG, content_type="image/png")

    response = visitor().post(job_url(job), apply_data(resume))

    assert response.status_code == 400
    page = text_of(response)
    assert "The resume cannot be read: this type of file is not supported" in page
    assert "give an email or phone number" in page
    assert 'name="name" value="张伟"' in response.content.decode()  # what was typed is kept
    assert not Application.objects.exists()
    assert not Candidate.objects.exists()


def test_png_with_a_phone_number_applies_with_the_resume_marked_unreadable(job: Job) -> None:
    resume = SimpleUploadedFile("photo.png", PNG, content_type="image/png")

    response = visitor().post(job_url(job), apply_data(resume, phone="138 0013 8000"))

    assert response.status_code == 302
    application = Application.objects.select_related("candidate").get()
    assert application.resume_status == Application.ResumeStatus.UNREADABLE
    assert application.candidate.phone == "13800138000"
    assert "We could not read your resume file" in text_of(visitor().get(response["Location"]))


def test_consent_is_required(job: Job) -> None:
    resume = SimpleUploadedFile("zhang_wei.txt", ZHANG_WEI.text().encode())

    response = visitor().post(job_url(job), apply_data(resume, consent=None, email="zhangwei@example.com"))

    assert response.status_code == 400
    assert "Please agree to the processing of your data to apply." in text_of(response)
    assert not Application.objects.exists()


def test_nothing_to_reach_the_candidate_by_is_refused(job: Job) -> None:
    response = visitor().post(job_url(job), apply_data())

    assert response.status_code == 400
    assert "Upload a resume or give an email or phone number." in text_of(response)


def test_invalid_email_is_shown_next_to_the_field(job: Job) -> None:
    response = visitor().post(job_url(job), apply_data(email="not-an-email"))

    assert response.status_code == 400
    assert 'id="id_email_error"' in response.content.decode()


def test_duplicate_application_is_refused_without_revealing_who_applied(job: Job) -> None:
    first = SimpleUploadedFile("zhang_wei.txt", ZHANG_WEI.text().encode())
    assert visitor().post(job_url(job), apply_data(first, email="zhangwei@example.com")).status_code == 302

    # Someone else typing the same email: the page must not name the first applicant.
    response = visitor().post(job_url(job), apply_data(name="李四", email="ZhangWei@Example.com"))

    assert response.status_code == 400
    page = text_of(response)
    assert "You have already applied for this job with this email address or phone number." in page
    assert "张伟" not in page.replace('value="张伟"', "")
    assert "application " + str(Application.objects.get().pk) not in page
    assert Application.objects.count() == 1


def test_a_job_closed_after_the_page_was_loaded_is_refused_on_the_form(job: Job) -> None:
    job.status = Job.Status.ON_HOLD
    job.save()

    response = visitor().post(job_url(job), apply_data(email="someone@example.com"))

    assert response.status_code == 400
    assert "This job is not open for applications." in text_of(response)
    assert not Application.objects.exists()


def test_a_file_over_the_limit_applies_with_the_resume_marked_too_large(
    job: Job, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(careers, "MAX_RESUME_BYTES", 1000)
    resume = SimpleUploadedFile("big.txt", ZHANG_WEI.text().encode() * 5)

    response = visitor().post(job_url(job), apply_data(resume, email="big@example.com"))

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.resume_status == Application.ResumeStatus.UNREADABLE
    assert application.resume_error == "the file is larger than 10 MB"
    assert not application.resume
    assert application.resume_sha256 == ""


def test_the_size_is_checked_before_the_file_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    class MustNotBeRead(SimpleUploadedFile):
        def read(self, *args: Any) -> bytes:
            raise AssertionError("a file over the limit was read")

    monkeypatch.setattr(careers, "MAX_RESUME_BYTES", 1000)

    assert careers.resume_upload(MustNotBeRead("big.pdf", b"x" * 1001)) == ResumeUpload("big.pdf", None, 1001)
    assert careers.resume_upload(SimpleUploadedFile("ok.txt", b"x" * 1000)) == ResumeUpload("ok.txt", b"x" * 1000, 1000)


def test_thank_you_page_with_a_forged_token_is_generic(job: Job) -> None:
    url = reverse("careers:application_thanks", args=[job.pk])

    response = visitor().get(url + "?a=forged")

    assert response.status_code == 200
    assert "Thank you for applying" in text_of(response)
    assert 'data-testid="resume-unreadable"' not in response.content.decode()
    # A token for another job's application says nothing about it either.
    token = signing.dumps(123, salt=careers.THANKS_SALT)
    assert visitor().get(f"{url}?a={token}").status_code == 200
