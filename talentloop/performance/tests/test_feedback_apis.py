"""The 360° API: create with suggested or given raters, list and retrieve, results with anonymity, raw answers
(HR only), answering as the logged-in rater and every refusal as an HTTP status with a message."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from talentloop.performance.models import FeedbackAnswer, FeedbackRequest, PerformanceCycle

from ._feedback import Setup, answer, make_request, setup_360

URL = "/api/v1/feedback-requests/"


@pytest.fixture
def s(org: dict[str, Any], cycle: PerformanceCycle) -> Setup:
    return setup_360(org, cycle)


def _later(days: int = 7) -> str:
    return (timezone.now() + dt.timedelta(days=days)).isoformat()


def test_hr_creates_with_suggested_raters_and_sees_links(s: Setup, api_as: Any) -> None:
    response = api_as(s.org["users"]["hr"]).post(
        URL, {"cycle": s.cycle.pk, "subject": s.subject.pk, "deadline": _later()}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["scale"] == "1_5"
    assert data["invited"] == 6
    assert [(i["rater_name"], i["relation"]) for i in data["invitations"]] == [
        ("李员工", "self"), ("王经理", "manager"), ("同事0", "peer"), ("同事1", "peer"), ("同事2", "peer"),
        ("赵实习", "report"),
    ]
    assert all("/feedback/" in i["link"] for i in data["invitations"])
    again = api_as(s.org["users"]["hr"]).get(f"{URL}{data['id']}/").json()
    assert all("link" not in i for i in again["invitations"])


def test_manager_creates_with_given_raters_and_sees_no_names(s: Setup, api_as: Any) -> None:
    body = {"cycle": s.cycle.pk, "subject": s.subject.pk, "deadline": _later(), "scale": "0_100",
            "raters": [{"employee": s.peers[0].pk, "relation": "peer"}, {"employee": s.subject.pk, "relation": "self"}]}
    response = api_as(s.org["users"]["manager"]).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["invitations"] is None
    assert data["groups"] == [
        {"relation": "self", "relation_label": "Self", "invited": 1, "answered": 0},
        {"relation": "peer", "relation_label": "Peer", "invited": 1, "answered": None},
    ]
    assert "同事0" not in response.content.decode()


@pytest.mark.parametrize(
    ("user", "body", "status", "detail"),
    [
        ("employee", {}, 403, "Only HR and managers can request or close 360° feedback."),
        ("recruiter", {}, 403, "You do not have permission to do this."),
        ("hr", {"cycle": 999_999}, 400, "cycle: No such performance cycle."),
        ("hr", {"deadline": "2000-01-01T00:00:00Z"}, 400, "deadline: The deadline must be in the future."),
        ("hr", {"scale": "1_10"}, 400, None),
    ],
)
def test_create_refusals(s: Setup, api_as: Any, user: str, body: dict[str, Any], status: int,
                         detail: str | None) -> None:
    payload = {"cycle": s.cycle.pk, "subject": s.subject.pk, "deadline": _later(), **body}
    response = api_as(s.org["users"][user]).post(URL, payload, format="json")
    assert response.status_code == status
    if detail:
        assert response.json()["detail"] == detail
    assert not FeedbackRequest.objects.exists()


def test_second_request_is_a_conflict(s: Setup, api_as: Any) -> None:
    make_request(s)
    response = api_as(s.org["users"]["hr"]).post(
        URL, {"cycle": s.cycle.pk, "subject": s.subject.pk, "deadline": _later()}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "李员工 already has a 360° request in the cycle “2026 Q3”."


def _respond(client: APIClient, pk: int, answers: list[dict[str, Any]], comment: str = "") -> Any:
    return client.post(f"{URL}{pk}/responses/", {"answers": answers, "comment": comment}, format="json")


def test_logged_in_rater_answers_once(s: Setup, api_as: Any) -> None:
    request = make_request(s)
    client = api_as(s.peer_users[0])
    response = _respond(client, request.pk, [{"competency": "communication", "rating": 4, "comment": "clear"}])
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["relation"] == "peer"
    assert data["answers"] == [
        {"competency": "communication", "name": "Communication", "rating": 4.0, "score": 75.0, "comment": "clear"}]
    again = _respond(client, request.pk, [{"competency": "communication", "rating": 5}])
    assert again.status_code == 409
    assert again.json()["detail"] == "You have already answered this 360° feedback; an answer cannot be changed."


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([{"competency": "communication", "rating": 7}],
         "The rating for “Communication” must be a whole number from 1 to 5."),
        ([{"competency": "coding", "rating": 3}], "“coding” is not a competency of 李员工's job."),
        ([], "Rate at least one competency."),
    ],
)
def test_bad_answers_are_400(s: Setup, api_as: Any, answers: list[dict[str, Any]], message: str) -> None:
    request = make_request(s)
    response = _respond(api_as(s.peer_users[0]), request.pk, answers)
    assert response.status_code == 400
    assert response.json()["errors"] == {"answers": [message]}
    assert not FeedbackAnswer.objects.exists()


def test_after_the_deadline_and_closed_are_409(s: Setup, api_as: Any) -> None:
    request = make_request(s)
    FeedbackRequest.objects.filter(pk=request.pk).update(deadline=timezone.now() - dt.timedelta(minutes=5))
    response = _respond(api_as(s.peer_users[0]), request.pk, [{"competency": "communication", "rating": 3}])
    assert response.status_code == 409
    assert response.json()["detail"].startswith("The deadline for this 360° feedback has passed")
    FeedbackRequest.objects.filter(pk=request.pk).update(deadline=timezone.now() + dt.timedelta(days=1))
    closed = api_as(s.org["users"]["manager"]).post(f"{URL}{request.pk}/close/")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    response = _respond(api_as(s.peer_users[0]), request.pk, [{"competency": "communication", "rating": 3}])
    assert response.status_code == 409
    assert response.json()["detail"] == "This 360° feedback is closed and takes no more answers."
    assert api_as(s.org["users"]["employee"]).post(f"{URL}{request.pk}/close/").status_code == 403


def test_non_rater_cannot_answer(s: Setup, api_as: Any) -> None:
    request = make_request(s)
    response = _respond(api_as(s.org["users"]["hr"]), request.pk, [{"competency": "communication", "rating": 3}])
    assert response.status_code == 403
    assert response.json()["detail"] == "You are not one of the raters of this 360° feedback."


def test_results_respect_anonymity(s: Setup, api_as: Any) -> None:
    request = make_request(s)
    answer(request, s.org["employees"]["manager"], 4)
    answer(request, s.peers[0], 2, comment="Peer zero")
    answer(request, s.peers[1], 4)
    subject_client = api_as(s.org["users"]["employee"])
    response = subject_client.get(f"{URL}{request.pk}/results/")
    assert response.status_code == 200
    data = response.json()
    assert data["min_group"] == 3
    peer = data["competencies"][0]["groups"][2]
    assert peer == {"relation": "peer", "relation_label": "Peer", "n": None, "mean": None, "hidden": True,
                    "comments": []}
    assert data["competencies"][0]["others"] == 75.0
    answer(request, s.peers[2], 5)
    for user in ("employee", "manager"):
        response = api_as(s.org["users"][user]).get(f"{URL}{request.pk}/results/")
        peer = response.json()["competencies"][0]["groups"][2]
        assert (peer["n"], peer["mean"], peer["hidden"]) == (3, 66.7, False)  # (25 + 75 + 100) / 3
        text = response.content.decode() + api_as(s.org["users"][user]).get(f"{URL}{request.pk}/").content.decode()
        for name in ("同事0", "同事1", "同事2", "赵实习"):
            assert name not in text


def test_raw_answers_hr_only(s: Setup, api_as: Any) -> None:
    request = make_request(s)
    answer(request, s.peers[0], 2, comment="Peer zero")
    response = api_as(s.org["users"]["hr"]).get(f"{URL}{request.pk}/responses/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    row = data["results"][0]
    assert (row["relation"], row["rater"], row["rater_name"], row["submitted_at"]) == ("peer", None, None, None)
    assert row["answers"][0]["score"] == 25.0
    for user in ("employee", "manager"):
        refused = api_as(s.org["users"][user]).get(f"{URL}{request.pk}/responses/")
        assert refused.status_code == 403
        assert refused.json()["detail"].startswith("Only HR can read individual 360° answers")
    # A peer reading another peer's raw answers (or the results) is refused too.
    assert api_as(s.peer_users[1]).get(f"{URL}{request.pk}/responses/").status_code == 403
    assert api_as(s.peer_users[1]).get(f"{URL}{request.pk}/results/").status_code == 403


def test_list_and_visibility(s: Setup, api_as: Any, django_assert_max_num_queries: Any) -> None:
    request = make_request(s)
    client = api_as(s.org["users"]["hr"])
    with django_assert_max_num_queries(8):
        data = client.get(URL, {"cycle": s.cycle.pk}).json()
    assert (data["count"], data["results"][0]["id"]) == (1, request.pk)
    assert api_as(s.org["users"]["outsider"]).get(URL).json()["count"] == 0
    assert api_as(s.org["users"]["outsider"]).get(f"{URL}{request.pk}/").status_code == 403
    peer = api_as(s.peer_users[0]).get(f"{URL}{request.pk}/").json()
    assert peer["my_invitation"] == {"relation": "peer", "submitted_at": None}
    assert peer["may_see_results"] is False
    assert api_as(s.org["users"]["hr"]).get(f"{URL}999999/").status_code == 404
    assert api_as(s.org["users"]["hr"]).get(URL, {"status": "nope"}).status_code == 400
