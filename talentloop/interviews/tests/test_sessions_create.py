"""Inviting a candidate: generated and chosen questions, rounds without repeats, the snapshot, the report row,
the invitation email, the pipeline stage, and every refusal with its message."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.interviews.models import InterviewQuestion, InterviewReport, InterviewSession, SessionQuestion
from talentloop.interviews.services.sessions import interview_cancel, interview_create
from talentloop.org.models import Competency
from talentloop.recruiting.models import Stage, StageChange

from ._support import (
    JOB_DESCRIPTION_ZH,
    InterviewSetup,
    bank_ids,
    expire,
    make_application,
    make_job,
    make_session,
    session_questions,
)

MODEL_CODES = ["communication", "customer_orientation", "teamwork", "problem_solving"]


def test_auto_generates_eight_questions_covering_every_competency_of_the_model(setup: InterviewSetup) -> None:
    before = timezone.now()
    session = setup.session(seed=7)
    questions = session_questions(session)
    assert [q.position for q in questions] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert Counter(q.competency.code for q in questions) == {code: 2 for code in MODEL_CODES}
    # Round robin over the model: the first four positions are one per competency, in model order.
    assert [q.competency.code for q in questions[:4]] == MODEL_CODES
    assert {q.question.language for q in questions} == {"en"}
    assert len({q.question_id for q in questions}) == 8
    assert session.round == 1
    assert session.status == InterviewSession.Status.INVITED
    assert session.language == "en"
    assert session.accept_late_answers is True
    assert session.invited_by == setup.hr
    assert len(session.token) == 43
    assert before + timedelta(days=7) <= session.expires_at <= timezone.now() + timedelta(days=7)
    assert session.generator["name"] == "weighted"
    assert session.generator["version"] == "1.0"
    assert session.generator["seed"] == 7
    assert session.generator["parameters"]["level_rank"] == 2
    assert session.generator["parameters"]["count"] == 8
    assert session.generator["parameters"]["excluded"] == []
    assert session.generator["parameters"]["context"] == {
        "product": "our CloudDesk platform", "customer_type": "enterprise customers", "team_size": "8",
    }
    assert InterviewReport.objects.get(session=session).status == InterviewReport.Status.IN_PROGRESS


def test_the_same_seed_gives_the_same_questions(setup: InterviewSetup) -> None:
    first = [q.question_id for q in session_questions(setup.session(seed=3))]
    other = make_application(setup.job, name="Li Na", email="li@example.com")
    second = [q.question_id for q in session_questions(make_session(other, actor=setup.hr, seed=3))]
    assert first == second


def test_heavier_competencies_get_more_questions_and_difficulty_follows_the_level(org: dict[str, Any]) -> None:
    job = make_job(org["departments"]["sales"], level="senior", model=(
        ("communication", "0.600", 70), ("teamwork", "0.200", 70), ("problem_solving", "0.200", 70),
    ))
    session = make_session(make_application(job), actor=org["users"]["hr"], seed=1)
    questions = session_questions(session)
    assert Counter(q.competency.code for q in questions) == {"communication": 4, "teamwork": 2, "problem_solving": 2}
    assert session.generator["parameters"]["level_rank"] == 3
    # Senior: the hardest questions of each competency come first.
    assert Counter(q.difficulty for q in questions)[3] >= 3
    junior = make_job(org["departments"]["sales"], level="junior", model=(("communication", "1.000", 70),))
    easy = session_questions(make_session(make_application(junior, email="j@example.com"), actor=org["users"]["hr"]))
    assert len(easy) == 4  # the bank has 4 English communication questions
    assert easy[0].difficulty == 1


def test_the_snapshot_fills_the_job_context_and_copies_the_bank_question(setup: InterviewSetup) -> None:
    session = setup.session(seed=1)
    for question in session_questions(session):
        bank = question.question
        assert "{" not in question.text
        assert (question.type, question.difficulty, question.time_limit_seconds) == (
            bank.type, bank.difficulty, bank.time_limit_seconds
        )
        assert (question.key_points, question.reference_answer, question.levels) == (
            bank.key_points, bank.reference_answer, bank.levels
        )
        assert question.competency_id == bank.competency_id
        assert question.shown_at is None
    filled = [q for q in session_questions(session) if q.question.placeholders]
    assert filled, "the seed picks at least one situational template"
    assert any("CloudDesk" in q.text or "enterprise customers" in q.text or "8" in q.text for q in filled)
    # A later edit of the bank does not change the interview.
    bank = filled[0].question
    InterviewQuestion.objects.filter(pk=bank.pk).update(text="Changed")
    assert SessionQuestion.objects.get(pk=filled[0].pk).text == filled[0].text


def test_a_chinese_interview_uses_chinese_questions_and_context(org: dict[str, Any]) -> None:
    job = make_job(org["departments"]["sales"], title="客户成功经理", description=JOB_DESCRIPTION_ZH)
    session = make_session(make_application(job, language="zh-hans"), actor=org["users"]["hr"], language="zh-hans")
    questions = session_questions(session)
    assert {q.question.language for q in questions} == {"zh-hans"}
    assert Counter(q.competency.code for q in questions) == {code: 2 for code in MODEL_CODES}


def test_a_second_round_never_repeats_a_question(setup: InterviewSetup) -> None:
    first = setup.session(seed=1)
    interview_cancel(actor=setup.hr, session=first)
    second = setup.session(seed=1)
    assert second.round == 2
    first_codes = {q.question.code for q in session_questions(first)}
    second_codes = {q.question.code for q in session_questions(second)}
    assert first_codes.isdisjoint(second_codes)
    assert Counter(q.competency.code for q in session_questions(second)) == {code: 2 for code in MODEL_CODES}
    assert second.generator["parameters"]["excluded"] == sorted(first_codes)
    interview_cancel(actor=setup.hr, session=second)
    # 4 English questions per competency and 2 used twice: nothing is left for a third generated round.
    with pytest.raises(ValidationFailed) as caught:
        setup.session(seed=1)
    assert str(caught.value.message) == (
        "The questions could not be generated: the bank has no unused question in this language for "
        + ", ".join(c.name_en for c in Competency.objects.filter(code__in=MODEL_CODES).order_by("code"))
        + ". Add questions to the bank or choose them yourself."
    )
    assert caught.value.errors == {"questions": [caught.value.message]}


def test_chosen_questions_are_asked_in_the_order_given(setup: InterviewSetup) -> None:
    ids = bank_ids(["teamwork-en-1", "communication-en-3", "customer_orientation-en-2"])
    session = setup.session(questions=ids)
    assert [(q.position, q.question_id) for q in session_questions(session)] == list(zip([1, 2, 3], ids, strict=True))
    assert session.generator == {"name": "manual", "version": "1.0", "seed": None,
                                 "parameters": {"question_ids": ids}}


@pytest.mark.parametrize(("questions", "message"), [
    ([], "Choose at least one question, or “auto”."),
    (["1"], "Questions are given by their numeric ids."),
    ([True], "Questions are given by their numeric ids."),
    ("some", "Give “auto” or a list of question ids."),
    (list(range(1, 32)), "An interview has at most 30 questions."),
])
def test_malformed_question_lists_are_refused(setup: InterviewSetup, questions: Any, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        setup.session(questions=questions)
    assert caught.value.message == message
    assert InterviewSession.objects.count() == 0


def test_bad_question_ids_are_named(setup: InterviewSetup) -> None:
    en = bank_ids(["communication-en-1", "teamwork-en-1"])
    zh = bank_ids(["communication-zh-1"])
    missing = 999_999
    retired = bank_ids(["teamwork-en-2"])[0]
    InterviewQuestion.objects.filter(pk=retired).update(is_active=False, retired_at=timezone.now())
    cases = [
        ([en[0], en[0]], f"Each question can be asked once; repeated: {en[0]}."),
        ([en[0], missing], f"There is no question with id {missing}."),
        ([missing, missing + 1], f"There are no questions with ids {missing}, {missing + 1}."),
        ([retired], f"Question {retired} is retired."),
        ([en[1], zh[0]], f"Question {zh[0]} is not in the interview's language."),
    ]
    for ids, message in cases:
        with pytest.raises(ValidationFailed) as caught:
            setup.session(questions=ids)
        assert caught.value.message == message
        assert caught.value.errors == {"questions": [message]}
    assert InterviewSession.objects.count() == 0


def test_questions_of_earlier_rounds_cannot_be_chosen_again(setup: InterviewSetup) -> None:
    first = setup.session(seed=1)
    used = [q.question_id for q in session_questions(first)]
    interview_cancel(actor=setup.hr, session=first)
    fresh = bank_ids(["communication-en-1", "communication-en-2", "communication-en-3", "communication-en-4"])
    unused = next(pk for pk in fresh if pk not in used)
    with pytest.raises(ValidationFailed) as caught:
        setup.session(questions=[unused, used[0], used[1]])
    assert caught.value.message == (
        f"Questions {used[0]}, {used[1]} were already asked in earlier rounds for this application."
    )
    assert setup.session(questions=[unused]).round == 2


def test_a_job_without_a_competency_model_needs_chosen_questions(org: dict[str, Any]) -> None:
    job = make_job(org["departments"]["sales"], title="Analyst", model=())
    application = make_application(job)
    with pytest.raises(ValidationFailed) as caught:
        make_session(application, actor=org["users"]["hr"])
    assert caught.value.message == (
        "The job “Analyst” has no competency model, so questions cannot be generated. Add competencies to the job, "
        "or choose the questions yourself."
    )
    session = make_session(application, actor=org["users"]["hr"], questions=bank_ids(["integrity-en-1"]))
    assert session.questions.count() == 1


@pytest.mark.parametrize(("kwargs", "field", "message"), [
    ({"language": "fr"}, "language", "Choose the interview language: zh-hans, en."),
    ({"expires_in_days": 0}, "expires_in_days", "The link is valid for 1 to 60 days."),
    ({"expires_in_days": 61}, "expires_in_days", "The link is valid for 1 to 60 days."),
    ({"seed": "x"}, "seed", "The seed is a whole number."),
])
def test_bad_settings_are_refused(setup: InterviewSetup, kwargs: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        setup.session(**kwargs)
    assert caught.value.errors == {field: [message]}


def test_expiry_days_and_late_answers_follow_the_settings(setup: InterviewSetup, settings: Any) -> None:
    settings.TALENTLOOP_INTERVIEW_EXPIRES_DAYS = 3
    settings.TALENTLOOP_INTERVIEW_LATE_ANSWERS = "reject"
    before = timezone.now()
    session = setup.session()
    assert before + timedelta(days=3) <= session.expires_at <= timezone.now() + timedelta(days=3)
    assert session.accept_late_answers is False
    interview_cancel(actor=setup.hr, session=session)
    assert setup.session(expires_in_days=14).expires_at >= before + timedelta(days=14)


def test_inviting_moves_an_early_application_to_the_ai_interview_and_emails_the_link(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any], settings: Any,
) -> None:
    settings.TALENTLOOP_SITE_URL = "https://hr.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        session = setup.session()
    setup.application.refresh_from_db()
    assert setup.application.stage == Stage.AI_INTERVIEW
    change = StageChange.objects.get(application=setup.application)
    assert (change.from_stage, change.to_stage, change.actor, change.reason) == (
        "screening", "ai_interview", setup.hr, "Invited to AI interview round 1.",
    )
    invitation = mailoutbox[-1]
    assert invitation.subject == "TalentLoop: your AI interview for Customer Success Manager"
    assert invitation.to == ["emily@example.com"]
    body = invitation.body
    assert f"https://hr.example.com/interview/{session.token}/" in body
    assert f"The link works until {timezone.localtime(session.expires_at):%Y-%m-%d %H:%M}." in body
    assert "8 questions" in body
    assert "only the text of your answers; no voice, no video" in body
    assert "ask for a human interviewer instead" in body
    assert "a human review of the result afterwards" in body


def test_the_invitation_is_in_the_interview_language(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any],
) -> None:
    job = make_job(org["departments"]["sales"], title="客户成功经理", description=JOB_DESCRIPTION_ZH)
    application = make_application(job, name="张伟", email="zhang@example.com", language="en", stage=Stage.INTERVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        session = make_session(application, actor=org["users"]["hr"], language="zh-hans")
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW  # past the AI interview: stays where it is
    assert len(mailoutbox) == 1
    with translation.override("zh-hans"):  # the catalogue's wording, whatever it is today
        subject = gettext("%(company)s: your AI interview for %(job)s") % {
            "company": "TalentLoop", "job": "客户成功经理",
        }
    assert mailoutbox[0].subject == subject
    assert f"/interview/{session.token}/" in mailoutbox[0].body
    assert "张伟" in mailoutbox[0].body


def test_creation_is_audited(setup: InterviewSetup) -> None:
    session = setup.session(seed=2)
    entries = AuditEntry.objects.filter(object_type="interviews.interviewsession", object_id=str(session.pk))
    assert sorted(entries.values_list("field", flat=True)) == [
        "application", "expires_at", "language", "modalities", "questions", "round",
    ]
    assert {e.actor for e in entries} == {setup.hr}


def test_one_open_interview_at_a_time_and_closed_applications_are_refused(setup: InterviewSetup) -> None:
    session = setup.session()
    with pytest.raises(Conflict) as caught:
        setup.session()
    assert caught.value.message == (
        f"This candidate already has an open AI interview (round 1, link valid until "
        f"{timezone.localtime(session.expires_at):%Y-%m-%d %H:%M}). Cancel it before inviting again."
    )
    expire(session)
    assert setup.session().round == 2  # an expired, unstarted link does not block
    closed = make_application(setup.job, email="x@example.com", stage=Stage.REJECTED)
    with pytest.raises(Conflict) as caught:
        make_session(closed, actor=setup.hr)
    assert caught.value.message == (
        "The application is closed (Rejected); the candidate cannot be invited to an interview."
    )


@pytest.mark.parametrize("role", ["manager", "employee", "outsider", "candidate"])
def test_only_hr_and_recruiters_invite(setup: InterviewSetup, role: str) -> None:
    with pytest.raises(PermissionDenied) as caught:
        setup.session(actor=setup.org["users"][role])
    assert caught.value.message == "Only HR and recruiters may do this."
    assert setup.session(actor=setup.recruiter).invited_by == setup.recruiter


def test_cancel_closes_an_unfinished_interview_only(setup: InterviewSetup) -> None:
    session = setup.session()
    with pytest.raises(PermissionDenied):
        interview_cancel(actor=setup.org["users"]["manager"], session=session)
    assert interview_cancel(actor=setup.recruiter, session=session).status == InterviewSession.Status.CANCELLED
    with pytest.raises(Conflict) as caught:
        interview_cancel(actor=setup.hr, session=session)
    assert caught.value.message == "Only an interview that is not finished can be cancelled."


def test_interview_create_rejects_a_string_other_than_auto(setup: InterviewSetup) -> None:
    with pytest.raises(ValidationFailed):
        interview_create(actor=setup.hr, application=setup.application, questions="all", language="en")
