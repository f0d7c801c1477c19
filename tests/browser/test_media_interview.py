"""Issue #5's "done when", in a real browser against the live server: a candidate answers one question by voice
and one by video, recorded in the browser, and types the last; HR reads the transcripts and the delivery
measurements in the report.

How the media gets in: Chromium runs with fake capture devices fed from real files made by the test —
`--use-file-for-fake-audio-capture` gets a WAV of the English espeak-ng answer (talentloop.core.testing.media's
ENGLISH_ANSWER, padded with a second of silence; Chromium loops it), `--use-file-for-fake-video-capture` a Y4M
made with ffmpeg from the moving-face video (scikit-image's astronaut photograph). `--use-fake-ui-for-media-stream`
answers the permission prompt. That browser is launched by this module (the shared one has no fake devices);
HR uses the shared one. Nothing is faked past the microphone and the camera (the second test replaces the
microphone in the page with a refused or a silent one): recorder.js records with MediaRecorder, uploads while
recording (one dropped chunk on the way, to show the upload resumes), the live server decodes, transcribes with
pocketsphinx and measures the delivery (tasks run eagerly, in the request).

The candidate records the voice answer on a phone-sized window and the video answer on a desktop-sized one;
screenshots of both go to artifacts/screenshots/ (docs/screenshots/ keeps copies of interview-voice-phone and
interview-video-desktop)."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from talentloop.core.testing.media import ENGLISH_ANSWER, face_video, have_tools, speech_wav
from talentloop.interviews.bank import sync_question_bank
from talentloop.interviews.models import InterviewAnswer, InterviewQuestion, InterviewSession, MediaUpload
from talentloop.interviews.services.sessions import interview_consent, interview_create
from talentloop.interviews.tests._support import bank_ids, make_application, make_job, session_questions
from talentloop.org.models import Competency
from talentloop.recruiting.defaults import load_defaults
from talentloop.recruiting.models import EmailTemplate, OfferTemplate, Stage

from .conftest import CHROMIUM_FLAGS, DESKTOP, PHONE, chromium_path

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not have_tools(), reason="needs espeak-ng and ffmpeg"),
]

PASSWORD = "pass-word-123"  # the factories' password
QUESTIONS = ["customer_orientation-en-2", "communication-en-4", "teamwork-en-1"]  # voice, video, typed
RECORD_SECONDS = 9  # about the spoken answer's length; the fake microphone loops it
TYPED = (
    "When a colleague does not deliver their part, I first talk with them in private to understand why, offer "
    "help and share what I have, and agree on a plan; if it still slips, I raise it with the team lead early."
)


@pytest.fixture(scope="module")
def capture_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fake microphone's and camera's input: the spoken answer (48 kHz mono WAV) and the face video (Y4M)."""
    folder = tmp_path_factory.mktemp("capture")
    spoken = speech_wav(ENGLISH_ANSWER.text, folder / "spoken.wav")
    wav = folder / "answer.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(spoken), "-af", "apad=pad_dur=1",
                    "-ar", "48000", "-ac", "1", "-c:a", "pcm_s16le", str(wav)], check=True, timeout=120)
    webm = face_video(folder / "face.webm", 6, fps=10)
    y4m = folder / "face.y4m"
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(webm), "-pix_fmt", "yuv420p",
                    "-f", "yuv4mpegpipe", str(y4m)], check=True, timeout=120)
    return {"audio": wav, "video": y4m}


@pytest.fixture
def media_browser(browser: Any, capture_files: dict[str, Path]) -> Iterator[Any]:
    """A second Chromium from the same Playwright, whose microphone and camera play the files above."""
    instance = browser.browser_type.launch(executable_path=chromium_path(), headless=True, args=[
        *CHROMIUM_FLAGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={capture_files['audio']}",
        f"--use-file-for-fake-video-capture={capture_files['video']}",
        "--autoplay-policy=no-user-gesture-required",
    ])
    yield instance
    instance.close()


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")


