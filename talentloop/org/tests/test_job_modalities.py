"""A job's AI interview settings: the answer modes offered (text always), whether delivery signals count in scores
(off by default) and whether candidates may re-record (on by default), through the API, the job form and the
job page. Unknown modes are a 400 that names them, with nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from talentloop.org.models import Job, JobLevel
from talentloop.org.tests._api_support import assert_bad_input, counts, make_job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]


def _payload(org: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"title": "客户经理", "department": org["departments"]["sales"].pk, **fields}


def _settings(job: Job) -> tuple[list[str], bool, bool]:
    job.refresh_from_db()
    return job.interview_modalities, job.delivery_in_score, job.allow_rerecord


# --- API --------------------------------------------------------------------------------------------------


def test_a_new_job_offers_text_only_shows_delivery_unscored_and_allows_re_recording(
    org: dict[str, Any], hr_api: APIClient
) -> None:
    response = hr_api.post("/api/v1/jobs/", _payload(org), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["interview_modalities"], body["delivery_in_score"], body["allow_rerecord"]) == (["text"], False, True)
    assert _settings(Job.objects.get(pk=body["id"])) == (["text"], False, True)


def test_the_api_sets_the_modes_in_order_with_text_always_added(org: dict[str, Any], hr_api: APIClient) -> None:
    response = hr_api.post(
        "/api/v1/jobs/",
        _payload(org, interview_modalities=["video", "audio", "video"], delivery_in_score=True, allow_rerecord=False),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["interview_modalities"], body["delivery_in_score"], body["allow_rerecord"]) == (
        ["text", "audio", "video"], True, False,
    )
    job = Job.objects.get(pk=body["id"])
    patched = hr_api.patch(f"/api/v1/jobs/{job.pk}/", {"interview_modalities": ["audio"]}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["interview_modalities"] == ["text", "audio"]
    # Fields left out of a PATCH keep their values.
    assert _settings(job) == (["text", "audio"], True, False)
    assert hr_api.get(f"/api/v1/jobs/{job.pk}/").json()["interview_modalities"] == ["text", "audio"]


def test_an_unknown_mode_is_a_400_naming_it_and_nothing_is_written(org: dict[str, Any], hr_api: APIClient) -> None:
    before = counts()
    response = hr_api.post(
        "/api/v1/jobs/", _payload(org, interview_modalities=["audio", "telepathy", "hologram"]), format="json"
    )
    assert_bad_input(
        response, "interview_modalities", before,
        "Unknown answer mode hologram, telepathy; choose from text, audio, video.",
    )
    job = make_job(department=org["departments"]["sales"], interview_modalities=["text", "audio"])
    response = hr_api.patch(f"/api/v1/jobs/{job.pk}/", {"interview_modalities": ["VIDEO"]}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == (
        "interview_modalities: Unknown answer mode VIDEO; choose from text, audio, video."
    )
    assert _settings(job) == (["text", "audio"], False, True)


@pytest.mark.parametrize(("value", "message"), [
    ("audio", 'Expected a list of items but got type "str".'),
    ([["audio"]], "Not a valid string."),
    ({"audio": True}, 'Expected a list of items but got type "dict".'),
])
def test_modes_that_are_not_a_list_of_words_are_a_400(
    org: dict[str, Any], hr_api: APIClient, value: Any, message: str
) -> None:
    before = counts()
    response = hr_api.post("/api/v1/jobs/", _payload(org, interview_modalities=value), format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["interview_modalities"]
    assert message in response.json()["detail"]
    assert counts() == before


def test_delivery_in_score_must_be_a_boolean(org: dict[str, Any], hr_api: APIClient) -> None:
    before = counts()
    response = hr_api.post("/api/v1/jobs/", _payload(org, delivery_in_score="sometimes"), format="json")
    assert_bad_input(response, "delivery_in_score", before, "Must be a valid boolean.")


def test_the_service_refuses_bad_modes_given_directly(org: dict[str, Any]) -> None:
    from django.utils import translation

    from talentloop.core.errors import ValidationFailed
    from talentloop.org.services import job_create

    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        job_create(actor=org["users"]["hr"], data={
            "title": "客户经理", "department": org["departments"]["sales"], "interview_modalities": "audio",
            "allow_rerecord": "yes",
        })
    assert refused.value.errors == {
        "interview_modalities": ["Give the answer modes as a list of: text, audio, video."],
        "allow_rerecord": ["Give true or false."],
    }


# --- the job form and page ---------------------------------------------------------------------------------


def _browser(org: dict[str, Any], user: str = "hr") -> Client:
    client = Client()
    client.force_login(org["users"][user])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _form_data(org: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "title": "客户经理", "department": str(org["departments"]["sales"].pk),
        "level": str(JobLevel.objects.get(code="mid").pk), "headcount": "1", "status": "open",
        "description": "", "requirements": "",
        "model-TOTAL_FORMS": "0", "model-INITIAL_FORMS": "0", "model-MIN_NUM_FORMS": "0",
        "model-MAX_NUM_FORMS": "1000", **fields,
    }


def test_the_job_form_saves_the_settings_and_the_page_shows_them(org: dict[str, Any]) -> None:
    client = _browser(org)
    page = client.get(reverse("org:job_create")).content.decode()
    # Text is always on: ticked and disabled; re-recording is on and delivery off by default.
    assert '<input type="checkbox" name="interview_modalities" value="text" id="id_interview_modalities_0" ' \
           'checked disabled>' in page
    assert '<input type="checkbox" name="allow_rerecord" id="id_allow_rerecord" checked' in page
    assert '<input type="checkbox" name="interview_modalities" value="audio" id="id_interview_modalities_1">' in page
    assert ('<input type="checkbox" name="delivery_in_score" aria-describedby="id_delivery_in_score_helptext" '
            'id="id_delivery_in_score">') in page

    response = client.post(reverse("org:job_create"), _form_data(
        org, interview_modalities=["video"], delivery_in_score="on", allow_rerecord="on",
    ))
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(title="客户经理")
    assert _settings(job) == (["text", "video"], True, True)

    detail = client.get(reverse("org:job_detail", args=[job.pk])).content.decode()
    assert '<dd data-testid="job-modalities">Text, Video</dd>' in detail
    assert ('<dd data-testid="job-delivery">Count in scores (a fifth of a recorded answer\'s score, with the '
            "candidate's consent)</dd>") in detail
    assert '<dd data-testid="job-rerecord">Candidates may re-record an answer before submitting it</dd>' in detail

    edit = client.get(reverse("org:job_edit", args=[job.pk])).content.decode()
    assert 'name="interview_modalities" value="video" id="id_interview_modalities_2" checked' in edit
    assert 'name="interview_modalities" value="audio" id="id_interview_modalities_1" checked' not in edit

    # Unticking everything leaves text, turns delivery scoring off and re-recording off.
    response = client.post(reverse("org:job_edit", args=[job.pk]), _form_data(org))
    assert response.status_code == 302
    assert _settings(job) == (["text"], False, False)
    detail = client.get(reverse("org:job_detail", args=[job.pk])).content.decode()
    assert '<dd data-testid="job-modalities">Text</dd>' in detail
    assert '<dd data-testid="job-delivery">Shown to HR, not counted in scores</dd>' in detail
    assert '<dd data-testid="job-rerecord">One recording per answer</dd>' in detail


def test_the_job_form_refuses_an_unknown_mode(org: dict[str, Any]) -> None:
    client = _browser(org)
    response = client.post(reverse("org:job_create"), _form_data(org, interview_modalities=["audio", "smell"]))
    assert response.status_code == 200
    assert "Select a valid choice. smell is not one of the available choices." in response.content.decode()
    assert not Job.objects.filter(title="客户经理").exists()
