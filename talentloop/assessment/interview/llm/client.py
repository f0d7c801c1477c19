"""The HTTP client for an OpenAI-compatible chat completions API: its configuration and its errors.

See the package docstring (talentloop/assessment/interview/llm/__init__.py) for the protocol.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .limits import MAX_REPLY_BYTES, excerpt

# --- errors -------------------------------------------------------------------------------------------------


class LLMError(Exception):
    """The draft could not be made. `code` is stable (for translations); `detail` is English for a person."""

    code = "error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class LLMNotConfigured(LLMError):
    code = "not_configured"


class LLMHTTPError(LLMError):
    code = "http_error"

    def __init__(self, detail: str, *, status: int) -> None:
        super().__init__(detail)
        self.status = status


class LLMTimeout(LLMError):
    code = "timeout"


class LLMUnreachable(LLMError):
    code = "unreachable"


class LLMBadResponse(LLMError):
    """The HTTP body is not an OpenAI-style chat completion (no choices[0].message.content, or not JSON)."""

    code = "bad_response"


class LLMBadReply(LLMError):
    """The model's message is not JSON, or not the shape asked for; `problems` lists each one."""

    code = "bad_reply"

    def __init__(self, detail: str, *, problems: Sequence[str] = ()) -> None:
        super().__init__(detail)
        self.problems = tuple(problems) or (detail,)


# --- configuration and request ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LLMConfig:
    base_url: str  # e.g. "https://api.openai.com/v1" or "http://127.0.0.1:11434/v1"; /chat/completions is added
    model: str
    api_key: str = ""
    timeout_seconds: float = 60.0
    temperature: float = 0.7

    @property
    def configured(self) -> bool:
        return bool(self.base_url.strip() and self.model.strip())

    @property
    def endpoint(self) -> str:
        return self.base_url.strip().rstrip("/") + "/chat/completions"

    @property
    def host(self) -> str:
        """Where requests go, without any credentials that might sit in the URL."""
        parts = urllib.parse.urlsplit(self.base_url.strip())
        return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else ""

    def check(self) -> None:
        """LLMNotConfigured unless the base URL and the model are set and the URL is http(s)."""
        if not self.base_url.strip():
            raise LLMNotConfigured("no base URL is set for the language model (TALENTLOOP_LLM_BASE_URL)")
        if not self.model.strip():
            raise LLMNotConfigured("no model is named for the language model (TALENTLOOP_LLM_MODEL)")
        parts = urllib.parse.urlsplit(self.base_url.strip())
        # urllib would also open file:// and ftp:// URLs: only a web API is acceptable here.
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise LLMNotConfigured(
                f"the language model's base URL must start with http:// or https:// and name a host, got "
                f"{self.base_url.strip()[:100]!r}"
            )
        if not self.timeout_seconds > 0:
            raise LLMNotConfigured("the language model's timeout must be a positive number of seconds")



# --- HTTP client --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChatReply:
    content: str
    model: str
    finish_reason: str


def _vendor_message(body: bytes) -> str:
    """The readable part of an error body: OpenAI's {"error": {"message"}} or the start of the text."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return excerpt(text, 200)
    if isinstance(data, Mapping):
        error = data.get("error", data)
        if isinstance(error, Mapping):
            message = error.get("message") or error.get("detail") or ""
            if isinstance(message, str) and message.strip():
                return excerpt(message, 200)
        elif isinstance(error, str) and error.strip():
            return excerpt(error, 200)
    return excerpt(text, 200)


Opener = Callable[..., Any]


def _post(config: LLMConfig, payload: Mapping[str, Any], opener: Opener) -> dict[str, Any]:
    headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "TalentLoop"}
    if config.api_key.strip():
        headers["Authorization"] = f"Bearer {config.api_key.strip()}"
    request = urllib.request.Request(
        config.endpoint, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"), headers=headers, method="POST"
    )
    where = config.host
    try:
        with opener(request, timeout=config.timeout_seconds) as response:
            raw = response.read(MAX_REPLY_BYTES + 1)
    except urllib.error.HTTPError as exc:
        message = _vendor_message(exc.read(8192) if exc.fp is not None else b"")
        raise LLMHTTPError(
            f"the language model service at {where} answered HTTP {exc.code}" + (f": {message}" if message else ""),
            status=exc.code,
        ) from exc
    except TimeoutError as exc:
        raise LLMTimeout(
            f"the language model service at {where} did not answer within {config.timeout_seconds:g} seconds"
        ) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise LLMTimeout(
                f"the language model service at {where} did not answer within {config.timeout_seconds:g} seconds"
            ) from exc
        raise LLMUnreachable(f"the language model service at {where} could not be reached: {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:  # connection reset, remote disconnected, incomplete read
        raise LLMUnreachable(f"the connection to the language model service at {where} failed: {exc}") from exc
    if len(raw) > MAX_REPLY_BYTES:
        raise LLMBadResponse(f"the language model service at {where} sent more than {MAX_REPLY_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        start = excerpt(raw.decode("utf-8", "replace"), 120)
        raise LLMBadResponse(f"the language model service at {where} did not answer with JSON: {start!r}") from exc
    if not isinstance(data, dict):
        raise LLMBadResponse(f"the language model service at {where} answered with JSON that is not an object")
    return data


def _refuses_json_mode(error: LLMHTTPError) -> bool:
    return error.status in (400, 422) and "response_format" in error.detail.lower()


def _content(data: Mapping[str, Any], where: str) -> tuple[str, str]:
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], Mapping):
        if data.get("error"):  # some servers report errors with HTTP 200
            vendor = _vendor_message(json.dumps(data).encode())
            raise LLMBadResponse(f"the language model service at {where} answered with an error: {vendor}")
        raise LLMBadResponse(f"the reply from {where} has no choices (not an OpenAI-style chat completion)")
    message = choices[0].get("message")
    content = message.get("content") if isinstance(message, Mapping) else None
    if isinstance(content, list):  # some servers send content parts
        content = "".join(
            str(part.get("text", "")) for part in content if isinstance(part, Mapping) and part.get("type") == "text"
        )
    if not isinstance(content, str):
        raise LLMBadResponse(f"the reply from {where} has no message content in choices[0]")
    finish = choices[0].get("finish_reason")
    return content, finish if isinstance(finish, str) else ""


def chat_completion(
    config: LLMConfig, messages: Sequence[Mapping[str, str]], *, json_mode: bool = True,
    opener: Opener | None = None,
) -> ChatReply:
    """One chat completion; the assistant's message content. Asks for a JSON object when `json_mode`, and asks
    again without `response_format` if the server refuses it."""
    config.check()
    open_ = opener or urllib.request.build_opener().open
    payload: dict[str, Any] = {
        "model": config.model.strip(), "messages": [dict(m) for m in messages], "temperature": config.temperature,
    }
    if json_mode:
        try:
            data = _post(config, {**payload, "response_format": {"type": "json_object"}}, open_)
        except LLMHTTPError as exc:
            if not _refuses_json_mode(exc):
                raise
            data = _post(config, payload, open_)
    else:
        data = _post(config, payload, open_)
    content, finish = _content(data, config.host)
    model = data.get("model")
    return ChatReply(content=content, model=model if isinstance(model, str) and model else config.model.strip(),
                     finish_reason=finish)
