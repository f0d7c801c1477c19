"""Read in Chinese, the pages with voice and video answers show no English UI text: the HR report (delivery
section, chart, consent lines, transcript form), the candidate's feedback with delivery tips, the invitation
form (voice and video unavailable without a Chinese speech recogniser) and the job's form and page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from talentloop.interviews.services.feedback import feedback_release
from tests.test_i18n import english_leftovers, visible_text

from ._delivery_support import ZH_BACKEND, make_recorded_interview

pytestmark = pytest.mark.django_db

# The data's own words and technical names, the same in both languages: the recogniser, formats, units.
DATA_WORDS = {"vosk", "zh-cn", "webm", "opus", "mp4", "aac", "dBFS", "com", "example",
              "zhang", "talentloop", "talentloop-text-answer", "talentloop-interview-fusion", "PDF", "text",
              "answer", "interview", "fusion", "AI", "audio", "video"}
QUESTION_CODE = re.compile(r"[a-z_]+-(?:zh|en)-\d+")


def _leftovers(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    chunks = [c for c in visible_text(response.content.decode()) if not QUESTION_CODE.fullmatch(c)]
    return english_leftovers(chunks, DATA_WORDS)


def test_hr_pages_with_recorded_answers_in_chinese(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org, language="zh-hans", delivery_in_score=True, used_in_score=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(org["users"]["hr"])
    report = client.get(reverse("interviews:report", args=[interview.session.pk])).content.decode()
    assert f"由 {ZH_BACKEND} 转写。" in report
    assert "有 4 秒画面中出现多张人脸（10–14 秒）：请查看录像。" in report
    urls = [
        reverse("interviews:report", args=[interview.session.pk]),
        reverse("interviews:invite", args=[interview.application.pk]) + "?language=zh-hans",
        reverse("org:job_detail", args=[interview.job.pk]),
        reverse("org:job_edit", args=[interview.job.pk]),
    ]
    assert {url: _leftovers(client, url) for url in urls} == {url: [] for url in urls}


def test_the_candidates_feedback_with_delivery_tips_in_chinese(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org, language="zh-hans")
    feedback_release(actor=org["users"]["hr"], session_id=interview.session.pk)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the interview's language wins over the browser's
    url = reverse("interview:feedback", args=[interview.session.token])
    html = client.get(url).content.decode()
    assert "<h2>你在录制回答中的表达</h2>" in html
    assert _leftovers(client, url) == []
