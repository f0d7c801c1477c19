"""The written-test API under /api/v1/: the public shapes field by field, nested questions, validation (a 400
naming the problem, nothing written), assigning, the sittings of a test, review, the permission matrix, the
query budget of the lists, and the candidate's JSON autosave refusing expired, submitted and unknown links."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from talentloop.recruiting.models import Application, Stage, WrittenTest, WrittenTestSitting
from talentloop.recruiting.services import written_tests as services

from .test_written_tests import EXAMPLE, assign, make_application, make_job, make_test, question_ids, shift_start

pytestmark = pytest.mark.django_db

Org = dict[str, Any]
LIST = "/api/v1/written-tests/"
LIST_KEYS = {"count", "next", "previous", "results"}
TEST_KEYS = {"id", "title", "job", "instructions", "time_limit_minutes", "questions"}
QUESTION_KEYS = {"id", "kind", "text", "options", "correct", "points"}
SITTING_KEYS = {
    "id", "test", "application", "candidate", "status", "expires_at", "started_at", "deadline", "submitted_at",
    "timed_out", "answers", "auto_points", "manual_points", "score", "reviewed_by", "candidate_url",
}
BODY: dict[str, Any] = {
    "title": "销售笔试", "job": None, "instructions": "请独立完成。", "time_limit_minutes": 45,
    "questions": [dict(q) for q in EXAMPLE],
}


@pytest.fixture(autouse=True)
def _english(api: APIClient) -> None:
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def client_for(org: Org, api_as: Any, role: str) -> APIClient:
    client: APIClient = api_as(org["users"][role])
    return client


def test_create_returns_the_test_with_its_nested_questions(org: Org, api_as: Any) -> None:
    job = make_job(org)
    response = client_for(org, api_as, "recruiter").post(LIST, {**BODY, "job": job.pk}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert set(data) == TEST_KEYS
    assert {k: data[k] for k in ("title", "job", "instructions", "time_limit_minutes")} == {
        "title": "销售笔试", "job": job.pk, "instructions": "请独立完成。", "time_limit_minutes": 45,
    }
    test = WrittenTest.objects.get()
    assert [q["id"] for q in data["questions"]] == question_ids(test)
    assert [{k: v for k, v in q.items() if k != "id"} for q in data["questions"]] == [
        {"kind": "single", "text": "2 + 2 = ?", "options": ["3", "4", "5"], "correct": [1], "points": 2.0},
        {"kind": "multiple", "text": "Which are prime?", "options": ["2", "4", "5", "9"], "correct": [0, 2],
         "points": 3.0},
        {"kind": "multiple", "text": "Which are even?", "options": ["1", "2", "3", "6"], "correct": [1, 3],
         "points": 4.0},
        {"kind": "short", "text": "Describe a project you are proud of.", "options": [], "correct": [], "points": 5.0},
        {"kind": "single", "text": "Capital of China?", "options": ["北京", "上海"], "correct": [0], "points": 1.0},
    ]
    assert all(set(q) == QUESTION_KEYS for q in data["questions"])


def test_invalid_tests_are_a_400_naming_each_problem_and_nothing_is_written(org: Org, api_as: Any) -> None:
    body = {
        **BODY, "time_limit_minutes": 301,
        "questions": [
            {"kind": "single", "text": "Q", "options": ["a", "b"], "correct": [0, 1], "points": 1},
            {"kind": "short", "text": "S", "options": ["a", "b"], "points": 1},
        ],
    }
    response = client_for(org, api_as, "hr").post(LIST, body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "time_limit_minutes: The time limit is 1 to 300 minutes. questions: Question 1: A one-answer "
        "question has exactly one correct option.; Question 2: A short-answer question has no options or correct "
        "answers; a reviewer scores it.",
        "errors": {
            "time_limit_minutes": ["The time limit is 1 to 300 minutes."],
            "questions": [
                "Question 1: A one-answer question has exactly one correct option.",
                "Question 2: A short-answer question has no options or correct answers; a reviewer scores it.",
            ],
        },
    }
    assert WrittenTest.objects.count() == 0
    bad_kind = client_for(org, api_as, "hr").post(LIST, {**BODY, "questions": [{"kind": "essay", "text": "Q"}]},
                                                  format="json")
    assert bad_kind.status_code == 400
    assert bad_kind.json()["errors"] == {"questions": {"0": {"kind": ['"essay" is not a valid choice.']}}}
    assert bad_kind.json()["detail"] == 'questions: item 1: kind: "essay" is not a valid choice.'



def test_put_edits_questions_by_id_and_patch_changes_only_what_is_sent(org: Org, api_as: Any) -> None:
    test = make_test(org, questions=EXAMPLE[:2])
    first, second = question_ids(test)
    client = client_for(org, api_as, "hr")
    body = {
        "title": "v2", "job": None, "instructions": "", "time_limit_minutes": 20,
        "questions": [{"id": second, **EXAMPLE[1], "points": 6}, {**EXAMPLE[3]}],
    }
    response = client.put(f"{LIST}{test.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["title"], data["time_limit_minutes"]) == ("v2", 20)
    assert [(q["id"] == second, q["kind"], q["points"]) for q in data["questions"]] == [
        (True, "multiple", 6.0), (False, "short", 5.0),
    ]
    assert first not in [q["id"] for q in data["questions"]]
    patched = client.patch(f"{LIST}{test.pk}/", {"instructions": "Take your time."}, format="json")
    assert patched.status_code == 200
    assert (patched.json()["instructions"], len(patched.json()["questions"])) == ("Take your time.", 2)


def test_delete_is_refused_once_the_test_was_given(org: Org, api_as: Any) -> None:
    client = client_for(org, api_as, "hr")
    given = assign(org, make_test(org), make_application(org)).test
    response = client.delete(f"{LIST}{given.pk}/")
    assert (response.status_code, response.json()) == (
        409, {"detail": "This test has been assigned to candidates; it is kept with their results."}
    )
    unused = make_test(org, title="Unused")
    assert client.delete(f"{LIST}{unused.pk}/").status_code == 204
    assert list(WrittenTest.objects.values_list("pk", flat=True)) == [given.pk]


def test_assign_returns_the_secret_link_and_moves_the_application(
    org: Org, api_as: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any],
) -> None:
    test = make_test(org)
    application = make_application(org, stage=Stage.AI_INTERVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org, api_as, "recruiter").post(
            f"{LIST}{test.pk}/assign/", {"application": application.pk, "expires_in_days": 5}, format="json"
        )
    assert response.status_code == 201, response.json()
    data = response.json()
    sitting = WrittenTestSitting.objects.get()
    assert set(data) == {"id", "token", "candidate_url", "expires_at"}
    assert (data["id"], data["token"]) == (sitting.pk, sitting.token)
    assert data["candidate_url"] == f"http://testserver/careers/test/{sitting.token}/"
    assert data["expires_at"] == timezone.localtime(sitting.expires_at).isoformat()
    assert Application.objects.get(pk=application.pk).stage == Stage.WRITTEN_TEST
    assert len(mailoutbox) == 2
    assert data["candidate_url"] in mailoutbox[1].body


def test_assign_without_email_sends_only_the_stage_email_and_refuses_bad_input(
    org: Org, api_as: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any],
) -> None:
    test = make_test(org)
    application = make_application(org)
    client = client_for(org, api_as, "hr")
    url = f"{LIST}{test.pk}/assign/"
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(
            url, {"application": application.pk, "expires_in_days": 5, "send_email": False}, format="json"
        )
    assert ok.status_code == 201
    assert [m.subject for m in mailoutbox] == [f"TalentLoop: written test for {application.job.title}"]
    again = client.post(url, {"application": application.pk, "expires_in_days": 5}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"].startswith("This candidate already has an open link to this test (valid until ")
    bad = client.post(url, {"application": application.pk, "expires_in_days": 0}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"expires_in_days": ["The link is valid for 1 to 90 days."]}
    missing = client.post(url, {"application": 999999, "expires_in_days": 3}, format="json")
    assert missing.status_code == 404
    assert WrittenTestSitting.objects.count() == 1


def test_the_sittings_of_a_test_and_the_review(org: Org, api_as: Any) -> None:
    sitting = assign(org, make_test(org), make_application(org))
    services.sitting_start(token=sitting.token)
    q1, _q2, _q3, q4, _q5 = question_ids(sitting.test)
    services.sitting_submit(token=sitting.token, answers={str(q1): ["1"], str(q4): "My answer"})
    client = client_for(org, api_as, "hr")
    listed = client.get(f"{LIST}{sitting.test_id}/sittings/")
    assert listed.status_code == 200
    body = listed.json()
    assert set(body) == LIST_KEYS
    assert body["count"] == 1
    row = body["results"][0]
    assert set(row) == SITTING_KEYS
    assert {k: row[k] for k in ("id", "test", "application", "candidate", "status", "auto_points", "score")} == {
        "id": sitting.pk, "test": sitting.test_id, "application": sitting.application_id, "candidate": "张三",
        "status": "submitted", "auto_points": 2.0, "score": None,
    }
    assert row["answers"] == {str(q1): [1], str(q4): "My answer"}
    assert row["candidate_url"] == f"http://testserver/careers/test/{sitting.token}/"
    assert row["timed_out"] is False

    review = client.post(f"/api/v1/written-test-sittings/{sitting.pk}/review/", {"points": {str(q4): 4}},
                         format="json")
    assert review.status_code == 200, review.json()
    # (2 + 4) / 15 × 100 = 40
    assert (review.json()["status"], review.json()["score"], review.json()["manual_points"]) == (
        "graded", 40.0, {str(q4): "4.0"}
    )
    assert Application.objects.get(pk=sitting.application_id).written_test_score == 40.0
    too_many = client.post(f"/api/v1/written-test-sittings/{sitting.pk}/review/", {"points": {str(q4): 9}},
                           format="json")
    assert (too_many.status_code, too_many.json()["errors"]) == (400, {"points": ["Question 4: give 0 to 5 points."]})


def test_permissions_by_role(org: Org, api_as: Any) -> None:
    sales_test = make_test(org, job=make_job(org), title="Sales")
    sitting = assign(org, sales_test, make_application(org, job=sales_test.job))
    sitting_url = f"/api/v1/written-test-sittings/{sitting.pk}/"
    for role in ("hr", "recruiter"):
        client = client_for(org, api_as, role)
        assert client.get(LIST).status_code == 200
        assert client.get(f"{LIST}{sales_test.pk}/sittings/").status_code == 200
        assert client.get(sitting_url).json()["candidate_url"].endswith(f"/careers/test/{sitting.token}/")
    manager = client_for(org, api_as, "manager")
    assert [t["title"] for t in manager.get(LIST).json()["results"]] == ["Sales"]
    assert manager.get(sitting_url).json()["candidate_url"] is None  # read only: no secret links
    assert manager.post(LIST, BODY, format="json").status_code == 403
    assert manager.patch(f"{LIST}{sales_test.pk}/", {"title": "x"}, format="json").status_code == 403
    assert manager.post(f"{LIST}{sales_test.pk}/assign/", {}, format="json").status_code == 403
    assert manager.post(f"{sitting_url}review/", {"points": {"1": 1}}, format="json").status_code == 403
    for role in ("employee", "candidate", "outsider"):
        client = client_for(org, api_as, role)
        assert client.get(LIST).status_code == 403
        assert client.get(sitting_url).status_code == 403
        assert client.post(LIST, BODY, format="json").status_code == 403
    anonymous = APIClient()
    assert anonymous.get(LIST).status_code in (401, 403)
    assert WrittenTest.objects.get().title == "Sales"


def test_lists_run_a_constant_number_of_queries(org: Org, api_as: Any) -> None:
    client = client_for(org, api_as, "hr")
    test = make_test(org)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assign(org, test, make_application(org, email="1@example.com"))
    few_tests, few_sittings = count(LIST), count(f"{LIST}{test.pk}/sittings/")
    for n in range(4):
        make_test(org, title=f"T{n}")
        assign(org, test, make_application(org, email=f"x{n}@example.com"))
    assert count(LIST) == few_tests
    assert count(f"{LIST}{test.pk}/sittings/") == few_sittings


# --- The candidate's JSON autosave (the only machine-facing endpoint a token opens) ------------------------


def test_autosave_answers_json_and_refuses_links_that_are_closed(org: Org) -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    sitting = assign(org, make_test(org, questions=[EXAMPLE[0]], minutes=10), make_application(org))
    (question,) = question_ids(sitting.test)
    save = f"/careers/test/{sitting.token}/save/"
    services.sitting_start(token=sitting.token)
    ok = browser.post(save, {f"q-{question}": "1"})
    assert ok.status_code == 200
    assert set(ok.json()) == {"saved_at", "remaining_seconds"}
    assert 598 <= ok.json()["remaining_seconds"] <= 600
    assert WrittenTestSitting.objects.get(pk=sitting.pk).answers == {str(question): [1]}

    shift_start(sitting, 10 * 60 + 5)
    late = browser.post(save, {f"q-{question}": "0"})
    assert (late.status_code, late.json()) == (409, {
        "detail": "The time for this test is up; answers can no longer be changed. Your saved answers are kept.",
        "remaining_seconds": 0,
    })
    assert WrittenTestSitting.objects.get(pk=sitting.pk).answers == {str(question): [1]}

    services.sitting_submit(token=sitting.token, answers={})
    submitted = browser.post(save, {f"q-{question}": "0"})
    assert submitted.status_code == 410
    assert submitted.json()["redirect"] == f"/careers/test/{sitting.token}/"
    assert submitted.json()["detail"].startswith("You already submitted this test on ")

    expired = assign(org, sitting.test, make_application(org, email="other@example.com"))
    WrittenTestSitting.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    gone = browser.post(f"/careers/test/{expired.token}/save/", {})
    assert gone.status_code == 410
    assert gone.json()["detail"].startswith("This test link expired on ")

    unknown = browser.post("/careers/test/not-a-real-token/save/", {})
    assert (unknown.status_code, unknown.json()) == (404, {
        "detail": "This test link is not valid. Please check that you copied the whole link from the email.",
    })


def test_autosave_needs_the_pages_csrf_token(org: Org) -> None:
    sitting = assign(org, make_test(org, questions=[EXAMPLE[0]]), make_application(org))
    services.sitting_start(token=sitting.token)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/careers/test/{sitting.token}/save/", {}).status_code == 403
    page = strict.get(f"/careers/test/{sitting.token}/")
    token = page.cookies["csrftoken"].value
    saved = strict.post(f"/careers/test/{sitting.token}/save/", {}, headers={"X-CSRFToken": token})
    assert saved.status_code == 200
