"""A real interview through the sessions services and the scoring engine (strong answers to some questions, weak
ones to the others), then everything the reports side does with what they stored: the report document, the
page, the PDF, the released feedback and a calibration from HR's ratings."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfReader

from talentloop.interviews.models import InterviewReport, SessionQuestion
from talentloop.interviews.pdf import report_pdf
from talentloop.interviews.selectors.reports import report_for_hr
from talentloop.interviews.services.feedback import feedback_release
from talentloop.interviews.services.review import answer_rate
from talentloop.interviews.tests._reports_support import browser
from talentloop.interviews.tests._support import InterviewSetup, strong_text, submit_answers, weak_text

pytestmark = pytest.mark.django_db


def answer(question: SessionQuestion) -> str:
    return strong_text(question) if question.competency.code in ("communication", "teamwork") else weak_text(question)


@pytest.fixture
def finished(setup: InterviewSetup, django_capture_on_commit_callbacks: Any) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        session = setup.session()
    with django_capture_on_commit_callbacks(execute=True):
        submit_answers(session, answer)
    return session


def test_the_report_of_a_real_interview(setup: InterviewSetup, finished: Any) -> None:
    stored = InterviewReport.objects.get(session=finished)
    assert stored.status == "ready"
    with translation.override("en"):
        doc = report_for_hr(actor=setup.hr, session_id=finished.pk)
    assert doc["status"] == "ready"
    assert doc["overall_score"] == stored.overall_score
    assert [c["code"] for c in doc["competencies"]] == [
        "communication", "customer_orientation", "teamwork", "problem_solving"
    ]
    assert [c["name"] for c in doc["competencies"]] == [
        "Communication", "Customer Orientation", "Teamwork", "Problem Solving"
    ]
    assert len(doc["answers"]) == 8
    assert all(a["status"] == "scored" and a["score"] is not None for a in doc["answers"])
    weak = {w["code"] for w in doc["weaknesses"]}
    assert {"customer_orientation", "problem_solving"} <= weak
    for item in doc["weaknesses"]:
        assert item["explanation"].startswith(f"Below the requirement in {item['name']} (")
    for item in doc["strengths"]:
        assert item["explanation"].startswith(f"Strong in {item['name']} (")
        assert "(answer " in item["explanation"]
    assert doc["fit"]["label"] is not None

    html = browser(setup.hr).get(f"/interviews/{finished.pk}/report/").content.decode()
    assert 'data-testid="radar"' in html
    assert html.count('data-testid="answer"') == 8

    with translation.override("zh-hans"):
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(
            report_for_hr(actor=setup.hr, session_id=finished.pk)))).pages)
    assert "沟通能力" in re.sub(r"\s+", "", text)


def test_feedback_and_calibration_from_a_real_interview(
    setup: InterviewSetup, finished: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = feedback_release(actor=setup.hr, session_id=finished.pk)
    feedback = report.feedback
    assert feedback["language"] == "en"
    assert 2 <= len(feedback["suggestions"]) <= 4
    assert 1 <= len(feedback["strengths"]) <= 3
    numbers = {f"{value:g}" for value in [report.overall_score or 0, *[c["score"] for c in report.competencies]]}
    text = " ".join([*feedback["strengths"], *feedback["suggestions"]])
    assert [n for n in numbers if re.search(rf"(?<![\d.]){re.escape(n)}(?![\d.])", text)] == []
    rated = answer_rate(actor=setup.recruiter, session_id=finished.pk, position=1, rating=90)
    assert rated.hr_rating == 90
