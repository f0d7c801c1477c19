"""The candidate's pages (no login, no JavaScript needed): consent, one question at a time with its timer and
autosave, inline errors that keep what was typed, the final confirmation and the done page; links that lead
nowhere say why."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from talentloop.interviews.models import HumanReviewRequest, InterviewAnswer, InterviewReport, InterviewSession

from ._support import (
    JOB_DESCRIPTION_ZH,
    InterviewSetup,
    age_question,
    browser,
    consent,
    expire,
    make_application,
    make_job,
    make_session,
    session_questions,
)

Session = InterviewSession


def page(session: Session, rest: str = "") -> str:
    return f"/interview/{session.token}/{rest}"


def text_of(response: Any) -> str:
    return " ".join(lxml.html.fromstring(response.content.decode()).text_content().split())


def node(response: Any, testid: str) -> Any:
    found = lxml.html.fromstring(response.content.decode()).xpath(f'//*[@data-testid="{testid}"]')
    return found[0] if found else None


@pytest.fixture
def candidate() -> Client:
    return browser()


def test_the_consent_page_says_what_is_analysed_how_it_is_used_and_the_rights(
    candidate: Client, interview_session: Session,
) -> None:
    response = candidate.get(page(interview_session))
    assert response.status_code == 200
    content = text_of(response)
    assert "Your interview for Customer Success Manager" in content
    assert "8 questions" in content
    assert "Only the text you type in answer to each question. This interview records no voice, no video" in content
    assert "The report informs the team; people make the decision." in content
    assert "After the interview you may ask for a person to review the result." in content
    assert "kept with your application for up to 12 months" in content
    assert node(response, "consent-human") is not None
    assert node(response, "consent-accept") is not None
    assert [q.shown_at for q in session_questions(interview_session)] == [None] * 8
    scripts = lxml.html.fromstring(response.content.decode()).xpath("//script/@src")
    assert all(src.startswith("/static/") for src in scripts)


def test_a_chinese_interview_speaks_chinese_whatever_the_browser_says(org: dict[str, Any]) -> None:
    job = make_job(org["departments"]["sales"], title="客户成功经理", description=JOB_DESCRIPTION_ZH)
    session = make_session(make_application(job, language="zh-hans"), actor=org["users"]["hr"], language="zh-hans")
    response = browser(language="en").get(page(session))
    root = lxml.html.fromstring(response.content.decode())
    assert root.get("lang") == "zh-hans"
    with translation.override("zh-hans"):
        heading = gettext("What is analysed")
    assert heading in text_of(response)


def test_consent_needs_the_box_ticked(candidate: Client, interview_session: Session) -> None:
    response = candidate.post(page(interview_session, "consent/"), {"action": "accept"})
    assert response.status_code == 400
    assert node(response, "interview-error").text_content() == (
        "Tick the box to agree, or ask for a human interviewer instead."
    )
    response = candidate.post(page(interview_session, "consent/"), {"action": "accept", "agree": "yes"})
    assert response.status_code == 302
    assert candidate.get(response["Location"])["Location"] == page(interview_session, "q/1/")
    interview_session.refresh_from_db()
    assert (interview_session.status, interview_session.consent["analyses"]) == ("consented", ["text"])


def test_asking_for_a_human_interviewer_from_the_consent_page(candidate: Client, interview_session: Session) -> None:
    response = candidate.post(page(interview_session, "consent/"), {"action": "human", "reason": "No keyboard."})
    assert response["Location"] == page(interview_session)
    after = candidate.get(page(interview_session))
    assert after.status_code == 200
    assert node(after, "interview-closed").get("data-kind") == "human"
    assert HumanReviewRequest.objects.get(session=interview_session).reason == "No keyboard."


def test_the_question_page_shows_one_question_with_its_timer_and_draft(
    candidate: Client, interview_session: Session,
) -> None:
    consent(interview_session)
    response = candidate.get(page(interview_session, "q/1/"))
    assert response.status_code == 200
    first = session_questions(interview_session)[0]
    assert node(response, "question-text").text_content() == first.text
    assert node(response, "question-progress").text_content() == "Question 1 of 8"
    root = lxml.html.fromstring(response.content.decode())
    block = root.xpath("//*[@data-interview-question]")[0]
    assert block.get("data-remaining") == str(first.time_limit_seconds)
    assert block.get("data-draft-url") == page(interview_session, "q/1/draft/")
    assert "/static/interviews/candidate.js" in root.xpath("//script/@src")
    # A later question is not shown before the current one is answered.
    assert candidate.get(page(interview_session, "q/5/"))["Location"] == page(interview_session, "q/1/")
    assert session_questions(interview_session)[4].shown_at is None
    assert candidate.get(page(interview_session, "q/9/")).status_code == 404


def test_autosave_and_resume_after_a_dropped_connection(candidate: Client, interview_session: Session) -> None:
    consent(interview_session)
    candidate.get(page(interview_session, "q/1/"))
    saved = candidate.post(page(interview_session, "q/1/draft/"), {"text": "Half an answer"})
    assert saved.status_code == 200
    assert set(saved.json()) == {"saved_at", "saved_ms", "remaining_seconds"}
    first = session_questions(interview_session)[0]
    age_question(first, 60)
    shown_at = session_questions(interview_session)[0].shown_at
    reloaded = browser().get(page(interview_session, "q/1/"))  # another browser, same link
    assert node(reloaded, "answer-text").text_content() == "Half an answer"
    remaining = int(lxml.html.fromstring(reloaded.content.decode()).xpath("//*[@data-remaining]")[0]
                    .get("data-remaining"))
    assert first.time_limit_seconds - 61 <= remaining <= first.time_limit_seconds - 60
    assert session_questions(interview_session)[0].shown_at == shown_at  # the clock did not restart
    too_long = candidate.post(page(interview_session, "q/1/draft/"), {"text": "x" * 20_001})
    assert too_long.status_code == 400
    assert too_long.json() == {"detail": (
        "Your answer is 20001 characters long; the limit is 20000. Please shorten it. Your saved draft is kept."
    )}
    assert InterviewAnswer.objects.get().draft_text == "Half an answer"


def test_submitting_without_javascript_goes_to_the_next_question_and_then_the_confirmation(
    candidate: Client, interview_session: Session, django_capture_on_commit_callbacks: Any,
) -> None:
    consent(interview_session)
    questions = session_questions(interview_session)
    with django_capture_on_commit_callbacks(execute=True):
        for question in questions:
            candidate.get(page(interview_session, f"q/{question.position}/"))
            response = candidate.post(page(interview_session, f"q/{question.position}/"),
                                      {"text": question.reference_answer})
            expected = f"q/{question.position + 1}/" if question.position < 8 else "finish/"
            assert response["Location"] == page(interview_session, expected)
        answered = candidate.get(page(interview_session, "q/2/"))
        assert node(answered, "question-done") is not None
        finish = candidate.get(page(interview_session, "finish/"))
        assert node(finish, "answered-count").text_content() == "You have answered 8 of 8 questions."
        done = candidate.post(page(interview_session, "finish/"))
    assert done["Location"] == page(interview_session, "done/")
    assert node(candidate.get(done["Location"]), "interview-done") is not None
    assert InterviewReport.objects.get(session=interview_session).status == "ready"
    assert candidate.get(page(interview_session))["Location"] == page(interview_session, "done/")
    again = candidate.post(page(interview_session, "q/1/"), {"text": "again"})
    assert again["Location"] == page(interview_session, "done/")


@pytest.mark.parametrize(("posted", "code", "message"), [
    ("   ", 400, "Please write an answer before submitting."),
    ("y" * 20_001, 400,
     "Your answer is 20001 characters long; the limit is 20000. Please shorten it. Your saved draft is kept."),
])
def test_errors_are_shown_inline_and_the_input_preserved(
    candidate: Client, interview_session: Session, posted: str, code: int, message: str,
) -> None:
    consent(interview_session)
    candidate.post(page(interview_session, "q/1/draft/"), {"text": "the draft"})
    response = candidate.post(page(interview_session, "q/1/"), {"text": posted})
    assert response.status_code == code
    assert node(response, "interview-error").text_content() == message
    assert node(response, "answer-text").text_content() == posted
    assert InterviewAnswer.objects.get().draft_text == "the draft"


def test_script_in_an_answer_is_stored_verbatim_and_shown_escaped(
    candidate: Client, interview_session: Session,
) -> None:
    consent(interview_session)
    script = '<script>alert("owned")</script><img src=x onerror=alert(1)>'
    candidate.post(page(interview_session, "q/1/draft/"), {"text": script})
    response = candidate.get(page(interview_session, "q/1/"))
    html = response.content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert node(response, "answer-text").text_content() == script
    candidate.post(page(interview_session, "q/1/"), {"text": script})
    assert InterviewAnswer.objects.get().text == script


def test_late_answers_are_announced_and_accepted_or_refused_inline(
    candidate: Client, setup: InterviewSetup, settings: Any,
) -> None:
    session = setup.session()
    consent(session)
    candidate.get(page(session, "q/1/"))
    age_question(session_questions(session)[0], 3600)
    late = candidate.get(page(session, "q/1/"))
    assert node(late, "interview-late").text_content() == (
        "Time is up. You can still submit; the answer will be marked late."
    )
    assert candidate.post(page(session, "q/1/"), {"text": "late"})["Location"] == page(session, "q/2/")
    assert InterviewAnswer.objects.get().is_late is True
    Session.objects.filter(pk=session.pk).update(accept_late_answers=False)
    candidate.get(page(session, "q/2/"))
    age_question(session_questions(session)[1], 3600)
    refused = candidate.post(page(session, "q/2/"), {"text": "too late, kept"})
    assert refused.status_code == 409
    assert node(refused, "interview-error").text_content().startswith("The time for this question is up")
    assert node(refused, "answer-text").text_content() == "too late, kept"
    closed = candidate.get(page(session, "q/2/"))
    assert "The time for this question is up, so it can no longer be answered." in text_of(closed)
    assert candidate.get(page(session))["Location"] == page(session, "q/3/")


def test_an_answer_in_another_language_is_noted_on_the_next_page(
    candidate: Client, interview_session: Session,
) -> None:
    consent(interview_session)
    response = candidate.post(page(interview_session, "q/1/"), {
        "text": "我会先倾听客户的问题，然后和团队一起分析原因，最后给出解决方案并跟进结果。",
    })
    assert response["Location"] == page(interview_session, "q/2/?notice=language")
    notice = node(candidate.get(response["Location"]), "interview-notice")
    assert notice.text_content().startswith("Your answer seems to be in another language than the question (English).")


def test_finishing_early_lists_the_unanswered_questions(
    candidate: Client, interview_session: Session, django_capture_on_commit_callbacks: Any,
) -> None:
    consent(interview_session)
    candidate.post(page(interview_session, "q/1/"), {"text": "One answer."})
    finish = candidate.get(page(interview_session, "finish/"))
    assert node(finish, "answered-count").text_content() == "You have answered 1 of 8 questions."
    assert len(node(finish, "unanswered").xpath("./li")) == 7
    with django_capture_on_commit_callbacks(execute=True):
        candidate.post(page(interview_session, "finish/"))
    assert InterviewReport.objects.get(session=interview_session).status == "ready"


def test_links_that_lead_nowhere_say_why(candidate: Client, setup: InterviewSetup) -> None:
    missing = candidate.get("/interview/not-a-real-token/")
    assert missing.status_code == 404
    assert node(missing, "interview-message").text_content() == "This interview link is not valid."
    assert candidate.get("/interview/not-a-real-token/q/1/").status_code == 404
    session = setup.session()
    expire(session)
    session.refresh_from_db()
    expired = candidate.get(page(session))
    assert expired.status_code == 410
    assert node(expired, "interview-message").text_content() == (
        f"This interview link expired on {timezone.localtime(session.expires_at):%Y-%m-%d %H:%M}. Please contact the "
        "recruiting team for a new link."
    )
    assert candidate.post(page(session, "consent/"), {"agree": "yes"}).status_code == 410
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    cancelled = candidate.get(page(session, "q/1/"))
    assert cancelled.status_code == 410
    assert node(cancelled, "interview-message").text_content() == "This interview was cancelled by the recruiting team."
    unknown_draft = candidate.post("/interview/nope/q/1/draft/", {"text": "x"})
    assert (unknown_draft.status_code, unknown_draft.json()) == (404, {"detail": "This interview link is not valid."})