def elapsed_seconds(page: Any, recorder: Any) -> int:
    minutes, seconds = recorder.locator("[data-testid=recording-elapsed]").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def record(page: Any, modality: str, seconds: int, screenshot: Path) -> dict[str, float]:
    """Choose the mode, check the devices, record `seconds`, stop, listen, send. Returns how long each step took."""
    timings: dict[str, float] = {}
    recorder = page.locator(f"[data-testid=recorder-{modality}]")
    page.check(f"[data-testid=mode-{modality}]")
    recorder.wait_for(state="visible")
    assert page.locator("[data-answer-form]").is_hidden()  # typing is one click away, not in the way
    started = time.monotonic()
    recorder.locator("[data-testid=recorder-check]").click()
    recorder.locator("[data-testid=recorder-start]").wait_for(state="visible")
    # The device check: the level meter moves with the (fake) voice; for video the camera picture shows.
    page.wait_for_function("el => Number(el.getAttribute('aria-valuenow')) > 20",
                           arg=recorder.locator("[role=meter]").element_handle(), timeout=15_000)
    if modality == "video":
        preview = recorder.locator("[data-testid=camera-preview]")
        page.wait_for_function("el => el.videoWidth > 0", arg=preview.element_handle())
        assert preview.evaluate("el => [el.videoWidth, el.videoHeight]") == [320, 240]
    timings["device_check_s"] = time.monotonic() - started
    assert recorder.locator("[data-testid=recorder-status]").inner_text() != ""
    recorder.locator("[data-testid=recorder-start]").click()
    recorder.locator("[data-testid=recorder-stop]").wait_for(state="visible")
    assert page.evaluate("document.activeElement.dataset.testid") == "recorder-stop"
    page.wait_for_function("el => el.textContent.trim() === '0:03'",
                           arg=recorder.locator("[data-testid=recording-elapsed]").element_handle())
    left = recorder.locator("[data-testid=recording-left]").inner_text()
    assert re.fullmatch(r"\d+:[0-5]\d left", left), left
    page.screenshot(path=str(screenshot))
    page.wait_for_function(f"el => el.textContent.trim() === '0:{seconds:02d}'",
                           arg=recorder.locator("[data-testid=recording-elapsed]").element_handle(),
                           timeout=(seconds + 10) * 1000)
    recorder.locator("[data-testid=recorder-stop]").click()
    playback = recorder.locator("[data-testid=recording-playback]")
    playback.wait_for(state="visible")
    # The recording is ready to play back before it is sent: the browser has read it from memory.
    page.wait_for_function("el => el.src.startsWith('blob:') && el.readyState >= 1 && !el.error",
                           arg=playback.element_handle(), timeout=15_000)
    assert recorder.locator("[data-testid=recorder-again]").is_visible()  # the job allows re-recording
    started = time.monotonic()
    recorder.locator("[data-testid=recorder-submit]").click()
    timings["send_and_analyse_s"] = time.monotonic() - started  # completed by the caller's wait for the next page
    return timings


