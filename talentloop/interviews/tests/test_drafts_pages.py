"""The question drafts page /interviews/questions/drafts/: without a backend it says interviews use the built-in
generator; with one, HR asks for drafts through the form, sees each pending draft (key points, reference answer,
self-check) and edits, approves or rejects it; a vendor failure is shown on the page and saves nothing.

The vendor's cloud is outside our control: `FakeChatServer` (test_llm_drafts.py) is a local OpenAI-compatible
endpoint on 127.0.0.1, wired in through the TALENTLOOP_LLM_* settings by the fixtures of test_drafts_services.py."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest

from talentloop.assessment.tests.test_llm_drafts import FakeChatServer, completion
from talentloop.interviews.models import InterviewQuestion
from talentloop.interviews.tests._reports_support import browser

from ._support import InterviewSetup
from .test_drafts_services import SAMPLES_EN
from .test_drafts_services import backend as backend  # a fixture, re-exported so pytest finds it here
from .test_drafts_services import no_backend as no_backend  # a fixture

pytestmark = pytest.mark.django_db
PAGE = "/interviews/questions/drafts/"
BUILT_IN = ("No generative backend is configured; interviews use the built-in generator (the shipped question bank "
            "and HR's own questions).")


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _ask(setup: InterviewSetup, backend: FakeChatServer, **changes: Any) -> Any:
    backend.reply_drafts(SAMPLES_EN)
    data = {"competency": "communication", "job": str(setup.job.pk), "language": "en", "count": "2", **changes}
    return browser(setup.hr).post(PAGE, data)


def test_without_a_backend_the_page_says_the_built_in_generator_is_used(setup: InterviewSetup, no_backend: None
                                                                         ) -> None:
    response = browser(setup.hr).get(PAGE)
    assert response.status_code == 200
    page = _page(response)
    assert BUILT_IN in page
    assert 'data-testid="draft-form"' not in page
    assert "TALENTLOOP_LLM_BASE_URL and TALENTLOOP_LLM_MODEL" in page
    assert "No draft is waiting for approval." in page
    refused = browser(setup.hr).post(PAGE, {"competency": "communication", "language": "en", "count": "1"})
    assert "No generative backend is configured (TALENTLOOP_LLM_BASE_URL, TALENTLOOP_LLM_MODEL)" in _page(refused)
    assert not InterviewQuestion.objects.filter(source="generated").exists()


def test_drafting_through_the_form_lists_the_drafts_for_review(setup: InterviewSetup, backend: FakeChatServer) -> None:
    form_page = _page(browser(setup.hr).get(PAGE))
    assert 'data-testid="draft-form"' in form_page
    assert f"Drafts are written by the model fake-model at 127.0.0.1:{backend.httpd.server_address[1]}." in form_page
    assert f'<option value="{setup.job.pk}">Customer Success Manager (' in form_page

    response = _ask(setup, backend)
    assert response.status_code == 302
    assert response["Location"] == PAGE
    prompt = backend.requests[0]["body"]["messages"][1]["content"]
    assert "Job title: Customer Success Manager" in prompt

    page = _page(browser(setup.hr).get(PAGE))
    assert page.count('data-testid="draft"') == 2
    assert "2 drafts wait for your review." in page
    first = SAMPLES_EN[0]
    assert first["text"] in page
    assert first["reference_answer"] in page
    for point in first["key_points"]:
        assert point["point"] in page
        assert " · ".join(point["synonyms"]) in page
    for text in first["levels"].values():
        assert text in page
    assert page.count(": consistent</span>") == 2
    gen1 = InterviewQuestion.objects.get(code="gen-1")
    for action in ("approve", "reject"):
        assert f'action="/interviews/questions/drafts/{gen1.pk}/{action}/"' in page
    assert f'href="/interviews/questions/drafts/{gen1.pk}/edit/"' in page


def test_a_vendor_failure_is_shown_on_the_page_and_saves_nothing(setup: InterviewSetup, backend: FakeChatServer
                                                                 ) -> None:
    backend.reply({"error": {"message": "Rate limit reached"}}, status=429)
    response = browser(setup.hr).post(PAGE, {"competency": "communication", "language": "en", "count": "2"})
    assert response.status_code == 200
    page = _page(response)
    assert "The language model service returned an error (HTTP 429). Nothing was saved." in page
    assert "answered HTTP 429: Rate limit reached" in page
    backend.reply(completion(json.dumps({"questions": [{"text": "Tell me about a time."}]})))
    page = _page(browser(setup.hr).post(PAGE, {"competency": "communication", "language": "en", "count": "1"}))
    assert 'The drafts could not be made: the model\'s reply is not usable: question 1: "type" must be' in page
    assert not InterviewQuestion.objects.filter(source="generated").exists()


def test_the_form_refuses_bad_input_beside_the_fields(setup: InterviewSetup, backend: FakeChatServer) -> None:
    page = _page(browser(setup.hr).post(PAGE, {"competency": "", "language": "en", "count": "11"}))
    assert page.count('class="errorlist field-error"') == 2
    assert "Ensure this value is less than or equal to 10." in page
    assert backend.requests == []


def test_approve_and_reject_from_the_page(setup: InterviewSetup, backend: FakeChatServer) -> None:
    _ask(setup, backend)
    gen1, gen2 = InterviewQuestion.objects.filter(source="generated").order_by("code")
    client = browser(setup.hr)
    approved = client.post(f"{PAGE}{gen1.pk}/approve/", follow=True)
    assert "Draft gen-1 approved: interviews may ask it now." in _page(approved)
    rejected = client.post(f"{PAGE}{gen2.pk}/reject/", follow=True)
    assert "Draft gen-2 rejected: it will not be asked." in _page(rejected)
    gen1.refresh_from_db()
    gen2.refresh_from_db()
    assert (gen1.is_active, gen1.review_status, gen2.is_active, gen2.review_status) == (
        True, "approved", False, "rejected"
    )
    assert "No draft is waiting for approval." in _page(rejected)
    conflict = client.post(f"{PAGE}{gen1.pk}/reject/", follow=True)
    assert "Question gen-1 is already approved and in use; retire it in the question bank instead." in _page(conflict)
    assert client.get(f"{PAGE}{gen1.pk}/edit/")["Location"] == f"/interviews/questions/{gen1.pk}/edit/"
    assert client.get(f"{PAGE}{gen1.pk}/approve/").status_code == 405


def test_editing_a_draft_keeps_it_pending(setup: InterviewSetup, backend: FakeChatServer) -> None:
    _ask(setup, backend)
    gen1 = InterviewQuestion.objects.get(code="gen-1")
    client = browser(setup.recruiter)
    page = _page(client.get(f"{PAGE}{gen1.pk}/edit/"))
    assert gen1.text in page
    assert "Self-check" in page
    assert page.count('data-testid="key-point-row"') == 6
    data = {
        "competency": "communication", "language": "en", "type": gen1.type, "difficulty": "3",
        "time_limit_seconds": "240", "text": "Tell me about a time you explained a hard decision to your team.",
        "reference_answer": gen1.reference_answer, "level_1": "Vague", "level_2": "Clear", "level_3": "Convincing",
        "kp-TOTAL_FORMS": "6", "kp-INITIAL_FORMS": "0", "kp-MIN_NUM_FORMS": "0", "kp-MAX_NUM_FORMS": "6",
    }
    for index, point in enumerate(gen1.key_points):
        data[f"kp-{index}-point"] = point["point"]
        data[f"kp-{index}-synonyms"] = "\n".join(point["synonyms"])
    response = client.post(f"{PAGE}{gen1.pk}/edit/", data)
    assert response.status_code == 302, _page(response)
    gen1.refresh_from_db()
    assert (gen1.text, gen1.difficulty, gen1.time_limit_seconds, gen1.levels) == (
        data["text"], 3, 240, {"1": "Vague", "2": "Clear", "3": "Convincing"}
    )
    assert (gen1.review_status, gen1.is_active) == ("pending", False)
    data["kp-1-point"] = data["kp-2-point"] = ""
    data["kp-1-synonyms"] = data["kp-2-synonyms"] = ""
    refused = _page(client.post(f"{PAGE}{gen1.pk}/edit/", data))
    assert 'data-testid="key-point-errors"' in refused


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_other_roles_are_refused(setup: InterviewSetup, backend: FakeChatServer, role: str) -> None:
    _ask(setup, backend)
    gen1 = InterviewQuestion.objects.get(code="gen-1")
    client = browser(setup.org["users"][role])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"competency": "communication", "language": "en", "count": "1"}).status_code == 403
    assert client.get(f"{PAGE}{gen1.pk}/edit/").status_code == 403
    assert client.post(f"{PAGE}{gen1.pk}/approve/").status_code == 403
    assert client.post(f"{PAGE}{gen1.pk}/reject/").status_code == 403
    gen1.refresh_from_db()
    assert (gen1.review_status, gen1.is_active) == ("pending", False)
    assert len(backend.requests) == 1
