"""Delivery tips in the candidate's feedback: written at release, in the interview's language, from the flags of
recorded answers whose analysis the candidate agreed to (voice, video) — never from a flag for HR to check
(several faces in view), never with a score or an HR note."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from talentloop.interviews.models import InterviewReport
from talentloop.interviews.services.feedback import feedback_release

from ._delivery_support import make_recorded_interview

pytestmark = pytest.mark.django_db

LONG_PAUSES = ("You paused often between ideas; try outlining your answer in two or three points before you start "
               "speaking.")
FAST = ("You spoke quickly; slow down a little and leave a short pause after each main point so the listener can "
        "follow.")
FILLERS = ("You used filler words such as “um” and “uh” often; when you need a moment to think, a short silent "
           "pause works better.")
LOOKING_AWAY = "You often looked away from the camera; place it at eye level and look at it while you speak."


def _release(org: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    interview = make_recorded_interview(org, **kwargs)
    feedback_release(actor=org["users"]["hr"], session_id=interview.session.pk)
    return dict(InterviewReport.objects.get(session=interview.session).feedback)


def test_tips_come_from_the_flags_of_answers_the_candidate_agreed_to_have_analysed(org: dict[str, Any]) -> None:
    feedback = _release(org)
    # Voice answer: long pauses, many fillers; video answer: fast speech, several faces (no tip), looking away.
    assert feedback["delivery_tips"] == [LONG_PAUSES, FAST, FILLERS, LOOKING_AWAY]
    text = " ".join(feedback["delivery_tips"])
    assert [word for word in ("face", "score", "61", "70", "emotion", "nervous", "confident") if word in text] == []


def test_no_tips_from_a_modality_the_candidate_did_not_agree_to(org: dict[str, Any]) -> None:
    assert _release(org, agreed=("audio",))["delivery_tips"] == [LONG_PAUSES, FILLERS]


def test_no_tips_without_voice_or_video_consent(org: dict[str, Any]) -> None:
    feedback = _release(org, agreed=())
    assert set(feedback) == {"language", "strengths", "suggestions"}


def test_tips_are_written_in_the_interviews_language(org: dict[str, Any]) -> None:
    feedback = _release(org, language="zh-hans", agreed=("audio",))
    assert feedback["delivery_tips"] == [
        "你在各个想法之间停顿较多；开口之前，试着先把回答梳理成两三个要点。",
        "你经常使用“嗯”“呃”之类的填充词；需要时间思考时，短暂的停顿效果更好。",
    ]


def test_the_candidate_reads_the_tips_on_the_feedback_page(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org, agreed=("audio",))
    feedback_release(actor=org["users"]["hr"], session_id=interview.session.pk)
    html = Client().get(reverse("interview:feedback", args=[interview.session.token])).content.decode()
    section = html[html.index('data-testid="feedback-delivery"'):]
    section = section[:section.index("</section>")]
    assert "<h2>How you spoke in your recordings</h2>" in section
    assert [item for item in (LONG_PAUSES, FILLERS) if f"<li>{item}</li>" in section] == [LONG_PAUSES, FILLERS]
