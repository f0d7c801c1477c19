"""Every interview page, HR's and the candidate's, shows no English UI text when read in Chinese."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from talentloop.interviews.models import InterviewSession
from talentloop.interviews.services.feedback import feedback_release
from tests.test_i18n import english_leftovers, visible_text

from ._support import JOB_DESCRIPTION_ZH, make_application, make_job, make_session, submit_answers

pytestmark = pytest.mark.django_db

# Words of the data the tests create, the engine's names and file formats: the same in both languages.
DATA_WORDS = {"hr", "recruiter", "wang", "example", "com", "li", "PDF", "talentloop", "text", "answer", "fusion",
              "jieba", "Invited", "interview", "round", "AI", "talentloop-text-answer", "talentloop-fusion",
              "JavaScript", "Office", "product", "customer", "type", "team", "size"}

QUESTION_CODE = re.compile(r"[a-z_]+-(?:zh|en)-\d+")


def _chinese(org: dict[str, Any], capture: Any) -> tuple[InterviewSession, InterviewSession]:
    job = make_job(org["departments"]["sales"], title="客户成功经理", description=JOB_DESCRIPTION_ZH)
    hr = org["users"]["hr"]
    done = make_session(make_application(job, name="王芳", email="wang@example.com", language="zh-hans"),
                        actor=hr, language="zh-hans")
    with capture(execute=True):  # scoring and the report build run after commit
        submit_answers(done)
    feedback_release(actor=hr, session_id=done.pk)
    waiting = make_session(make_application(job, name="李雷", email="li@example.com", language="zh-hans"),
                           actor=hr, language="zh-hans")
    return done, waiting


def _leftovers(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    chunks = [c for c in visible_text(response.content.decode()) if not QUESTION_CODE.fullmatch(c)]
    return english_leftovers(chunks, DATA_WORDS)


def test_hr_interview_pages_in_chinese(org: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    done, waiting = _chinese(org, django_capture_on_commit_callbacks)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(org["users"]["hr"])
    urls = [
        reverse("interviews:report", args=[done.pk]),
        reverse("interviews:report", args=[waiting.pk]),
        reverse("interviews:question_list") + "?language=zh-hans",
        reverse("interviews:question_create"),
        reverse("interviews:review_requests"),
        reverse("interviews:invite", args=[waiting.application_id]),
        reverse("recruiting:application_detail", args=[done.application_id]),
    ]
    assert {url: _leftovers(client, url) for url in urls} == {url: [] for url in urls}


def test_candidate_interview_pages_in_chinese(org: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    done, waiting = _chinese(org, django_capture_on_commit_callbacks)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the interview's language wins over the browser's
    before = [reverse("interview:landing", args=[waiting.token])]
    assert {url: _leftovers(client, url) for url in before} == {url: [] for url in before}
    client.post(reverse("interview:consent", args=[waiting.token]), {"action": "accept", "agree": "yes"})
    after = [
        reverse("interview:question", args=[waiting.token, 1]),
        reverse("interview:done", args=[done.token]),
        reverse("interview:feedback", args=[done.token]),
    ]
    assert {url: _leftovers(client, url) for url in after} == {url: [] for url in after}
