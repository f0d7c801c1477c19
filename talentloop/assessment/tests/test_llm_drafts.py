"""Question drafts from an OpenAI-compatible chat API (assessment/interview/llm/): the prompt, the HTTP client,
the checks on the model's reply and the self-check of each draft.

The vendor's cloud is outside our control (and costs money), so the tests talk real HTTP to `FakeChatServer`, a
local stand-in for the chat completions endpoint started in a thread on 127.0.0.1. The drafts it returns are taken
from the shipped bank, whose reference answers are known to make their key points (test_question_bank_scoring.py).
The interviews app's tests (talentloop/interviews/tests/test_drafts_*.py) reuse the server and the samples.
"""

from __future__ import annotations

import copy
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from talentloop.assessment.interview.llm import (
    CompetencyBrief,
    DraftRequest,
    JobBrief,
    LLMBadReply,
    LLMBadResponse,
    LLMConfig,
    LLMHTTPError,
    LLMNotConfigured,
    LLMTimeout,
    LLMUnreachable,
    build_messages,
    chat_completion,
    draft_questions,
    parse_drafts,
)

BANK: list[dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "question_bank.json").read_text(encoding="utf-8")
)
DRAFT_FIELDS = ("text", "type", "difficulty", "time_limit_seconds", "key_points", "reference_answer", "levels")


def bank_drafts(competency: str, language: str) -> list[dict[str, Any]]:
    """The bank's questions of a competency without placeholders, as a model would write them."""
    return [
        {name: copy.deepcopy(item[name]) for name in DRAFT_FIELDS}
        for item in BANK
        if item["competency"] == competency and item["language"] == language and not item["placeholders"]
    ]


def completion(content: str, *, model: str = "fake-model-1", finish_reason: str = "stop") -> dict[str, Any]:
    """An OpenAI chat completion envelope around the assistant's message."""
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


