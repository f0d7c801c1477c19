"""services.intake: applications coming in with real resume files; one candidate per person whatever the
spelling of their email or phone; unreadable resumes never lose a candidate who left contact details, and
never leave anything half-written when they did not; HR's corrections to a candidate."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, cast

import pytest

from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.core.testing.factories import JobFactory
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate, StageChange
from talentloop.recruiting.services import intake
from talentloop.recruiting.services.intake import (
    ResumeUpload,
    application_create,
    candidate_update,
    normalise_phone,
)
from talentloop.recruiting.tests import files

pytestmark = pytest.mark.django_db


def make_job(**fields: Any) -> Job:
    return cast(Job, JobFactory(**{"title": "Backend Engineer", **files.BACKEND_JOB_TEXT, **fields}))


def upload(resume: files.ResumeFile) -> ResumeUpload:
    return ResumeUpload(resume.name, resume.data, len(resume.data))


def rows() -> tuple[int, int, int]:
    return Candidate.objects.count(), Application.objects.count(), StageChange.objects.count()


# --- phone numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "digits"),
    [
        ("13812345678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-138-1234-5678", "13812345678"),
        ("(+86) 186-0000-1234", "18600001234"),
        ("8613812345678", "13812345678"),
        ("+1 415 555 0100", "14155550100"),
        ("010-6552 8888", "01065528888"),
        ("", ""),
        ("no number", ""),
    ],
)
def test_phone_numbers_are_stored_as_digits_without_the_china_prefix(given: str, digits: str) -> None:
    assert normalise_phone(given) == digits


# --- good resumes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [files.text_file, files.pdf_file, files.docx_file])
def test_a_resume_gives_the_candidate_their_details_and_is_stored(
    org: dict[str, Any], make: Callable[[Any], files.ResumeFile]
) -> None:
    job = make_job()
    resume = make(files.LIU_YANG)
    application = application_create(actor=org["users"]["recruiter"], job=job, resume=upload(resume))
    application.refresh_from_db()
    candidate = application.candidate
    assert (candidate.name, candidate.email, candidate.phone, candidate.location) == (
        "Liu Yang", "liu.yang@example.com", "13600001111", "上海",
    )
    assert (candidate.source, candidate.language, candidate.consent_given_at) == ("other", "zh-hans", None)
    assert (application.stage, application.resume_status, application.resume_error) == ("applied", "ok", "")
    assert application.resume_name == resume.name
    assert application.resume_sha256 == hashlib.sha256(resume.data).hexdigest()
    with application.resume.open("rb") as stored:
        assert stored.read() == resume.data
    assert "Python, Django, PostgreSQL, Redis, Docker" in application.resume_text
    assert application.parsed["skills"] == ["Python", "Django", "PostgreSQL", "Redis", "Docker"]
    assert application.parsed["highest_degree"] == "bachelor"
    assert application.parsed["total_years_experience"] == 5.9
    assert application.screening_passed is True
    assert application.screening["passed"] is True
    assert application.screening_score == application.screening["score"]


def test_details_given_by_the_caller_win_over_the_resume(org: dict[str, Any]) -> None:
    application = application_create(
        actor=org["users"]["hr"], job=make_job(), resume=upload(files.text_file(files.LIU_YANG)),
        name="刘洋", email="Yang.Liu@Example.com", phone="+86 139-0000-9999", source=Candidate.Source.REFERRAL,
        language="en", consent=True, consent_text="Agreed on the phone",
    )
    candidate = Candidate.objects.get(pk=application.candidate_id)
    assert (candidate.name, candidate.email, candidate.phone, candidate.source, candidate.language) == (
        "刘洋", "yang.liu@example.com", "13900009999", "referral", "en",
    )
    assert candidate.consent_given_at is not None
    assert candidate.consent_text == "Agreed on the phone"


def test_screening_can_be_left_for_later(org: dict[str, Any]) -> None:
    application = application_create(
        actor=org["users"]["hr"], job=make_job(), resume=upload(files.text_file(files.LIU_YANG)), screen=False
    )
    application.refresh_from_db()
    assert (application.screening, application.screening_score, application.screening_passed) == ({}, None, None)


def test_contact_details_without_a_resume(org: dict[str, Any]) -> None:
    application = application_create(
        actor=org["users"]["hr"], job=make_job(), resume=None, name="王芳", phone="186 0000 1234"
    )
    application.refresh_from_db()
    assert (application.resume_status, application.resume_name, application.parsed) == ("missing", "", {})
    assert (application.candidate.name, application.candidate.phone) == ("王芳", "18600001234")


# --- one candidate per person -----------------------------------------------------------------------------


def test_the_same_email_in_another_case_is_the_same_candidate_and_missing_details_are_filled_in(
    org: dict[str, Any],
) -> None:
    recruiter = org["users"]["recruiter"]
    first = application_create(actor=recruiter, job=make_job(), resume=None, email="Liu.Yang@Example.com")
    assert Candidate.objects.get().email == "liu.yang@example.com"
    second = application_create(
        actor=recruiter, job=make_job(title="Python Developer"), resume=upload(files.text_file(files.LIU_YANG)),
        email="LIU.YANG@EXAMPLE.COM", name="Liu Y.",
    )
    assert Candidate.objects.count() == 1
    assert second.candidate_id == first.candidate_id
    candidate = Candidate.objects.get()
    # Name, phone and city were missing and come from the second application; the email is not doubled.
    assert (candidate.name, candidate.email, candidate.phone, candidate.location) == (
        "Liu Y.", "liu.yang@example.com", "13600001111", "上海",
    )
    assert sorted(candidate.applications.values_list("pk", flat=True)) == sorted([first.pk, second.pk])


@pytest.mark.parametrize("second_phone", ["+86 136 0000 1111", "136-0000-1111", "+86-136-0000-1111", "8613600001111"])
def test_the_same_phone_with_prefix_or_dashes_is_the_same_candidate(org: dict[str, Any], second_phone: str) -> None:
    recruiter = org["users"]["recruiter"]
    first = application_create(actor=recruiter, job=make_job(), resume=None, name="刘洋", phone="13600001111")
    second = application_create(
        actor=recruiter, job=make_job(title="Python Developer"), resume=None, name="Someone Else",
        phone=second_phone, email="liu.yang@example.com",
    )
    assert second.candidate_id == first.candidate_id
    candidate = Candidate.objects.get()
    # Known details are kept (the name is not overwritten), missing ones filled in.
    assert (candidate.name, candidate.email, candidate.phone) == ("刘洋", "liu.yang@example.com", "13600001111")


def test_details_already_known_are_not_overwritten(org: dict[str, Any]) -> None:
    recruiter = org["users"]["recruiter"]
    application_create(
        actor=recruiter, job=make_job(), resume=None, name="刘洋", email="liu.yang@example.com", phone="13600001111"
    )
    application_create(
        actor=recruiter, job=make_job(title="Python Developer"), resume=upload(files.text_file(files.ZHOU_MIN)),
        email="liu.yang@example.com",
    )
    candidate = Candidate.objects.get()
    # The resume's own phone (137...) does not replace the one on file, and no second candidate appears.
    assert (candidate.name, candidate.email, candidate.phone, candidate.location) == (
        "刘洋", "liu.yang@example.com", "13600001111", "北京",
    )


def test_applying_twice_to_the_same_job_is_a_conflict_naming_the_application(org: dict[str, Any]) -> None:
    recruiter = org["users"]["recruiter"]
    job = make_job()
    first = application_create(actor=recruiter, job=job, resume=None, name="刘洋", email="liu.yang@example.com")
    with pytest.raises(Conflict) as caught:
        application_create(
            actor=recruiter, job=job, resume=upload(files.text_file(files.LIU_YANG)), email="LIU.YANG@example.com",
            phone="13600001111",
        )
    assert str(caught.value.message) == f"刘洋 has already applied for this job (application {first.pk})."
    assert rows() == (1, 1, 0)
    # The refused application changed nothing: the phone it brought was not kept.
    assert Candidate.objects.get().phone == ""


# --- resumes that cannot be read --------------------------------------------------------------------------

BAD_FILES: list[tuple[Callable[[], files.ResumeFile], str]] = [
    (files.corrupt_pdf, "the file is damaged and cannot be opened"),
    (files.encrypted_pdf, "the file is protected by a password"),
    (files.zip_bomb_docx, "the document expands to an unsafe size and was not opened"),
    (files.image_only_pdf, "the PDF contains only images (a scan?); text recognition (OCR) is not supported"),
    (files.empty_file, "the file is empty"),
    (files.png_image, "this type of file is not supported; upload a PDF, a Word (.docx) or a text file"),
]


@pytest.mark.parametrize(("make", "problem"), BAD_FILES)
def test_an_unreadable_resume_with_contact_details_still_makes_the_application(
    org: dict[str, Any], make: Callable[[], files.ResumeFile], problem: str
) -> None:
    resume = make()
    application = application_create(
        actor=org["users"]["recruiter"], job=make_job(), resume=upload(resume), name="周敏", email="zm@example.cn"
    )
    application.refresh_from_db()
    assert (application.resume_status, application.resume_error) == ("unreadable", problem)
    assert (application.resume_text, application.parsed, application.screening) == ("", {}, {})
    assert (application.screening_score, application.screening_passed, application.stage) == (None, None, "applied")
    assert application.resume_name == resume.name
    # The file is kept, so a person can open it and judge.
    with application.resume.open("rb") as stored:
        assert stored.read() == resume.data
    assert (application.candidate.name, application.candidate.email) == ("周敏", "zm@example.cn")


@pytest.mark.parametrize(("make", "problem"), BAD_FILES)
def test_an_unreadable_resume_without_contact_details_is_refused_and_nothing_is_written(
    org: dict[str, Any], make: Callable[[], files.ResumeFile], problem: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        application_create(actor=org["users"]["recruiter"], job=make_job(), resume=upload(make()), name="周敏")
    message = f"The resume cannot be read: {problem}. Upload another file, or give an email or phone number."
    assert str(caught.value.message) == message
    assert caught.value.errors == {"resume": [message]}
    assert rows() == (0, 0, 0)


def test_a_resume_over_the_limit_is_judged_by_its_size_alone(org: dict[str, Any]) -> None:
    size = 50 * 1024 * 1024
    application = application_create(
        actor=org["users"]["hr"], job=make_job(), resume=ResumeUpload("huge.pdf", None, size), phone="13600001111"
    )
    application.refresh_from_db()
    assert (application.resume_status, application.resume_error) == ("unreadable", "the file is larger than 10 MB")
    assert (application.resume_name, application.resume_sha256, bool(application.resume)) == ("huge.pdf", "", False)
    with pytest.raises(ValidationFailed) as caught:
        application_create(actor=org["users"]["hr"], job=make_job(), resume=ResumeUpload("huge.pdf", None, size))
    assert caught.value.errors == {"resume": [
        "The resume cannot be read: the file is larger than 10 MB. Upload another file, or give an email or phone "
        "number."
    ]}
    assert rows() == (1, 1, 0)


def test_a_read_resume_over_the_limit_is_not_parsed(org: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    resume = files.text_file(files.LIU_YANG)
    monkeypatch.setattr(intake, "MAX_RESUME_BYTES", len(resume.data) - 1)
    application = application_create(actor=org["users"]["hr"], job=make_job(), resume=upload(resume), phone="1360000")
    assert (application.resume_status, application.parsed, bool(application.resume)) == ("unreadable", {}, False)


def test_a_text_file_named_pdf_is_read_as_text(org: dict[str, Any]) -> None:
    application = application_create(
        actor=org["users"]["hr"], job=make_job(), resume=upload(files.text_named_pdf(files.ZHOU_MIN))
    )
    application.refresh_from_db()
    assert (application.resume_status, application.resume_name) == ("ok", "zhou_min.pdf")
    assert (application.candidate.name, application.candidate.phone) == ("周敏", "13700002222")
    assert application.parsed["skills"] == ["Java", "Test Automation", "Selenium"]


def test_neither_resume_nor_contact_details_is_refused(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        application_create(actor=org["users"]["hr"], job=make_job(), resume=None, name="无名")
    assert caught.value.errors == {"resume": ["Upload a resume or give an email or phone number."]}
    assert rows() == (0, 0, 0)


def test_an_invalid_email_is_refused(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        application_create(actor=org["users"]["hr"], job=make_job(), resume=None, email="not-an-address")
    assert caught.value.errors == {"email": ["Enter a valid email address."]}
    assert rows() == (0, 0, 0)


# --- who may add applications -----------------------------------------------------------------------------


@pytest.mark.parametrize("user_key", ["manager", "employee", "candidate"])
def test_only_hr_and_recruiters_add_applications(org: dict[str, Any], user_key: str) -> None:
    with pytest.raises(PermissionDenied) as caught:
        application_create(actor=org["users"][user_key], job=make_job(), resume=None, email="a@example.com")
    assert str(caught.value.message) == "Only HR and recruiters may do this."
    assert rows() == (0, 0, 0)


def test_the_careers_page_needs_an_open_job_and_consent(org: dict[str, Any]) -> None:
    closed = make_job(status=Job.Status.CLOSED)
    with pytest.raises(ValidationFailed) as not_open:
        application_create(actor=None, job=closed, resume=None, email="a@example.com", consent=True)
    assert not_open.value.errors == {"job": ["This job is not open for applications."]}
    with pytest.raises(ValidationFailed) as no_consent:
        application_create(actor=None, job=make_job(), resume=None, email="a@example.com")
    assert no_consent.value.errors == {"consent": ["Please agree to the processing of your data to apply."]}
    assert rows() == (0, 0, 0)
    application = application_create(
        actor=None, job=make_job(), resume=None, email="a@example.com", consent=True, consent_text="I agree",
        source=Candidate.Source.CAREERS_PAGE,
    )
    candidate = Candidate.objects.get(pk=application.candidate_id)
    assert (candidate.source, candidate.consent_text) == ("careers_page", "I agree")
    assert candidate.consent_given_at is not None


# --- HR corrects a candidate ------------------------------------------------------------------------------


def test_candidate_update_changes_fields_and_audits_them(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    candidate = Candidate.objects.create(name="Liu", email="liu@example.com", phone="13600001111")
    candidate_update(actor=hr, candidate=candidate, changes={
        "name": " Liu Yang ", "email": "Liu.Yang@Example.com", "phone": "+86 136-0000-2222", "location": "上海",
        "source": Candidate.Source.REFERRAL, "language": "en", "consent_given_at": None,
    })
    candidate.refresh_from_db()
    assert (candidate.name, candidate.email, candidate.phone, candidate.location, candidate.source,
            candidate.language) == ("Liu Yang", "liu.yang@example.com", "13600002222", "上海", "referral", "en")
    entries = AuditEntry.objects.filter(object_type="recruiting.candidate", object_id=str(candidate.pk))
    assert sorted(entries.values_list("field", "old_value", "new_value", "actor")) == [
        ("email", "liu@example.com", "liu.yang@example.com", hr.pk),
        ("language", "zh-hans", "en", hr.pk),
        ("location", "", "上海", hr.pk),
        ("name", "Liu", "Liu Yang", hr.pk),
        ("phone", "13600001111", "13600002222", hr.pk),
        ("source", "other", "referral", hr.pk),
    ]
    candidate_update(actor=hr, candidate=candidate, changes={"name": "Liu Yang"})
    assert entries.count() == 6


def test_candidate_update_keeps_email_and_phone_unique_and_checks_values(org: dict[str, Any]) -> None:
    recruiter = org["users"]["recruiter"]
    Candidate.objects.create(name="Other", email="taken@example.com", phone="13900000000")
    candidate = Candidate.objects.create(name="Liu", email="liu@example.com")
    with pytest.raises(ValidationFailed) as caught:
        candidate_update(actor=recruiter, candidate=candidate, changes={
            "email": "TAKEN@example.com", "phone": "+86 139 0000 0000", "source": "newspaper", "language": "fr",
            "name": "x" * 101,
        })
    assert caught.value.errors == {
        "email": ["Another candidate already has this email address."],
        "phone": ["Another candidate already has this phone number."],
        "source": ["Unknown source."],
        "language": ["Unknown language."],
        "name": ["Keep this under 100 characters."],
    }
    with pytest.raises(ValidationFailed) as bad:
        candidate_update(actor=recruiter, candidate=candidate, changes={"email": "nope", "phone": "12-34"})
    assert bad.value.errors == {
        "email": ["Enter a valid email address."], "phone": ["Enter a phone number of at least 7 digits."],
    }
    candidate.refresh_from_db()
    assert (candidate.name, candidate.email, candidate.phone) == ("Liu", "liu@example.com", "")
    candidate_update(actor=recruiter, candidate=candidate, changes={"email": "", "phone": ""})
    candidate.refresh_from_db()
    assert (candidate.email, candidate.phone) == ("", "")


@pytest.mark.parametrize("user_key", ["manager", "employee", "candidate"])
def test_only_hr_and_recruiters_update_candidates(org: dict[str, Any], user_key: str) -> None:
    candidate = Candidate.objects.create(name="Liu")
    with pytest.raises(PermissionDenied):
        candidate_update(actor=org["users"][user_key], candidate=candidate, changes={"name": "Changed"})
    candidate.refresh_from_db()
    assert candidate.name == "Liu"
