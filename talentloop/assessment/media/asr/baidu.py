"""Baidu's short-speech REST API (百度智能云 语音识别): Mandarin and English from a cloud account.

Protocol: an OAuth token from `token_url` (grant_type=client_credentials with the API key and secret key, cached
until it expires), then one POST of JSON {"format": "pcm", "rate": 16000, "channel": 1, "cuid", "token",
"speech": base64, "len": bytes, "dev_pid"} per piece of at most 55 s (the service takes 60 s at most). The answer
is {"err_no": 0, "result": ["text"]}; any other err_no, an HTTP error or no answer raises ASRUnavailable with the
vendor's message, so the worker can retry later. The API gives no word times, so Transcript.words is empty.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import ASRUnavailable
from .base import Transcript, base_language, check_rate, join_words, pcm16_bytes

TOKEN_URL = "https://aip.baidubce.com/oauth/2.0/token"
ASR_URL = "https://vop.baidu.com/server_api"
DEV_PIDS = {"zh": 1537, "en": 1737}  # Mandarin (with simple English), English
MAX_PIECE_S = 55.0
DEFAULT_TIMEOUT_S = 15.0

_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_tokens_lock = threading.Lock()


def _post(url: str, body: bytes, content_type: str, timeout: float) -> dict[str, Any]:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
    except urllib.error.HTTPError as exc:
        payload = exc.read()
        try:
            return dict(json.loads(payload))
        except ValueError:
            raise ASRUnavailable(f"Baidu speech service answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ASRUnavailable(f"Baidu speech service could not be reached ({reason})") from exc
    try:
        return dict(json.loads(payload))
    except ValueError as exc:
        raise ASRUnavailable("Baidu speech service sent an answer that is not JSON") from exc


class BaiduRecognizer:
    def __init__(self, *, language: str, options: Mapping[str, str] | None = None) -> None:
        opts = dict(options or {})
        self.api_key = opts.get("api_key", "")
        self.secret_key = opts.get("secret_key", "")
        if not self.api_key or not self.secret_key:
            raise ASRUnavailable("the Baidu speech backend needs an API key and a secret key")
        lang = base_language(language)
        if lang not in DEV_PIDS:
            raise ASRUnavailable(f"Baidu speech recognition is configured for Mandarin and English, not {language!r}")
        self.dev_pid = int(opts.get("dev_pid") or DEV_PIDS[lang])
        self.token_url = opts.get("token_url") or TOKEN_URL
        self.url = opts.get("url") or ASR_URL
        self.timeout = float(opts.get("timeout") or DEFAULT_TIMEOUT_S)
        self.name = f"baidu speech (dev_pid {self.dev_pid})"

    def _token(self) -> str:
        key = (self.token_url, self.api_key)
        with _tokens_lock:
            cached = _tokens.get(key)
            if cached and cached[1] > time.time():
                return cached[0]
        query = urllib.parse.urlencode({
            "grant_type": "client_credentials", "client_id": self.api_key, "client_secret": self.secret_key,
        })
        separator = "&" if "?" in self.token_url else "?"
        answer = _post(f"{self.token_url}{separator}{query}", b"", "application/x-www-form-urlencoded", self.timeout)
        token = answer.get("access_token")
        if not token:
            reason = answer.get("error_description") or answer.get("error") or "no access token"
            raise ASRUnavailable(f"Baidu refused the API key ({reason})")
        expires = float(answer.get("expires_in") or 3600)
        with _tokens_lock:
            _tokens[key] = (str(token), time.time() + max(expires - 60.0, 1.0))
        return str(token)

    def _recognise(self, audio: bytes, rate: int) -> str:
        body = json.dumps({
            "format": "pcm", "rate": rate, "channel": 1, "cuid": "talentloop", "token": self._token(),
            "speech": base64.b64encode(audio).decode("ascii"), "len": len(audio), "dev_pid": self.dev_pid,
        }).encode("utf-8")
        answer = _post(self.url, body, "application/json", self.timeout)
        code = answer.get("err_no", -1)
        if code == 3301:  # "speech quality error": no recognisable speech in this piece, not a failure
            return ""
        if code != 0:
            raise ASRUnavailable(f"Baidu speech recognition failed: {answer.get('err_msg') or 'error'} ({code})")
        result = answer.get("result") or []
        return str(result[0]) if result else ""

    def transcribe(self, pcm: np.ndarray, rate: int, language: str) -> Transcript:
        check_rate(rate, "Baidu speech")
        piece = int(MAX_PIECE_S * rate)
        texts = [self._recognise(pcm16_bytes(pcm[i : i + piece]), rate) for i in range(0, len(pcm), piece)]
        text = join_words([t.strip() for t in texts], language)
        return Transcript(text=text, words=(), backend=self.name, language=language)