def test_answering_by_voice_and_video_in_the_browser_and_hr_reading_the_transcripts(
    live_server: Any, org: dict[str, Any], media_browser: Any, page_factory: Any, screenshot_dir: Path,
    settings: Any,
) -> None:
    base = live_server.url
    settings.TALENTLOOP_SITE_URL = base
    load_defaults(EmailTemplate, OfferTemplate)
    sync_question_bank(InterviewQuestion, Competency)
    job = make_job(org["departments"]["sales"], title="Customer Success Manager")
    job.interview_modalities = ["text", "audio", "video"]
    job.save(update_fields=["interview_modalities"])
    application = make_application(job, name="Emily Chen", email="emily@example.com", language="en",
                                   stage=Stage.SCREENING)
    session = interview_create(actor=org["users"]["hr"], application=application, questions=bank_ids(QUESTIONS),
                               language="en")
    assert session.modalities == ["text", "audio", "video"]
    link = f"{base}/interview/{session.token}/"
    timings: dict[str, float] = {}

    script_errors: list[str] = []
    dialogs: list[str] = []
    context = media_browser.new_context(viewport=PHONE, locale="en-US", device_scale_factor=1)
    context.set_default_timeout(20_000)
    phone = context.new_page()
    phone.on("pageerror", lambda error: script_errors.append(str(error)))

    def dialog_seen(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    phone.on("dialog", dialog_seen)
    # Every upload request the recorder makes; the second chunk of the voice answer is lost on the way once.
    uploads: list[tuple[str, str]] = []
    dropped: list[str] = []

    def upload_route(route: Any) -> None:
        request = route.request
        uploads.append((request.method, request.url))
        if request.method == "PUT" and not dropped and sum(m == "PUT" for m, _url in uploads) == 2:
            dropped.append(request.headers.get("upload-offset", ""))
            route.abort("connectionreset")
            return
        route.continue_()

    phone.route(re.compile(r"/api/v1/interview-sessions/[^/]+/uploads/"), upload_route)

    # --- 1. Consent: text, and voice and video each by its own box --------------------------------------------
    phone.goto(link)
    phone.wait_for_selector("[data-testid=interview-consent]")
    boxes = phone.locator("[data-testid=consent-modality]")
    assert boxes.evaluate_all("els => els.map(e => e.dataset.modality)") == ["audio", "video"]
    assert not phone.locator("[data-testid=consent-audio]").is_checked()
    assert not phone.locator("[data-testid=consent-video]").is_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.check("[data-testid=consent-agree]")
    phone.check("[data-testid=consent-audio]")
    phone.check("[data-testid=consent-video]")
    phone.screenshot(path=str(screenshot_dir / "interview-consent-media-phone.png"), full_page=True)
    phone.click("[data-testid=consent-accept]")
    phone.wait_for_url(f"{link}q/1/")
    session.refresh_from_db()
    assert session.consent["analyses"] == ["text", "audio", "video"]

    # --- 2. Question 1 by voice, on a phone --------------------------------------------------------------------
    modes = phone.locator("[data-testid=answer-modes] input[name=answer_mode]")
    assert modes.evaluate_all("els => els.map(e => e.value)") == ["text", "audio", "video"]
    voice_shot = screenshot_dir / "interview-voice-phone.png"
    timings.update({f"voice_{k}": v for k, v in record(phone, "audio", RECORD_SECONDS, voice_shot).items()})
    started = time.monotonic()
    phone.wait_for_url(f"{link}q/2/", timeout=60_000)
    timings["voice_send_and_analyse_s"] += time.monotonic() - started
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The upload went out while recording, in chunks; the lost chunk was retried after asking the server.
    puts = [url for method, url in uploads if method == "PUT"]
    assert len(puts) >= RECORD_SECONDS - 2
    assert len(dropped) == 1
    assert int(dropped[0]) > 0  # a chunk after the first: the server had some of the recording already
    assert any(method == "GET" for method, _url in uploads)
    first = InterviewAnswer.objects.get(session_question__session=session, session_question__position=1)
    upload = MediaUpload.objects.get(session=session, session_question__position=1)
    assert (first.modality, first.status, upload.status) == ("audio", "scored", "used")
    assert first.media_bytes == upload.received_bytes
    assert first.media_format.startswith("webm")
    assert RECORD_SECONDS - 1 <= float(first.media_seconds or 0) <= RECORD_SECONDS + 2
    print(f"\nvoice transcript: {first.transcript!r}")
    assert [w for w in ENGLISH_ANSWER.key_words if w in first.transcript.lower()] != []
    assert first.text == first.transcript
    assert first.delivery["audio"]["speech_s"] > 3

    # --- 3. Question 2 on video, on a desktop -------------------------------------------------------------------
    phone.set_viewport_size(DESKTOP)
    video_shot = screenshot_dir / "interview-video-desktop.png"
    timings.update({f"video_{k}": v for k, v in record(phone, "video", RECORD_SECONDS, video_shot).items()})
    started = time.monotonic()
    phone.wait_for_url(f"{link}q/3/", timeout=60_000)
    timings["video_send_and_analyse_s"] += time.monotonic() - started
    second = InterviewAnswer.objects.get(session_question__session=session, session_question__position=2)
    assert (second.modality, second.status) == ("video", "scored")
    print(f"video transcript: {second.transcript!r}")
    assert second.delivery["video"]["face_present_ratio"] >= 0.8
    assert second.delivery["video"]["frames_sampled"] >= 2 * (RECORD_SECONDS - 1)

    # --- 4. The last question typed, and the interview handed in ----------------------------------------------
    phone.set_viewport_size(PHONE)
    field = phone.locator("[data-testid=answer-text]")
    field.fill(TYPED)
    field.blur()
    phone.wait_for_function("document.querySelector('[data-testid=save-status]').textContent.startsWith('Saved')")
    phone.click("[data-testid=answer-submit]")
    phone.wait_for_url(f"{link}finish/")
    assert phone.locator("[data-testid=unanswered]").count() == 0
    phone.click("[data-testid=interview-complete]")
    phone.wait_for_url(f"{link}done/")
    session.refresh_from_db()
    assert session.status == InterviewSession.Status.COMPLETED

    # --- 5. HR reads the report: transcripts, recogniser and delivery measurements -------------------------------
    hr = page_factory(DESKTOP, locale="en-US")
    login(hr, base, "hr")
    hr.goto(f"{base}/interviews/{session.pk}/report/")
    recorded = hr.locator("[data-testid=recorded-answer]")
    recorded.first.wait_for()
    assert recorded.evaluate_all("els => els.map(e => e.dataset.modality)") == ["audio", "video"]
    voice = recorded.nth(0)
    transcript = voice.locator("[data-testid=transcript]").inner_text()
    assert transcript == first.transcript
    assert any(word in transcript.lower() for word in ENGLISH_ANSWER.key_words)
    assert "pocketsphinx" in voice.locator("[data-testid=transcript-source]").inner_text()
    voice_metrics = voice.locator("[data-testid=delivery-metrics] tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.metric)")
    assert {"speaking_rate", "pause_ratio"} <= set(voice_metrics)
    video_metrics = recorded.nth(1).locator("[data-testid=delivery-metrics] tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.metric)")
    assert {"face_present_ratio", "looking_at_camera_ratio"} <= set(video_metrics)
    assert hr.locator("[data-testid=answer] [data-testid=answer-text]").all_inner_texts() == [TYPED]
    hr.screenshot(path=str(screenshot_dir / "interview-media-report-desktop.png"), full_page=True)

    print("timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
    assert [q.position for q in session_questions(session)] == [1, 2, 3]
    assert script_errors == []
    assert dialogs == []
    context.close()


# Replace the microphone for one page: refused by the person, or present but silent (a muted microphone).
REFUSED_MICROPHONE = """
navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("refused", "NotAllowedError"));
"""
SILENT_MICROPHONE = """
navigator.mediaDevices.getUserMedia = async () => {
  const context = new AudioContext();
  const target = context.createMediaStreamDestination();
  const source = context.createConstantSource();
  source.offset.value = 0;
  source.connect(target);
  source.start();
  return target.stream;
};
"""


def test_a_refused_microphone_and_a_silent_recording_are_explained_and_typing_remains(
    live_server: Any, org: dict[str, Any], media_browser: Any,
) -> None:
    base = live_server.url
    sync_question_bank(InterviewQuestion, Competency)
    job = make_job(org["departments"]["sales"], title="Customer Success Manager")
    application = make_application(job, name="Emily Chen", email="emily@example.com", language="en",
                                   stage=Stage.SCREENING)
    session = interview_create(actor=org["users"]["hr"], application=application, questions=bank_ids(QUESTIONS),
                               language="en", modalities=["text", "audio"])
    interview_consent(token=session.token, accept=True, analyses=["text", "audio"])
    link = f"{base}/interview/{session.token}/"
    script_errors: list[str] = []

    def page_with(init_script: str) -> Any:
        context = media_browser.new_context(viewport=PHONE, locale="en-US", device_scale_factor=1)
        context.set_default_timeout(20_000)
        context.add_init_script(init_script)
        page = context.new_page()
        page.on("pageerror", lambda error: script_errors.append(str(error)))
        return page

    # The microphone is refused: the page says so and offers typing, which is one tap away.
    refused = page_with(REFUSED_MICROPHONE)
    refused.goto(f"{link}q/1/")
    assert refused.locator("[data-testid=answer-modes] input").evaluate_all("els => els.map(e => e.value)") == [
        "text", "audio",
    ]
    refused.check("[data-testid=mode-audio]")
    recorder = refused.locator("[data-testid=recorder-audio]")
    recorder.locator("[data-testid=recorder-check]").click()
    status = recorder.locator("[data-testid=recorder-status]")
    status.wait_for(state="visible")
    refused.wait_for_function("el => el.textContent.trim() !== '' && !el.textContent.startsWith('Asking')",
                              arg=status.element_handle())
    assert status.inner_text() == (
        "The browser was not allowed to use the microphone, so you cannot record your voice here. Allow it in the "
        "browser settings and check again, or type your answer."
    )
    assert recorder.locator("[data-testid=recorder-start]").is_hidden()
    recorder.locator("[data-testid=recorder-type]").click()
    assert refused.locator("[data-testid=answer-text]").is_visible()
    assert refused.evaluate("document.activeElement.dataset.testid") == "answer-text"
    refused.context.close()

    # A silent recording: the server finds no speech; the candidate is told and may record again or type.
    silent = page_with(SILENT_MICROPHONE)
    silent.goto(f"{link}q/1/")
    silent.check("[data-testid=mode-audio]")
    recorder = silent.locator("[data-testid=recorder-audio]")
    recorder.locator("[data-testid=recorder-check]").click()
    recorder.locator("[data-testid=recorder-start]").click()
    silent.wait_for_function("el => el.textContent.trim() === '0:03'",
                             arg=recorder.locator("[data-testid=recording-elapsed]").element_handle())
    recorder.locator("[data-testid=recorder-stop]").click()
    recorder.locator("[data-testid=recorder-submit]").click()
    again = recorder.locator("[data-testid=recorder-again]")
    again.wait_for(state="visible", timeout=60_000)
    message = "No speech was detected in your recording. Please record again or type your answer."
    assert recorder.locator("[data-testid=recorder-status]").inner_text() == message
    assert recorder.locator("[data-testid=recorder-type]").is_visible()
    assert recorder.locator("[data-testid=recording-playback]").is_hidden()
    answer = InterviewAnswer.objects.get(session_question__session=session, session_question__position=1)
    assert (answer.status, answer.modality) == ("no_speech", "audio")
    # After a reload the page still says what happened, and typing the answer moves on.
    silent.reload()
    assert silent.locator("[data-testid=recording-problem]").inner_text() == message
    silent.locator("[data-testid=recorder-audio]").wait_for(state="visible")  # opens on the mode that failed
    silent.check("[data-testid=mode-text]")
    field = silent.locator("[data-testid=answer-text]")
    field.fill(TYPED)
    field.blur()
    silent.wait_for_function("document.querySelector('[data-testid=save-status]').textContent.startsWith('Saved')")
    silent.click("[data-testid=answer-submit]")
    silent.wait_for_url(f"{link}q/2/")
    answer.refresh_from_db()
    assert (answer.modality, answer.text) == ("text", TYPED)
    assert script_errors == []
    silent.context.close()
