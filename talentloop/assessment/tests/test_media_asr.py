"""Choosing a speech recogniser, and the Baidu cloud backend end to end on espeak-ng's Mandarin.

Baidu's cloud is a vendor service outside our control (and needs a paid account), so these tests run the real
backend code against a local fake HTTP server that speaks Baidu's documented protocol: an OAuth token endpoint
and the short-speech endpoint. The fake checks what it receives (16 kHz 16-bit mono PCM of the right length,
the token, dev_pid 1537) and answers with the sentence that was spoken.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from talentloop.assessment.media import ASRUnavailable, SpeechRecognizer, analyse_media, recognizer_for
from talentloop.assessment.media.asr import baidu
from talentloop.assessment.media.testing import MANDARIN_ANSWER, convert, speech_wav


class FakeBaidu(BaseHTTPRequestHandler):
    """Baidu's token and speech endpoints, recording every request in `server.requests`."""

    def log_message(self, *args: Any) -> None:  # keep pytest output clean
        pass

    def _reply(self, payload: dict[str, Any], status: int = 200) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        server: Any = self.server
        url = urlparse(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server.requests.append((url.path, parse_qs(url.query), body))
        if url.path == "/oauth/2.0/token":
            query = parse_qs(url.query)
            if query.get("client_secret") != ["good-secret"]:
                self._reply({"error": "invalid_client", "error_description": "Client authentication failed"}, 401)
                return
            self._reply({"access_token": "tok-123", "expires_in": 2592000})
            return
        request = json.loads(body)
        audio = base64.b64decode(request["speech"])
        if request["token"] != "tok-123" or len(audio) != request["len"]:
            self._reply({"err_no": 3302, "err_msg": "authentication failed"})
            return
        self._reply(server.answer)


@pytest.fixture
def fake_baidu() -> Iterator[Any]:
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), FakeBaidu)
    server.requests = []
    server.answer = {"err_no": 0, "err_msg": "success.", "corpus_no": "1", "sn": "x", "result": [MANDARIN_ANSWER.text]}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    baidu._tokens.clear()
    yield server
    server.shutdown()
    server.server_close()
    baidu._tokens.clear()


def _options(server: Any, secret: str = "good-secret") -> dict[str, str]:
    host, port = server.server_address
    return {
        "api_key": "key-1",
        "secret_key": secret,
        "token_url": f"http://{host}:{port}/oauth/2.0/token",
        "url": f"http://{host}:{port}/server_api",
        "timeout": "5",
    }


@pytest.fixture(scope="module")
def mandarin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zh")
    return convert(speech_wav(MANDARIN_ANSWER.text, root / "zh.wav", language="zh"), root / "zh.webm")


def test_mandarin_through_baidu_gives_the_transcript_and_a_character_rate(fake_baidu: Any, mandarin: Path) -> None:
    recognizer = recognizer_for("baidu", language="zh-hans", options=_options(fake_baidu))
    assert isinstance(recognizer, SpeechRecognizer)
    assert recognizer.name == "baidu speech (dev_pid 1537)"
    result = analyse_media(mandarin, language="zh-hans", recognizer=recognizer)
    assert result.no_speech is False
    assert result.transcript is not None
    assert result.transcript.text == MANDARIN_ANSWER.text
    assert result.transcript.words == ()
    assert result.transcript.backend == "baidu speech (dev_pid 1537)"
    audio = result.delivery["audio"]
    assert audio["rate_unit"] == "cpm"
    # 15 characters over about 6 s of speech.
    assert 100 <= audio["speaking_rate"] <= 250
    assert audio["filler_count"] == 0
    assert result.delivery["ranges"]["speaking_rate"] == [180.0, 300.0]

    token_calls = [r for r in fake_baidu.requests if r[0] == "/oauth/2.0/token"]
    speech_calls = [r for r in fake_baidu.requests if r[0] == "/server_api"]
    assert len(token_calls) == 1
    assert token_calls[0][1] == {
        "grant_type": ["client_credentials"], "client_id": ["key-1"], "client_secret": ["good-secret"],
    }
    assert len(speech_calls) == 1
    sent = json.loads(speech_calls[0][2])
    assert {k: sent[k] for k in ("format", "rate", "channel", "cuid", "token", "dev_pid")} == {
        "format": "pcm", "rate": 16000, "channel": 1, "cuid": "talentloop", "token": "tok-123", "dev_pid": 1537,
    }
    seconds = sent["len"] / 2 / 16000
    assert 4.0 < seconds <= result.duration_s + 0.01


