"""The HR report API: the document's contract for a known stored report, the states before it is ready, the
list, ratings, decisions and the query budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talentloop.core.models import AuditEntry, User
from talentloop.interviews.models import InterviewAnswer, InterviewReport, InterviewSession
from talentloop.interviews.tests._reports_support import (
    ENGINE,
    OVERALL,
    STRONG_SCORE,
    WEAK_SCORE,
    ZH_STRONG,
    ZH_STRONG_EVIDENCE,
    ZH_WEAK,
    ZH_WEAK_EVIDENCE,
    Interview,
    make_application,
    make_interview,
    make_job,
)

pytestmark = pytest.mark.django_db

REPORT_KEYS = {
    "id", "application", "candidate", "job", "round", "language", "session_status", "completed_at", "status",
    "overall_score", "fit", "competencies", "strengths", "weaknesses", "answers", "engine", "built_at", "hr_rating",
    "decision", "decision_comment", "decided_by", "decided_at", "feedback_released_at", "feedback", "review_requests",
    "delivery_in_score", "modalities", "consented_modalities", "source", "provider", "provider_summary",
    "provider_dimensions",
}
ANSWER_KEYS = {
    "position", "question", "competency", "competency_name", "text", "status", "submitted_at", "score", "subscores",
    "evidence", "missing_key_points", "matched_key_points", "flags", "is_late", "language_mismatch", "engine",
    "hr_rating", "modality", "status_detail", "transcript", "transcript_original", "transcript_corrected",
    "asr_backend", "delivery", "delivery_used_in_score", "media_url", "media_format", "media_seconds",
    "media_deleted_at",
}


@pytest.fixture
def interview(org: dict[str, Any]) -> Interview:
    return make_interview(make_application(make_job(org["departments"]["sales"])))


def client_for(user: User, language: str = "en") -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def report(client: APIClient, interview: Interview) -> dict[str, Any]:
    response = client.get(f"/api/v1/interviews/{interview.session.pk}/report/")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def test_the_report_document_follows_the_contract(org: dict[str, Any], interview: Interview) -> None:
    doc = report(client_for(org["users"]["hr"]), interview)
    assert set(doc) == REPORT_KEYS
    assert doc["id"] == interview.session.pk
    assert doc["application"] == interview.application.pk
    assert doc["candidate"] == {"id": interview.application.candidate_id, "name": "张伟"}
    assert doc["job"] == {"id": interview.job.pk, "title": "客户经理"}
    assert (doc["round"], doc["language"], doc["session_status"], doc["status"]) == (1, "zh-hans", "completed", "ready")
    assert doc["overall_score"] == OVERALL
    assert doc["fit"] == {"level": "mid", "label": "Suits a mid-level position"}
    communication, customer = interview.questions[0].competency, interview.questions[1].competency
    assert doc["competencies"] == [
        {"competency": communication.pk, "code": "communication", "name": "Communication", "score": STRONG_SCORE,
         "required_score": 70, "weight": 0.6, "answers": 1,
         "evidence": [{"position": 1, "sentence": ZH_STRONG_EVIDENCE}], "missing_key_points": ["对提问能准确补充细节"]},
        {"competency": customer.pk, "code": "customer_orientation", "name": "Customer Orientation",
         "score": WEAK_SCORE, "required_score": 70, "weight": 0.4, "answers": 1,
         "evidence": [{"position": 2, "sentence": ZH_WEAK_EVIDENCE}],
         "missing_key_points": ["区分表面要求和真实需求", "据此调整工作并得到认可"]},
    ]
    assert doc["strengths"] == [{
        "competency": communication.pk, "code": "communication", "name": "Communication", "score": STRONG_SCORE,
        "required_score": 70, "gap": 18.5,
        "explanation": f"Strong in Communication (88.5, required 70): “{ZH_STRONG_EVIDENCE}” (answer 1).",
        "evidence": [{"position": 1, "sentence": ZH_STRONG_EVIDENCE}], "missing_key_points": ["对提问能准确补充细节"],
    }]
    assert doc["weaknesses"] == [{
        "competency": customer.pk, "code": "customer_orientation", "name": "Customer Orientation",
        "score": WEAK_SCORE, "required_score": 70, "gap": -12.5,
        "explanation": "Below the requirement in Customer Orientation (57.5, required 70): the answers did not cover "
                       "“区分表面要求和真实需求” and “据此调整工作并得到认可”.",
        "evidence": [{"position": 2, "sentence": ZH_WEAK_EVIDENCE}],
        "missing_key_points": ["区分表面要求和真实需求", "据此调整工作并得到认可"],
    }]
    assert [set(a) for a in doc["answers"]] == [ANSWER_KEYS, ANSWER_KEYS]
    first, second = doc["answers"]
    assert (first["position"], first["question"], first["text"], first["status"], first["score"]) == (
        1, interview.questions[0].text, ZH_STRONG, "scored", STRONG_SCORE,
    )
    assert first["subscores"] == {"key_points": 66.7, "structure": 80.0, "specificity": 40.0, "relevance": 90.0,
                                  "length": 100.0}
    assert first["evidence"][0]["sentence"] == ZH_STRONG_EVIDENCE
    assert (first["flags"], first["is_late"], first["hr_rating"]) == ([], False, None)
    assert (second["text"], second["is_late"], second["competency"]) == (ZH_WEAK, True, "customer_orientation")
    assert doc["engine"] == ENGINE
    assert (doc["hr_rating"], doc["decision"], doc["feedback_released_at"], doc["feedback"]) == (None, "", None, None)
    assert doc["review_requests"] == []


def test_names_fit_and_explanations_follow_the_readers_language(org: dict[str, Any], interview: Interview) -> None:
    doc = report(client_for(org["users"]["hr"], "zh-hans"), interview)
    assert [c["name"] for c in doc["competencies"]] == ["沟通能力", "客户导向"]
    assert "中级" in doc["fit"]["label"]
    assert "沟通能力" in doc["strengths"][0]["explanation"]
    assert ZH_STRONG_EVIDENCE in doc["strengths"][0]["explanation"]
    assert "区分表面要求和真实需求" in doc["weaknesses"][0]["explanation"]


def test_a_score_under_every_band_is_labelled_below_the_lowest(org: dict[str, Any], interview: Interview) -> None:
    InterviewReport.objects.filter(session=interview.session).update(fit_level="below", overall_score=41.5)
    doc = report(client_for(org["users"]["hr"]), interview)
    assert doc["fit"] == {"level": "below", "label": "Below the junior band"}


def test_before_the_report_is_ready_the_scores_are_empty(org: dict[str, Any]) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])), ready=False)
    doc = report(client_for(org["users"]["hr"]), interview)
    assert doc["status"] == "scoring"
    assert (doc["overall_score"], doc["fit"], doc["competencies"], doc["strengths"], doc["weaknesses"]) == (
        None, {"level": None, "label": None}, [], [], []
    )
    assert [(a["status"], a["score"], a["text"]) for a in doc["answers"]] == [
        ("submitted", None, ZH_STRONG), ("submitted", None, ZH_WEAK)
    ]


def test_an_interview_without_a_report_is_in_progress_and_unanswered(org: dict[str, Any]) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])), ready=False, answered=False)
    InterviewReport.objects.filter(session=interview.session).delete()
    doc = report(client_for(org["users"]["hr"]), interview)
    assert doc["status"] == "in_progress"
    assert [(a["status"], a["text"], a["flags"]) for a in doc["answers"]] == [
        ("unanswered", "", ["unanswered"]), ("unanswered", "", ["unanswered"])
    ]


def test_the_list_filters_by_application_and_status(org: dict[str, Any], interview: Interview) -> None:
    other = make_interview(make_application(interview.job, name="李娜", email="li@example.com"), ready=False)
    client = client_for(org["users"]["hr"])
    everything = client.get("/api/v1/interviews/").json()
    assert set(everything) == {"count", "next", "previous", "results"}
    assert [row["id"] for row in everything["results"]] == [other.session.pk, interview.session.pk]
    row = client.get("/api/v1/interviews/", {"application": interview.application.pk}).json()["results"]
    assert row == [{
        "id": interview.session.pk, "application": interview.application.pk, "round": 1, "language": "zh-hans",
        "status": "completed", "expires_at": row[0]["expires_at"], "completed_at": row[0]["completed_at"],
        "candidate_name": "张伟", "job": interview.job.pk, "job_title": "客户经理", "report_status": "ready",
        "overall_score": OVERALL, "fit_level": "mid", "decision": "", "feedback_released_at": None,
        "report_url": f"/api/v1/interviews/{interview.session.pk}/report/",
    }]
    InterviewSession.objects.filter(pk=other.session.pk).update(status="in_progress")
    in_progress = client.get("/api/v1/interviews/", {"status": "in_progress"}).json()["results"]
    assert [r["id"] for r in in_progress] == [other.session.pk]
    bad = client.get("/api/v1/interviews/", {"status": "nonsense"})
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["status"]


def test_rating_an_answer_is_stored_audited_and_shown(org: dict[str, Any], interview: Interview) -> None:
    client = client_for(org["users"]["manager"])
    response = client.post(f"/api/v1/interviews/{interview.session.pk}/answers/2/rating/", {"rating": 64},
                           format="json")
    assert response.status_code == 200, response.content
    assert response.json()["hr_rating"] == 64
    answer = InterviewAnswer.objects.get(session_question=interview.questions[1])
    assert (answer.hr_rating, answer.rated_by) == (64, org["users"]["manager"])
    entry = AuditEntry.objects.get(object_type="interviews.interviewanswer", field="hr_rating")
    assert (entry.old_value, entry.new_value) == ("", "64")
    assert [a["hr_rating"] for a in report(client, interview)["answers"]] == [None, 64]


@pytest.mark.parametrize(
    ("position", "payload", "status", "field"),
    [
        (1, {"rating": 101}, 400, "rating"),
        (1, {"rating": -1}, 400, "rating"),
        (1, {"rating": "good"}, 400, "rating"),
        (1, {}, 400, "rating"),
        (9, {"rating": 50}, 404, None),
        (3, {"rating": 50}, 409, None),
    ],
)
def test_bad_ratings_are_refused_with_a_reason(
    org: dict[str, Any], position: int, payload: dict[str, Any], status: int, field: str | None
) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])), third_unanswered=True)
    response = client_for(org["users"]["hr"]).post(
        f"/api/v1/interviews/{interview.session.pk}/answers/{position}/rating/", payload, format="json"
    )
    assert response.status_code == status, response.content
    body = response.json()
    if field:
        assert list(body["errors"]) == [field]
    elif status == 404:
        assert body["detail"] == "This interview has no question 9."
    else:
        assert body["detail"] == "Question 3 was not answered, so there is nothing to rate."
    assert InterviewAnswer.objects.filter(hr_rating__isnull=False).count() == 0


def test_the_decision_is_recorded_with_an_optional_rating(org: dict[str, Any], interview: Interview) -> None:
    client = client_for(org["users"]["recruiter"])
    url = f"/api/v1/interviews/{interview.session.pk}/decision/"
    response = client.post(url, {"decision": "advance", "comment": "Strong communicator", "rating": 80}, format="json")
    assert response.status_code == 200, response.content
    doc = response.json()
    assert (doc["decision"], doc["decision_comment"], doc["hr_rating"], doc["decided_by"]) == (
        "advance", "Strong communicator", 80, "recruiter",
    )
    bad = client.post(url, {"decision": "maybe"}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["decision"]
    report_row = InterviewReport.objects.get(session=interview.session)
    assert report_row.decision == "advance"


def test_no_decision_before_the_report_is_ready(org: dict[str, Any]) -> None:
    interview = make_interview(make_application(make_job(org["departments"]["sales"])), ready=False)
    response = client_for(org["users"]["hr"]).post(
        f"/api/v1/interviews/{interview.session.pk}/decision/", {"decision": "hold"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "The report is not ready yet; decide once it is."


def test_releasing_feedback_returns_the_report_with_the_release(
    org: dict[str, Any], interview: Interview, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(org["users"]["hr"])
    url = f"/api/v1/interviews/{interview.session.pk}/release-feedback/"
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
    assert first.status_code == 200, first.content
    released = first.json()["feedback_released_at"]
    assert released is not None
    assert first.json()["feedback"]["language"] == "zh-hans"
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url)
    assert second.json()["feedback_released_at"] == released
    assert len(mail.outbox) == 1


def test_the_pdf_endpoint_sends_a_pdf(org: dict[str, Any], interview: Interview) -> None:
    response = client_for(org["users"]["hr"]).get(f"/api/v1/interviews/{interview.session.pk}/report.pdf",
                                                   HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="interview-report-{interview.session.pk}.pdf"'
    assert response.content.startswith(b"%PDF-")


def _measure(client: APIClient, interview: Interview) -> int:
    with CaptureQueriesContext(connection) as ctx:
        report(client, interview)
    return len(ctx.captured_queries)


def test_the_report_runs_a_fixed_number_of_queries(org: dict[str, Any]) -> None:
    job = make_job(org["departments"]["sales"])
    small = make_interview(make_application(job))
    large = make_interview(make_application(job, name="李娜", email="li@example.com"), third_unanswered=True)
    client = client_for(org["users"]["hr"])
    # session with application, job, level and report; questions with answers; review requests; position levels;
    # the answers' recording fields (selectors.sessions.report_media_extend)
    assert _measure(client, small) == _measure(client, large) == 5


def test_the_list_runs_a_fixed_number_of_queries(org: dict[str, Any]) -> None:
    job = make_job(org["departments"]["sales"])
    client = client_for(org["users"]["hr"])

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/api/v1/interviews/", {"page_size": 100}).json()
        return len(ctx.captured_queries), body["count"]

    make_interview(make_application(job))
    first = measure()
    for n in range(4):
        make_interview(make_application(job, name=f"候选人{n}", email=f"c{n}@example.com"))
    assert first == (2, 1)
    assert measure() == (2, 5)
