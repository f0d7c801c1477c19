"""Drafts of interview questions from a generative language model (any OpenAI-compatible chat API).

The model only drafts: every draft goes to HR, who edits, approves or rejects it before an interview may use it.
This package is the Django-free half: the HTTP client, the prompt, and the checks a reply must pass.

    config = LLMConfig(base_url="https://api.example.com/v1", model="some-model", api_key="...")
    request = DraftRequest(competency=CompetencyBrief(...), job=JobBrief(...), language="en", count=3)
    batch = draft_questions(request, config)          # DraftBatch(drafts=(QuestionDraft, ...), model=...)

- The client POSTs `{base_url}/chat/completions` with `model`, `messages`, `temperature` and
  `response_format: {"type": "json_object"}`; a server that refuses `response_format` (HTTP 400/422 naming it) is
  asked once more without it. `Authorization: Bearer <key>` when a key is set (local servers need none). Plain
  urllib with a timeout: no SDK, so any vendor with the OpenAI wire format works (and the proxy environment
  variables are honoured).
- The reply must be one JSON object `{"questions": [...]}` (a ```json fence around it is tolerated). Each draft
  is checked field by field: text, type (behavioral or situational), difficulty 1-3, time limit, 3-6 key points
  each with at least one synonym, a reference answer, the three level descriptions, lengths, the language of the
  text (Chinese or English, as asked), no placeholders, no repeated question. One bad draft fails the whole batch
  (`LLMBadReply` names the draft and the field), so a caller never saves half a reply. Extra drafts beyond the
  count asked for are dropped.
- Every draft is self-checked: its reference answer is scored against its own key points with the same
  `TextAnswerScorer` that scores candidates. A draft whose model answer does not make its key points or scores
  below 80 is kept but flagged (`SelfCheck.consistent` False), so HR sees which drafts need work.

Errors are `LLMError` subclasses with a `code` and an English `detail`: `LLMNotConfigured`, `LLMHTTPError`
(`status`), `LLMTimeout`, `LLMUnreachable`, `LLMBadResponse` (the API's envelope is not what the protocol says),
`LLMBadReply` (the model's content is not JSON, or not the shape asked for).

The limits match the question bank's (talentloop/interviews/services/questions.py; a test keeps them equal).

- limits.py: the languages, question types and length limits shared by the other modules.
- client.py: `LLMConfig`, the `LLMError` family and `chat_completion()` (the HTTP client).
- prompt.py: `CompetencyBrief`, `JobBrief`, `DraftRequest` and `build_messages()`.
- drafts.py: the results, `parse_drafts()` (checking a reply), `self_check()` and `draft_questions()`.
"""
from __future__ import annotations

from .client import ChatReply as ChatReply
from .client import (
    LLMBadReply,
    LLMBadResponse,
    LLMConfig,
    LLMError,
    LLMHTTPError,
    LLMNotConfigured,
    LLMTimeout,
    LLMUnreachable,
    chat_completion,
)
from .client import Opener as Opener
from .drafts import DraftBatch, DraftKeyPoint, QuestionDraft, SelfCheck, draft_questions, parse_drafts, self_check
from .limits import DEFAULT_TIME_LIMIT as DEFAULT_TIME_LIMIT
from .limits import KEY_POINTS_MAX as KEY_POINTS_MAX
from .limits import KEY_POINTS_MIN as KEY_POINTS_MIN
from .limits import LANGUAGE_NAMES, QUESTION_TYPES
from .limits import MAX_AVOID as MAX_AVOID
from .limits import MAX_COUNT as MAX_COUNT
from .limits import MAX_DESCRIPTION as MAX_DESCRIPTION
from .limits import MAX_LEVEL_TEXT as MAX_LEVEL_TEXT
from .limits import MAX_POINT as MAX_POINT
from .limits import MAX_REFERENCE as MAX_REFERENCE
from .limits import MAX_REPLY_BYTES as MAX_REPLY_BYTES
from .limits import MAX_SYNONYM as MAX_SYNONYM
from .limits import MAX_SYNONYMS as MAX_SYNONYMS
from .limits import MAX_TEXT as MAX_TEXT
from .limits import MIN_REFERENCE as MIN_REFERENCE
from .limits import MIN_TEXT as MIN_TEXT
from .limits import SELF_CHECK_MIN_SCORE as SELF_CHECK_MIN_SCORE
from .limits import SELF_CHECK_MIN_SHARE as SELF_CHECK_MIN_SHARE
from .limits import TIME_LIMIT_MAX as TIME_LIMIT_MAX
from .limits import TIME_LIMIT_MIN as TIME_LIMIT_MIN
from .prompt import PROMPT_VERSION, CompetencyBrief, DraftRequest, JobBrief, build_messages

__all__ = [
    "LANGUAGE_NAMES",
    "PROMPT_VERSION",
    "QUESTION_TYPES",
    "CompetencyBrief",
    "DraftBatch",
    "DraftKeyPoint",
    "DraftRequest",
    "JobBrief",
    "LLMBadReply",
    "LLMBadResponse",
    "LLMConfig",
    "LLMError",
    "LLMHTTPError",
    "LLMNotConfigured",
    "LLMTimeout",
    "LLMUnreachable",
    "QuestionDraft",
    "SelfCheck",
    "build_messages",
    "chat_completion",
    "draft_questions",
    "parse_drafts",
    "self_check",
]
