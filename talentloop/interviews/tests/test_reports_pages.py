"""The HR report page: scores, radar, evidence, escaped answers, the forms (rating, decision, release, resolving
review requests), the "being prepared" state, the review-request list, the employee profile's summary and the
page's query budget."""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentloop.core.testing.factories import EmployeeFactory
from talentloop.interviews.models import HumanReviewRequest, InterviewAnswer, InterviewReport
from talentloop.interviews.tests._reports_support import (
    OVERALL,
    ZH_STRONG_EVIDENCE,
    Interview,
    browser,
    make_application,
    make_interview,
    make_job,
)
from talentloop.org.models import Employee
from talentloop.recruiting.services.hire import recruiting_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(org: dict[str, Any]) -> Interview:
    return make_interview(make_application(make_job(org["departments"]["sales"])))


def page(org: dict[str, Any], interview: Interview, role: str = "hr", language: str = "en") -> str:
    response = browser(org["users"][role], language).get(f"/interviews/{interview.session.pk}/report/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_page_shows_scores_radar_and_evidence(org: dict[str, Any], interview: Interview) -> None:
    html = page(org, interview)
    assert f'<span class="stat-value" data-testid="overall-score">{OVERALL}</span>' in html
    assert '<span class="stat-value" data-testid="fit-label">Suits a mid-level position</span>' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="radar"' in html
    assert f'aria-labelledby="radar-{interview.session.pk}-title radar-{interview.session.pk}-desc"' in html
    assert "Communication 88.5 (required 70); Customer Orientation 57.5 (required 70)" in html
    table = re.search(r'<table class="table" data-testid="competency-table">.*?</table>', html, re.S)
    assert table is not None
    assert re.findall(r"<th scope=\"row\">([^<]+)</th><td>([^<]+)</td><td>([^<]+)</td>", table.group(0)) == [
        ("Communication", "88.5", "70"), ("Customer Orientation", "57.5", "70"),
    ]
    assert f"Strong in Communication (88.5, required 70): “{ZH_STRONG_EVIDENCE}” (answer 1)." in html
    assert "the answers did not cover “区分表面要求和真实需求” and “据此调整工作并得到认可”." in html
    assert "talentloop-interview-fusion 1.0" in html
    assert "none (the scorer's own scale)" in html
    assert 'data-testid="release-feedback"' in html
    assert f'href="/interviews/{interview.session.pk}/report.pdf"' in html
    assert f'href="/recruiting/applications/{interview.application.pk}/"' in html


def test_answers_are_shown_escaped_with_their_flags(org: dict[str, Any], interview: Interview) -> None:
    html = page(org, interview)
    assert "<script>alert" not in html
    assert ("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 客户投诉时我会先道歉 &amp; 记录问题。"
            in html)
    assert '<span class="badge badge-amber" data-flag="late">Late</span>' in html
    assert "<li>Key points <strong>66.7</strong></li>" in html
    assert "Missing key points: 区分表面要求和真实需求; 据此调整工作并得到认可" in html
    assert html.count('name="rating" min="0" max="100"') == 3  # two answers and the overall rating


def test_an_unanswered_question_is_flagged_and_cannot_be_rated(org: dict[str, Any]) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])), third_unanswered=True)
    html = page(org, interview)
    assert '<span class="badge badge-red" data-flag="unanswered">Not answered</span>' in html
    assert f'action="/interviews/{interview.session.pk}/report/answers/3/rating/"' not in html
    assert f'action="/interviews/{interview.session.pk}/report/answers/2/rating/"' in html


def test_the_chinese_page_names_competencies_in_chinese(org: dict[str, Any], interview: Interview) -> None:
    html = page(org, interview, language="zh-hans")
    assert '<th scope="row">沟通能力</th>' in html
    assert '<th scope="row">客户导向</th>' in html
    assert "中级" in html


def test_while_scoring_the_page_says_so_and_refreshes(org: dict[str, Any]) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])), ready=False)
    html = page(org, interview)
    assert '<meta http-equiv="refresh" content="5">' in html
    assert 'data-testid="report-pending"' in html
    assert "The report is being prepared" in html
    assert 'data-testid="radar"' not in html
    assert 'data-testid="release-feedback"' not in html
    ready = page(org, make_interview(make_application(interview.job, name="李娜", email="li@example.com")))
    assert 'http-equiv="refresh"' not in ready


def test_a_hiring_manager_sees_the_report_without_the_release_button(
    org: dict[str, Any], interview: Interview
) -> None:
    html = page(org, interview, role="manager")
    assert 'data-testid="overall-score"' in html
    assert 'data-testid="release-feedback"' not in html


