"""Releasing the candidate's feedback: what it says (strengths with the candidate's own words, suggestions from the
missed key points, generic advice when there are none; never a score), in the interview's language, the email
with the link, idempotence, and who may release."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict, PermissionDenied
from talentloop.core.models import AuditEntry
from talentloop.interviews.models import InterviewReport
from talentloop.interviews.services.feedback import feedback_release
from talentloop.interviews.tests._reports_support import (
    EN_STRONG_EVIDENCE,
    EN_WEAK_EVIDENCE,
    ZH_STRONG_EVIDENCE,
    Interview,
    make_application,
    make_interview,
    make_job,
)

pytestmark = pytest.mark.django_db


def english(org: dict[str, Any]) -> Interview:
    job = make_job(org["departments"]["sales"], title="Account manager")
    return make_interview(make_application(job, name="Emily Chen", email="emily@example.com", language="en"),
                          language="en")


def release(org: dict[str, Any], interview: Interview, capture: Any, role: str = "hr") -> InterviewReport:
    with capture(execute=True):
        return feedback_release(actor=org["users"][role], session_id=interview.session.pk)


@override_settings(TALENTLOOP_SITE_URL="https://jobs.example.com")
def test_english_feedback_and_email(org: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    interview = english(org)
    report = release(org, interview, django_capture_on_commit_callbacks)
    assert interview.questions[1].text.startswith("Tell me about a time when you took the initiative to find out")
    quoted = "“Tell me about a time when you took the initiative to find…”"
    assert report.feedback == {
        "language": "en",
        "strengths": [
            f"You showed strength in Communication, for example when you said: “{EN_STRONG_EVIDENCE}”",
            f"A good moment in your answers about Customer Orientation: “{EN_WEAK_EVIDENCE}”",
        ],
        "suggestions": [
            f"When you answer a question like {quoted}, a strong answer also covers this point: Separates the request "
            "from the underlying need.",
            f"When you answer a question like {quoted}, a strong answer also covers this point: Adjusts the work and "
            "gets a good result.",
        ],
    }
    assert report.feedback_released_by == org["users"]["hr"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["emily@example.com"]
    assert message.subject == "TalentLoop: feedback on your interview for Account manager"
    link = f"https://jobs.example.com/interview/{interview.session.token}/feedback/"
    assert f"\n\n{link}\n\n" in message.body
    assert message.body.startswith("Dear Emily Chen,\n\nThank you for taking the interview for Account manager.")
    entry = AuditEntry.objects.get(object_type="interviews.interviewreport", field="feedback_released_at")
    assert entry.actor == org["users"]["hr"]


def test_the_feedback_holds_no_score_and_no_hr_note(org: dict[str, Any], django_capture_on_commit_callbacks: Any
                                                    ) -> None:
    interview = english(org)
    InterviewReport.objects.filter(session=interview.session).update(decision_comment="Too junior, 42 points off")
    report = release(org, interview, django_capture_on_commit_callbacks)
    text = " ".join([*report.feedback["strengths"], *report.feedback["suggestions"]])
    assert re.search(r"\d", text) is None
    assert "junior" not in text
    assert set(report.feedback) == {"language", "strengths", "suggestions"}


def test_chinese_feedback_is_written_in_the_interviews_language(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])))
    report = release(org, interview, django_capture_on_commit_callbacks)  # the releasing request is in English
    feedback = report.feedback
    assert feedback["language"] == "zh-hans"
    with translation.override("zh-hans"):
        expected_strength = _("You showed strength in %(name)s, for example when you said: %(quote)s") % {
            "name": "沟通能力", "quote": f"“{ZH_STRONG_EVIDENCE}”",
        }
        expected_subject = _("%(company)s: feedback on your interview for %(title)s") % {
            "company": "TalentLoop", "title": "客户经理",
        }
    assert feedback["strengths"][0] == expected_strength
    assert len(feedback["suggestions"]) == 2
    assert "区分表面要求和真实需求" in feedback["suggestions"][0]
    assert "据此调整工作并得到认可" in feedback["suggestions"][1]
    assert mail.outbox[0].subject == expected_subject
    assert mail.outbox[0].to == ["zhang@example.com"]


def test_without_missed_key_points_the_advice_follows_the_weakest_subscores(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    interview = english(org)
    report_row = InterviewReport.objects.get(session=interview.session)
    report_row.weaknesses = [{**report_row.weaknesses[0], "missing_key_points": []}]
    report_row.save(update_fields=["weaknesses"])
    report = release(org, interview, django_capture_on_commit_callbacks)
    assert report.feedback["suggestions"] == [
        "Make your answers concrete: give numbers, dates and a real example.",
        "Answer each part of the question in turn, so that no part of it is left out.",
    ]


def test_releasing_twice_keeps_the_first_text_and_sends_one_email(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    interview = english(org)
    first = release(org, interview, django_capture_on_commit_callbacks)
    InterviewReport.objects.filter(pk=first.pk).update(strengths=[])
    second = release(org, interview, django_capture_on_commit_callbacks, role="recruiter")
    assert (second.feedback, second.feedback_released_at, second.feedback_released_by) == (
        first.feedback, first.feedback_released_at, org["users"]["hr"]
    )
    assert len(mail.outbox) == 1


def test_no_release_before_the_report_is_ready(org: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])), ready=False)
    with pytest.raises(Conflict, match="The report is not ready yet"):
        release(org, interview, django_capture_on_commit_callbacks)
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["manager", "employee", "candidate"])
def test_only_hr_and_recruiters_release(org: dict[str, Any], django_capture_on_commit_callbacks: Any, role: str
                                        ) -> None:
    interview = english(org)
    with pytest.raises(PermissionDenied):
        release(org, interview, django_capture_on_commit_callbacks, role=role)
    assert InterviewReport.objects.get(session=interview.session).feedback_released_at is None


def test_a_candidate_without_email_gets_the_feedback_without_a_message(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"]), email=""))
    report = release(org, interview, django_capture_on_commit_callbacks)
    assert report.feedback_released_at is not None
    assert mail.outbox == []
