"""The invitation form offers answer modes: the job's by default, text always; voice and video are disabled, with
the reason, when no speech recogniser is configured for the interview's language, and a crafted request for them
is refused with the service's message. English uses the real pocketsphinx recogniser (the default setting)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from talentloop.interviews.models import InterviewSession
from talentloop.org.models import Job

from ._support import InterviewSetup, browser

pytestmark = pytest.mark.django_db


def _url(setup: InterviewSetup) -> str:
    return reverse("interviews:invite", args=[setup.application.pk])


def _checkboxes(html: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="modalities" value="\w+"[^>]*>', html)


def _post(client: Client, setup: InterviewSetup, **extra: Any) -> Any:
    data = {"language": "en", "mode": "auto", "expires_in_days": "7", **extra}
    return client.post(_url(setup), data)


def test_the_jobs_modes_are_ticked_and_text_is_always_on(setup: InterviewSetup) -> None:
    Job.objects.filter(pk=setup.job.pk).update(interview_modalities=["text", "audio"])
    html = browser(setup.hr).get(_url(setup) + "?language=en").content.decode()
    assert _checkboxes(html) == [
        '<input type="checkbox" name="modalities" value="text" id="id_modalities_0" checked disabled>',
        '<input type="checkbox" name="modalities" value="audio" id="id_modalities_1" checked>',
        '<input type="checkbox" name="modalities" value="video" id="id_modalities_2">',
    ]
    assert 'data-testid="voice-unavailable"' not in html


def test_the_modes_chosen_are_offered_in_the_interview(setup: InterviewSetup) -> None:
    client = browser(setup.hr)
    response = _post(client, setup, modalities=["video", "audio"])
    assert response.status_code == 302, response.content.decode()[:3000]
    session = InterviewSession.objects.get(application=setup.application)
    assert session.modalities == ["text", "audio", "video"]
    page = client.get(response["Location"]).content.decode()
    assert '<p data-testid="invite-modalities">Answer modes offered: Text, Voice, Video</p>' in page


def test_nothing_ticked_offers_text_only(setup: InterviewSetup) -> None:
    Job.objects.filter(pk=setup.job.pk).update(interview_modalities=["text", "audio", "video"])
    response = _post(browser(setup.hr), setup)
    assert response.status_code == 302
    assert InterviewSession.objects.get(application=setup.application).modalities == ["text"]


@override_settings(TALENTLOOP_ASR_EN="")
def test_without_a_recogniser_voice_and_video_are_disabled_and_refused(setup: InterviewSetup) -> None:
    Job.objects.filter(pk=setup.job.pk).update(interview_modalities=["text", "audio", "video"])
    client = browser(setup.hr)
    html = client.get(_url(setup) + "?language=en").content.decode()
    assert _checkboxes(html) == [
        '<input type="checkbox" name="modalities" value="text" id="id_modalities_0" checked disabled>',
        '<input type="checkbox" name="modalities" value="audio" id="id_modalities_1" disabled>',
        '<input type="checkbox" name="modalities" value="video" id="id_modalities_2" disabled>',
    ]
    assert ('<p class="help" data-testid="voice-unavailable">Voice and video answers are not available for '
            "interviews in English: no speech recogniser is set up for this language (your administrator can set "
            "one up). Candidates answer by typing.</p>") in html

    # A crafted request for a disabled mode: the service refuses it, naming the setting; nothing is created.
    response = _post(client, setup, modalities=["audio"])
    assert response.status_code == 400
    assert ("Voice and video answers need a speech recogniser for English, and none is configured (setting "
            "TALENTLOOP_ASR_EN).") in response.content.decode()
    assert not InterviewSession.objects.filter(application=setup.application).exists()

    # Typed answers only still works.
    assert _post(client, setup).status_code == 302
    assert InterviewSession.objects.get(application=setup.application).modalities == ["text"]


def test_an_unknown_mode_is_refused_by_the_form(setup: InterviewSetup) -> None:
    response = _post(browser(setup.hr), setup, modalities=["audio", "hologram"])
    assert response.status_code == 400
    assert "Select a valid choice. hologram is not one of the available choices." in response.content.decode()
    assert not InterviewSession.objects.filter(application=setup.application).exists()