def test_rating_deciding_and_releasing_from_the_page(
    org: dict[str, Any], interview: Interview, django_capture_on_commit_callbacks: Any
) -> None:
    client = browser(org["users"]["hr"])
    base = f"/interviews/{interview.session.pk}/report/"
    response = client.post(f"{base}answers/1/rating/", {"rating": "85"})
    assert response.status_code == 302
    assert response["Location"] == f"{base}#answer-1"
    assert InterviewAnswer.objects.get(session_question=interview.questions[0]).hr_rating == 85
    bad = client.post(f"{base}answers/1/rating/", {"rating": "200"}, follow=True)
    assert "Question 1: A rating is a whole number from 0 to 100." in bad.content.decode()
    assert InterviewAnswer.objects.get(session_question=interview.questions[0]).hr_rating == 85

    client.post(f"{base}decision/", {"decision": "hold", "comment": "Ask about <b>clients</b>", "rating": ""})
    report = InterviewReport.objects.get(session=interview.session)
    assert (report.decision, report.decision_comment, report.hr_rating) == ("hold", "Ask about <b>clients</b>", None)

    with django_capture_on_commit_callbacks(execute=True):
        released = client.post(f"{base}release-feedback/", follow=True)
    html = released.content.decode()
    assert "Feedback released on" in html
    assert 'data-testid="feedback-released"' in html
    assert 'data-testid="release-feedback"' not in html
    assert "Ask about &lt;b&gt;clients&lt;/b&gt;" in html
    assert f'<li>{InterviewReport.objects.get(session=interview.session).feedback["suggestions"][0]}</li>' in html


def test_review_requests_are_shown_and_resolved(org: dict[str, Any], interview: Interview) -> None:
    request = HumanReviewRequest.objects.create(session=interview.session, kind="of_result", reason="<i>Unfair</i>")
    client = browser(org["users"]["recruiter"])
    html = page(org, interview, role="recruiter")
    assert 'data-testid="review-requests"' in html
    assert "&lt;i&gt;Unfair&lt;/i&gt;" in html
    listing = client.get("/interviews/review-requests/").content.decode()
    assert f'href="/interviews/{interview.session.pk}/report/"' in listing
    assert "A human review of the result" in listing
    empty = client.post(f"/interviews/review-requests/{request.pk}/resolve/", {"resolution": " "}, follow=True)
    assert "Say what was done about the request." in empty.content.decode()
    done = client.post(
        f"/interviews/review-requests/{request.pk}/resolve/",
        {"resolution": "Called the candidate", "next": f"/interviews/{interview.session.pk}/report/"},
    )
    assert done["Location"] == f"/interviews/{interview.session.pk}/report/"
    request.refresh_from_db()
    assert (request.status, request.resolution, request.resolved_by) == (
        "resolved", "Called the candidate", org["users"]["recruiter"]
    )
    assert "No requests." in client.get("/interviews/review-requests/").content.decode()
    resolved = client.get("/interviews/review-requests/", {"status": "resolved"}).content.decode()
    assert "Called the candidate" in resolved
    again = client.post(f"/interviews/review-requests/{request.pk}/resolve/", {"resolution": "Again"}, follow=True)
    assert "This review request was already resolved." in again.content.decode()


def test_the_profile_of_a_hire_lists_the_interview_reports(org: dict[str, Any], interview: Interview) -> None:
    application = interview.application
    application.employee = cast(Employee, EmployeeFactory(department=org["departments"]["sales"]))
    application.save(update_fields=["employee"])
    record = recruiting_record(application=application)
    assert record["interview_reports"] == [{
        "id": interview.session.pk, "round": 1, "status": "ready", "overall_score": OVERALL,
        "fit": {"level": "mid", "label": "Suits a mid-level position"}, "decision": "",
        "url": f"/interviews/{interview.session.pk}/report/",
    }]


def test_the_report_page_runs_a_fixed_number_of_queries(org: dict[str, Any]) -> None:
    job = make_job(org["departments"]["sales"])
    small = make_interview(make_application(job))
    large = make_interview(make_application(job, name="李娜", email="li@example.com"), third_unanswered=True)
    client = browser(org["users"]["hr"])

    def measure(interview: Interview) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/interviews/{interview.session.pk}/report/").status_code == 200
        return len(ctx.captured_queries)

    # the login's session and user; the interview with its application, job, level and report; its questions
    # with their answers; the review requests; the position levels
    assert measure(small) == measure(large) == 7
