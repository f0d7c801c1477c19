"""Recorded answers end to end with real recordings (espeak-ng speech, silence, a cut-off file, a text file named
.webm): submitted as multipart, analysed (pocketsphinx transcript, delivery metrics) and scored like a typed answer;
every recording that cannot be used gets a clear status and re-opens the question; bad files are refused with the
right HTTP status; delivery counts in the score exactly by the formula when the job says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from ..models import InterviewAnswer, InterviewReport
from ..services.answers import answer_submit
from ..services.media import MAX_ATTEMPTS, answer_media_analyse
from ..services.sessions import interview_complete
from ._media_support import (
    ENGLISH,
    agree,
    answer_of,
    candidate_client,
    candidate_url,
    media_session,
    submit_recording,
    upload_file,
)
from ._support import InterviewSetup

pytestmark = pytest.mark.django_db


def test_an_english_voice_answer_is_transcribed_scored_and_reported(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any, api_as: Any,
) -> None:
    session = agree(media_session(setup), "audio")
    client = candidate_client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(candidate_url(session, "answers/"),
                               {"question": 1, "media": upload_file("english.webm"), "modality": "audio"},
                               format="multipart")
    assert response.status_code == 202
    body = response.json()
    assert {k: body[k] for k in ("question", "status", "modality", "status_message", "draft")} == {
        "question": 1, "status": "processing", "modality": "audio",
        "status_message": "Your recording was received and is being analysed. You can go on to the next question.",
        "draft": False,
    }
    answer = answer_of(session)
    assert (answer.status, answer.modality, answer.analysis_attempts) == ("scored", "audio", 1)
    assert answer.asr_backend.startswith("pocketsphinx")
    words = answer.transcript.lower()
    assert sum(word in words for word in ENGLISH.key_words) >= 3, answer.transcript
    assert answer.text == answer.transcript == answer.transcript_original
    assert answer.media_format.startswith("webm")
    assert answer.media_bytes == len(upload_file("english.webm").read())
    assert len(answer.media_sha256) == 64
    assert 8.0 < (answer.media_seconds or 0) < 12.0
    assert answer.score is not None
    assert answer.engine["name"]
    assert answer.delivery["audio"]["rate_unit"] == "wpm"
    assert 80 <= answer.delivery["audio"]["speaking_rate"] <= 220
    assert answer.delivery_used_in_score is False
    assert answer.media.storage.exists(str(answer.media.name))

    state = client.get(candidate_url(session)).json()
    assert {k: state["questions"][0][k] for k in ("answered", "answer_status", "answer_modality", "status_message")} \
        == {"answered": True, "answer_status": "scored", "answer_modality": "audio", "status_message": ""}
    assert state["current_position"] == 2

    report = api_as(setup.hr).get(f"/api/v1/interviews/{session.pk}/report/").json()
    item = report["answers"][0]
    assert {k: item[k] for k in ("modality", "status", "status_detail", "transcript", "transcript_corrected",
                                 "asr_backend", "delivery_used_in_score", "media_url")} == {
        "modality": "audio", "status": "scored", "status_detail": "", "transcript": answer.transcript,
        "transcript_corrected": False, "asr_backend": answer.asr_backend, "delivery_used_in_score": False,
        "media_url": f"/api/v1/interviews/{session.pk}/answers/1/media/",
    }
    assert item["delivery"] == answer.delivery
    assert item["text"] == answer.transcript
    assert (report["delivery_in_score"], report["source"], report["provider"]) == (False, "talentloop", None)
    assert report["answers"][1]["modality"] == "text"


def test_silence_is_no_speech_and_the_question_can_then_be_typed(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    session = agree(media_session(setup), "audio")
    submit_recording(session, "silence.webm", capture=django_capture_on_commit_callbacks)
    answer = answer_of(session)
    assert (answer.status, answer.status_detail) == ("no_speech", "No speech was detected in the recording.")
    assert answer.score is None
    state = candidate_client().get(candidate_url(session)).json()
    first = state["questions"][0]
    assert (first["answered"], first["answer_status"], state["current_position"]) == (False, "no_speech", 1)
    assert first["status_message"] == (
        "No speech was detected in your recording. Please record again or type your answer.")
    old_file = answer.media.name

    with django_capture_on_commit_callbacks(execute=True):
        answer_submit(token=session.token, question=1, text="I listen to the customer and apologise.")
    answer.refresh_from_db()
    assert (answer.status, answer.modality, answer.status_detail, answer.media.name) == ("scored", "text", "", "")
    assert not answer.media.storage.exists(str(old_file))


def test_a_failed_recording_can_be_recorded_again(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    session = agree(media_session(setup), "audio")
    submit_recording(session, "truncated.webm", capture=django_capture_on_commit_callbacks)
    answer = answer_of(session)
    assert answer.status == "unreadable"
    assert answer.status_detail.startswith("Recording unreadable: the recording is incomplete")
    state = candidate_client().get(candidate_url(session)).json()
    assert state["questions"][0]["status_message"] == (
        f"Your recording could not be read: {answer.status_detail[len('Recording unreadable: '):-1]}. Please record "
        "again or type your answer.")
    submit_recording(session, "english.webm", capture=django_capture_on_commit_callbacks)
    answer.refresh_from_db()
    assert (answer.status, answer.status_detail, answer.analysis_attempts) == ("scored", "", 1)


@pytest.mark.parametrize(("kind", "status", "detail"), [
    ("empty", 400, "The recording is empty (0 bytes). Please record your answer again or type it."),
    ("not-media.webm", 415, "This file is not a voice or video recording (WebM, Ogg, MP4, WAV or MP3 expected). "
                            "Please record your answer again or type it."),
])
def test_empty_and_lying_files_are_refused(setup: InterviewSetup, kind: str, status: int, detail: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = agree(media_session(setup), "audio")
    media = SimpleUploadedFile("answer.webm", b"", "audio/webm") if kind == "empty" else upload_file(kind)
    response = candidate_client().post(candidate_url(session, "answers/"), {"question": 1, "media": media},
                                       format="multipart")
    assert (response.status_code, response.json()["detail"]) == (status, detail)
    assert not InterviewAnswer.objects.filter(session_question__session=session).exclude(status="draft").exists()


def test_a_recording_over_the_size_limit_is_a_413(setup: InterviewSetup) -> None:
    session = agree(media_session(setup), "audio")
    with override_settings(TALENTLOOP_MEDIA_MAX_BYTES=10_000):
        response = candidate_client().post(candidate_url(session, "answers/"),
                                           {"question": 1, "media": upload_file("english.webm")}, format="multipart")
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The recording is larger than the limit of ")
    assert not InterviewAnswer.objects.filter(session_question__session=session).exists()


def test_recordings_of_a_modality_not_offered_or_not_agreed_to_are_refused(setup: InterviewSetup) -> None:
    session = agree(media_session(setup, modalities=["text", "audio"]))
    client = candidate_client()
    refused = client.post(candidate_url(session, "answers/"), {"question": 1, "media": upload_file("english.webm")},
                          format="multipart")
    assert (refused.status_code, refused.json()["detail"]) == (
        403, "You did not agree to voice analysis, so voice answers are not accepted. You can type your answer.")
    video = client.post(candidate_url(session, "answers/"),
                        {"question": 1, "media": upload_file("english.webm"), "modality": "video"},
                        format="multipart")
    assert (video.status_code, video.json()["detail"]) == (
        400, "This interview does not offer video answers. You can type your answer.")


def test_delivery_counts_in_the_score_exactly_by_the_formula_when_the_job_says_so(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    from ._support import make_application

    off_session = agree(media_session(setup, delivery_in_score=False), "audio")
    submit_recording(off_session, capture=django_capture_on_commit_callbacks)
    off = answer_of(off_session)
    # Another candidate for the same job, once the job counts delivery: the same questions (same seed).
    other = make_application(setup.job, name="Li Na", email="li.na@example.com")
    on_session = agree(media_session(setup, delivery_in_score=True, application=other), "audio")
    submit_recording(on_session, capture=django_capture_on_commit_callbacks)
    on = answer_of(on_session)

    assert on.session_question.question_id == off.session_question.question_id
    assert on.transcript == off.transcript  # the same recording, the same recogniser
    assert (off.delivery_used_in_score, on.delivery_used_in_score) == (False, True)
    delivery = float(on.delivery["score"])
    assert on.engine["delivery"] == {"text_score": off.score, "delivery_score": delivery,
                                     "weights": {"text": 0.8, "delivery": 0.2}}
    assert on.score == round(0.8 * float(off.score or 0) + 0.2 * delivery, 1)


def test_delivery_does_not_count_without_consent_to_that_modality(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    session = agree(media_session(setup, delivery_in_score=True), "audio")
    submit_recording(session, capture=django_capture_on_commit_callbacks)
    from ..services.sessions import interview_consent

    interview_consent(token=session.token, accept=True, analyses=["text"])  # withdrawn afterwards
    answer = answer_of(session)
    assert answer.delivery_used_in_score is True
    # A re-score (HR's transcript correction) applies the consent as it stands now.
    from ..services.media import answer_transcript_correct

    corrected = answer_transcript_correct(actor=setup.hr, session=session, position=1, transcript=answer.transcript)
    assert corrected.delivery_used_in_score is False
    assert "delivery" not in corrected.engine


def test_the_analysis_runs_once_however_often_the_task_is_delivered(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    session = agree(media_session(setup), "audio")
    submit_recording(session, capture=django_capture_on_commit_callbacks)
    first = answer_of(session)
    again = answer_media_analyse(answer_id=first.pk)
    assert again is not None
    assert (again.status, again.analysis_attempts, again.analysed_at, again.score) == (
        "scored", 1, first.analysed_at, first.score)
    assert answer_media_analyse(answer_id=10**9) is None


def test_a_concurrent_run_that_finished_first_wins_and_the_other_writes_nothing(
    setup: InterviewSetup, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ..services import media as media_services

    session = agree(media_session(setup), "audio")
    submit_recording(session)  # analysis queued on commit, which never comes in this test: nothing ran yet
    answer = answer_of(session)
    assert (answer.status, answer.analysis_attempts) == ("processing", 0)
    real = media_services._analyse
    finished: dict[str, Any] = {}

    def racing(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        if not finished:  # another worker (the redelivered task) finishes while this one is still analysing
            monkeypatch.setattr(media_services, "_analyse", real)
            finished["answer"] = answer_media_analyse(answer_id=answer.pk)
        return outcome

    monkeypatch.setattr(media_services, "_analyse", racing)
    late = answer_media_analyse(answer_id=answer.pk)
    winner = finished["answer"]
    assert late is not None
    assert winner is not None
    assert winner.status == late.status == "scored"
    assert (late.analysis_attempts, late.analysed_at, late.score) == (2, winner.analysed_at, winner.score)


def test_a_replaced_recording_is_not_overwritten_by_the_old_analysis(
    setup: InterviewSetup, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ..services import media as media_services

    session = agree(media_session(setup), "audio")
    submit_recording(session, "silence.webm")
    answer = answer_of(session)
    real = media_services._analyse

    def replaced(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        InterviewAnswer.objects.filter(pk=answer.pk).update(media_sha256="0" * 64)
        return outcome

    monkeypatch.setattr(media_services, "_analyse", replaced)
    result = answer_media_analyse(answer_id=answer.pk)
    assert result is not None
    assert (result.status, result.analysis_attempts, result.analysed_at) == ("processing", 1, None)


def test_a_recording_that_keeps_failing_its_worker_ends_unreadable(setup: InterviewSetup) -> None:
    session = agree(media_session(setup), "audio")
    submit_recording(session, "silence.webm")
    answer = answer_of(session)
    InterviewAnswer.objects.filter(pk=answer.pk).update(analysis_attempts=MAX_ATTEMPTS)
    result = answer_media_analyse(answer_id=answer.pk)
    assert result is not None
    assert (result.status, result.status_detail) == (
        "unreadable", "Recording unreadable: the analysis did not finish after 3 attempts.")


def test_the_report_waits_for_a_recording_still_being_analysed(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    session = agree(media_session(setup), "audio")
    with django_capture_on_commit_callbacks() as queued:
        submit_recording(session)
    with django_capture_on_commit_callbacks(execute=True):
        interview_complete(token=session.token)
    report = InterviewReport.objects.get(session=session)
    assert report.status == "scoring"
    assert answer_of(session).status == "processing"
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    report.refresh_from_db()
    answer = answer_of(session)
    assert (answer.status, report.status) == ("scored", "ready")
    assert report.overall_score is not None


def test_a_failed_recording_counts_as_unanswered_at_completion_and_keeps_its_status(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any, api_as: Any,
) -> None:
    session = agree(media_session(setup), "audio")
    submit_recording(session, "silence.webm", capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        interview_complete(token=session.token)
    answer = answer_of(session)
    assert (answer.status, answer.status_detail, answer.score, answer.flags) == (
        "no_speech", "No speech was detected in the recording.", 0.0, ["unanswered"])
    report = InterviewReport.objects.get(session=session)
    assert report.status == "ready"
    item = api_as(setup.hr).get(f"/api/v1/interviews/{session.pk}/report/", HTTP_ACCEPT_LANGUAGE="en").json()[
        "answers"][0]
    assert (item["status"], item["status_detail"], item["score"]) == (
        "no_speech", "No speech was detected in the recording.", 0.0)


def test_a_video_answer_is_analysed_with_its_picture(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    session = agree(media_session(setup), "video")
    submit_recording(session, "face.webm", modality="video", capture=django_capture_on_commit_callbacks)
    answer = answer_of(session)
    assert (answer.modality, answer.status) == ("video", "scored")
    assert answer.delivery["video"]["face_present_ratio"] > 0.5


def test_the_sweep_queues_again_a_recording_whose_analysis_was_lost(setup: InterviewSetup) -> None:
    import datetime as dt

    from django.utils import timezone

    from ..services.scoring import reports_stuck_requeue

    session = agree(media_session(setup), "audio")
    submit_recording(session, "silence.webm")  # its task is lost: the commit never comes in this test
    answer = answer_of(session)
    assert reports_stuck_requeue() == 0
    assert answer_of(session).status == "processing"  # recent: maybe still being analysed
    InterviewAnswer.objects.filter(pk=answer.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    reports_stuck_requeue()
    assert (answer_of(session).status, answer_of(session).analysis_attempts) == ("no_speech", 1)


def test_a_speech_service_that_is_down_defers_the_analysis_then_fails_it_with_the_reason(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    """The cloud recogniser (Baidu's API) is faked by a local HTTP server that answers every request with 503: the
    only fake here, standing for the vendor's service being down."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from ..services.asr import TranscriptionDeferred

    hits: list[str] = []

    class Down(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            hits.append(self.path)
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error": "service_unavailable"}')

        def log_message(self, *args: Any) -> None:
            return None

    server = HTTPServer(("127.0.0.1", 0), Down)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with override_settings(TALENTLOOP_ASR_EN="baidu", TALENTLOOP_BAIDU_ASR_API_KEY="key",
                               TALENTLOOP_BAIDU_ASR_SECRET_KEY="secret", TALENTLOOP_BAIDU_ASR_TOKEN_URL=f"{base}/token",
                               TALENTLOOP_BAIDU_ASR_URL=f"{base}/asr"):
            session = agree(media_session(setup), "audio")
            # In-process (no broker) there is no later: the answer fails at once, with the reason.
            submit_recording(session, capture=django_capture_on_commit_callbacks)
            eager = answer_of(session)
            assert (eager.status, eager.analysis_attempts) == ("failed", 1)
            assert eager.status_detail == (
                "Speech recognition failed: Baidu refused the API key (service_unavailable).")
            # A worker defers it (the task retries later) until the last attempt, which fails it.
            InterviewAnswer.objects.filter(pk=eager.pk).update(status="processing", analysis_attempts=0,
                                                               status_detail="")
            for attempt in range(1, MAX_ATTEMPTS):
                with pytest.raises(TranscriptionDeferred):
                    answer_media_analyse(answer_id=eager.pk, defer=True)
                assert (answer_of(session).status, answer_of(session).analysis_attempts) == ("processing", attempt)
            last = answer_media_analyse(answer_id=eager.pk, defer=True)
    finally:
        server.shutdown()
    assert last is not None
    assert (last.status, last.analysis_attempts) == ("failed", MAX_ATTEMPTS)
    assert len(hits) == 1 + MAX_ATTEMPTS


def test_a_recording_over_the_time_limit_is_too_long(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ._media_support import long_recording

    session = agree(media_session(setup), "audio")
    media = SimpleUploadedFile("long.webm", long_recording(60).read_bytes(), "audio/webm")
    with override_settings(TALENTLOOP_MEDIA_MAX_SECONDS=30):
        with django_capture_on_commit_callbacks(execute=True):
            response = candidate_client().post(candidate_url(session, "answers/"), {"question": 1, "media": media},
                                               format="multipart")
        state = candidate_client().get(candidate_url(session)).json()
    assert response.status_code == 202
    answer = answer_of(session)
    assert answer.status == "too_long"
    assert answer.status_detail.startswith("Recording too long: ")
    assert (state["questions"][0]["answer_status"], state["questions"][0]["status_message"]) == (
        "too_long", "Your recording is longer than the limit of 30 seconds. Please record a shorter answer or type it.")
    assert state["current_position"] == 1  # open again
