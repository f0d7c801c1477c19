"""The candidate's pages for voice and video answers (Django test client, no JavaScript): the consent page asks
for each offered recorded modality with its own unticked box and wording; the consent records exactly what was
ticked; the question page offers a mode switch only for what is both offered and agreed to, with everything
recorder.js needs; a recording can be sent without JavaScript; the status endpoint the recorder polls starts no
clock; and the Chinese pages have no English left in them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from talentloop.core.testing.media import convert, have_tools, speech_wav
from talentloop.interviews.models import InterviewAnswer, InterviewSession
from talentloop.interviews.services.rules import modality_consent_text, status_message
from talentloop.interviews.services.sessions import interview_consent, interview_create
from tests.test_i18n import english_leftovers, visible_text

from ._support import JOB_DESCRIPTION_ZH, InterviewSetup, browser, make_application, make_job, session_questions

Session = InterviewSession
ALL = ["text", "audio", "video"]


def page(session: Session, rest: str = "") -> str:
    return f"/interview/{session.token}/{rest}"


def tree(response: Any) -> Any:
    return lxml.html.fromstring(response.content.decode())


def by_testid(response: Any, testid: str) -> list[Any]:
    return list(tree(response).xpath(f'//*[@data-testid="{testid}"]'))


def offered(setup: InterviewSetup, modalities: list[str], language: str = "en") -> Session:
    return interview_create(actor=setup.hr, application=setup.application, questions="auto", language=language,
                            seed=1, modalities=modalities)


def agree(session: Session, *recorded: str) -> Session:
    return interview_consent(token=session.token, accept=True, analyses=["text", *recorded])


@pytest.fixture
def candidate() -> Client:
    return browser()


@pytest.mark.parametrize(("modalities", "boxes"), [
    (["text"], []),
    (["text", "audio"], ["audio"]),
    (["text", "video"], ["video"]),
    (ALL, ["audio", "video"]),
])
def test_the_consent_page_asks_separately_for_each_offered_recorded_modality(
    candidate: Client, setup: InterviewSetup, modalities: list[str], boxes: list[str],
) -> None:
    session = offered(setup, modalities)
    response = candidate.get(page(session))
    assert response.status_code == 200
    blocks = by_testid(response, "consent-modality")
    assert [b.get("data-modality") for b in blocks] == boxes
    for block in blocks:
        code = block.get("data-modality")
        box = block.xpath(".//input[@type='checkbox']")[0]
        assert (box.get("name"), box.get("value"), box.get("checked"), box.get("required")) == (
            f"consent_{code}", "yes", None, None,
        )
        assert block.xpath(".//*[@data-testid='consent-modality-text']")[0].text_content() == (
            modality_consent_text(code, "en")
        )
        label = box.getparent().text_content().strip()
        assert label == {"audio": "I agree to the analysis of my voice",
                         "video": "I agree to the analysis of my video"}[code]
    sensitive = by_testid(response, "consent-sensitive")
    if boxes:
        assert sensitive[0].text_content().startswith(
            "Your voice and your face are sensitive personal information. Each analysis below needs its own, "
            "separate consent"
        )
    else:
        assert sensitive == []
    # The text consent stays the one required box.
    required = tree(response).xpath("//form[@data-testid='consent-form']//input[@required]")
    assert [r.get("name") for r in required] == ["agree"]


@pytest.mark.parametrize(("ticked", "analyses"), [
    ([], ["text"]),
    (["audio"], ["text", "audio"]),
    (["video"], ["text", "video"]),
    (["audio", "video"], ["text", "audio", "video"]),
])
def test_the_consent_records_exactly_the_ticked_modalities_with_time_and_wording(
    candidate: Client, setup: InterviewSetup, ticked: list[str], analyses: list[str],
) -> None:
    session = offered(setup, ALL)
    data = {"action": "accept", "agree": "yes", **{f"consent_{m}": "yes" for m in ticked}}
    response = candidate.post(page(session, "consent/"), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.CONSENTED
    assert session.consent["analyses"] == analyses
    given = session.consent["modalities"]
    assert {m: given[m]["given"] for m in ("audio", "video")} == {m: m in ticked for m in ("audio", "video")}
    assert {m: given[m]["wording"] for m in given} == {m: modality_consent_text(m, "en") for m in ("audio", "video")}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT.+", given[m]["at"]) for m in given)


def test_a_box_for_a_modality_not_offered_is_ignored(candidate: Client, setup: InterviewSetup) -> None:
    session = offered(setup, ["text", "audio"])
    candidate.post(page(session, "consent/"), {"action": "accept", "agree": "yes", "consent_audio": "yes",
                                               "consent_video": "yes"})
    session.refresh_from_db()
    assert session.consent["analyses"] == ["text", "audio"]
    assert "video" not in session.consent["modalities"]


def test_without_the_text_consent_nothing_is_recorded_and_the_ticks_stay(
    candidate: Client, setup: InterviewSetup,
) -> None:
    session = offered(setup, ALL)
    response = candidate.post(page(session, "consent/"), {"action": "accept", "consent_video": "yes"})
    assert response.status_code == 400
    assert by_testid(response, "interview-error")[0].text_content() == (
        "Tick the box to agree, or ask for a human interviewer instead."
    )
    assert by_testid(response, "consent-video")[0].get("checked") is not None
    assert by_testid(response, "consent-audio")[0].get("checked") is None
    session.refresh_from_db()
    assert (session.status, session.consent) == (Session.Status.INVITED, {})


@pytest.mark.parametrize(("modalities", "agreed", "modes"), [
    (ALL, ["audio", "video"], ["text", "audio", "video"]),
    (ALL, ["video"], ["text", "video"]),
    (ALL, [], []),
    (["text", "audio"], ["audio"], ["text", "audio"]),
    (["text"], [], []),
])
def test_the_question_page_offers_the_modes_offered_and_agreed_to(
    candidate: Client, setup: InterviewSetup, modalities: list[str], agreed: list[str], modes: list[str],
) -> None:
    session = agree(offered(setup, modalities), *agreed)
    response = candidate.get(page(session, "q/1/"))
    assert response.status_code == 200
    root = tree(response)
    radios = root.xpath("//input[@name='answer_mode']")
    assert [r.get("value") for r in radios] == modes
    assert [r.get("checked") is not None for r in radios] == [m == "text" for m in modes]
    recorders = root.xpath("//*[@data-recorder]")
    assert [r.get("data-modality") for r in recorders] == modes[1:]
    scripts = root.xpath("//script/@src")
    recorder_scripts = ["/static/interviews/recorder-kit.js", "/static/interviews/recorder.js",
                        "/static/interviews/answer-modes.js"]
    assert [src for src in scripts if src in recorder_scripts] == (recorder_scripts if modes else [])
    # Typing is always there, and without JavaScript the recorders stay hidden.
    assert root.xpath("//textarea[@data-testid='answer-text']")
    assert all(r.get("hidden") is not None for r in recorders)
    assert all(s.get("hidden") is not None for s in root.xpath("//*[@data-mode-switch]"))


def test_the_recorder_gets_the_endpoints_limits_and_translated_messages(
    candidate: Client, setup: InterviewSetup, settings: Any,
) -> None:
    settings.TALENTLOOP_MEDIA_CHUNK_BYTES = 65536
    setup.job.allow_rerecord = False
    setup.job.save(update_fields=["allow_rerecord"])
    session = agree(offered(setup, ALL), "audio", "video")
    response = candidate.get(page(session, "q/1/"))
    root = tree(response)
    assert root.xpath("//*[@data-interview-question]")[0].get("data-status-url") == page(session, "q/1/status/")
    audio = root.xpath("//*[@data-recorder][@data-modality='audio']")[0]
    assert {name: audio.get(name) for name in (
        "data-api-url", "data-position", "data-allow-rerecord", "data-chunk-bytes", "data-max-bytes",
        "data-max-seconds",
    )} == {
        "data-api-url": f"/api/v1/interview-sessions/{session.token}/", "data-position": "1",
        "data-allow-rerecord": "0", "data-chunk-bytes": "65536", "data-max-bytes": str(200 * 1024 * 1024),
        "data-max-seconds": "1800",
    }
    assert audio.get("data-msg-stopped") == "Listen to your recording, then send it."
    assert audio.get("data-msg-denied").startswith("The browser was not allowed to use the microphone")
    video = root.xpath("//*[@data-recorder][@data-modality='video']")[0]
    assert video.get("data-msg-denied").startswith("The browser was not allowed to use the camera or microphone")
    assert video.xpath(".//video[@data-rec-preview]")[0].get("muted") is not None
    assert "This job allows one recording per question." in audio.text_content()
    # Every control is labelled for screen readers and the status is announced.
    assert audio.xpath(".//*[@data-rec-status]")[0].get("aria-live") == "polite"
    assert audio.xpath(".//*[@data-rec-level]")[0].get("role") == "meter"
    assert [b.text_content().strip() for b in audio.xpath(".//button") if b.text_content().strip()] == [
        "Check my microphone", "Start recording", "Stop recording",
        "Send the recording and go to the next question", "Record again", "Go on to the next question",
        "Type my answer instead",
    ]


def test_a_refused_or_unusable_recording_is_explained_on_the_question_page(
    candidate: Client, setup: InterviewSetup,
) -> None:
    session = agree(offered(setup, ALL), "audio")
    candidate.get(page(session, "q/1/"))
    first = session_questions(session)[0]
    answer = InterviewAnswer.objects.create(session_question=first, status=InterviewAnswer.Status.NO_SPEECH,
                                            modality="audio", status_detail="No speech was detected in the recording.")
    response = candidate.get(page(session, "q/1/"))
    assert response.status_code == 200
    assert by_testid(response, "recording-problem")[0].text_content() == (
        "No speech was detected in your recording. Please record again or type your answer."
    ) == status_message(answer)
    recorder = tree(response).xpath("//*[@data-recorder]")[0]
    assert (recorder.get("data-answer-status"), recorder.get("data-answer-modality")) == ("no_speech", "audio")


@pytest.mark.skipif(not have_tools(), reason="needs espeak-ng and ffmpeg")
def test_a_recording_can_be_sent_without_javascript_and_its_status_polled_without_starting_a_clock(
    candidate: Client, setup: InterviewSetup, tmp_path: Path,
) -> None:
    session = agree(offered(setup, ALL), "audio")
    candidate.get(page(session, "q/1/"))
    recording = convert(speech_wav("I apologize and offer a refund.", tmp_path / "a.wav"), tmp_path / "a.webm")
    with recording.open("rb") as handle:
        response = candidate.post(page(session, "q/1/"), {"modality": "audio", "media": handle})
    assert (response.status_code, response["Location"]) == (302, page(session, "q/2/"))
    answer = InterviewAnswer.objects.get(session_question__session=session, session_question__position=1)
    # The analysis runs after commit (not in this test): the answer waits for it.
    assert (answer.status, answer.modality, answer.media_bytes) == ("processing", "audio", recording.stat().st_size)
    status = candidate.get(page(session, "q/1/status/"))
    assert status.status_code == 200
    assert status.json() == {
        "answer_status": "processing", "answer_modality": "audio", "status_message": status_message(answer),
        "next_url": page(session, "q/2/"),
    }
    assert session_questions(session)[1].shown_at is None  # polling did not start the next question's clock
    done = candidate.get(page(session, "q/1/"))
    assert by_testid(done, "answer-processing")[0].text_content() == status_message(answer)
    assert candidate.get(page(session, "q/9/status/")).status_code == 404
    assert candidate.get(f"/interview/{'x' * 40}/q/1/status/").status_code == 404


def test_sending_a_modality_not_agreed_to_without_javascript_is_refused_inline(
    candidate: Client, setup: InterviewSetup, tmp_path: Path,
) -> None:
    session = agree(offered(setup, ALL), "audio")
    fake = tmp_path / "answer.webm"
    fake.write_bytes(b"not really a recording")
    with fake.open("rb") as handle:
        response = candidate.post(page(session, "q/1/"), {"modality": "video", "media": handle})
    assert response.status_code == 403
    assert by_testid(response, "interview-error")[0].text_content() == (
        "You did not agree to video analysis, so video answers are not accepted. You can type your answer."
    )
    assert not InterviewAnswer.objects.filter(session_question__session=session).exclude(status="draft").exists()


# --- Chinese -------------------------------------------------------------------------------------------------

DATA_WORDS = {"hr", "example", "com", "li", "JavaScript", "AI", "PIPL", "um"}


def _chinese_session(org: dict[str, Any]) -> Session:
    job = make_job(org["departments"]["sales"], title="客户成功经理", description=JOB_DESCRIPTION_ZH)
    application = make_application(job, name="李雷", email="li@example.com", language="zh-hans")
    session = interview_create(actor=org["users"]["hr"], application=application, questions="auto",
                               language="zh-hans", seed=1)
    # No Chinese speech recogniser is configured in tests, so the service would not offer voice or video; the
    # pages do not depend on it.
    Session.objects.filter(pk=session.pk).update(modalities=ALL)
    session.refresh_from_db()
    return session


def _english_in(response: Any) -> list[str]:
    assert response.status_code == 200
    html = response.content.decode()
    chunks = visible_text(html)
    # What the scripts show comes from data-msg-* attributes: read by people too ({time} and the like are filled in).
    chunks += [re.sub(r"\{[a-z_]+\}", "", value) for el in lxml.html.fromstring(html).iter()
               for name, value in el.attrib.items() if name.startswith("data-msg-") and value]
    return english_leftovers(chunks, DATA_WORDS)


def test_the_recorded_answer_pages_in_chinese_have_no_english_left(org: dict[str, Any]) -> None:
    session = _chinese_session(org)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the interview's language wins over the browser's
    consent_page = client.get(page(session))
    assert _english_in(consent_page) == []
    with translation.override("zh-hans"):
        voice = gettext("I agree to the analysis of my voice")
    assert voice != "I agree to the analysis of my voice"
    assert voice in tree(consent_page).text_content()
    client.post(page(session, "consent/"), {"action": "accept", "agree": "yes", "consent_audio": "yes",
                                            "consent_video": "yes"})
    question = client.get(page(session, "q/1/"))
    assert [r.get("value") for r in tree(question).xpath("//input[@name='answer_mode']")] == ALL
    assert _english_in(question) == []
