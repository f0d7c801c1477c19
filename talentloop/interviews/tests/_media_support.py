"""Test data of the voice/video tests (test_media_*.py): real recordings made once per test process with espeak-ng,
ffmpeg and PyAV (talentloop.core.testing.media), interviews that offer recorded answers, and the candidate's calls.

Nothing here fakes audio: every recording is synthesised speech, silence or a real container cut short."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from talentloop.core.testing import media
from talentloop.recruiting.models import Application

from ..models import InterviewAnswer, InterviewSession
from ._support import InterviewSetup

if not media.have_tools():  # pragma: no cover - the test machine has them (Debian packages espeak-ng, ffmpeg)
    pytest.skip("espeak-ng and ffmpeg are needed for the voice and video tests", allow_module_level=True)

ENGLISH = media.ENGLISH_ANSWER


@functools.cache
def _folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="talentloop-media-tests-"))


@functools.cache
def recording(kind: str) -> Path:
    """A recording by kind, made on first use and reused by every test of the process:
    "english.webm" (ENGLISH_ANSWER spoken by espeak-ng, WebM/Opus, about 10 s), "english.ogg", "silence.webm"
    (3 s), "truncated.webm" (the English one cut after 3% of its bytes), "not-media.webm" (a text file),
    "face.webm" (a 4 s video of a face with the English answer's first seconds as sound track)."""
    folder = _folder()
    path = folder / kind
    if kind == "english.webm":
        return media.convert(media.speech_wav(ENGLISH.text, folder / "english.wav"), path)
    if kind == "english.ogg":
        return media.convert(media.speech_wav(ENGLISH.text, folder / "english-ogg.wav"), path)
    if kind == "silence.webm":
        return media.convert(media.silence_wav(folder / "silence.wav", 3.0), path)
    if kind == "truncated.webm":
        return media.truncated_copy(recording("english.webm"), path, 0.03)
    if kind == "not-media.webm":
        path.write_text("These are my notes for the answer, not a recording.\n" * 20)
        return path
    if kind == "face.webm":
        return media.face_video(path, 4.0, audio=recording("english.webm"))
    raise ValueError(kind)


@functools.cache
def long_recording(seconds: int) -> Path:
    """A recording of `seconds` (a quiet tone, made in about a second without re-encoding)."""
    return media.long_audio(_folder() / f"long-{seconds}.webm", seconds)


def upload_file(kind: str, *, name: str | None = None, content_type: str = "audio/webm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name or kind, recording(kind).read_bytes(), content_type=content_type)


def media_session(
    setup: InterviewSetup,
    *,
    modalities: Sequence[str] | None = ("text", "audio", "video"),
    job_modalities: Sequence[str] = ("text", "audio", "video"),
    delivery_in_score: bool = False,
    language: str = "en",
    application: Application | None = None,
) -> InterviewSession:
    """An interview of the setup's application (or another one to the same job) whose job offers recorded answers
    (the real service)."""
    from ..services.sessions import interview_create

    job = setup.job
    job.interview_modalities, job.delivery_in_score = list(job_modalities), delivery_in_score
    job.save(update_fields=["interview_modalities", "delivery_in_score"])
    return interview_create(
        actor=setup.hr, application=application or setup.application, language=language, seed=1,
        modalities=list(modalities) if modalities is not None else None,
    )


def agree(session: InterviewSession, *analyses: str) -> InterviewSession:
    from ..services.sessions import interview_consent

    return interview_consent(token=session.token, accept=True, analyses=["text", *analyses])


def candidate_url(session: InterviewSession, rest: str = "") -> str:
    return f"/api/v1/interview-sessions/{session.token}/{rest}"


def candidate_client() -> APIClient:
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def answer_of(session: InterviewSession, position: int = 1) -> InterviewAnswer:
    return InterviewAnswer.objects.get(session_question__session=session, session_question__position=position)


def submit_recording(session: InterviewSession, kind: str = "english.webm", *, position: int = 1,
                     modality: str | None = "audio", capture: Any = None) -> Any:
    """Submit a recording through the service, running its analysis (queued on commit) when `capture` is
    django_capture_on_commit_callbacks."""
    from ..services.media import answer_media_submit

    file = upload_file(kind)
    if capture is None:
        return answer_media_submit(token=session.token, question=position, modality=modality, file=file)
    with capture(execute=True):
        return answer_media_submit(token=session.token, question=position, modality=modality, file=file)
