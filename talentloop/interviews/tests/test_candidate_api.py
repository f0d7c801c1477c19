"""The candidate's REST API: the token is the only key, the shapes are the public contract, and nothing of the
scoring (key points, reference answers, scores) ever reaches the candidate."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from talentloop.interviews.models import HumanReviewRequest, InterviewAnswer, InterviewReport, InterviewSession

from ._support import InterviewSetup, age_question, consent, expire, session_questions

Session = InterviewSession
SESSION_KEYS = {
    "status", "language", "job", "expires_at", "accept_late_answers", "consent_version", "consent_text",
    "consented_at", "current_position", "questions", "modalities", "consented_modalities", "modality_consent",
    "allow_rerecord", "max_media_bytes", "chunk_bytes",
}
QUESTION_KEYS = {
    "position", "id", "text", "time_limit_seconds", "remaining_seconds", "shown", "answered", "draft", "is_late",
    "closed", "answer_status", "answer_modality", "status_message",
}
ANSWER_KEYS = {
    "question", "status", "draft", "is_late", "saved_at", "remaining_seconds", "warning", "next_position", "modality",
    "status_message",
}


@pytest.fixture
def client(api: APIClient) -> APIClient:
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return api


def url(session: Session, rest: str = "") -> str:
    return f"/api/v1/interview-sessions/{session.token}/{rest}"


def test_get_before_consent_shows_the_consent_and_no_clock_runs(client: APIClient, interview_session: Session) -> None:
    response = client.get(url(interview_session))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == SESSION_KEYS
    assert (body["status"], body["language"], body["job"], body["consent_version"], body["consented_at"]) == (
        "invited", "en", "Customer Success Manager", "", None,
    )
    assert body["consent_text"].startswith("What is analysed\nOnly the text you type")
    assert body["current_position"] == 1
    assert len(body["questions"]) == 8
    assert all(set(q) == QUESTION_KEYS for q in body["questions"])
    first = session_questions(interview_session)[0]
    assert body["questions"][0] == {
        "position": 1, "id": first.question_id, "text": first.text, "time_limit_seconds": first.time_limit_seconds,
        "remaining_seconds": first.time_limit_seconds, "shown": False, "answered": False, "draft": "",
        "is_late": False, "closed": False, "answer_status": None, "answer_modality": None, "status_message": "",
    }
    assert [q["text"] for q in body["questions"][1:]] == [None] * 7
    assert [q.shown_at for q in session_questions(interview_session)] == [None] * 8


def test_nothing_of_the_scoring_reaches_the_candidate(
    client: APIClient, interview_session: Session, django_capture_on_commit_callbacks: Any,
) -> None:
    consent(interview_session)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(interview_session, "answers/"), {"question": 1, "text": "An answer."}, format="json")
        response = client.post(url(interview_session, "complete/"), format="json")
    body = response.json()
    for item in body["questions"]:
        item.pop("answer_status")  # "scored" says the answer went through, not what it scored
    raw = json.dumps(body, ensure_ascii=False)
    for question in session_questions(interview_session):
        assert question.reference_answer not in raw
        for point in question.key_points:
            assert point["point"] not in raw
    for word in ("score", "key_points", "reference", "evidence", "subscores", "fit"):
        assert word not in raw


def test_the_full_interview_over_the_api(
    client: APIClient, interview_session: Session, django_capture_on_commit_callbacks: Any,
) -> None:
    response = client.post(url(interview_session, "consent/"), {"accept": True, "analyses": ["text"]}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["consent_version"]) == ("consented", "2026-1")
    # Fetching after consent shows the current question: its clock starts.
    body = client.get(url(interview_session)).json()
    assert (body["status"], body["questions"][0]["shown"]) == ("in_progress", True)
    draft = client.post(url(interview_session, "answers/"), {"question": 1, "text": "typing…", "draft": True},
                        format="json")
    assert draft.status_code == 200
    assert set(draft.json()) == ANSWER_KEYS
    assert {k: draft.json()[k] for k in ("question", "status", "draft", "is_late", "warning", "next_position")} == {
        "question": 1, "status": "draft", "draft": True, "is_late": False, "warning": None, "next_position": 1,
    }
    assert client.get(url(interview_session)).json()["questions"][0]["draft"] == "typing…"
    with django_capture_on_commit_callbacks(execute=True):
        for question in session_questions(interview_session):
            submitted = client.post(url(interview_session, "answers/"),
                                    {"question": question.position, "text": question.reference_answer}, format="json")
            assert submitted.status_code == 201, submitted.json()
            assert submitted.json()["status"] == "submitted"
            assert submitted.json()["next_position"] == (question.position + 1 if question.position < 8 else None)
        done = client.post(url(interview_session, "complete/"), format="json")
    assert done.status_code == 200
    assert done.json()["status"] == "completed"
    assert all(q["answered"] for q in done.json()["questions"])
    assert InterviewReport.objects.get(session=interview_session).status == "ready"
    # A completed interview is still shown, in its done state; writes are refused.
    again = client.get(url(interview_session))
    assert (again.status_code, again.json()["status"], again.json()["current_position"]) == (200, "completed", None)
    refused = client.post(url(interview_session, "answers/"), {"question": 1, "text": "x"}, format="json")
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "This interview is already completed. Thank you; your answers have been submitted."
    }


@pytest.mark.parametrize(("payload", "code", "detail"), [
    ({"question": 1, "text": ""}, 400, "Please write an answer before submitting."),
    ({"question": 1, "text": "   "}, 400, "Please write an answer before submitting."),
    ({"question": 1, "text": "x" * 100_000}, 400,
     "Your answer is 100000 characters long; the limit is 20000. Please shorten it. Your saved draft is kept."),
    ({"question": 42, "text": "x"}, 404, "This interview has no question 42."),
    ({"question": "abc", "text": "x"}, 404, "This interview has no question abc."),
    ({"text": "x"}, 400, "question: This field is required."),
    ({"question": 1}, 400, "text: This field is required."),
])
def test_bad_answers_are_refused_with_a_clear_message_and_the_draft_kept(
    client: APIClient, interview_session: Session, payload: dict[str, Any], code: int, detail: str,
) -> None:
    consent(interview_session)
    client.post(url(interview_session, "answers/"), {"question": 1, "text": "kept", "draft": True}, format="json")
    response = client.post(url(interview_session, "answers/"), payload, format="json")
    assert response.status_code == code
    assert response.json()["detail"] == detail
    assert client.get(url(interview_session)).json()["questions"][0]["draft"] == "kept"


def test_late_answers_per_setting(client: APIClient, setup: InterviewSetup, settings: Any) -> None:
    session = setup.session()
    consent(session)
    client.get(url(session))
    age_question(session_questions(session)[0], 3600)
    late = client.post(url(session, "answers/"), {"question": 1, "text": "late"}, format="json")
    assert (late.status_code, late.json()["is_late"]) == (201, True)
    Session.objects.filter(pk=session.pk).update(accept_late_answers=False)
    client.get(url(session))
    age_question(session_questions(session)[1], 3600)
    refused = client.post(url(session, "answers/"), {"question": 2, "text": "too late"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("The time for this question is up")
    body = client.get(url(session)).json()
    assert (body["questions"][1]["draft"], body["questions"][1]["closed"], body["current_position"]) == (
        "too late", True, 3,
    )


def test_an_answer_in_another_language_carries_a_warning(client: APIClient, interview_session: Session) -> None:
    consent(interview_session)
    response = client.post(url(interview_session, "answers/"), {
        "question": 1, "text": "我会先倾听客户的问题，然后和团队一起分析原因，最后给出解决方案并跟进结果。",
    }, format="json")
    assert response.status_code == 201
    assert response.json()["warning"] == (
        "Your answer seems to be in another language than the question (English). It is saved; the automatic scoring "
        "reads English, so the report marks this answer for HR to read themselves."
    )


def test_declining_asks_for_a_human_interviewer(client: APIClient, interview_session: Session) -> None:
    response = client.post(url(interview_session, "consent/"),
                           {"accept": False, "human_review": True, "reason": "Please call me."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "human_review"
    assert HumanReviewRequest.objects.get(session=interview_session).reason == "Please call me."
    assert client.get(url(interview_session)).json()["status"] == "human_review"
    bad = client.post(url(interview_session, "consent/"), {"accept": True, "analyses": ["text"]}, format="json")
    assert bad.status_code == 409


def test_unknown_expired_and_cancelled_links(client: APIClient, setup: InterviewSetup) -> None:
    for path in ("", "consent/", "answers/", "complete/"):
        method = client.get if path == "" else client.post
        response = method(f"/api/v1/interview-sessions/not-a-token/{path}", {}, format="json")
        assert response.status_code == 404
        assert response.json() == {"detail": "This interview link is not valid."}
    session = setup.session()
    expire(session)
    session.refresh_from_db()
    response = client.get(url(session))
    assert response.status_code == 409
    assert response.json() == {"detail": (
        f"This interview link expired on {timezone.localtime(session.expires_at):%Y-%m-%d %H:%M}. Please contact the "
        "recruiting team for a new link."
    )}
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    assert client.get(url(session)).json() == {"detail": "This interview was cancelled by the recruiting team."}


def test_a_token_opens_only_its_own_interview_and_logins_do_not_matter(
    api_as: Any, setup: InterviewSetup,
) -> None:
    mine = setup.session()
    from ._support import make_application, make_session

    other = make_session(make_application(setup.job, email="other@example.com"), actor=setup.hr)
    consent(mine)
    # A staff login gives no extra access through these endpoints, and the other session is untouched.
    client = api_as(setup.hr)
    response = client.post(url(mine, "answers/"), {"question": 1, "text": "mine"}, format="json")
    assert response.status_code == 201
    assert client.get(url(other)).json()["questions"][0]["draft"] == ""
    assert client.post(url(other, "answers/"), {"question": 1, "text": "x"}, format="json").status_code == 409


def test_the_candidate_get_runs_a_constant_number_of_queries(client: APIClient, setup: InterviewSetup) -> None:
    session = setup.session()
    consent(session)
    client.get(url(session))
    with CaptureQueriesContext(connection) as eight:
        assert client.get(url(session)).status_code == 200
    from ._support import bank_ids, make_application, make_session

    ids = bank_ids([f"{c}-en-{n}" for c in ("integrity", "execution", "ownership") for n in (1, 2, 3, 4)])
    big = make_session(make_application(setup.job, email="big@example.com"), actor=setup.hr, questions=ids)
    consent(big)
    client.get(url(big))
    with CaptureQueriesContext(connection) as twelve:
        assert client.get(url(big)).status_code == 200
    # savepoint, the locked session (with its job), the current question, release, the questions
    assert len(eight) == len(twelve) == 5


def test_a_body_over_the_upload_limit_is_a_json_413_and_the_draft_stays(
    client: APIClient, interview_session: Session, settings: Any,
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client.post(url(interview_session, "consent/"), {"accept": True, "analyses": ["text"]}, format="json")
    client.post(url(interview_session, "answers/"), {"question": 1, "text": "Kept draft.", "draft": True},
                format="json")

    response = client.post(url(interview_session, "answers/"), {"question": 1, "text": "x" * (2 * 1024 * 1024)},
                           format="json")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large (over 1 MB)."}
    answer = InterviewAnswer.objects.get(session_question__session=interview_session, session_question__position=1)
    assert (answer.status, answer.draft_text) == ("draft", "Kept draft.")
