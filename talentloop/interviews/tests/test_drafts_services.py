"""Question drafts from a generative backend (services/drafts.py): drafting saves pending, inactive "gen-<n>"
questions that no interview can use until HR approves them; rejecting keeps them out; a vendor failure, a bad
reply or a missing backend saves nothing and says why; only HR admins and recruiters may draft and decide.

The vendor's cloud is outside our control, so the backend is `FakeChatServer`, a local OpenAI-compatible chat
completions endpoint on 127.0.0.1 (real HTTP, in a thread), set up through the TALENTLOOP_LLM_* settings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from talentloop.assessment.interview import llm
from talentloop.assessment.tests.test_llm_drafts import FakeChatServer, bank_drafts, completion
from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.interviews.models import InterviewQuestion, SessionQuestion
from talentloop.interviews.services import questions as bank_services
from talentloop.interviews.services.drafts import (
    GeneratorFailed,
    GeneratorTimedOut,
    GeneratorUnavailable,
    draft_self_check,
    generator_status,
    question_draft_approve,
    question_draft_edit,
    question_draft_reject,
    question_drafts_generate,
    question_drafts_pending,
)
from talentloop.interviews.services.generation import pick
from talentloop.org.models import Competency

from ._support import InterviewSetup

pytestmark = pytest.mark.django_db
PROXIES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")
NOT_CONFIGURED = (
    "No generative backend is configured (TALENTLOOP_LLM_BASE_URL); the built-in question generator is used."
)


@pytest.fixture
def backend(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeChatServer]:
    for name in PROXIES:
        monkeypatch.delenv(name, raising=False)
    with FakeChatServer() as server:
        settings.TALENTLOOP_LLM_BASE_URL = server.url
        settings.TALENTLOOP_LLM_MODEL = "fake-model"
        settings.TALENTLOOP_LLM_API_KEY = "sk-test"
        settings.TALENTLOOP_LLM_TIMEOUT_SECONDS = 5.0
        yield server


@pytest.fixture
def no_backend(settings: Any) -> None:
    settings.TALENTLOOP_LLM_BASE_URL = ""
    settings.TALENTLOOP_LLM_MODEL = ""
    settings.TALENTLOOP_LLM_API_KEY = ""


# Texts a model would write for "communication": the bank's teamwork questions (no placeholders, and reference
# answers known to make their key points), which are not communication questions already in the bank.
SAMPLES_EN = bank_drafts("teamwork", "en")[:2]


def _generate(setup: InterviewSetup, **kwargs: Any) -> list[InterviewQuestion]:
    options: dict[str, Any] = {"actor": setup.hr, "competency": "communication", "language": "en", "count": 2}
    options.update(kwargs)
    return question_drafts_generate(**options)


def _nothing_saved() -> None:
    assert not InterviewQuestion.objects.filter(code__startswith="gen-").exists()
    assert not AuditEntry.objects.filter(object_type="interviews.interviewquestion").exists()


def test_drafts_are_saved_pending_and_inactive_with_the_prompt_built_from_the_competency_and_job(
    setup: InterviewSetup, backend: FakeChatServer
) -> None:
    backend.reply_drafts(SAMPLES_EN, model="fake-model-2024")
    created = _generate(setup, job=setup.job)

    assert [q.code for q in created] == ["gen-1", "gen-2"]
    for question, sample in zip(created, SAMPLES_EN, strict=True):
        question.refresh_from_db()
        assert (question.source, question.is_active, question.review_status) == ("generated", False, "pending")
        assert (question.language, question.competency.code, question.created_by) == ("en", "communication", setup.hr)
        assert question.placeholders == []
        assert {name: getattr(question, name) for name in sample} == sample
        check = draft_self_check(question)
        assert check.consistent
        assert check.score >= 80
    audit = AuditEntry.objects.filter(object_type="interviews.interviewquestion", object_id=str(created[0].pk))
    assert {(e.action, e.field, e.new_value, e.actor_id) for e in audit} == {
        ("create", "review_status", "pending", setup.hr.pk),
        ("create", "generated_by", f"fake-model-2024 @ 127.0.0.1:{backend.httpd.server_address[1]}", setup.hr.pk),
    }

    [sent] = backend.requests
    prompt = sent["body"]["messages"][1]["content"]
    competency = Competency.objects.get(code="communication")
    assert "Write 2 new interview questions that measure the competency below for the job below." in prompt
    assert "Competency: Communication (code: communication)" in prompt
    assert f"Definition: {competency.definition_en}" in prompt
    assert f"- Level 1: {competency.indicators[0]['en']}" in prompt
    assert "Job title: Customer Success Manager" in prompt
    assert f"Job level: {setup.job.level.name_en}" in prompt  # type: ignore[union-attr]
    assert "Job description (excerpt): Join our CloudDesk platform team of 8 people" in prompt
    assert "aim at 2 (mid-level)" in prompt
    # The newest communication questions are listed so the model does not repeat them.
    assert f"- {InterviewQuestion.objects.get(code='communication-en-1').text}" in prompt
    assert sent["body"]["model"] == "fake-model"
    assert sent["headers"]["Authorization"] == "Bearer sk-test"


def test_a_chinese_request_sends_the_chinese_names(setup: InterviewSetup, backend: FakeChatServer) -> None:
    backend.reply_drafts(bank_drafts("teamwork", "zh-hans")[:1])
    [question] = _generate(setup, language="zh-hans", count=1, job=setup.job.pk)
    assert question.language == "zh-hans"
    prompt = backend.requests[0]["body"]["messages"][1]["content"]
    assert "Competency: 沟通能力 (code: communication)" in prompt
    assert "in Simplified Chinese (zh-Hans)" in prompt
    assert f"Job level: {setup.job.level.name}" in prompt  # type: ignore[union-attr]


def test_the_generator_never_picks_a_pending_draft_and_picks_it_once_approved(
    setup: InterviewSetup, backend: FakeChatServer
) -> None:
    backend.reply_drafts(SAMPLES_EN)
    drafts = _generate(setup)
    draft_codes = {q.code for q in drafts}
    # Leave the drafts as the only communication questions in English: a pending draft must still not be used.
    InterviewQuestion.objects.filter(competency__code="communication", language="en", source="shipped").update(
        is_active=False
    )
    with pytest.raises(ValidationFailed, match="the bank has no unused question in this language for Communication"):
        setup.session()
    with pytest.raises(ValidationFailed, match=f"Question {drafts[0].pk} is a draft that HR has not approved"):
        pick(application=setup.application, language="en", ids=[drafts[0].pk])
    assert not SessionQuestion.objects.filter(question__code__in=draft_codes).exists()

    approved = question_draft_approve(actor=setup.hr, question=drafts[0])
    assert (approved.is_active, approved.review_status, approved.retired_at) == (True, "approved", None)
    session = setup.session(seed=7)
    asked = set(session.questions.values_list("question__code", flat=True))
    assert "gen-1" in asked
    assert "gen-2" not in asked  # still pending
    assert [q.code for q in question_drafts_pending(user=setup.hr)] == ["gen-2"]


def test_approve_and_reject_are_recorded_and_idempotent(setup: InterviewSetup, backend: FakeChatServer) -> None:
    backend.reply_drafts(SAMPLES_EN)
    first, second = _generate(setup)

    rejected = question_draft_reject(actor=setup.recruiter, question=second)
    assert (rejected.is_active, rejected.review_status) == (False, "rejected")
    assert question_draft_reject(actor=setup.hr, question=second).review_status == "rejected"
    assert InterviewQuestion.objects.filter(pk=second.pk).exists()  # kept for the record

    question_draft_approve(actor=setup.hr, question=first)
    question_draft_approve(actor=setup.hr, question=first)
    with pytest.raises(Conflict, match="Question gen-1 is already approved and in use; retire it in the question bank"):
        question_draft_reject(actor=setup.hr, question=first)
    # HR may change their mind about a rejected draft.
    assert question_draft_approve(actor=setup.hr, question=second).review_status == "approved"

    changes = [
        (e.object_id, e.field, e.old_value, e.new_value)
        for e in AuditEntry.objects.filter(action="update").order_by("id")
    ]
    assert changes == [
        (str(second.pk), "review_status", "pending", "rejected"),
        (str(first.pk), "review_status", "pending", "approved"),
        (str(first.pk), "is_active", "False", "True"),
        (str(second.pk), "review_status", "rejected", "approved"),
        (str(second.pk), "is_active", "False", "True"),
    ]
    assert list(question_drafts_pending(user=setup.hr)) == []


def test_a_draft_is_edited_under_the_banks_rules_and_stays_pending(
    setup: InterviewSetup, backend: FakeChatServer
) -> None:
    backend.reply_drafts(SAMPLES_EN[:1])
    [draft] = _generate(setup, count=1)
    edited = question_draft_edit(actor=setup.hr, question=draft, changes={"difficulty": 3, "text": "Tell me about a "
                                 "time you had to explain a change to a colleague who disagreed with it."})
    assert (edited.difficulty, edited.review_status, edited.is_active) == (3, "pending", False)
    with pytest.raises(ValidationFailed) as caught:
        question_draft_edit(actor=setup.hr, question=draft, changes={"key_points": []})
    assert list(caught.value.errors) == ["key_points"]
    question_draft_approve(actor=setup.hr, question=draft)
    with pytest.raises(Conflict, match="Question gen-1 is already approved; edit it in the question bank"):
        question_draft_edit(actor=setup.hr, question=draft, changes={"difficulty": 1})


def test_codes_continue_from_the_highest_draft(setup: InterviewSetup, backend: FakeChatServer) -> None:
    backend.reply_drafts(SAMPLES_EN[:1])
    backend.reply_drafts(SAMPLES_EN[1:2])
    assert [q.code for q in _generate(setup, count=1)] == ["gen-1"]
    assert [q.code for q in _generate(setup, count=1)] == ["gen-2"]


def test_an_inconsistent_draft_is_saved_but_its_self_check_says_so(
    setup: InterviewSetup, backend: FakeChatServer
) -> None:
    sample = json.loads(json.dumps(SAMPLES_EN[0]))
    sample["reference_answer"] = "I get on well with everyone and we often have lunch together, which people enjoy."
    backend.reply_drafts([sample])
    [draft] = _generate(setup, count=1)
    check = draft_self_check(draft)
    assert not check.consistent
    assert check.score < 80
    assert check.missing_key_points


@pytest.mark.parametrize(("reply", "error", "status", "message"), [
    (dict(body=completion("Here are three great questions!")), GeneratorFailed, 502,
     "The drafts could not be made: the model's reply is not JSON: Expecting value at character 0. Nothing was "
     "saved."),
    (dict(body=completion(json.dumps({"questions": [{**SAMPLES_EN[0], "key_points": []}]}))), GeneratorFailed, 502,
     'The drafts could not be made: the model\'s reply is not usable: question 1: "key_points" must hold 3 to 6 '
     "items, got 0. Nothing was saved."),
    (dict(body={"error": {"message": "The server is overloaded"}}, status=500), GeneratorFailed, 502,
     "The language model service returned an error (HTTP 500). Nothing was saved. Details: the language model "
     "service at {host} answered HTTP 500: The server is overloaded"),
    (dict(body=completion("{}"), delay=3.0), GeneratorTimedOut, 504,
     "The language model did not answer in time (the language model service at {host} did not answer within 0.5 "
     "seconds). Nothing was saved; ask for fewer questions or raise TALENTLOOP_LLM_TIMEOUT_SECONDS."),
])
def test_a_failed_or_unusable_reply_saves_nothing(
    setup: InterviewSetup, backend: FakeChatServer, settings: Any, reply: dict[str, Any], error: type[Exception],
    status: int, message: str,
) -> None:
    settings.TALENTLOOP_LLM_TIMEOUT_SECONDS = 0.5
    backend.reply(**reply)
    with pytest.raises(error) as caught:
        _generate(setup, count=1)
    assert caught.value.status_code == status  # type: ignore[attr-defined]
    assert str(caught.value) == message.format(host=f"127.0.0.1:{backend.httpd.server_address[1]}")
    _nothing_saved()


def test_without_a_backend_drafting_is_refused_and_the_status_says_so(setup: InterviewSetup, no_backend: None,
                                                                       settings: Any) -> None:
    status = generator_status()
    assert (status.configured, status.model, status.host) == (False, "", "")
    assert status.missing == ("TALENTLOOP_LLM_BASE_URL", "TALENTLOOP_LLM_MODEL")
    with pytest.raises(GeneratorUnavailable) as caught:
        _generate(setup)
    assert caught.value.status_code == 409
    assert str(caught.value) == (
        "No generative backend is configured (TALENTLOOP_LLM_BASE_URL, TALENTLOOP_LLM_MODEL); the built-in question "
        "generator is used."
    )
    settings.TALENTLOOP_LLM_MODEL = "some-model"
    with pytest.raises(GeneratorUnavailable) as only_url:
        _generate(setup)
    assert str(only_url.value) == NOT_CONFIGURED
    settings.TALENTLOOP_LLM_BASE_URL = "ftp://models.example.com/v1"
    with pytest.raises(GeneratorUnavailable, match="must start with http:// or https://"):
        _generate(setup)
    _nothing_saved()


def test_the_status_names_the_model_and_host_but_never_the_key(backend: FakeChatServer) -> None:
    status = generator_status()
    assert (status.configured, status.model, status.missing, status.problem) == (True, "fake-model", (), "")
    assert status.host == f"127.0.0.1:{backend.httpd.server_address[1]}"
    assert "sk-test" not in repr(status)


def test_bad_input_is_reported_at_once_and_nothing_is_asked(setup: InterviewSetup, backend: FakeChatServer) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _generate(setup, competency="telepathy", job=999999, language="fr", count=11)
    assert caught.value.errors == {
        "competency": ["There is no competency with the code “telepathy”."],
        "job": ["There is no job with the id 999999."],
        "language": ["Choose the language: zh-hans (Chinese) or en (English)."],
        "count": ["Ask for 1 to 10 questions at a time."],
    }
    Competency.objects.filter(code="communication").update(is_active=False)
    with pytest.raises(ValidationFailed, match="no longer in use"):
        _generate(setup, count=0)
    assert backend.requests == []
    _nothing_saved()


@pytest.mark.parametrize("role", ["manager", "employee", "candidate"])
def test_only_hr_admins_and_recruiters_may_draft_or_decide(
    setup: InterviewSetup, backend: FakeChatServer, role: str
) -> None:
    backend.reply_drafts(SAMPLES_EN[:1])
    [draft] = _generate(setup, actor=setup.recruiter, count=1)
    outsider = setup.org["users"][role]
    with pytest.raises(PermissionDenied):
        _generate(setup, actor=outsider)
    with pytest.raises(PermissionDenied):
        question_draft_approve(actor=outsider, question=draft)
    with pytest.raises(PermissionDenied):
        question_draft_reject(actor=outsider, question=draft)
    with pytest.raises(PermissionDenied):
        question_draft_edit(actor=outsider, question=draft, changes={"difficulty": 1})
    with pytest.raises(PermissionDenied):
        question_drafts_pending(user=outsider)
    assert len(backend.requests) == 1
    draft.refresh_from_db()
    assert (draft.review_status, draft.is_active) == ("pending", False)


def test_the_engine_checks_a_draft_with_the_banks_limits() -> None:
    assert (llm.MAX_TEXT, llm.MAX_REFERENCE, llm.MAX_LEVEL_TEXT, llm.MAX_POINT, llm.MAX_SYNONYMS, llm.MAX_SYNONYM,
            llm.KEY_POINTS_MIN, llm.KEY_POINTS_MAX, llm.TIME_LIMIT_MIN, llm.TIME_LIMIT_MAX) == (
        bank_services.MAX_TEXT, bank_services.MAX_REFERENCE, bank_services.MAX_LEVEL_TEXT, bank_services.MAX_POINT,
        bank_services.MAX_SYNONYMS, bank_services.MAX_SYNONYM, bank_services.KEY_POINTS_MIN,
        bank_services.KEY_POINTS_MAX, bank_services.TIME_LIMIT_MIN, bank_services.TIME_LIMIT_MAX,
    )
