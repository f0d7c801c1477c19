"""The candidate's side through the services: consent, one question at a time with its clock, autosave,
submission and every bad input of the issue, completion. Nothing saved is ever lost."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.interviews.models import HumanReviewRequest, InterviewAnswer, InterviewReport, InterviewSession
from talentloop.interviews.selectors.sessions import candidate_state
from talentloop.interviews.services.answers import answer_draft_save, answer_submit, interview_resume, question_show
from talentloop.interviews.services.rules import (
    AnswerAlreadySubmitted,
    ConsentMissing,
    InterviewClosed,
    InterviewCompleted,
    InterviewExpired,
    TimeUp,
)
from talentloop.interviews.services.sessions import interview_cancel, interview_complete, interview_consent

from ._support import (
    InterviewSetup,
    age_question,
    answers_of,
    consent,
    expire,
    session_questions,
    submit_answers,
)

Session = InterviewSession


def _answer(session: Session, position: int) -> InterviewAnswer:
    return InterviewAnswer.objects.get(session_question__session=session, session_question__position=position)


# --- consent ------------------------------------------------------------------------------------------------


def test_consent_records_what_is_analysed_and_the_text_version(interview_session: Session) -> None:
    before = timezone.now()
    session = interview_consent(token=interview_session.token, accept=True, analyses=["text"])
    assert session.status == Session.Status.CONSENTED
    assert session.consented_at is not None
    assert before <= session.consented_at <= timezone.now()
    assert session.consent["version"] == "2026-1"
    assert session.consent["analyses"] == ["text"]
    assert session.consent["language"] == "en"
    assert session.consent["text"].startswith("What is analysed\nOnly the text you type in answer to each question.")
    assert "ask for a human interviewer instead" in session.consent["text"]
    assert "up to 12 months after the hiring decision" in session.consent["text"]
    # Again (a reload, a double click): nothing changes.
    again = interview_consent(token=interview_session.token, accept=True, analyses=["text"])
    assert again.consented_at == session.consented_at


@pytest.mark.parametrize(("analyses", "message"), [
    (["text", "voice"], "voice cannot be agreed to; the interview analyses text, and voice and video with your "
                        "consent."),
    ([], "The interview analyses the text of your answers; agree to it to take part, or ask for a human interviewer "
         "instead."),
])
def test_consent_to_anything_but_text_is_refused(interview_session: Session, analyses: list[str], message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        interview_consent(token=interview_session.token, accept=True, analyses=analyses)
    assert caught.value.errors == {"analyses": [message]}
    interview_session.refresh_from_db()
    assert interview_session.status == Session.Status.INVITED


def test_declining_asks_for_a_human_interviewer_that_hr_sees(interview_session: Session) -> None:
    with pytest.raises(ValidationFailed) as caught:
        interview_consent(token=interview_session.token, accept=False)
    assert caught.value.message == "To decline the AI interview, ask for a human interviewer instead."
    session = interview_consent(token=interview_session.token, accept=False, human_review=True,
                                reason="I type slowly.")
    assert session.status == Session.Status.HUMAN_REVIEW
    request = HumanReviewRequest.objects.get(session=session)
    assert (request.kind, request.reason, request.status) == ("instead_of_ai", "I type slowly.", "open")
    with pytest.raises(InterviewClosed) as closed:
        question_show(token=session.token, position=1)
    assert closed.value.message == (
        "You asked for a human interviewer instead of this AI interview. The recruiting team will contact you."
    )


def test_a_human_interviewer_cannot_replace_an_interview_already_started(interview_session: Session) -> None:
    consent(interview_session)
    question_show(token=interview_session.token, position=1)
    with pytest.raises(Conflict) as caught:
        interview_consent(token=interview_session.token, accept=False, human_review=True)
    assert caught.value.message == (
        "You have already started the interview. After it you may ask for a human review of the result."
    )


# --- showing a question: its clock ----------------------------------------------------------------------------


def test_answers_need_consent_first(interview_session: Session) -> None:
    for call in (
        lambda: question_show(token=interview_session.token, position=1),
        lambda: answer_draft_save(token=interview_session.token, question=1, text="x"),
        lambda: answer_submit(token=interview_session.token, question=1, text="x"),
        lambda: interview_complete(token=interview_session.token),
    ):
        with pytest.raises(ConsentMissing) as caught:
            call()
        assert caught.value.message == "Please read and accept the consent page before answering."


def test_showing_a_question_starts_its_clock_once(interview_session: Session) -> None:
    consent(interview_session)
    before = timezone.now()
    first = question_show(token=interview_session.token, position=1)
    assert first.shown_at is not None
    assert before <= first.shown_at <= timezone.now()
    interview_session.refresh_from_db()
    assert interview_session.status == Session.Status.IN_PROGRESS
    assert interview_session.started_at is not None
    age_question(first, 100)
    again = question_show(token=interview_session.token, position=1)  # a reload after a dropped connection
    assert again.shown_at is not None
    assert again.shown_at <= timezone.now() - timedelta(seconds=99)
    state = candidate_state(session=interview_session)
    limit = first.time_limit_seconds
    assert limit - 101 <= state.questions[0].remaining_seconds <= limit - 100
    assert state.questions[1].remaining_seconds == state.questions[1].time_limit_seconds
    with pytest.raises(NotFound) as caught:
        question_show(token=interview_session.token, position=9)
    assert caught.value.message == "This interview has no question 9."


def test_a_client_resuming_starts_the_current_question_only(interview_session: Session) -> None:
    interview_resume(token=interview_session.token)
    assert [q.shown_at for q in session_questions(interview_session)] == [None] * 8  # no consent yet
    consent(interview_session)
    interview_resume(token=interview_session.token)
    shown = [q.shown_at is not None for q in session_questions(interview_session)]
    assert shown == [True] + [False] * 7
    state = candidate_state(session=interview_session)
    assert state.current_position == 1
    assert state.questions[0].text == session_questions(interview_session)[0].text
    assert [q.text for q in state.questions[1:]] == [None] * 7  # one question at a time


# --- drafts ---------------------------------------------------------------------------------------------------


def test_drafts_are_saved_until_submission_and_survive_a_reload(interview_session: Session) -> None:
    consent(interview_session)
    answer_draft_save(token=interview_session.token, question=1, text="First thoughts")
    saved = answer_draft_save(token=interview_session.token, question="1", text="First thoughts, more")
    assert (saved.status, saved.draft_text, saved.text) == ("draft", "First thoughts, more", "")
    assert saved.draft_saved_at is not None
    state = candidate_state(session=interview_session)
    assert (state.questions[0].draft, state.questions[0].answered, state.current_position) == (
        "First thoughts, more", False, 1,
    )
    # Drafts are allowed after the time limit too (the submission decides about time).
    age_question(session_questions(interview_session)[0], 3600)
    assert answer_draft_save(token=interview_session.token, question=1, text="late draft").draft_text == "late draft"


def test_a_too_long_draft_is_refused_and_the_previous_one_kept(interview_session: Session, settings: Any) -> None:
    consent(interview_session)
    answer_draft_save(token=interview_session.token, question=1, text="kept")
    with pytest.raises(ValidationFailed) as caught:
        answer_draft_save(token=interview_session.token, question=1, text="x" * 100_000)
    assert caught.value.message == (
        "Your answer is 100000 characters long; the limit is 20000. Please shorten it. Your saved draft is kept."
    )
    assert _answer(interview_session, 1).draft_text == "kept"


# --- submitting -----------------------------------------------------------------------------------------------


def test_a_submitted_answer_is_stored_scored_and_final(
    interview_session: Session, django_capture_on_commit_callbacks: Any,
) -> None:
    consent(interview_session)
    question_show(token=interview_session.token, position=1)
    text = session_questions(interview_session)[0].reference_answer
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = answer_submit(token=interview_session.token, question=1, text=text)
    assert len(callbacks) == 1
    assert result.warning == ""
    answer = _answer(interview_session, 1)
    assert (answer.status, answer.text, answer.is_late, answer.language_mismatch) == ("scored", text, False, False)
    assert answer.score is not None
    assert answer.score > 0
    with pytest.raises(AnswerAlreadySubmitted) as caught:
        answer_submit(token=interview_session.token, question=1, text="another")
    assert caught.value.message == "This question has already been answered; an answer cannot be changed."
    with pytest.raises(AnswerAlreadySubmitted):
        answer_draft_save(token=interview_session.token, question=1, text="another")
    assert _answer(interview_session, 1).text == text
    assert candidate_state(session=interview_session).current_position == 2


@pytest.mark.parametrize("text", ["", "   \n\t  ", None])
def test_an_empty_answer_is_refused_and_the_draft_kept(interview_session: Session, text: Any) -> None:
    consent(interview_session)
    answer_draft_save(token=interview_session.token, question=2, text="my draft")
    with pytest.raises(ValidationFailed) as caught:
        answer_submit(token=interview_session.token, question=2, text=text)
    assert caught.value.errors == {"text": ["Please write an answer before submitting."]}
    answer = _answer(interview_session, 2)
    assert (answer.status, answer.draft_text) == ("draft", "my draft")


def test_a_100000_character_answer_is_refused_with_the_limit_and_the_draft_kept(interview_session: Session) -> None:
    consent(interview_session)
    answer_draft_save(token=interview_session.token, question=1, text="short draft")
    with pytest.raises(ValidationFailed) as caught:
        answer_submit(token=interview_session.token, question=1, text="长" * 100_000)
    assert caught.value.message == (
        "Your answer is 100000 characters long; the limit is 20000. Please shorten it. Your saved draft is kept."
    )
    answer = _answer(interview_session, 1)
    assert (answer.status, answer.draft_text, answer.text) == ("draft", "short draft", "")
    # At the limit exactly it is accepted.
    assert answer_submit(token=interview_session.token, question=1, text="a " * 10_000).answer.status == "submitted"


@pytest.mark.parametrize("ref", [0, 9, 10_000, "nope", "communication-zh-1"])
def test_an_answer_to_a_question_not_in_the_session_is_refused(interview_session: Session, ref: Any) -> None:
    consent(interview_session)
    with pytest.raises(NotFound) as caught:
        answer_submit(token=interview_session.token, question=ref, text="hello")
    assert caught.value.message == f"This interview has no question {ref}."
    assert InterviewAnswer.objects.count() == 0


def test_questions_may_be_named_by_bank_id_or_code(interview_session: Session) -> None:
    consent(interview_session)
    third = session_questions(interview_session)[2]
    assert answer_submit(token=interview_session.token, question=third.question_id, text="A").question == third
    fourth = session_questions(interview_session)[3]
    assert answer_submit(token=interview_session.token, question=fourth.question.code, text="B").question == fourth


def test_a_late_answer_is_accepted_and_marked_late(interview_session: Session) -> None:
    consent(interview_session)
    question = question_show(token=interview_session.token, position=1)
    age_question(question, question.time_limit_seconds + 10)  # within the 15 s grace: on time
    assert answer_submit(token=interview_session.token, question=1, text="On time").answer.is_late is False
    second = question_show(token=interview_session.token, position=2)
    age_question(second, second.time_limit_seconds + 16)
    late = answer_submit(token=interview_session.token, question=2, text="Late but here").answer
    assert (late.status, late.is_late, late.text) == ("submitted", True, "Late but here")
    assert candidate_state(session=interview_session).questions[1].is_late is True


def test_a_late_answer_is_refused_when_the_setting_says_so_and_the_text_kept(
    setup: InterviewSetup, settings: Any,
) -> None:
    settings.TALENTLOOP_INTERVIEW_LATE_ANSWERS = "reject"
    session = setup.session()
    consent(session)
    question = question_show(token=session.token, position=1)
    answer_draft_save(token=session.token, question=1, text="draft before the time ran out")
    age_question(question, question.time_limit_seconds + 16)
    with pytest.raises(TimeUp) as caught:
        answer_submit(token=session.token, question=1, text="written after the time ran out")
    assert caught.value.message == (
        "The time for this question is up, so the answer was not submitted. What you wrote is kept. Please go on to "
        "the next question."
    )
    answer = _answer(session, 1)
    assert (answer.status, answer.draft_text, answer.is_late) == ("draft", "written after the time ran out", False)
    state = candidate_state(session=session)
    assert (state.questions[0].closed, state.current_position) == (True, 2)  # the candidate moves on


def test_script_and_html_are_stored_verbatim(interview_session: Session) -> None:
    consent(interview_session)
    text = '<script>alert("x")</script><b onclick="steal()">bold</b> & 1 < 2'
    answer_submit(token=interview_session.token, question=1, text=text)
    assert _answer(interview_session, 1).text == text


def test_an_answer_in_another_language_is_accepted_with_a_warning_and_flagged(
    interview_session: Session, django_capture_on_commit_callbacks: Any,
) -> None:
    consent(interview_session)
    text = "上个月我负责的项目出现延期，我先和团队梳理原因，然后制定了新的计划，最终按时交付。"
    with django_capture_on_commit_callbacks(execute=True):
        result = answer_submit(token=interview_session.token, question=1, text=text)
    assert result.warning == (
        "Your answer seems to be in another language than the question (English). It is saved; the automatic scoring "
        "reads English, so the report marks this answer for HR to read themselves."
    )
    answer = _answer(interview_session, 1)
    assert (answer.status, answer.language_mismatch) == ("scored", True)
    assert "language_mismatch" in answer.flags
    short = answer_submit(token=interview_session.token, question=2, text="好的")
    assert short.warning == ""  # too short to tell


# --- links that lead nowhere ----------------------------------------------------------------------------------


def test_an_unknown_token_is_not_found(db: Any) -> None:
    for call in (
        lambda: interview_consent(token="nope", accept=True, analyses=["text"]),
        lambda: question_show(token="nope", position=1),
        lambda: answer_submit(token="nope", question=1, text="x"),
        lambda: interview_complete(token="x" * 500),
    ):
        with pytest.raises(NotFound) as caught:
            call()
        assert caught.value.message == "This interview link is not valid."


def test_an_expired_link_cannot_be_started_but_a_started_interview_can_be_finished(setup: InterviewSetup) -> None:
    unstarted = setup.session()
    expire(unstarted)
    unstarted.refresh_from_db()
    with pytest.raises(InterviewExpired) as caught:
        interview_consent(token=unstarted.token, accept=True, analyses=["text"])
    assert caught.value.message == (
        f"This interview link expired on {timezone.localtime(unstarted.expires_at):%Y-%m-%d %H:%M}. Please contact "
        "the recruiting team for a new link."
    )
    started = setup.session()
    consent(started)
    question_show(token=started.token, position=1)
    expire(started)
    assert answer_submit(token=started.token, question=1, text="Still mine").answer.status == "submitted"


def test_a_cancelled_interview_is_closed(interview_session: Session) -> None:
    interview_cancel(actor=interview_session.invited_by, session=interview_session)  # type: ignore[arg-type]
    with pytest.raises(InterviewClosed) as caught:
        interview_consent(token=interview_session.token, accept=True, analyses=["text"])
    assert caught.value.message == "This interview was cancelled by the recruiting team."


# --- completing ------------------------------------------------------------------------------------------------


def test_completing_scores_unanswered_questions_zero_and_submits_drafts(
    interview_session: Session, django_capture_on_commit_callbacks: Any,
) -> None:
    consent(interview_session)
    with django_capture_on_commit_callbacks(execute=True):
        answer_submit(token=interview_session.token, question=1, text=session_questions(interview_session)[0]
                      .reference_answer)
        answer_draft_save(token=interview_session.token, question=2, text="A draft never submitted, with content.")
        session = interview_complete(token=interview_session.token)
    assert session.status == Session.Status.COMPLETED
    assert session.completed_at is not None
    answers = answers_of(session)
    assert [a.status for a in answers] == ["scored"] * 8
    assert answers[1].text == "A draft never submitted, with content."
    assert "submitted_from_draft" in answers[1].flags
    for answer in answers[2:]:
        assert (answer.text, answer.score, answer.flags, answer.engine["name"]) == ("", 0.0, ["unanswered"],
                                                                                     "unanswered")
        assert answer.missing_key_points == [kp["point"] for kp in answer.session_question.key_points]
    report = InterviewReport.objects.get(session=session)
    assert report.status == "ready"
    with pytest.raises(InterviewCompleted) as caught:
        interview_complete(token=session.token)
    assert caught.value.message == "This interview is already completed. Thank you; your answers have been submitted."
    with pytest.raises(InterviewCompleted):
        answer_submit(token=session.token, question=3, text="too late")
    state = candidate_state(session=session)
    assert (state.status, state.current_position, state.answered_count) == ("completed", None, 2)


def test_the_report_is_ready_right_after_an_eight_answer_interview(
    interview_session: Session, django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        session = submit_answers(interview_session)
    report = InterviewReport.objects.get(session=session)
    assert report.status == InterviewReport.Status.READY
    assert report.built_at is not None
    assert [c["code"] for c in report.competencies] == [
        "communication", "customer_orientation", "teamwork", "problem_solving",
    ]
    assert [c["answers"] for c in report.competencies] == [2, 2, 2, 2]
    assert report.overall_score is not None
    assert 0 < report.overall_score <= 100
    assert report.fit_level in {"junior", "mid", "senior", "below"}
    assert [a.status for a in answers_of(session)] == ["scored"] * 8


def test_without_running_tasks_the_report_waits_in_scoring(interview_session: Session) -> None:
    session = submit_answers(interview_session)  # on_commit callbacks are not run in this test
    assert InterviewReport.objects.get(session=session).status == InterviewReport.Status.SCORING
    assert {a.status for a in answers_of(session)} == {"submitted"}
