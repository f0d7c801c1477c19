"""services.screening: the engine scores each resume against the job's rules and the result is stored with
its reasons; passing resumes move to the AI interview by themselves only when HR switched auto-advance on,
and nobody is ever rejected automatically. Rule changes are validated per field and re-score the job."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import pytest

from talentloop.assessment.resume.extract import parse_resume
from talentloop.assessment.screening import ScreeningCriteria, screen
from talentloop.core.errors import PermissionDenied, ValidationFailed
from talentloop.core.testing.factories import JobFactory
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate, ScreeningRules, Stage, StageChange
from talentloop.recruiting.services.intake import ResumeUpload, application_create
from talentloop.recruiting.services.screening import (
    application_screen,
    criteria_for,
    job_rescreen,
    result_as_json,
    screening_rules_for,
    screening_rules_update,
)
from talentloop.recruiting.tests import files

pytestmark = pytest.mark.django_db

BACKEND_RULES: dict[str, Any] = {
    "min_degree": 3, "min_years": Decimal("3"), "required_skills": ["Python", "Django"],
    "preferred_skills": ["Docker"], "locations": [], "pass_score": 60,
}


def make_job(**fields: Any) -> Job:
    return cast(Job, JobFactory(**{"title": "Backend Engineer", **files.BACKEND_JOB_TEXT, **fields}))


def backend_job(*, auto_advance: bool = False) -> Job:
    job = make_job()
    ScreeningRules.objects.create(job=job, auto_advance=auto_advance, **BACKEND_RULES)
    return job


def apply(actor: Any, job: Job, resume: files.ResumeFile, **fields: Any) -> Application:
    application = application_create(
        actor=actor, job=job, resume=ResumeUpload(resume.name, resume.data, len(resume.data)), **fields
    )
    application.refresh_from_db()
    return application


# --- defaults and the stored result -----------------------------------------------------------------------


def test_rules_start_from_the_job_text(org: dict[str, Any]) -> None:
    job = make_job(description="Build order services in Python, Django and Docker on Kubernetes.")
    rules = screening_rules_for(job)
    assert (rules.required_skills, rules.preferred_skills) == (["Python", "Django"], ["Docker", "Kubernetes"])
    assert (rules.min_degree, rules.min_years, rules.locations, rules.pass_score, rules.auto_advance) == (
        0, Decimal("0"), [], 60, False,
    )
    assert screening_rules_for(job).pk == rules.pk
    assert ScreeningRules.objects.count() == 1


def test_the_stored_result_is_the_engines_with_its_reasons(org: dict[str, Any]) -> None:
    job = backend_job()
    application = apply(org["users"]["recruiter"], job, files.pdf_file(files.LIU_YANG))
    expected = screen(application.parsed, criteria_for(job, ScreeningRules.objects.get(job=job)))
    assert application.screening == result_as_json(expected)
    assert application.screening == {
        "score": expected.score,
        "passed": True,
        "matched": [
            "Python (required)", "Django (required)", "Docker (preferred)", "has 5.9 years (needs ≥ 3)",
            "bachelor's degree (needs bachelor's degree or higher)",
        ],
        "missing": [],
        "knocked_out_by": [],
        "subscores": {
            "required_skills": 100.0, "preferred_skills": 100.0, "experience": 100.0, "education": 100.0,
            "similarity": expected.subscores["similarity"],
        },
        "parameters": {
            "weights": {"required_skills": 0.4, "preferred_skills": 0.15, "experience": 0.2, "education": 0.1,
                        "similarity": 0.15},
            "pass_score": 60, "min_degree": 3, "min_years": 3.0,
            "knockouts": ["min_degree", "min_years", "required_skills", "location"],
        },
        "engine": {"name": "talentloop-screening", "version": "1.0"},
    }
    assert (application.screening_score, application.screening_passed) == (expected.score, True)
    assert 60 <= expected.score <= 100


def test_a_failing_resume_keeps_its_reasons(org: dict[str, Any]) -> None:
    application = apply(org["users"]["recruiter"], backend_job(), files.docx_file(files.ZHOU_MIN))
    assert application.screening_passed is False
    assert application.screening["knocked_out_by"] == ["min_years", "required_skills"]
    assert application.screening["missing"] == [
        "Python (required)", "Django (required)", "Docker (preferred)", "needs ≥ 3 years, has 1.9",
    ]
    assert application.screening["matched"] == ["bachelor's degree (needs bachelor's degree or higher)"]


# --- auto-advance -----------------------------------------------------------------------------------------


def test_with_auto_advance_a_passing_resume_moves_to_the_ai_interview_by_itself(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    job = backend_job(auto_advance=True)
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(org["users"]["recruiter"], job, files.text_file(files.LIU_YANG), language="en")
    assert application.stage == "ai_interview"
    score = application.screening_score
    assert list(StageChange.objects.values_list("application", "from_stage", "to_stage", "actor", "reason")) == [
        (application.pk, "applied", "ai_interview", None, f"Passed automatic screening with {score}."),
    ]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["liu.yang@example.com"], "TalentLoop: AI interview for Backend Engineer"),
    ]
    assert "Liu Yang" in mailoutbox[0].body


def test_with_auto_advance_a_failing_resume_stays_applied_and_nobody_is_rejected(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    job = backend_job(auto_advance=True)
    with django_capture_on_commit_callbacks(execute=True):
        failing = apply(org["users"]["recruiter"], job, files.text_file(files.ZHOU_MIN))
        unreadable = apply(org["users"]["recruiter"], job, files.corrupt_pdf(), email="broken@example.com")
    assert (failing.stage, failing.screening_passed) == ("applied", False)
    assert (unreadable.stage, unreadable.screening_passed) == ("applied", None)
    assert StageChange.objects.count() == 0
    assert Application.objects.filter(stage=Stage.REJECTED).count() == 0
    assert mailoutbox == []


def test_without_auto_advance_a_passing_resume_waits_for_a_person(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(org["users"]["recruiter"], backend_job(), files.text_file(files.LIU_YANG))
    assert (application.stage, application.screening_passed) == ("applied", True)
    assert StageChange.objects.count() == 0
    assert mailoutbox == []


def test_auto_advance_moves_only_from_applied_or_screening(org: dict[str, Any]) -> None:
    job = backend_job(auto_advance=True)
    parsed = parse_resume(files.LIU_YANG.text()).to_dict()
    candidate = Candidate.objects.create(name="Liu Yang")
    for stage in (Stage.SCREENING, Stage.INTERVIEW, Stage.REJECTED):
        application = Application.objects.create(
            candidate=Candidate.objects.create(name=f"in {stage}"), job=job, stage=stage, parsed=parsed,
            resume_status=Application.ResumeStatus.OK,
        )
        application_screen(application=application, auto_advance=True)
        application.refresh_from_db()
        assert application.stage == (Stage.AI_INTERVIEW if stage == Stage.SCREENING else stage)
    plain = Application.objects.create(candidate=candidate, job=job, parsed=parsed)
    application_screen(application=plain)  # auto_advance not asked for: a re-score never moves anyone
    plain.refresh_from_db()
    assert (plain.stage, plain.screening_passed) == ("applied", True)
    assert list(StageChange.objects.values_list("from_stage", "to_stage")) == [("screening", "ai_interview")]


# --- changing the rules -----------------------------------------------------------------------------------


def test_rule_changes_are_cleaned_and_re_score_the_job_without_moving_anyone(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    recruiter = org["users"]["recruiter"]
    job = backend_job()
    liu = apply(recruiter, job, files.text_file(files.LIU_YANG))
    zhou = apply(recruiter, job, files.text_file(files.ZHOU_MIN))
    broken = apply(recruiter, job, files.empty_file(), email="empty@example.com")
    assert (liu.screening_passed, zhou.screening_passed) == (True, False)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rules = screening_rules_update(actor=recruiter, job=job, changes={
            "required_skills": [" java ", "Selenium", "JAVA"], "preferred_skills": ["js"], "min_years": 1,
            "min_degree": 0, "locations": [" 北京 ", "上海"], "pass_score": 50, "auto_advance": True,
        })
    assert len(callbacks) == 1  # the re-scoring task, queued after commit
    rules.refresh_from_db()
    assert (rules.required_skills, rules.preferred_skills, rules.locations) == (
        ["Java", "Selenium"], ["JavaScript"], ["北京", "上海"],
    )
    assert (rules.min_years, rules.min_degree, rules.pass_score, rules.auto_advance) == (Decimal("1.0"), 0, 50, True)
    for application in (liu, zhou, broken):
        application.refresh_from_db()
    criteria = criteria_for(job, rules)
    assert zhou.screening == result_as_json(screen(zhou.parsed, criteria))
    assert liu.screening == result_as_json(screen(liu.parsed, criteria))
    assert (liu.screening_passed, zhou.screening_passed) == (False, True)
    assert liu.screening["knocked_out_by"] == ["required_skills"]
    # An unreadable resume has nothing to score; re-scoring never moves an application.
    assert (broken.screening, broken.screening_score) == ({}, None)
    assert [a.stage for a in (liu, zhou, broken)] == ["applied", "applied", "applied"]
    assert StageChange.objects.count() == 0


def test_job_rescreen_counts_the_readable_resumes(org: dict[str, Any]) -> None:
    job = backend_job()
    apply(org["users"]["hr"], job, files.text_file(files.LIU_YANG))
    apply(org["users"]["hr"], job, files.text_file(files.HE_JING))
    apply(org["users"]["hr"], job, files.png_image(), phone="13800000000")
    assert job_rescreen(job=job) == 2


def test_bad_rule_values_are_refused_field_by_field_and_nothing_changes(org: dict[str, Any]) -> None:
    job = backend_job()
    with pytest.raises(ValidationFailed) as caught:
        screening_rules_update(actor=org["users"]["hr"], job=job, changes={
            "required_skills": "Python", "preferred_skills": ["Docker", ""], "locations": [3],
            "min_degree": 6, "min_years": 61, "pass_score": 101,
        })
    assert caught.value.errors == {
        "required_skills": ["Give a list of names."],
        "preferred_skills": ["Give a list of names."],
        "locations": ["Give a list of names."],
        "min_degree": ["Unknown degree."],
        "min_years": ["Years are between 0 and 60."],
        "pass_score": ["The pass score is 0 to 100."],
    }
    rules = ScreeningRules.objects.get(job=job)
    assert (rules.required_skills, rules.min_degree, rules.min_years, rules.pass_score) == (
        ["Python", "Django"], 3, Decimal("3.0"), 60,
    )


@pytest.mark.parametrize("years", ["three", "NaN", None, "-1", [3]])
def test_years_that_are_not_a_number_are_a_validation_error(org: dict[str, Any], years: Any) -> None:
    job = backend_job()
    with pytest.raises(ValidationFailed) as caught:
        screening_rules_update(actor=org["users"]["hr"], job=job, changes={"min_years": years})
    assert caught.value.errors == {"min_years": ["Years are between 0 and 60."]}


@pytest.mark.parametrize("user_key", ["manager", "employee", "candidate"])
def test_only_hr_and_recruiters_change_rules(org: dict[str, Any], user_key: str) -> None:
    job = backend_job()
    with pytest.raises(PermissionDenied):
        screening_rules_update(actor=org["users"][user_key], job=job, changes={"pass_score": 10})
    assert ScreeningRules.objects.get(job=job).pass_score == 60


def test_criteria_carry_the_rules_and_the_job_text(org: dict[str, Any]) -> None:
    job = backend_job()
    assert criteria_for(job, ScreeningRules.objects.get(job=job)) == ScreeningCriteria(
        min_degree=3, min_years=3.0, required_skills=("Python", "Django"), preferred_skills=("Docker",),
        locations=(), pass_score=60,
        job_text="Backend Engineer\nBuild order services in Python and Django.\nPython, Django, 3 years of experience.",
    )