def test_the_token_is_cached_between_recordings(fake_baidu: Any, mandarin: Path) -> None:
    recognizer = recognizer_for("baidu", language="zh", options=_options(fake_baidu))
    analyse_media(mandarin, language="zh", recognizer=recognizer)
    analyse_media(mandarin, language="zh", recognizer=recognizer)
    assert [r[0] for r in fake_baidu.requests] == ["/oauth/2.0/token", "/server_api", "/server_api"]


def test_baidu_errors_become_asr_unavailable_with_the_vendor_message(fake_baidu: Any, mandarin: Path) -> None:
    refused = recognizer_for("baidu", language="zh", options=_options(fake_baidu, secret="wrong"))
    with pytest.raises(ASRUnavailable) as caught:
        analyse_media(mandarin, language="zh", recognizer=refused)
    assert caught.value.detail == "Baidu refused the API key (Client authentication failed)"

    fake_baidu.answer = {"err_no": 3307, "err_msg": "recognition error."}
    failing = recognizer_for("baidu", language="zh", options=_options(fake_baidu))
    with pytest.raises(ASRUnavailable) as caught:
        analyse_media(mandarin, language="zh", recognizer=failing)
    assert caught.value.detail == "Baidu speech recognition failed: recognition error. (3307)"


def test_baidu_no_speech_answer_is_an_empty_transcript(fake_baidu: Any, mandarin: Path) -> None:
    fake_baidu.answer = {"err_no": 3301, "err_msg": "speech quality error."}
    recognizer = recognizer_for("baidu", language="zh", options=_options(fake_baidu))
    result = analyse_media(mandarin, language="zh", recognizer=recognizer)
    assert result.transcript is not None
    assert result.transcript.text == ""
    assert result.no_speech is True


def test_an_unreachable_baidu_is_asr_unavailable(mandarin: Path) -> None:
    options = {"api_key": "k", "secret_key": "s", "token_url": "http://127.0.0.1:9/oauth/2.0/token",
               "url": "http://127.0.0.1:9/server_api", "timeout": "2"}
    recognizer = recognizer_for("baidu", language="zh", options=options)
    with pytest.raises(ASRUnavailable) as caught:
        analyse_media(mandarin, language="zh", recognizer=recognizer)
    assert caught.value.detail.startswith("Baidu speech service could not be reached (")


@pytest.mark.parametrize(
    ("spec", "language", "options", "detail"),
    [
        ("", "en", None, "no speech recogniser is configured for en"),
        ("  ", "zh-hans", None, "no speech recogniser is configured for zh-hans"),
        ("google", "en", None, "unknown speech recogniser 'google'; use one of pocketsphinx, vosk, "
                               "faster-whisper, baidu"),
        ("pocketsphinx", "zh-hans", None, "pocketsphinx recognises English only, not 'zh-hans'; configure vosk, "
                                          "faster-whisper or baidu for this language"),
        ("baidu", "zh", None, "the Baidu speech backend needs an API key and a secret key"),
        ("baidu", "fr", {"api_key": "k", "secret_key": "s"},
         "Baidu speech recognition is configured for Mandarin and English, not 'fr'"),
    ],
)
def test_recognizer_for_explains_what_is_missing(spec: str, language: str, options: dict[str, str] | None,
                                                 detail: str) -> None:
    with pytest.raises(ASRUnavailable) as caught:
        recognizer_for(spec, language=language, options=options)
    assert caught.value.detail == detail
    assert caught.value.code == "asr_unavailable"


@pytest.mark.parametrize("spec", ["vosk:/nonexistent", "faster-whisper:/nonexistent", "vosk:"])
def test_local_model_backends_need_their_package_and_model(spec: str) -> None:
    """vosk and faster-whisper are optional extras (not installed here); either way a bad model path is refused."""
    with pytest.raises(ASRUnavailable) as caught:
        recognizer_for(spec, language="zh-hans")
    detail = caught.value.detail
    package = spec.split(":")[0]
    assert detail.startswith(f"{package} is not installed (pip install 'talentloop[") or "does not exist" in detail


def test_pocketsphinx_is_the_offline_english_default() -> None:
    recognizer = recognizer_for("pocketsphinx", language="en")
    assert isinstance(recognizer, SpeechRecognizer)
    assert recognizer.name.startswith("pocketsphinx 5.")
    assert recognizer.name.endswith("(en-us)")
    assert recognizer_for("PocketSphinx", language="en-us").name == recognizer.name
