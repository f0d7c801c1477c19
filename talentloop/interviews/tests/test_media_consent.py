"""Voice and video consent, and offering recorded answers: a separate, explicit consent per recorded modality,
recorded with its time and exact wording; a modality is usable only when offered and agreed to; inviting with
voice or video needs a speech recogniser for the interview's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from talentloop.core.errors import ValidationFailed

from ..models import InterviewSession
from ..services.rules import (
    consent_text,
    consented_modalities,
    modality_consent_text,
    modality_usable,
    offered_modalities,
)
from ..services.sessions import interview_consent
from ._media_support import agree, candidate_client, candidate_url, media_session
from ._support import InterviewSetup

pytestmark = pytest.mark.django_db


def test_the_audio_wording_says_what_is_analysed_and_what_never_is() -> None:
    text = modality_consent_text("audio", "en")
    for phrase in ("transcribed", "speaking pace, pauses, pitch range and loudness variation, and filler words",
                   "Your emotions and personality are never analysed",
                   "sensitive personal information under the Personal Information Protection Law (PIPL)",
                   "separate, explicit consent",
                   "Recordings are deleted 90 days after they are made; their transcripts and scores are kept"):
        assert phrase in text
    video = modality_consent_text("video", "en")
    for phrase in ("whether your face is in view", "looking toward the camera", "several faces or nobody",
                   "how much your head moves", "you are not identified from your face", "PIPL"):
        assert phrase in video
    with override_settings(TALENTLOOP_MEDIA_RETENTION_DAYS=0):
        assert modality_consent_text("audio", "en").endswith(
            "Recordings are kept with your answers for as long as your answers are.")


def test_the_consent_text_says_voice_and_video_need_their_own_consent() -> None:
    assert consent_text("en").startswith("What is analysed\nOnly the text you type in answer to each question.")
    with_media = consent_text("en", ["text", "audio"])
    assert with_media.startswith("What is analysed\nThe text of your answers: what you type or, if you answer by "
                                 "voice or video, the transcript of your recording.")
    assert "each needs your separate consent below" in with_media
    assert "Recordings are deleted 90 days after they are made" in with_media


def test_consent_per_modality_is_recorded_with_time_and_wording(setup: InterviewSetup) -> None:
    session = media_session(setup)
    assert offered_modalities(session) == ["text", "audio", "video"]
    assert consented_modalities(session) == []
    before = timezone.now()
    session = interview_consent(token=session.token, accept=True, analyses=["text", "audio"])
    assert session.consent["version"] == "2026-1"
    assert session.consent["analyses"] == ["text", "audio"]
    audio, video = session.consent["modalities"]["audio"], session.consent["modalities"]["video"]
    assert (audio["given"], video["given"]) == (True, False)
    assert audio["wording"] == modality_consent_text("audio", "en")
    assert video["wording"] == modality_consent_text("video", "en")
    assert before.isoformat() <= audio["at"] <= timezone.now().isoformat()
    assert consented_modalities(session) == ["text", "audio"]
    assert (modality_usable(session, "audio"), modality_usable(session, "video")) == (True, False)

    # A reload changes nothing; changing one's mind about video records a new time and wording for video only.
    again = interview_consent(token=session.token, accept=True, analyses=["text", "audio"])
    assert again.consent == session.consent
    changed = interview_consent(token=session.token, accept=True, analyses=["text", "audio", "video"])
    assert changed.consent["modalities"]["audio"] == audio
    assert changed.consent["modalities"]["video"]["given"] is True
    assert changed.consent["modalities"]["video"]["at"] >= audio["at"]
    assert changed.consented_at == session.consented_at
    assert consented_modalities(changed) == ["text", "audio", "video"]


def test_consent_to_a_modality_not_offered_is_ignored(setup: InterviewSetup) -> None:
    session = media_session(setup, modalities=["text", "audio"])
    session = agree(session, "audio", "video")
    assert set(session.consent["modalities"]) == {"audio"}
    assert consented_modalities(session) == ["text", "audio"]
    assert modality_usable(session, "video") is False


def test_the_consent_api_takes_the_per_modality_body_and_the_old_one(setup: InterviewSetup) -> None:
    session = media_session(setup)
    client = candidate_client()
    before = client.get(candidate_url(session)).json()
    assert before["modalities"] == ["text", "audio", "video"]
    assert before["consented_modalities"] == []
    assert before["modality_consent"] == {
        "audio": modality_consent_text("audio", "en"), "video": modality_consent_text("video", "en"),
    }
    assert (before["allow_rerecord"], before["max_media_bytes"], before["chunk_bytes"]) == (
        True, 200 * 1024 * 1024, 1024 * 1024)
    assert before["questions"][0]["answer_status"] is None
    assert before["questions"][0]["status_message"] == ""

    response = client.post(candidate_url(session, "consent/"), {"text": True, "audio": False, "video": True},
                           format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["consent_version"], body["consented_modalities"]) == (
        "consented", "2026-1", ["text", "video"])

    other = media_session_for_new_round(setup, session)
    old = client.post(candidate_url(other, "consent/"), {"accept": True, "analyses": ["text", "audio"]},
                      format="json")
    assert old.status_code == 200
    assert old.json()["consented_modalities"] == ["text", "audio"]


def media_session_for_new_round(setup: InterviewSetup, session: InterviewSession) -> InterviewSession:
    from ..services.sessions import interview_cancel

    interview_cancel(actor=setup.hr, session=session)
    return media_session(setup)


@pytest.mark.parametrize(("body", "status", "detail"), [
    ({"text": False, "audio": True}, 400, "To decline the AI interview, ask for a human interviewer instead."),
    ({"audio": True}, 400, 'Say what you agree to: {"text": true, "audio": true or false, "video": true or false}.'),
    ({"accept": True, "analyses": ["text", "emotions"]}, 400,
     "emotions cannot be agreed to; the interview analyses text, and voice and video with your consent."),
])
def test_bad_consent_bodies_are_refused_with_a_reason(
    setup: InterviewSetup, body: dict[str, Any], status: int, detail: str,
) -> None:
    session = media_session(setup)
    response = candidate_client().post(candidate_url(session, "consent/"), body, format="json")
    assert (response.status_code, response.json()["detail"]) == (status, detail)
    session.refresh_from_db()
    assert (session.status, session.consent) == ("invited", {})


def test_declining_with_the_new_body_asks_for_a_human(setup: InterviewSetup) -> None:
    session = media_session(setup)
    response = candidate_client().post(candidate_url(session, "consent/"),
                                       {"text": False, "human_review": True, "reason": "I prefer a person."},
                                       format="json")
    assert (response.status_code, response.json()["status"]) == (200, "human_review")


# --- offering recorded answers ----------------------------------------------------------------------------------


def test_the_job_default_is_used_and_text_is_always_offered(setup: InterviewSetup) -> None:
    session = media_session(setup, modalities=None, job_modalities=["audio"])
    assert session.modalities == ["text", "audio"]
    assert InterviewSession.objects.get(pk=session.pk).modalities == ["text", "audio"]


def test_unknown_modalities_are_refused(setup: InterviewSetup) -> None:
    with pytest.raises(ValidationFailed) as caught:
        media_session(setup, modalities=["text", "hologram"])
    assert caught.value.errors == {"modalities": ["Unknown answer mode hologram; choose from text, audio, video."]}


def test_inviting_with_voice_in_chinese_without_a_recogniser_is_a_400_naming_the_setting(
    setup: InterviewSetup, api_as: Any,
) -> None:
    client: APIClient = api_as(setup.hr)
    url = f"/api/v1/applications/{setup.application.pk}/interviews/"
    with override_settings(TALENTLOOP_ASR_ZH=""):
        response = client.post(url, {"language": "zh-hans", "modalities": ["text", "audio"]}, format="json",
                                HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Voice and video answers need a speech recogniser for Chinese, and none is configured (setting "
        "TALENTLOOP_ASR_ZH). Offer text answers only, or ask the administrator to configure one. Not offered: voice."
    )
    assert not InterviewSession.objects.filter(application=setup.application).exists()
    # Text only in Chinese is fine; English voice uses the bundled pocketsphinx.
    created = client.post(url, {"language": "zh-hans", "modalities": ["text"]}, format="json")
    assert (created.status_code, created.json()["modalities"]) == (201, ["text"])
    client.post(f"/api/v1/interviews/{created.json()['id']}/cancel/")
    english = client.post(url, {"language": "en", "modalities": ["video", "audio"]}, format="json")
    assert (english.status_code, english.json()["modalities"]) == (201, ["text", "audio", "video"])


def test_a_job_offering_voice_still_invites_in_chinese_without_a_recogniser_with_text_only(
    setup: InterviewSetup, api_as: Any,
) -> None:
    """The job's default is trimmed to what the language allows; only an explicit request is refused."""
    from talentloop.org.models import Job

    Job.objects.filter(pk=setup.job.pk).update(interview_modalities=["text", "audio", "video"])
    client: APIClient = api_as(setup.hr)
    with override_settings(TALENTLOOP_ASR_ZH=""):
        response = client.post(f"/api/v1/applications/{setup.application.pk}/interviews/",
                               {"language": "zh-hans"}, format="json")
    assert (response.status_code, response.json()["modalities"]) == (201, ["text"])
