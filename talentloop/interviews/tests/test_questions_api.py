"""The question bank API /api/v1/questions/: list with filters, retrieve, create, partial update, retire (DELETE)
and restore; each bad field gets a 400 that names it; who may do what; the list's query budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talentloop.core.models import User
from talentloop.interviews.models import InterviewQuestion
from talentloop.org.models import Competency

pytestmark = pytest.mark.django_db

ITEM_KEYS = {
    "id", "code", "text", "language", "competency", "type", "difficulty", "time_limit_seconds", "key_points",
    "reference_answer", "levels", "source", "is_active",
}
KEY_POINTS = [
    {"point": "Apologises first", "synonyms": ["sorry", "apologise"]},
    {"point": "Finds the cause", "synonyms": ["root cause"]},
    {"point": "Confirms the customer is satisfied", "synonyms": ["follow up", "checked back"]},
]
NEW = {
    "text": "A {customer_type} complains about {product}. What do you do?", "language": "en",
    "competency": "customer_orientation", "type": "situational", "difficulty": 2, "time_limit_seconds": 240,
    "key_points": KEY_POINTS, "reference_answer": "I would apologise, find the cause and call back.",
    "levels": {"1": "Apologises only", "2": "Fixes it", "3": "Fixes it and prevents it"},
}


def client_for(user: User) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def hr(org: dict[str, Any]) -> APIClient:
    return client_for(org["users"]["hr"])


def test_the_shipped_bank_is_listed_with_filters(hr: APIClient) -> None:
    body = hr.get("/api/v1/questions/", {"competency": "communication", "language": "zh-hans"}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    first = body["results"][0]
    assert set(first) == ITEM_KEYS
    shipped = InterviewQuestion.objects.get(code="communication-zh-1")
    assert first == {
        "id": shipped.pk, "code": "communication-zh-1", "text": shipped.text, "language": "zh-hans",
        "competency": "communication", "type": "behavioral", "difficulty": 1, "time_limit_seconds": 120,
        "key_points": shipped.key_points, "reference_answer": shipped.reference_answer, "levels": shipped.levels,
        "source": "shipped", "is_active": True,
    }
    assert hr.get("/api/v1/questions/").json()["count"] == InterviewQuestion.objects.count()
    by_type = hr.get("/api/v1/questions/", {"type": "situational", "difficulty": "2", "page_size": "500"}).json()
    assert by_type["count"] == 56
    assert {(q["type"], q["difficulty"]) for q in by_type["results"]} == {("situational", 2)}
    InterviewQuestion.objects.filter(code="communication-zh-1").update(is_active=False)
    retired = hr.get("/api/v1/questions/", {"active": "false"}).json()["results"]
    assert [q["code"] for q in retired] == ["communication-zh-1"]
    bad = hr.get("/api/v1/questions/", {"language": "fr"})
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["language"]


def test_create_update_retire_and_restore(hr: APIClient) -> None:
    created = hr.post("/api/v1/questions/", NEW, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {**NEW, "id": body["id"], "code": "custom-1", "source": "custom", "is_active": True}
    question = InterviewQuestion.objects.get(pk=body["id"])
    assert question.placeholders == ["product", "customer_type"]
    assert hr.post("/api/v1/questions/", NEW, format="json").json()["code"] == "custom-2"

    patched = hr.patch(f"/api/v1/questions/{question.pk}/", {"difficulty": 3, "text": "  Calm an angry customer.  "},
                       format="json")
    assert patched.status_code == 200, patched.content
    assert (patched.json()["difficulty"], patched.json()["text"]) == (3, "Calm an angry customer.")
    question.refresh_from_db()
    assert question.placeholders == []

    gone = hr.delete(f"/api/v1/questions/{question.pk}/")
    assert gone.status_code == 204
    question.refresh_from_db()
    assert (question.is_active, question.retired_at is not None) == (False, True)
    assert hr.get(f"/api/v1/questions/{question.pk}/").json()["is_active"] is False
    assert hr.delete(f"/api/v1/questions/{question.pk}/").status_code == 204

    restored = hr.post(f"/api/v1/questions/{question.pk}/restore/")
    assert restored.status_code == 200, restored.content
    assert restored.json()["is_active"] is True
    question.refresh_from_db()
    assert (question.is_active, question.retired_at) == (True, None)


def test_a_shipped_question_can_be_edited(hr: APIClient) -> None:
    shipped = InterviewQuestion.objects.get(code="communication-en-1")
    response = hr.patch(f"/api/v1/questions/{shipped.pk}/", {"time_limit_seconds": 300}, format="json")
    assert response.status_code == 200
    assert (response.json()["source"], response.json()["time_limit_seconds"]) == ("shipped", 300)


BAD_FIELDS: list[tuple[str, Any, str]] = [
    ("text", "   ", "text: Write the question."),
    ("text", "Tell me about {company}.", "text: Unknown placeholder {company}: the question may use {product}, "
                                         "{customer_type} and {team_size}."),
    ("language", "fr", "language: Choose the language: zh-hans (Chinese) or en (English)."),
    ("type", "trivia", "type: Choose the type: behavioral, situational or technical."),
    ("difficulty", 4, "difficulty: The difficulty is 1 (junior), 2 (mid-level) or 3 (senior)."),
    ("difficulty", "hard", "difficulty: A valid integer is required."),
    ("time_limit_seconds", 29, "time_limit_seconds: The time limit is between 30 and 1800 seconds."),
    ("time_limit_seconds", 1801, "time_limit_seconds: The time limit is between 30 and 1800 seconds."),
    ("competency", "juggling", "competency: There is no competency with the code “juggling”."),
    ("key_points", KEY_POINTS[:2],
     "key_points: Give between 3 and 6 key points a strong answer covers (2 given)."),
    ("key_points", [{"point": f"Point {n}", "synonyms": []} for n in range(7)],
     "key_points: Give between 3 and 6 key points a strong answer covers (7 given)."),
    ("key_points", [*KEY_POINTS[:2], {"point": " ", "synonyms": []}], "key_points: Key point 3: write the point."),
    ("key_points", [*KEY_POINTS[:2], {"point": "Listens", "synonyms": "listen"}],
     "key_points: Key point 3: the synonyms must be a list of words or phrases."),
    ("key_points", [*KEY_POINTS[:2], "Listens"],
     "key_points: Key point 3 must be an object with a point and its synonyms."),
    ("key_points", [*KEY_POINTS[:2], KEY_POINTS[0]],
     "key_points: Two key points are the same; each key point must be different."),
    ("levels", {"4": "Superb"}, "levels: Unknown level 4: the levels are 1, 2 and 3."),
]


@pytest.mark.parametrize(("field", "value", "detail"), BAD_FIELDS, ids=[f"{f}={v!r}"[:60] for f, v, _ in BAD_FIELDS])
def test_each_bad_field_is_a_400_that_names_it(hr: APIClient, field: str, value: Any, detail: str) -> None:
    before = InterviewQuestion.objects.count()
    response = hr.post("/api/v1/questions/", {**NEW, field: value}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]
    assert response.json()["detail"] == detail
    assert InterviewQuestion.objects.count() == before


def test_a_retired_competency_takes_no_new_question(hr: APIClient) -> None:
    Competency.objects.filter(code="customer_orientation").update(is_active=False)
    response = hr.post("/api/v1/questions/", NEW, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "competency": ["The competency “Customer Orientation” is no longer in use; choose an active one."]
    }


def test_missing_fields_are_named_at_once(hr: APIClient) -> None:
    response = hr.post("/api/v1/questions/", {"text": "Hello"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"competency", "language", "type", "key_points"}


ROLES = ["hr", "recruiter", "manager", "employee", "candidate", None]
MATRIX: list[tuple[str, str, dict[str, Any] | None, tuple[int, ...]]] = [
    ("get", "/api/v1/questions/", None, (200, 200, 200, 403, 403, 401)),
    ("get", "/api/v1/questions/{id}/", None, (200, 200, 200, 403, 403, 401)),
    ("post", "/api/v1/questions/", NEW, (201, 201, 403, 403, 403, 401)),
    ("patch", "/api/v1/questions/{id}/", {"difficulty": 3}, (200, 200, 403, 403, 403, 401)),
    ("delete", "/api/v1/questions/{id}/", None, (204, 204, 403, 403, 403, 401)),
    ("put", "/api/v1/questions/{id}/", NEW, (405, 405, 403, 403, 403, 401)),
]


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=[str(role) for role in ROLES])
@pytest.mark.parametrize(("method", "path", "payload", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
def test_permission_matrix(
    org: dict[str, Any], method: str, path: str, payload: dict[str, Any] | None, expected: tuple[int, ...],
    role_index: int,
) -> None:
    question = InterviewQuestion.objects.get(code="communication-en-2")
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    role = ROLES[role_index]
    if role is not None:
        api.force_authenticate(user=org["users"][role])
    before = list(InterviewQuestion.objects.order_by("pk").values_list("code", "difficulty", "is_active"))
    url = path.format(id=question.pk)
    response = getattr(api, method)(url, payload, format="json") if payload is not None else getattr(api, method)(url)
    assert response.status_code == expected[role_index], response.content
    if response.status_code >= 400:
        assert list(InterviewQuestion.objects.order_by("pk").values_list("code", "difficulty", "is_active")) == before


def test_the_list_runs_a_fixed_number_of_queries(hr: APIClient) -> None:
    def measure(size: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            body = hr.get("/api/v1/questions/", {"page_size": size}).json()
        return len(ctx.captured_queries), len(body["results"])

    assert measure(5) == (2, 5)
    assert measure(200) == (2, 200)
