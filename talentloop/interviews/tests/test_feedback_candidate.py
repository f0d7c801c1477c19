"""The candidate's side of the feedback: the page and the API through the interview's secret link (404 with a
clear message before the release, readable after the interview link expired, gone 180 days after the release),
and the request for a human review (one open at a time; HR sees it)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from talentloop.core.models import AuditEntry
from talentloop.interviews.models import HumanReviewRequest, InterviewReport
from talentloop.interviews.selectors.reports import report_for_hr
from talentloop.interviews.services.feedback import feedback_release
from talentloop.interviews.tests._reports_support import (
    EN_STRONG_EVIDENCE,
    Interview,
    make_application,
    make_interview,
    make_job,
)

pytestmark = pytest.mark.django_db
SCORES = ("88.5", "57.5", "76.1", "18.5", "12.5", "88", "57", "76")


def english(org: dict[str, Any], **options: Any) -> Interview:
    job = make_job(org["departments"]["sales"], title="Account manager")
    return make_interview(make_application(job, name="Emily Chen", email="emily@example.com", language="en"),
                          language="en", **options)


def released(org: dict[str, Any], **options: Any) -> Interview:
    interview = english(org, **options)
    feedback_release(actor=org["users"]["hr"], session_id=interview.session.pk)
    return interview


def url(interview: Interview) -> str:
    return f"/interview/{interview.session.token}/feedback/"


def visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_shows_strengths_and_suggestions_without_scores(org: dict[str, Any]) -> None:
    interview = released(org)
    response = Client().get(url(interview))
    assert response.status_code == 200
    html = response.content.decode()
    feedback = InterviewReport.objects.get(session=interview.session).feedback
    assert f"<li>You showed strength in Communication, for example when you said: “{EN_STRONG_EVIDENCE}”</li>" in html
    for line in feedback["suggestions"]:
        assert f"<li>{line}</li>" in html
    text = visible_text(html)
    assert [score for score in SCORES if score in text] == []
    assert "Account manager" in text
    assert 'data-testid="ask-review"' in html


def test_the_page_speaks_the_interviews_language(org: dict[str, Any]) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])))
    feedback_release(actor=org["users"]["hr"], session_id=interview.session.pk)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    html = client.get(url(interview)).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "沟通能力" in html


def test_before_the_release_the_page_is_a_404_that_says_so(org: dict[str, Any]) -> None:
    interview = english(org)
    response = Client().get(url(interview))
    assert response.status_code == 404
    message = "Your feedback has not been released yet. You will get an email as soon as it is."
    assert message in response.content.decode()
    # An unknown link has no interview language: the page follows the browser's.
    unknown = Client(HTTP_ACCEPT_LANGUAGE="en").get("/interview/no-such-token/feedback/")
    assert unknown.status_code == 404
    assert "This interview link is not valid." in unknown.content.decode()


def test_the_feedback_outlives_the_interview_link_for_180_days(org: dict[str, Any]) -> None:
    interview = released(org, expires_at=timezone.now() - dt.timedelta(days=30))
    assert Client().get(url(interview)).status_code == 200
    InterviewReport.objects.filter(session=interview.session).update(
        feedback_released_at=timezone.now() - dt.timedelta(days=181)
    )
    response = Client().get(url(interview))
    assert response.status_code == 404
    assert ("This feedback is no longer available: it is kept for 180 days after it is released."
            in response.content.decode())


def test_asking_for_a_human_review_once(org: dict[str, Any]) -> None:
    interview = released(org, expires_at=timezone.now() - dt.timedelta(days=1))
    client = Client()
    empty = client.post(url(interview), {"reason": "  "})
    assert empty.status_code == 400
    assert "Tell us briefly why you would like a person to review the result." in empty.content.decode()
    response = client.post(url(interview), {"reason": "My second answer was cut off <b>early</b>."})
    assert response.status_code == 302
    assert response["Location"] == url(interview)
    request = HumanReviewRequest.objects.get(session=interview.session)
    assert (request.kind, request.status, request.reason) == (
        "of_result", "open", "My second answer was cut off <b>early</b>."
    )
    assert AuditEntry.objects.filter(object_type="interviews.humanreviewrequest", actor=None).count() == 1
    page = client.get(url(interview)).content.decode()
    assert 'data-testid="review-requested"' in page
    assert 'data-testid="ask-review"' not in page
    again = client.post(url(interview), {"reason": "Please"})
    assert again.status_code == 409
    assert ("You have already asked for a human review of this interview. We will get back to you."
            in again.content.decode())
    assert HumanReviewRequest.objects.filter(session=interview.session).count() == 1
    hr_view = report_for_hr(actor=org["users"]["hr"], session_id=interview.session.pk)
    assert [(r["kind"], r["status"], r["reason"]) for r in hr_view["review_requests"]] == [
        ("of_result", "open", "My second answer was cut off <b>early</b>.")
    ]


def test_a_new_request_after_the_first_was_resolved(org: dict[str, Any]) -> None:
    interview = released(org)
    HumanReviewRequest.objects.create(session=interview.session, kind="of_result", reason="First",
                                      status="resolved", resolution="Reviewed by Ms Li", resolved_at=timezone.now())
    client = Client()
    assert "Reviewed by Ms Li" in client.get(url(interview)).content.decode()
    assert client.post(url(interview), {"reason": "Second"}).status_code == 302
    assert HumanReviewRequest.objects.filter(session=interview.session, status="open").count() == 1


def test_no_review_request_before_the_release(org: dict[str, Any]) -> None:
    interview = english(org)
    assert Client().post(url(interview), {"reason": "Why?"}).status_code == 404
    assert HumanReviewRequest.objects.count() == 0


# --- the API --------------------------------------------------------------------------------------------------


def test_the_feedback_api(org: dict[str, Any]) -> None:
    interview = english(org)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    path = f"/api/v1/interview-sessions/{interview.session.token}/feedback/"
    before = api.get(path)
    assert before.status_code == 404
    assert before.json() == {
        "detail": "Your feedback has not been released yet. You will get an email as soon as it is."
    }
    feedback_release(actor=org["users"]["hr"], session_id=interview.session.pk)
    body = api.get(path).json()
    report = InterviewReport.objects.get(session=interview.session)
    assert set(body) == {
        "language", "job", "strengths", "suggestions", "delivery_tips", "released_at", "available_until",
    }
    assert (body["language"], body["job"]) == ("en", "Account manager")
    assert (body["strengths"], body["suggestions"]) == (report.feedback["strengths"], report.feedback["suggestions"])
    assert report.feedback_released_at is not None
    until = timezone.localtime(report.feedback_released_at + dt.timedelta(days=180))
    assert body["available_until"] == until.isoformat()
    assert [score for score in SCORES if score in str(body["strengths"] + body["suggestions"])] == []


def test_the_review_request_api(org: dict[str, Any]) -> None:
    interview = released(org)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    path = f"/api/v1/interview-sessions/{interview.session.token}/review-request/"
    empty = api.post(path, {"reason": ""}, format="json")
    assert empty.status_code == 400
    assert empty.json()["errors"] == {"reason": ["Tell us briefly why you would like a person to review the result."]}
    created = api.post(path, {"reason": "Please look again"}, format="json")
    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("kind", "status", "reason")} == {
        "kind": "of_result", "status": "open", "reason": "Please look again",
    }
    duplicate = api.post(path, {"reason": "Again"}, format="json")
    assert duplicate.status_code == 409
    assert duplicate.json()["detail"] == (
        "You have already asked for a human review of this interview. We will get back to you."
    )
    unknown = api.post("/api/v1/interview-sessions/nope/review-request/", {"reason": "x"}, format="json")
    assert unknown.status_code == 404


def test_hr_lists_and_resolves_requests_through_the_api(org: dict[str, Any]) -> None:
    interview = released(org)
    other = HumanReviewRequest.objects.create(session=interview.session, kind="instead_of_ai", reason="No AI",
                                              status="resolved", resolution="Phone interview")
    request = HumanReviewRequest.objects.create(session=interview.session, kind="of_result", reason="Look again")
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user=org["users"]["recruiter"])
    listed = api.get("/api/v1/interview-review-requests/").json()
    assert [row["id"] for row in listed["results"]] == [request.pk, other.pk]
    assert listed["results"][0] == {
        "id": request.pk, "interview": interview.session.pk, "application": interview.application.pk,
        "candidate_name": "Emily Chen", "kind": "of_result", "reason": "Look again", "status": "open",
        "resolution": "", "created_at": timezone.localtime(request.created_at).isoformat(), "resolved_at": None,
        "resolved_by": None,
    }
    open_only = api.get("/api/v1/interview-review-requests/", {"status": "open"}).json()["results"]
    assert [row["id"] for row in open_only] == [request.pk]
    path = f"/api/v1/interview-review-requests/{request.pk}/resolve/"
    assert api.post(path, {"resolution": ""}, format="json").status_code == 400
    done = api.post(path, {"resolution": "Reviewed; the result stands"}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["resolved_by"]) == ("resolved", "recruiter")
    assert api.post(path, {"resolution": "Again"}, format="json").status_code == 409
