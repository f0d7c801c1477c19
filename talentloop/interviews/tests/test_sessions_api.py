"""`POST /api/v1/applications/{id}/interviews/`: the contract's shape, the permission matrix and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from talentloop.interviews.models import InterviewSession

from ._support import InterviewSetup, bank_ids, make_application, make_job

CREATED_KEYS = {
    "id", "round", "language", "token", "candidate_url", "questions", "expires_at", "status", "modalities",
}
QUESTION_KEYS = {"position", "id", "code", "competency", "text", "time_limit_seconds"}


def url(application_id: int) -> str:
    return f"/api/v1/applications/{application_id}/interviews/"


@pytest.fixture
def hr_client(api_as: Any, setup: InterviewSetup) -> APIClient:
    client: APIClient = api_as(setup.hr)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_auto_creation_returns_the_contract(hr_client: APIClient, setup: InterviewSetup, settings: Any) -> None:
    settings.TALENTLOOP_SITE_URL = "https://hr.example.com"
    response = hr_client.post(url(setup.application.pk), {"questions": "auto", "language": "en",
                                                          "expires_in_days": 5, "seed": 11}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == CREATED_KEYS
    session = InterviewSession.objects.get()
    assert (body["id"], body["round"], body["language"], body["token"], body["status"]) == (
        session.pk, 1, "en", session.token, "invited",
    )
    assert body["candidate_url"] == f"https://hr.example.com/interview/{session.token}/"
    assert body["expires_at"] == timezone.localtime(session.expires_at).isoformat()
    assert len(body["questions"]) == 8
    assert all(set(q) == QUESTION_KEYS for q in body["questions"])
    first = session.questions.select_related("question", "competency").get(position=1)
    assert body["questions"][0] == {
        "position": 1, "id": first.question_id, "code": first.question.code, "competency": "communication",
        "text": first.text, "time_limit_seconds": first.time_limit_seconds,
    }
    assert session.generator["seed"] == 11


def test_chosen_questions_and_the_default_auto(hr_client: APIClient, setup: InterviewSetup) -> None:
    ids = bank_ids(["teamwork-en-1", "integrity-en-2"])
    body = hr_client.post(url(setup.application.pk), {"questions": ids, "language": "en"}, format="json").json()
    assert [(q["position"], q["id"], q["code"], q["competency"]) for q in body["questions"]] == [
        (1, ids[0], "teamwork-en-1", "teamwork"), (2, ids[1], "integrity-en-2", "integrity"),
    ]
    other = make_application(setup.job, email="o@example.com")
    assert len(hr_client.post(url(other.pk), {"language": "en"}, format="json").json()["questions"]) == 8


@pytest.mark.parametrize(("payload", "detail"), [
    ({"language": "fr"}, "Choose the interview language: zh-hans, en."),
    ({}, "language: This field is required."),
    ({"language": "en", "questions": "some"}, "questions: Give “auto” or a list of question ids."),
    ({"language": "en", "questions": [1, "x"]}, "questions: Give “auto” or a list of question ids."),
    ({"language": "en", "questions": list(range(1, 40))}, "questions: An interview has at most 30 questions."),
    ({"language": "en", "questions": [999999]}, "There is no question with id 999999."),
    ({"language": "en", "expires_in_days": 0}, "expires_in_days: Ensure this value is greater than or equal to 1."),
    ({"language": "en", "expires_in_days": 61}, "expires_in_days: Ensure this value is less than or equal to 60."),
])
def test_bad_input_is_a_400_with_a_clear_detail(
    hr_client: APIClient, setup: InterviewSetup, payload: dict[str, Any], detail: str,
) -> None:
    response = hr_client.post(url(setup.application.pk), payload, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == detail
    assert InterviewSession.objects.count() == 0


def test_a_missing_application_is_a_404_and_a_second_open_interview_a_409(
    hr_client: APIClient, setup: InterviewSetup,
) -> None:
    assert hr_client.post(url(999_999), {"language": "en"}, format="json").json() == {"detail": "No such application."}
    assert hr_client.post(url(2**70), {"language": "en"}, format="json").status_code == 404
    assert hr_client.post(url(setup.application.pk), {"language": "en"}, format="json").status_code == 201
    second = hr_client.post(url(setup.application.pk), {"language": "en"}, format="json")
    assert second.status_code == 409
    assert second.json()["detail"].startswith("This candidate already has an open AI interview (round 1")


@pytest.mark.parametrize(("role", "code"), [
    ("hr", 201), ("recruiter", 201), ("manager", 403), ("employee", 403), ("outsider", 403), ("candidate", 403),
])
def test_only_hr_and_recruiters_create_interviews(api_as: Any, setup: InterviewSetup, role: str, code: int) -> None:
    client = api_as(setup.org["users"][role])
    response = client.post(url(setup.application.pk), {"language": "en"}, format="json")
    assert response.status_code == code
    assert InterviewSession.objects.count() == (1 if code == 201 else 0)


def test_anonymous_callers_are_refused(api: APIClient, setup: InterviewSetup) -> None:
    response = api.post(url(setup.application.pk), {"language": "en"}, format="json")
    assert response.status_code in (401, 403)
    assert InterviewSession.objects.count() == 0


def test_a_closed_application_is_a_409(hr_client: APIClient, org: dict[str, Any]) -> None:
    job = make_job(org["departments"]["rd"], title="Backend Engineer")
    closed = make_application(job, stage="withdrawn")
    response = hr_client.post(url(closed.pk), {"language": "en"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The application is closed (Withdrawn); the candidate cannot be invited to an interview."
    }


def test_cancelling_through_the_api_closes_the_link_and_allows_a_new_round(
    hr_client: APIClient, api_as: Any, setup: InterviewSetup,
) -> None:
    first = hr_client.post(url(setup.application.pk), {"language": "en"}, format="json").json()

    cancelled = hr_client.post(f"/api/v1/interviews/{first['id']}/cancel/")

    assert cancelled.status_code == 200
    assert cancelled.json() == {"id": first["id"], "round": 1, "status": "cancelled"}
    again = hr_client.post(f"/api/v1/interviews/{first['id']}/cancel/")
    assert again.status_code == 409
    assert again.json()["detail"] == "Only an interview that is not finished can be cancelled."
    assert hr_client.post("/api/v1/interviews/999999/cancel/").json() == {"detail": "No such interview."}
    assert hr_client.get(f"/api/v1/interview-sessions/{first['token']}/").status_code == 409
    second = hr_client.post(url(setup.application.pk), {"language": "en"}, format="json")
    assert (second.status_code, second.json()["round"]) == (201, 2)
    employee = api_as(setup.org["users"]["employee"])  # the same client, now as an employee
    assert employee.post(f"/api/v1/interviews/{second.json()['id']}/cancel/").status_code == 403
    assert InterviewSession.objects.get(pk=second.json()["id"]).status == InterviewSession.Status.INVITED
