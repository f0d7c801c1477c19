"""The HR report of an interview answered by voice and on video: which signals counted in the scores, what the
candidate agreed to and when, each recorded answer's status, escaped transcript with the recogniser's name, the
player, the delivery metrics with typical ranges, the flags as sentences and the timeline chart; a deleted
recording says so; a failed recording shows why; a provider's report names its source. The transcript
correction form calls the media service (permissions included)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from talentloop.interviews.models import InterviewAnswer, InterviewProvider, InterviewReport

from ._delivery_support import CONSENT_AT, EN_BACKEND, EN_TRANSCRIPT, VIDEO_CONSENT_AT, make_recorded_interview
from ._reports_support import EN_STRONG, Interview, browser, make_application, make_interview, make_job

pytestmark = pytest.mark.django_db

FORBIDDEN = ("emotion", "nervous", "confident", "personality", "mood", "anxious", "honest")


def _page(org: dict[str, Any], interview: Interview, user: str = "hr") -> str:
    response = browser(org["users"][user]).get(reverse("interviews:report", args=[interview.session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _answer(html: str, position: int) -> str:
    start = html.index(f'id="answer-{position}"')
    end = html.find('<article class="report-answer"', start + 1)
    return html[start:end if end != -1 else len(html)]


def _rows(html: str) -> list[tuple[str, str, str, str]]:
    """(metric, value, typical range, explanation) of each row of the delivery table."""
    found = re.findall(r'<tr data-metric="([a-z_]+)"><th scope="row">[^<]*</th><td>(.*?)</td><td>(.*?)</td>'
                       r'<td class="muted">(.*?)</td></tr>', html)
    return [(key, re.sub(r"<[^>]+>", "", value), typical, explanation) for key, value, typical, explanation in found]


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_the_report_shows_a_voice_answer_and_a_video_answer(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    html = _page(org, interview)
    assert re.search(r'<p data-testid="scoring-line">(.*?)</p>', html).group(1) == (  # type: ignore[union-attr]
        "Delivery signals are shown but do not count in scores: every score comes from the content of the answers "
        "(typed, or the transcript of a recording)."
    )
    assert re.findall(r'<li data-modality="(\w+)">(.*?)</li>', html) == [
        ("text", f"Text: the candidate agreed to its analysis on {_when(CONSENT_AT)}."),
        ("audio", f"Voice: the candidate agreed to its analysis on {_when(CONSENT_AT)}."),
        ("video", f"Video: the candidate agreed to its analysis on {_when(VIDEO_CONSENT_AT)}."),
    ]

    voice = _answer(html, 1)
    assert '<span class="badge badge-grey" data-testid="answer-modality">Voice</span>' in voice
    assert 'data-testid="answer-status" data-status="scored">Scored</span>' in voice
    assert '<span class="muted">42 s recording · webm/opus</span>' in voice
    assert (f'<audio class="recorded-player" controls preload="none" '
            f'src="/api/v1/interviews/{interview.session.pk}/answers/1/media/" data-testid="answer-player">') in voice
    assert f'<div class="answer-text" data-testid="transcript">{EN_STRONG}</div>' in voice
    assert f"Transcribed by {EN_BACKEND}." in voice
    assert 'data-testid="transcript-corrected"' not in voice
    assert '<p class="muted" data-testid="delivery-not-counted">' in voice
    assert re.findall(r'<li data-flag="(\w+)"[^>]*>(.*?)</li>', voice) == [
        ("long_pauses", "Long pauses: the longest lasted 4.6 s, and pauses took 41% of the answer."),
        ("many_fillers", "Many filler words: 21.8 a minute (“um”, “uh”)."),
    ]
    assert [row[:3] for row in _rows(voice)] == [
        ("speaking_rate", "128 words a minute", "110–170 words a minute"),
        ("pause_ratio", "41% above the typical range", "0–35%"),
        ("longest_pause_s", "4.6 s above the typical range", "0–3 s"),
        ("pitch_range_st", "8.1 semitones", "4–16 semitones"),
        ("loudness_sd_db", "4.2 dB", "2–10 dB"),
        ("speech_level_dbfs", "-21 dBFS", "-35 to -6 dBFS"),
        ("filler_rate", "21.8 a minute above the typical range", "0–6 a minute"),
    ]
    assert _rows(voice)[0][3] == "How fast the candidate spoke while speaking (pauses left out)."

    video = _answer(html, 2)
    assert '<span class="badge badge-grey" data-testid="answer-modality">Video</span>' in video
    assert (f'<video class="recorded-player" controls preload="none" '
            f'src="/api/v1/interviews/{interview.session.pk}/answers/2/media/" data-testid="answer-player">') in video
    assert re.findall(r'<li data-flag="(\w+)"( class="delivery-check")?>(.*?)</li>', video) == [
        ("fast_speech", "", "Spoke faster than is typical: 192 words a minute (typical 110–170 words a minute)."),
        ("multiple_faces", ' class="delivery-check"',
         "Several faces were in view for 4 s (10–14 s): check the recording."),
        ("looking_away", "", "The face was turned toward the camera in 55% of the frames (typical 60–100%)."),
    ]
    assert [row[:3] for row in _rows(video)][-3:] == [
        ("face_present_ratio", "90%", "90–100%"),
        ("looking_at_camera_ratio", "55% below the typical range", "60–100%"),
        ("head_movement", "0.04 face widths a second", "0–0.3 face widths a second"),
    ]
    lowered = html.lower()
    assert [word for word in FORBIDDEN if word in lowered] == []


def test_the_transcript_is_escaped_everywhere(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    video = _answer(_page(org, interview), 2)
    escaped = "When a customer complained I said &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; sorry &amp; " \
              "wrote it down."
    assert f'<div class="answer-text" data-testid="transcript">{escaped}</div>' in video
    assert f">{escaped}</textarea>" in video
    assert "<script>alert" not in video
    assert EN_TRANSCRIPT not in video


def test_the_timeline_chart_is_well_formed_svg_with_a_title_and_description(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    html = _page(org, interview)
    charts = re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="delivery-timeline".*?</svg>', html, re.S)
    assert len(charts) == 2
    svg = "{http://www.w3.org/2000/svg}"
    voice, video = (ET.fromstring(chart) for chart in charts)
    assert [voice.findtext(f"{svg}title"), voice.findtext(f"{svg}desc")] == [
        "Delivery over time: speech, loudness and presence on camera, second by second",
        "Answer of 42 s. Speech during 24.8 s.",
    ]
    assert video.findtext(f"{svg}desc") == (
        "Answer of 20 s. Speech during 17.5 s. A face was in view in 90% of the frames. "
        "No face in view: 16–18 s. Several faces in view: 10–14 s."
    )
    assert voice.get("aria-labelledby") == "timeline-1-title timeline-1-desc"
    assert [r.get("data-kind") for r in video.iter(f"{svg}rect") if r.get("class") == "timeline-moment"] == [
        "multiple_faces", "no_face",
    ]
    assert "<script" not in "".join(charts)


def test_delivery_counted_in_scores_when_the_job_says_so_and_the_candidate_agreed(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org, delivery_in_score=True, used_in_score=True)
    html = _page(org, interview)
    assert re.search(r'<p data-testid="scoring-line">(.*?)</p>', html).group(1) == (  # type: ignore[union-attr]
        "Delivery signals count in scores: 20% of each recorded answer&#x27;s score (voice, video answers; the rest "
        "from the transcript&#x27;s content). Typed answers are scored on their content only."
    )
    assert re.findall(r'<p data-testid="delivery-counted">(.*?)</p>', html) == [
        "Counted in this answer's score: delivery score 62, weighted 20%.",
        "Counted in this answer's score: delivery score 70, weighted 20%.",
    ]


def test_delivery_does_not_count_when_the_candidate_did_not_agree(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org, delivery_in_score=True, agreed=("audio",), used_in_score=True)
    html = _page(org, interview)
    assert re.search(r'<p data-testid="scoring-line">(.*?)</p>', html).group(1) == (  # type: ignore[union-attr]
        "Delivery signals count in scores: 20% of each recorded answer&#x27;s score (voice answers; the rest from "
        "the transcript&#x27;s content). Typed answers are scored on their content only."
    )
    assert re.findall(r'<li data-modality="(\w+)">(.*?)</li>', html)[2] == (
        "video", "Video: offered; the candidate did not agree to its analysis.",
    )
    assert len(re.findall(r'data-testid="delivery-counted"', html)) == 1


def test_nothing_counts_when_the_candidate_agreed_to_neither_voice_nor_video(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org, delivery_in_score=True, agreed=(), used_in_score=True)
    html = _page(org, interview)
    assert re.search(r'<p data-testid="scoring-line">(.*?)</p>', html).group(1) == (  # type: ignore[union-attr]
        "Delivery signals count in scores for this job, but the candidate did not agree to voice or video analysis, "
        "so every score comes from the content of the answers."
    )


def test_a_deleted_recording_keeps_its_transcript_and_says_so(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    InterviewAnswer.objects.filter(session_question=interview.questions[0]).update(
        media="", media_deleted_at=timezone.now(),
    )
    voice = _answer(_page(org, interview), 1)
    assert '<p class="muted" data-testid="recording-deleted">Recording deleted after 90 days; transcript and scores ' \
           "kept.</p>" in voice
    assert "<audio" not in voice
    assert f'<div class="answer-text" data-testid="transcript">{EN_STRONG}</div>' in voice


def test_a_failed_recording_shows_its_status_and_why(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    InterviewAnswer.objects.filter(session_question=interview.questions[0]).update(
        status="unreadable", status_detail="Recording unreadable: the file ends in the middle of a frame.",
        transcript="", text="", score=None, delivery={}, flags=["unanswered"],
    )
    voice = _answer(_page(org, interview), 1)
    assert 'data-testid="answer-status" data-status="unreadable">Recording unreadable</span>' in voice
    assert ('<p class="recorded-detail" data-testid="status-detail">Recording unreadable: the file ends in the '
            "middle of a frame.</p>") in voice
    assert 'data-testid="delivery"' not in voice


def test_a_corrected_transcript_is_marked(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    hr = org["users"]["hr"]
    at = timezone.now()
    InterviewAnswer.objects.filter(session_question=interview.questions[0]).update(
        transcript_original="last quarter I report it to my manager", transcript_corrected_by=hr,
        transcript_corrected_at=at,
    )
    source = re.search(r'<p class="muted" data-testid="transcript-source">(.*?)</p>',  # type: ignore[union-attr]
                       _answer(_page(org, interview), 1)).group(1)
    assert source == (f'Transcribed by {EN_BACKEND}. <span class="badge badge-amber" '
                      f'data-testid="transcript-corrected">Corrected by HR</span> {hr}, {_when(at)}')


def test_a_typed_interview_has_no_delivery_header(org: dict[str, Any]) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])))
    html = _page(org, interview)
    assert 'data-testid="signals"' not in html
    assert 'data-testid="recorded-answer"' not in html


def test_a_provider_report_names_its_source_and_unmapped_dimensions(org: dict[str, Any]) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])), language="en")
    provider = InterviewProvider.objects.create(slug="acme", name="Acme <Interviews>", secret="s" * 32)
    InterviewReport.objects.filter(session=interview.session).update(
        source="provider", provider=provider, provider_summary="Clear & structured answers.",
        provider_dimensions=[
            {"name": "Communication", "score": 8, "max": 10, "max_source": "payload", "normalised": 80.0,
             "competency": "communication", "scored": True},
            {"name": "Charisma", "score": 7.5, "max": 10, "max_source": "payload", "normalised": 75.0,
             "competency": None, "scored": False},
            {"name": "Coding", "score": 90, "max": 100, "max_source": "default", "normalised": 90.0,
             "competency": "programming", "scored": False},
        ],
    )
    interview.session.provider = provider
    interview.session.save(update_fields=["provider"])
    html = _page(org, interview)
    section = html[html.index('data-testid="report-source"'):]
    section = section[: section.index("</section>")]
    assert "Scored by Acme &lt;Interviews&gt;" in section
    assert '<div class="answer-text" data-testid="vendor-summary">Clear &amp; structured answers.</div>' in section
    assert re.findall(r'<tr data-scored="(\d)"><th scope="row">(.*?)</th>', section) == [
        ("1", "Communication"), ("0", "Charisma"), ("0", "Coding"),
    ]


# --- correcting a transcript ---------------------------------------------------------------------------------


def _correct(org: dict[str, Any], interview: Interview, user: str, transcript: str, position: int = 1) -> Any:
    url = reverse("interviews:report_transcript", args=[interview.session.pk, position])
    return browser(org["users"][user]).post(url, {"transcript": transcript}, follow=True)


def test_hr_corrects_a_transcript_and_the_answer_is_scored_again(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    corrected = "Last quarter I reported to my manager and led with the conclusion: most clients were live."
    response = _correct(org, interview, "hr", corrected)
    assert response.redirect_chain == [(f"/interviews/{interview.session.pk}/report/#answer-1", 302)]
    answer = InterviewAnswer.objects.get(session_question=interview.questions[0])
    assert (answer.transcript, answer.text, answer.transcript_original) == (corrected, corrected, EN_STRONG)
    assert answer.transcript_corrected_by == org["users"]["hr"]
    assert answer.score is not None
    html = response.content.decode()
    assert "The transcript of answer 1 is corrected and the answer scored again." in html
    assert 'data-testid="transcript-corrected"' in _answer(html, 1)


def test_a_hiring_manager_in_reach_may_correct_too(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    assert 'data-testid="transcript-form"' in _answer(_page(org, interview, "manager"), 1)
    _correct(org, interview, "manager", "A corrected transcript.")
    assert InterviewAnswer.objects.get(session_question=interview.questions[0]).transcript == "A corrected transcript."


def test_an_empty_correction_is_refused_with_a_message(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    response = _correct(org, interview, "hr", "   ")
    assert "Question 1: Write the corrected transcript." in response.content.decode()
    assert InterviewAnswer.objects.get(session_question=interview.questions[0]).transcript == EN_STRONG


def test_a_typed_answer_has_no_transcript_to_correct(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    InterviewAnswer.objects.filter(session_question=interview.questions[0]).update(modality="text")
    response = _correct(org, interview, "hr", "Something else.")
    assert ("Question 1: Question 1 was not answered by voice or video, so there is no transcript to correct."
            in response.content.decode())


@pytest.mark.parametrize("user", ["employee", "outsider"])
def test_people_without_access_to_the_interview_cannot_correct(org: dict[str, Any], user: str) -> None:
    interview = make_recorded_interview(org)
    url = reverse("interviews:report_transcript", args=[interview.session.pk, 1])
    response = browser(org["users"][user]).post(url, {"transcript": "Hacked."})
    assert response.status_code == 403
    assert InterviewAnswer.objects.get(session_question=interview.questions[0]).transcript == EN_STRONG


def test_the_correction_takes_post_only(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    url = reverse("interviews:report_transcript", args=[interview.session.pk, 1])
    assert browser(org["users"]["hr"]).get(url).status_code == 405
