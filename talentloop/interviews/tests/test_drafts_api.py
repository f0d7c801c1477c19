"""The question drafts API under /api/v1/questions/drafts/: drafting (201 with the drafts and their self-check),
the pending list, one draft, editing, approving and rejecting; a missing backend is a 409 that says the built-in
generator is used, a failing vendor a 502 (504 on timeout) and nothing is saved; who may call it; the schema.

The vendor's cloud is outside our control: `FakeChatServer` (test_llm_drafts.py) is a local OpenAI-compatible
endpoint on 127.0.0.1, wired in through the TALENTLOOP_LLM_* settings by the fixtures of test_drafts_services.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talentloop.assessment.tests.test_llm_drafts import FakeChatServer, bank_drafts, completion
from talentloop.core.models import User
from talentloop.interviews.models import InterviewQuestion

from ._support import InterviewSetup
from .test_drafts_services import SAMPLES_EN
from .test_drafts_services import backend as backend  # a fixture, re-exported so pytest finds it here
from .test_drafts_services import no_backend as no_backend  # a fixture

pytestmark = pytest.mark.django_db
URL = "/api/v1/questions/drafts/"
DRAFT_KEYS = {
    "id", "code", "text", "language", "competency", "competency_name", "type", "difficulty", "time_limit_seconds",
    "key_points", "reference_answer", "levels", "source", "is_active", "review_status", "created_at", "created_by",
    "self_check",
}


def client_for(user: User) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user=user)
    return client


def _draft(setup: InterviewSetup, backend: FakeChatServer, samples: list[dict[str, Any]] | None = None) -> Any:
    backend.reply_drafts(samples or SAMPLES_EN)
    response = client_for(setup.hr).post(
        URL, {"competency": "communication", "job": setup.job.pk, "language": "en", "count": 2}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_drafting_returns_the_drafts_with_their_self_check(setup: InterviewSetup, backend: FakeChatServer) -> None:
    body = _draft(setup, backend)
    assert set(body) == {"backend", "drafts"}
    assert body["backend"] == {
        "configured": True, "model": "fake-model", "host": f"127.0.0.1:{backend.httpd.server_address[1]}",
        "missing": [],
    }
    first = body["drafts"][0]
    assert set(first) == DRAFT_KEYS
    question = InterviewQuestion.objects.get(code="gen-1")
    assert {k: v for k, v in first.items() if k not in ("created_at", "self_check")} == {
        "id": question.pk, "code": "gen-1", "text": SAMPLES_EN[0]["text"], "language": "en",
        "competency": "communication", "competency_name": "Communication", "type": SAMPLES_EN[0]["type"],
        "difficulty": SAMPLES_EN[0]["difficulty"], "time_limit_seconds": SAMPLES_EN[0]["time_limit_seconds"],
        "key_points": SAMPLES_EN[0]["key_points"], "reference_answer": SAMPLES_EN[0]["reference_answer"],
        "levels": SAMPLES_EN[0]["levels"], "source": "generated", "is_active": False, "review_status": "pending",
        "created_by": "hr",
    }
    check = first["self_check"]
    assert set(check) == {"score", "matched_key_points", "missing_key_points", "flags", "consistent"}
    assert check["consistent"] is True
    assert check["score"] >= 80
    assert check["missing_key_points"] == []
    assert [d["code"] for d in body["drafts"]] == ["gen-1", "gen-2"]


def test_the_pending_list_one_draft_edit_approve_and_reject(setup: InterviewSetup, backend: FakeChatServer) -> None:
    first, second = _draft(setup, backend)["drafts"]
    hr = client_for(setup.hr)
    listed = hr.get(URL).json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert [d["code"] for d in listed["results"]] == ["gen-2", "gen-1"]  # newest first
    assert hr.get(f"{URL}{first['id']}/").json()["code"] == "gen-1"

    edited = hr.patch(f"{URL}{first['id']}/", {"difficulty": 3}, format="json")
    assert edited.status_code == 200, edited.content
    assert (edited.json()["difficulty"], edited.json()["review_status"]) == (3, "pending")
    bad = hr.patch(f"{URL}{first['id']}/", {"key_points": [{"point": "Only one", "synonyms": []}]}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["key_points"]

    approved = hr.post(f"{URL}{first['id']}/approve/")
    assert approved.status_code == 200
    assert (approved.json()["is_active"], approved.json()["review_status"]) == (True, "approved")
    rejected = hr.post(f"{URL}{second['id']}/reject/")
    assert (rejected.json()["is_active"], rejected.json()["review_status"]) == (False, "rejected")
    assert hr.get(URL).json()["count"] == 0
    conflict = hr.post(f"{URL}{first['id']}/reject/")
    assert conflict.status_code == 409
    assert conflict.json()["detail"] == (
        "Question gen-1 is already approved and in use; retire it in the question bank instead."
    )
    assert hr.patch(f"{URL}{first['id']}/", {"difficulty": 1}, format="json").status_code == 409
    # The approved draft is an ordinary bank question now.
    bank = hr.get("/api/v1/questions/", {"competency": "communication", "language": "en", "active": "true"}).json()
    assert "gen-1" in [q["code"] for q in bank["results"]]


def test_ids_that_are_not_drafts_are_404(setup: InterviewSetup, backend: FakeChatServer) -> None:
    hr = client_for(setup.hr)
    shipped = InterviewQuestion.objects.get(code="communication-en-1")
    for path in (f"{URL}{shipped.pk}/", f"{URL}{shipped.pk}/approve/", f"{URL}999999999/reject/"):
        response = hr.post(path) if path.endswith("/approve/") or path.endswith("/reject/") else hr.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "No such question draft."}
    shipped.refresh_from_db()
    assert (shipped.is_active, shipped.review_status) == (True, "approved")


def test_without_a_backend_the_api_refuses_clearly(setup: InterviewSetup, no_backend: None, settings: Any) -> None:
    settings.TALENTLOOP_LLM_MODEL = "some-model"
    response = client_for(setup.hr).post(URL, {"competency": "communication", "language": "en"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "No generative backend is configured (TALENTLOOP_LLM_BASE_URL); the built-in question generator is "
                  "used."
    }
    assert client_for(setup.hr).get(f"{URL}backend/").json() == {
        "configured": False, "model": "some-model", "host": "", "missing": ["TALENTLOOP_LLM_BASE_URL"],
    }
    assert client_for(setup.hr).get(URL).json()["count"] == 0


@pytest.mark.parametrize(("reply", "status", "start"), [
    ({"body": {"error": {"message": "Service unavailable"}}, "status": 503}, 502,
     "The language model service returned an error (HTTP 503). Nothing was saved. Details:"),
    ({"body": "not json at all"}, 502, "The drafts could not be made: the language model service at"),
    ({"body": completion('{"questions": "three"}')}, 502,
     'The drafts could not be made: the model\'s reply has no "questions" list'),
    ({"body": completion("{}"), "delay": 2.0}, 504, "The language model did not answer in time"),
])
def test_a_vendor_failure_is_a_readable_5xx_and_saves_nothing(
    setup: InterviewSetup, backend: FakeChatServer, settings: Any, reply: dict[str, Any], status: int, start: str
) -> None:
    settings.TALENTLOOP_LLM_TIMEOUT_SECONDS = 0.5
    backend.reply(**reply)
    response = client_for(setup.hr).post(URL, {"competency": "communication", "language": "en"}, format="json")
    assert response.status_code == status
    assert response.json()["detail"].startswith(start)
    assert not InterviewQuestion.objects.filter(source="generated").exists()


def test_bad_input_is_a_400_naming_the_field(setup: InterviewSetup, backend: FakeChatServer) -> None:
    hr = client_for(setup.hr)
    too_many = hr.post(URL, {"competency": "communication", "language": "en", "count": 11}, format="json")
    assert too_many.status_code == 400
    assert list(too_many.json()["errors"]) == ["count"]
    unknown = hr.post(URL, {"competency": "telepathy", "language": "fr"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {
        "competency": ["There is no competency with the code “telepathy”."],
        "language": ["Choose the language: zh-hans (Chinese) or en (English)."],
    }
    assert backend.requests == []


@pytest.mark.parametrize("role", ["manager", "employee", "candidate"])
def test_only_hr_admins_and_recruiters_may_use_the_drafts_api(
    setup: InterviewSetup, backend: FakeChatServer, role: str
) -> None:
    draft_id = _draft(setup, backend)["drafts"][0]["id"]
    recruiter = client_for(setup.recruiter)
    assert recruiter.get(URL).status_code == 200
    outsider = client_for(setup.org["users"][role])
    for method, path in (("get", URL), ("post", URL), ("get", f"{URL}{draft_id}/"), ("get", f"{URL}backend/"),
                         ("post", f"{URL}{draft_id}/approve/"), ("post", f"{URL}{draft_id}/reject/")):
        assert getattr(outsider, method)(path, {}, format="json").status_code == 403, (method, path)
    assert Client().get(URL).status_code in (401, 403)
    assert len(backend.requests) == 1
    assert InterviewQuestion.objects.get(pk=draft_id).review_status == "pending"


def test_the_pending_list_runs_a_constant_number_of_queries(setup: InterviewSetup, backend: FakeChatServer) -> None:
    hr = client_for(setup.hr)
    _draft(setup, backend)
    with CaptureQueriesContext(connection) as two:
        assert hr.get(URL).json()["count"] == 2
    _draft(setup, backend, bank_drafts("execution", "en")[:2])
    with CaptureQueriesContext(connection) as four:
        assert hr.get(URL).json()["count"] == 4
    assert len(four) == len(two)


def test_the_schema_documents_the_drafts_endpoints() -> None:
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert set(paths[URL]) == {"get", "post"}
    assert set(paths[URL + "{id}/"]) == {"get", "patch"}
    assert set(paths[URL + "{id}/approve/"]) == {"post"}
    assert set(paths[URL + "{id}/reject/"]) == {"post"}
    assert set(paths[URL + "backend/"]) == {"get"}
    assert {"201", "400", "403", "409", "502", "504"} <= set(paths[URL]["post"]["responses"])
