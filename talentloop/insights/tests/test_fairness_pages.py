"""The fairness audit page (/insights/fairness/) and the consented attribute collection on the public careers
application form: separate unticked consent, stored only with it, never shown to the people deciding."""

from __future__ import annotations

import io
import re
from typing import Any, cast

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from talentloop.core.testing.factories import JobFactory
from talentloop.insights.fairness import candidate_attributes_record
from talentloop.insights.models import CandidateAttribute
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate

from ._fairness_support import screening_example

PAGE = "/insights/fairness/"


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def job(org: dict[str, Any]) -> Job:
    return cast(Job, JobFactory(title="Data analyst", department=org["departments"]["rd"], status=Job.Status.OPEN))


def test_url_name() -> None:
    assert reverse("insights:fairness") == PAGE
    assert reverse("insights:forecast") == "/insights/forecast/"


def test_page_shows_rates_flags_too_small_and_definitions(org: dict[str, Any], job: Job) -> None:
    screening_example(job)
    response = client_for(org["users"]["hr"]).get(PAGE, {"job": str(job.pk), "attribute": "gender"})
    assert response.status_code == 200
    text = text_of(response)
    assert "24 people counted, 2 of them unknown." in text
    assert "Female 10 4 40.0% 0.50 Below 0.8" in text
    assert "Male highest 10 8 80.0% 1.00 No" in text
    assert "Another gender 2 — — — Too few people to report" in text
    assert "the four-fifths rule of adverse impact" in text  # a definition next to the figures
    assert "fewer than 5 people show their count only" in text
    assert 'data-testid="fairness-flag"' in response.content.decode()
    assert f"job={job.pk}&amp;attribute=gender&amp;format=xlsx" in response.content.decode()


def test_page_export(org: dict[str, Any], job: Job) -> None:
    screening_example(job)
    response = client_for(org["users"]["hr"]).get(PAGE, {"job": str(job.pk), "attribute": "gender", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).sheetnames[-1] == "Definitions"


def test_page_in_chinese(org: dict[str, Any], job: Job) -> None:
    response = client_for(org["users"]["hr"], "zh-hans").get(PAGE, {"attribute": "gender"})
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "性别" in response.content.decode()


def test_bad_filters_answer_400_with_the_message(org: dict[str, Any]) -> None:
    client = client_for(org["users"]["hr"])
    response = client.get(PAGE, {"attribute": "religion"})
    assert response.status_code == 400
    assert "Choose an attribute the audit knows" in text_of(response)
    response = client.get(PAGE, {"attribute": "gender", "job": "999999"})
    assert response.status_code == 400
    assert "There is no job with the id “999999”." in text_of(response)


@pytest.mark.parametrize("who", ["recruiter", "manager", "employee"])
def test_others_get_403(org: dict[str, Any], who: str) -> None:
    assert client_for(org["users"][who]).get(PAGE).status_code == 403
    assert client_for(org["users"][who]).get("/insights/forecast/").status_code == 403


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert "login" in response["Location"]


# ------------------------------------------------------------------------------------- careers form


def _apply(job: Job, **extra: str) -> Any:
    data = {"name": "张伟", "email": "zhang.wei@example.com", "phone": "", "consent": "on", **extra}
    return client_for(None).post(reverse("careers:job_detail", args=[job.pk]), data)


def test_form_offers_an_optional_section_with_its_own_unticked_consent(job: Job) -> None:
    response = client_for(None).get(reverse("careers:job_detail", args=[job.pk]))
    html = response.content.decode()
    assert "Help us check our hiring is fair" in html
    box = re.search(r'<input[^>]*name="fairness_consent"[^>]*>', html)
    assert box is not None
    assert "checked" not in box.group(0)
    assert "required" not in box.group(0)
    assert 'name="fairness_gender"' in html
    assert 'name="fairness_age_band"' in html
    assert "Prefer not to say" in html
    assert "55 or over" in html


def test_attributes_are_stored_with_consent(job: Job) -> None:
    response = _apply(job, fairness_consent="on", fairness_gender="female", fairness_age_band="25_34")
    assert response.status_code == 302
    candidate = Candidate.objects.get(email="zhang.wei@example.com")
    stored = dict(CandidateAttribute.objects.filter(candidate=candidate).values_list("name", "value"))
    assert stored == {"gender": "female", "age_band": "25_34"}
    assert all(a.consent_at is not None for a in CandidateAttribute.objects.all())


def test_nothing_is_stored_without_consent(job: Job) -> None:
    response = _apply(job, fairness_gender="female", fairness_age_band="25_34")
    assert response.status_code == 302  # the application itself goes through
    assert Application.objects.count() == 1
    assert not CandidateAttribute.objects.exists()


def test_blank_answers_are_not_stored(job: Job) -> None:
    _apply(job, fairness_consent="on", fairness_gender="", fairness_age_band="55_plus")
    assert list(CandidateAttribute.objects.values_list("name", "value")) == [("age_band", "55_plus")]


def test_a_value_not_offered_is_refused_and_nothing_is_saved(job: Job) -> None:
    response = _apply(job, fairness_consent="on", fairness_gender="robot")
    assert response.status_code == 400
    assert not Application.objects.exists()
    assert not CandidateAttribute.objects.exists()


def test_service_refuses_unknown_values(org: dict[str, Any]) -> None:
    from talentloop.core.errors import ValidationFailed

    person = Candidate.objects.create(name="x", email="x@example.com")
    assert candidate_attributes_record(candidate=person, consent=False, values={"gender": "robot"}) == 0
    with pytest.raises(ValidationFailed):
        candidate_attributes_record(candidate=person, consent=True, values={"gender": "robot"})
    with pytest.raises(ValidationFailed):
        candidate_attributes_record(candidate=person, consent=True, values={"religion": "x"})
    assert candidate_attributes_record(candidate=person, consent=True, values={"gender": "male"}) == 1
    assert candidate_attributes_record(candidate=person, consent=True, values={"gender": "female"}) == 1
    assert list(CandidateAttribute.objects.values_list("value", flat=True)) == ["female"]


def test_attributes_are_never_shown_to_the_people_deciding(org: dict[str, Any], job: Job) -> None:
    _apply(job, fairness_consent="on", fairness_gender="female", fairness_age_band="45_54")
    application = Application.objects.get()
    for who in ("hr", "recruiter"):
        client = client_for(org["users"][who])
        page = client.get(reverse("recruiting:application_detail", args=[application.pk]))
        assert page.status_code == 200
        assert "45–54" not in page.content.decode()
        assert "45_54" not in page.content.decode()
        api = client.get(f"/api/v1/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        assert api.status_code == 200
        assert "45_54" not in api.content.decode()
        assert "fairness" not in api.content.decode()
        candidate_api = client.get(f"/api/v1/candidates/{application.candidate_id}/")
        assert "45_54" not in candidate_api.content.decode()