class FakeChatServer:
    """A local OpenAI-compatible chat completions endpoint. Queue replies with `reply()`; every request is kept
    in `requests` as {"path", "headers", "body"}. With nothing queued it answers HTTP 500."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.replies: deque[tuple[int, bytes, float]] = deque()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.requests.append({
                    "path": self.path, "headers": dict(self.headers.items()), "body": json.loads(raw or b"null"),
                })
                status, body, delay = server.replies.popleft() if server.replies else (500, b'{"error": {}}', 0.0)
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (timeout tests)
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def reply(self, body: dict[str, Any] | str | bytes, *, status: int = 200, delay: float = 0.0) -> None:
        data = json.dumps(body).encode() if isinstance(body, dict) else body.encode() if isinstance(body, str) else body
        self.replies.append((status, data, delay))

    def reply_drafts(self, drafts: list[dict[str, Any]], **kwargs: Any) -> None:
        self.reply(completion(json.dumps({"questions": drafts}, ensure_ascii=False), **kwargs))

    def __enter__(self) -> FakeChatServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake_llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeChatServer]:
    # A proxy from the environment would otherwise receive the requests meant for the local server.
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with FakeChatServer() as server:
        yield server


COMMUNICATION = CompetencyBrief(
    code="communication", name="Communication",
    definition="Expresses ideas clearly and accurately for the audience and setting.",
    indicators=("States the conclusion first.", "Sends a written summary of agreements.",
                "Tailors the message for executives, customers and frontline staff."),
)
JOB = JobBrief(title="Customer Success Manager", level="Senior",
               description="Join our CloudDesk platform team of 8 people.\n\nServe enterprise customers. " + "x" * 900)


def request_for(language: str = "en", count: int = 2, **kwargs: Any) -> DraftRequest:
    return DraftRequest(competency=COMMUNICATION, language=language, count=count, **kwargs)


def config_for(server: FakeChatServer, **kwargs: Any) -> LLMConfig:
    return LLMConfig(base_url=server.url, model="fake-model", api_key=kwargs.pop("api_key", "sk-test"), **kwargs)


# --- the prompt ---------------------------------------------------------------------------------------------


def test_the_prompt_carries_the_competency_the_job_the_language_and_the_rules() -> None:
    request = request_for(count=3, job=JOB, difficulty=3, avoid=("Tell me about a report you gave.",))
    system, user = build_messages(request)
    assert system["role"] == "system"
    assert "one JSON object" in system["content"]
    assert user["role"] == "user"
    text = user["content"]
    for expected in (
        "Write 3 new interview questions that measure the competency below for the job below.",
        "Competency: Communication (code: communication)",
        "Definition: Expresses ideas clearly and accurately for the audience and setting.",
        "- Level 1: States the conclusion first.",
        "- Level 3: Tailors the message for executives, customers and frontline staff.",
        "Job title: Customer Success Manager",
        "Job level: Senior",
        "Job description (excerpt): Join our CloudDesk platform team of 8 people. Serve enterprise customers. xxx",
        "in English. Keep the JSON keys",
        "aim at 3 (senior)",
        "3 to 6 distinct things",
        "80 to 200 words",
        "- Tell me about a report you gave.",
        '{"questions": [{"text": "...", "type": "behavioral"',
        "Never ask about age, gender",
    ):
        assert expected in text, expected
    excerpt = text.split("Job description (excerpt): ")[1].split("\n")[0]
    assert len(excerpt) == 600
    assert excerpt.endswith("…")


def test_a_chinese_prompt_asks_for_simplified_chinese_and_counts_characters() -> None:
    text = build_messages(request_for(language="zh-hans", count=1))[1]["content"]
    assert text.startswith("Write 1 new interview question that measure the competency below.\n")
    assert "in Simplified Chinese (zh-Hans)" in text
    assert "150 to 350 Chinese characters" in text
    assert "Job title" not in text


def test_a_request_out_of_range_is_refused_before_any_call() -> None:
    with pytest.raises(ValueError, match="count must be an integer from 1 to 10, got 11"):
        request_for(count=11)
    with pytest.raises(ValueError, match="language must be one of"):
        request_for(language="fr")


# --- the client ---------------------------------------------------------------------------------------------


def test_happy_path_posts_an_openai_request_and_returns_checked_drafts(fake_llm: FakeChatServer) -> None:
    fake_llm.reply_drafts(bank_drafts("teamwork", "en")[:2], model="fake-model-2024")
    request = request_for(job=JOB)
    batch = draft_questions(request, config_for(fake_llm, temperature=0.3))

    [sent] = fake_llm.requests
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["Authorization"] == "Bearer sk-test"
    assert sent["headers"]["Content-Type"] == "application/json"
    assert sent["body"] == {
        "model": "fake-model", "messages": build_messages(request), "temperature": 0.3,
        "response_format": {"type": "json_object"},
    }
    assert batch.model == "fake-model-2024"
    assert batch.host == f"127.0.0.1:{fake_llm.httpd.server_address[1]}"
    assert batch.dropped == 0
    expected = bank_drafts("teamwork", "en")[:2]
    assert [d.to_dict() for d in batch.drafts] == [
        {**item, "language": "en", "competency": "communication"} for item in expected
    ]
    for draft in batch.drafts:
        assert draft.self_check.consistent
        assert draft.self_check.score >= 80
        assert draft.self_check.missing_key_points == ()
        assert len(draft.self_check.matched_key_points) == len(draft.key_points)


def test_chinese_drafts_pass_and_extra_drafts_are_dropped(fake_llm: FakeChatServer) -> None:
    fake_llm.reply_drafts(bank_drafts("teamwork", "zh-hans"))
    batch = draft_questions(request_for(language="zh-hans", count=2), config_for(fake_llm))
    assert [d.text for d in batch.drafts] == [d["text"] for d in bank_drafts("teamwork", "zh-hans")[:2]]
    assert batch.dropped == 1
    assert all(d.self_check.consistent for d in batch.drafts)


def test_without_a_key_no_authorization_header_is_sent(fake_llm: FakeChatServer) -> None:
    fake_llm.reply_drafts(bank_drafts("teamwork", "en")[:1])
    draft_questions(request_for(count=1), config_for(fake_llm, api_key=""))
    assert "Authorization" not in fake_llm.requests[0]["headers"]


def test_a_server_that_refuses_json_mode_is_asked_again_without_it(fake_llm: FakeChatServer) -> None:
    fake_llm.reply({"error": {"message": "response_format is not supported by this model"}}, status=400)
    fake_llm.reply_drafts(bank_drafts("teamwork", "en")[:1])
    batch = draft_questions(request_for(count=1), config_for(fake_llm))
    assert len(batch.drafts) == 1
    assert [("response_format" in r["body"]) for r in fake_llm.requests] == [True, False]


@pytest.mark.parametrize(("status", "body", "detail"), [
    (500, {"error": {"message": "The server is overloaded"}}, "HTTP 500: The server is overloaded"),
    (401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}},
     "HTTP 401: Incorrect API key provided"),
    (429, "Too Many Requests", "HTTP 429: Too Many Requests"),
    (400, {"error": {"message": "model not found"}}, "HTTP 400: model not found"),
])
def test_http_errors_say_the_status_and_the_vendors_message(
    fake_llm: FakeChatServer, status: int, body: Any, detail: str
) -> None:
    fake_llm.reply(body, status=status)
    with pytest.raises(LLMHTTPError) as caught:
        draft_questions(request_for(), config_for(fake_llm))
    assert caught.value.status == status
    assert caught.value.code == "http_error"
    assert caught.value.detail == f"the language model service at {config_for(fake_llm).host} answered {detail}"
    assert len(fake_llm.requests) == 1


def test_a_slow_server_times_out_with_a_clear_error(fake_llm: FakeChatServer) -> None:
    fake_llm.reply_drafts(bank_drafts("teamwork", "en")[:1])
    fake_llm.replies[0] = (*fake_llm.replies[0][:2], 2.0)
    started = time.monotonic()
    with pytest.raises(LLMTimeout) as caught:
        draft_questions(request_for(count=1), config_for(fake_llm, timeout_seconds=0.4))
    assert time.monotonic() - started < 1.5
    assert caught.value.detail.endswith("did not answer within 0.4 seconds")


def test_a_closed_port_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = LLMConfig(base_url=f"http://127.0.0.1:{port}/v1", model="m", timeout_seconds=2)
    with pytest.raises(LLMUnreachable, match=f"the language model service at 127.0.0.1:{port} could not be reached"):
        draft_questions(request_for(), config)


@pytest.mark.parametrize(("body", "detail"), [
    ("<html>Bad gateway</html>", "did not answer with JSON: '<html>Bad gateway</html>'"),
    ({"object": "error"}, "has no choices (not an OpenAI-style chat completion)"),
    ({"error": {"message": "quota exceeded", "code": 1113}}, "answered with an error: quota exceeded"),
    ({"choices": [{"message": {"role": "assistant"}}]}, "has no message content in choices[0]"),
])
def test_an_envelope_that_is_not_a_chat_completion_is_refused(fake_llm: FakeChatServer, body: Any, detail: str) -> None:
    fake_llm.reply(body)
    with pytest.raises(LLMBadResponse) as caught:
        draft_questions(request_for(), config_for(fake_llm))
    assert caught.value.detail.endswith(detail)


def test_missing_settings_are_reported_without_any_request() -> None:
    with pytest.raises(LLMNotConfigured, match=r"no base URL is set .*TALENTLOOP_LLM_BASE_URL"):
        chat_completion(LLMConfig(base_url="", model="m"), [])
    with pytest.raises(LLMNotConfigured, match=r"no model is named .*TALENTLOOP_LLM_MODEL"):
        chat_completion(LLMConfig(base_url="http://127.0.0.1:9/v1", model=" "), [])
    with pytest.raises(LLMNotConfigured, match="must start with http:// or https://"):
        chat_completion(LLMConfig(base_url="file:///etc/passwd", model="m"), [])
    assert not LLMConfig(base_url="", model="m").configured
    assert LLMConfig(base_url="https://user:secret@api.example.com:8443/v1/", model="m").host == "api.example.com:8443"
    assert LLMConfig(base_url="https://api.example.com/v1/", model="m").endpoint == (
        "https://api.example.com/v1/chat/completions"
    )


# --- the reply ----------------------------------------------------------------------------------------------


def _reply(drafts: list[dict[str, Any]]) -> str:
    return json.dumps({"questions": drafts}, ensure_ascii=False)


def _bad(language: str = "en") -> list[dict[str, Any]]:
    return bank_drafts("teamwork", language)[:2]


def _problem(content: str, request: DraftRequest | None = None, **kwargs: Any) -> str:
    with pytest.raises(LLMBadReply) as caught:
        parse_drafts(content, request or request_for(), **kwargs)
    return caught.value.detail


def test_a_reply_that_is_not_json_or_not_the_shape_is_refused() -> None:
    assert _problem("Sure! Here are your questions: 1. ...") == (
        "the model's reply is not JSON: Expecting value at character 0"
    )
    assert _problem('{"questions": [{"text": "Tell me', finish_reason="length").startswith(
        "the model's reply is not JSON (the reply was cut off: the model reached its length limit)"
    )
    assert _problem("   ") == "the model's reply is empty"
    assert _problem("[1, 2]") == 'the model\'s reply is JSON but not an object with "questions" (got list)'
    assert _problem('{"items": [], "note": 1}') == 'the model\'s reply has no "questions" list (its keys: items, note)'
    assert _problem('{"questions": []}') == 'the model\'s reply has an empty "questions" list'


def test_a_fenced_reply_is_accepted() -> None:
    drafts, dropped = parse_drafts("```json\n" + _reply(_bad()[:1]) + "\n```", request_for(count=1))
    assert (len(drafts), dropped) == (1, 0)


def _mutated(change: Any, index: int = 1, language: str = "en") -> str:
    drafts = _bad(language)
    change(drafts[index])
    return _reply(drafts)


@pytest.mark.parametrize(("change", "problem"), [
    (lambda d: d.pop("text"), 'question 2: "text" is missing or not text'),
    (lambda d: d.update(text="Why?"), 'question 2: "text" is shorter than 10 characters'),
    (lambda d: d.update(text="Tell me about {product} and your team."),
     'question 2: "text" contains curly braces (placeholders are not allowed)'),
    (lambda d: d.update(text="请讲一个你和同事合作完成任务的经历。"), 'question 2: "text" is not written in English'),
    (lambda d: d.update(type="technical"),
     'question 2: "type" must be "behavioral" or "situational", got \'technical\''),
    (lambda d: d.update(difficulty=5), 'question 2: "difficulty" must be a whole number from 1 to 3, got 5'),
    (lambda d: d.update(time_limit_seconds="long"),
     'question 2: "time_limit_seconds" must be a whole number from 30 to 1800, got \'long\''),
    (lambda d: d.update(key_points=d["key_points"][:2]), 'question 2: "key_points" must hold 3 to 6 items, got 2'),
    (lambda d: d.update(key_points="be nice"), 'question 2: "key_points" is missing or not a list'),
    (lambda d: d["key_points"][0].update(synonyms="a, b"),
     'question 2, key point 1: "synonyms" must be a list of strings'),
    (lambda d: d["key_points"][2].update(synonyms=[]),
     'question 2, key point 3: "synonyms" is empty: give the phrases a candidate would use'),
    (lambda d: d["key_points"].__setitem__(1, "a point"),
     'question 2, key point 2: must be an object with "point" and "synonyms"'),
    (lambda d: d["key_points"][1].update(point=d["key_points"][0]["point"]), "question 2: two key points are the same"),
    (lambda d: d.update(reference_answer=""), 'question 2: "reference_answer" is missing or not text'),
    (lambda d: d.update(reference_answer="x" * 5001), 'question 2: "reference_answer" is longer than 5000 characters'),
    (lambda d: d["levels"].pop("3"), 'question 2, level 3: "3" is missing or not text'),
    (lambda d: d["levels"].update({"4": "Exceptional"}),
     "question 2: \"levels\" has unknown keys ['4']; the keys are \"1\", \"2\" and \"3\""),
    (lambda d: d.update(levels=["weak", "ok", "strong"]),
     'question 2: "levels" is missing or not an object with the keys "1", "2" and "3"'),
])
def test_each_bad_field_is_named_with_its_draft(change: Any, problem: str) -> None:
    detail = _problem(_mutated(change))
    assert detail == f"the model's reply is not usable: {problem}"


def test_every_problem_is_listed_and_a_repeated_question_is_caught() -> None:
    drafts = _bad()
    drafts[0]["type"] = "quiz"
    drafts[1]["difficulty"] = 0
    with pytest.raises(LLMBadReply) as caught:
        parse_drafts(_reply(drafts), request_for())
    assert caught.value.problems == (
        'question 1: "type" must be "behavioral" or "situational", got \'quiz\'',
        'question 2: "difficulty" must be a whole number from 1 to 3, got 0',
    )
    twice = _bad()
    twice[1]["text"] = twice[0]["text"].upper()
    assert _problem(_reply(twice)).endswith("question 2: repeats an earlier question of the reply")
    existing = request_for(avoid=(_bad()[0]["text"],))
    assert _problem(_reply(_bad()), existing).endswith("question 1: repeats a question already in the bank")


def test_a_chinese_request_refuses_english_text() -> None:
    assert _problem(_reply(_bad("en")), request_for(language="zh-hans")).startswith(
        'the model\'s reply is not usable: question 1: "text" is not written in Simplified Chinese (zh-Hans)'
    )


def test_optional_fields_take_their_defaults_and_spelling_is_forgiven() -> None:
    drafts = _bad()[:1]
    drafts[0].pop("difficulty")
    drafts[0].pop("time_limit_seconds")
    drafts[0]["type"] = "Behavioural"
    [draft], _dropped = parse_drafts(_reply(drafts), request_for(count=1, difficulty=3))
    assert (draft.difficulty, draft.time_limit_seconds, draft.type) == (3, 180, "behavioral")


def test_a_draft_whose_reference_answer_misses_its_key_points_is_kept_but_flagged() -> None:
    drafts = _bad()[:1]
    drafts[0]["reference_answer"] = (
        "I like working with other people. In my last job I was friendly with everyone and we had lunch together "
        "every Friday, which made the office a pleasant place."
    )
    [draft], _dropped = parse_drafts(_reply(drafts), request_for(count=1))
    check = draft.self_check
    assert not check.consistent
    assert check.score < 80
    assert len(check.missing_key_points) >= 2
    assert set(check.matched_key_points) | set(check.missing_key_points) == {kp.point for kp in draft.key_points}
    assert check.to_dict()["consistent"] is False
