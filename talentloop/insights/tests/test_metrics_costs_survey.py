"""Hiring costs (/api/v1/hiring-costs/, HR only, checked input, audited) and the candidate's one-question
satisfaction survey (public through the interview's link, once; 409 the second time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from talentloop.core.models import AuditEntry
from talentloop.insights.models import CandidateSatisfaction, HiringCost
from talentloop.insights.tests._metrics_support import job_in
from talentloop.interviews.services.feedback import feedback_release
from talentloop.interviews.tests._reports_support import Interview, make_application, make_interview, make_job
from talentloop.recruiting.models import Application, Candidate

pytestmark = pytest.mark.django_db
COSTS = "/api/v1/hiring-costs/"


def client_for(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user=user)
    return client


def test_hr_creates_lists_updates_and_deletes_costs(org: dict[str, Any]) -> None:
    job = job_in(org["departments"]["sales"], "Account manager")
    client = client_for(org["users"]["hr"])
    created = client.post(COSTS, {"job": job.pk, "category": "agency", "amount": "12000.50",
                                  "incurred_on": "2024-03-01", "note": "Headhunter"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["amount"], body["category"], body["job_title"], body["created_by"]) == (
        12000.5, "agency", "Account manager", org["users"]["hr"].pk)
    listed = client.get(COSTS, {"job": job.pk}).json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert listed["count"] == 1
    changed = client.patch(f"{COSTS}{body['id']}/", {"amount": "9000"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["amount"] == 9000.0
    assert client.delete(f"{COSTS}{body['id']}/").status_code == 204
    assert HiringCost.objects.count() == 0
    actions = list(AuditEntry.objects.filter(object_type="insights.hiringcost").values_list("action", flat=True))
    assert sorted(set(actions)) == ["create", "delete", "update"]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"amount": "0"}, "amount", "The amount must be more than zero."),
    ({"amount": "-5"}, "amount", "The amount must be more than zero."),
    ({"incurred_on": "2999-01-01"}, "incurred_on", "The date is in the future."),
    ({"category": "bribes"}, "category", '"bribes" is not a valid choice.'),
])
def test_bad_costs_are_refused_with_a_message(
    org: dict[str, Any], data: dict[str, str], field: str, message: str
) -> None:
    job = job_in(org["departments"]["sales"])
    payload = {"job": job.pk, "amount": "100", "incurred_on": "2024-01-01", **data}
    response = client_for(org["users"]["hr"]).post(COSTS, payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert HiringCost.objects.count() == 0


def test_an_application_of_another_job_is_refused(org: dict[str, Any]) -> None:
    job, other = job_in(org["departments"]["sales"]), job_in(org["departments"]["rd"])
    app = Application.objects.create(candidate=Candidate.objects.create(name="X"), job=other)
    response = client_for(org["users"]["hr"]).post(
        COSTS, {"job": job.pk, "application": app.pk, "amount": "100", "incurred_on": "2024-01-01"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"application": ["This application is for another job."]}


@pytest.mark.parametrize("user", ["recruiter", "manager", "employee", "candidate"])
def test_only_hr_sees_costs(org: dict[str, Any], user: str) -> None:
    assert client_for(org["users"][user]).get(COSTS).status_code == 403


def test_the_cost_list_runs_a_fixed_number_of_queries(org: dict[str, Any], django_assert_num_queries: Any) -> None:
    job = job_in(org["departments"]["sales"])
    for i in range(12):
        HiringCost.objects.create(job=job, amount=100 + i, incurred_on=dt.date(2024, 1, 1 + i))
    client = client_for(org["users"]["hr"])
    with django_assert_num_queries(2):  # count and page
        assert client.get(COSTS).json()["count"] == 12


# --- the satisfaction survey ----------------------------------------------------------------------------------


def released(org: dict[str, Any]) -> Interview:
    job = make_job(org["departments"]["sales"], title="Account manager")
    interview = make_interview(make_application(job, name="Emily Chen", language="en"), language="en")
    feedback_release(actor=org["users"]["hr"], session_id=interview.session.pk)
    return interview


def answer_url(interview: Interview) -> str:
    return f"/api/v1/interview-sessions/{interview.session.token}/satisfaction/"


def test_the_candidate_answers_once_through_the_api(org: dict[str, Any]) -> None:
    interview = released(org)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    first = client.post(answer_url(interview), {"rating": 4, "comment": " Clear questions "}, format="json")
    assert first.status_code == 201
    assert (first.json()["rating"], first.json()["comment"]) == (4, "Clear questions")
    again = client.post(answer_url(interview), {"rating": 1}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "You have already answered this question. Thank you!"
    assert CandidateSatisfaction.objects.get().rating == 4


@pytest.mark.parametrize("rating", [0, 6, "many"])
def test_a_rating_outside_1_to_5_is_refused(org: dict[str, Any], rating: Any) -> None:
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").post(answer_url(released(org)), {"rating": rating}, format="json")
    assert response.status_code == 400
    assert CandidateSatisfaction.objects.count() == 0


def test_no_answer_before_the_feedback_or_with_a_wrong_link(org: dict[str, Any]) -> None:
    job = make_job(org["departments"]["sales"])
    interview = make_interview(make_application(job, language="en"), language="en")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(answer_url(interview), {"rating": 5}, format="json")
    assert response.status_code == 404
    assert "not been released" in response.json()["detail"]
    assert client.post("/api/v1/interview-sessions/nope/satisfaction/", {"rating": 5}, format="json"
                       ).status_code == 404


def test_the_feedback_page_asks_the_question_and_thanks_after_the_answer(org: dict[str, Any]) -> None:
    interview = released(org)
    client = Client()
    page = client.get(f"/interview/{interview.session.token}/feedback/").content.decode()
    assert 'data-testid="satisfaction-form"' in page
    assert "How was your interview experience?" in page
    response = client.post(f"/interview/{interview.session.token}/satisfaction/", {"rating": "5", "comment": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/interview/{interview.session.token}/feedback/#satisfaction"
    page = client.get(f"/interview/{interview.session.token}/feedback/").content.decode()
    assert 'data-testid="satisfaction-form"' not in page
    assert "Thank you for your answer (5 out of 5)" in page
    again = client.post(f"/interview/{interview.session.token}/satisfaction/", {"rating": "2"})
    assert again.status_code == 409
    assert "You have already answered this question." in again.content.decode()
    bad = Client().post(f"/interview/{released(org).session.token}/satisfaction/", {"rating": ""})
    assert bad.status_code == 400
    assert "Choose a rating from 1 to 5." in bad.content.decode()


def test_the_survey_page_is_public_but_only_for_a_known_link(org: dict[str, Any]) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/interview/unknown-token/satisfaction/", {"rating": "5"})
    assert response.status_code == 404
    assert "This interview link is not valid." in response.content.decode()
