"""Written tests, service by service: building with every validation rule, assigning (stage move and emails),
the candidate's side (start once, autosave, submit, the deadline and its grace, expired / submitted / unknown
links), grading with hand-computed scores and the partial-credit rules, and the reviewer's points."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

import pytest
from django.utils import timezone

from talentloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.testing.factories import JobFactory
from talentloop.org.models import Job
from talentloop.recruiting.models import (
    Application,
    Candidate,
    Stage,
    StageChange,
    WrittenTest,
    WrittenTestQuestion,
    WrittenTestSitting,
)
from talentloop.recruiting.services import written_tests as services

pytestmark = pytest.mark.django_db

Org = dict[str, Any]

# The hand-computed example: 2 + 3 + 4 + 5 + 1 = 15 points.
EXAMPLE: list[dict[str, Any]] = [
    {"kind": "single", "text": "2 + 2 = ?", "options": ["3", "4", "5"], "correct": [1], "points": 2},
    {"kind": "multiple", "text": "Which are prime?", "options": ["2", "4", "5", "9"], "correct": [0, 2], "points": 3},
    {"kind": "multiple", "text": "Which are even?", "options": ["1", "2", "3", "6"], "correct": [1, 3], "points": 4},
    {"kind": "short", "text": "Describe a project you are proud of.", "points": 5},
    {"kind": "single", "text": "Capital of China?", "options": ["北京", "上海"], "correct": [0], "points": 1},
]


def make_job(org: Org, **fields: Any) -> Job:
    return cast(Job, JobFactory(department=org["departments"]["sales"], **fields))


def make_application(
    org: Org, *, job: Job | None = None, stage: str = Stage.SCREENING, email: str = "zhang.san@example.com",
    name: str = "张三", language: str = "en",
) -> Application:
    candidate = Candidate.objects.create(name=name, email=email, language=language)
    return Application.objects.create(candidate=candidate, job=job or make_job(org), stage=stage)


def make_test(
    org: Org, *, questions: Sequence[dict[str, Any]] = EXAMPLE, job: Job | None = None, minutes: int = 30,
    title: str = "Sales aptitude",
) -> WrittenTest:
    return services.written_test_create(
        actor=org["users"]["hr"],
        data={"title": title, "job": job, "instructions": "Answer every question.", "time_limit_minutes": minutes},
        questions=[dict(q) for q in questions],
    )


def assign(org: Org, test: WrittenTest, application: Application, days: int = 7) -> WrittenTestSitting:
    return services.written_test_assign(
        actor=org["users"]["hr"], application=application, test=test, expires_in_days=days
    )


def question_ids(test: WrittenTest) -> list[int]:
    return list(test.questions.order_by("position", "pk").values_list("pk", flat=True))


def started(org: Org, *, questions: Sequence[dict[str, Any]] = EXAMPLE, minutes: int = 30) -> WrittenTestSitting:
    sitting = assign(org, make_test(org, questions=questions, minutes=minutes), make_application(org))
    return services.sitting_start(token=sitting.token)


def shift_start(sitting: WrittenTestSitting, seconds_ago: int) -> None:
    """Pretend the candidate started `seconds_ago` seconds ago."""
    WrittenTestSitting.objects.filter(pk=sitting.pk).update(started_at=timezone.now() - timedelta(seconds=seconds_ago))


def errors_of(call: Callable[[], Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return {k: [str(m) for m in v] for k, v in caught.value.errors.items()}


# --- Building ----------------------------------------------------------------------------------------------


def test_a_test_is_built_with_its_questions_in_order(org: Org) -> None:
    job = make_job(org)
    test = make_test(org, job=job)
    assert (test.title, test.job, test.instructions, test.time_limit_minutes, test.created_by) == (
        "Sales aptitude", job, "Answer every question.", 30, org["users"]["hr"],
    )
    rows = list(test.questions.order_by("position").values_list("kind", "options", "correct", "points", "position"))
    assert rows == [
        ("single", ["3", "4", "5"], [1], Decimal("2.0"), 0),
        ("multiple", ["2", "4", "5", "9"], [0, 2], Decimal("3.0"), 1),
        ("multiple", ["1", "2", "3", "6"], [1, 3], Decimal("4.0"), 2),
        ("short", [], [], Decimal("5.0"), 3),
        ("single", ["北京", "上海"], [0], Decimal("1.0"), 4),
    ]
    entry = AuditEntry.objects.get(object_type="recruiting.writtentest", object_id=str(test.pk))
    assert (entry.action, entry.field, entry.actor) == ("create", "questions", org["users"]["hr"])


def test_a_recruiter_may_build_tests_and_other_roles_may_not(org: Org) -> None:
    data = {"title": "T", "job": None, "instructions": "", "time_limit_minutes": 10}
    questions = [dict(EXAMPLE[0])]
    test = services.written_test_create(actor=org["users"]["recruiter"], data=data, questions=questions)
    assert test.questions.count() == 1
    for role in ("manager", "employee", "candidate"):
        with pytest.raises(PermissionDenied):
            services.written_test_create(actor=org["users"][role], data=data, questions=questions)
    assert WrittenTest.objects.count() == 1


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        ({"kind": "single", "text": "Q", "options": ["a", "b"], "correct": [0, 1]},
         "A one-answer question has exactly one correct option."),
        ({"kind": "single", "text": "Q", "options": ["a", "b"], "correct": []},
         "A one-answer question has exactly one correct option."),
        ({"kind": "multiple", "text": "Q", "options": ["a", "b"], "correct": []},
         "A multiple-answer question has at least one correct option."),
        ({"kind": "single", "text": "Q", "options": ["a"], "correct": [0]},
         "A choice question has 2 to 10 options; this one has 1."),
        ({"kind": "multiple", "text": "Q", "options": [str(i) for i in range(11)], "correct": [0]},
         "A choice question has 2 to 10 options; this one has 11."),
        ({"kind": "short", "text": "Q", "options": ["a", "b"], "correct": []},
         "A short-answer question has no options or correct answers; a reviewer scores it."),
        ({"kind": "single", "text": "Q", "options": ["a", "b"], "correct": [2]},
         "A correct answer points to an option that does not exist."),
        ({"kind": "single", "text": "Q", "options": ["a", "a"], "correct": [0]}, "Two options are the same."),
        ({"kind": "single", "text": "Q", "options": ["a", " "], "correct": [0]}, "An option is empty."),
        ({"kind": "single", "text": " ", "options": ["a", "b"], "correct": [0]}, "The question has no text."),
        ({"kind": "essay", "text": "Q"},
         "Choose the kind of question: one answer, multiple answers or short answer."),
        ({"kind": "short", "text": "Q", "points": 0}, "Points must be a number above 0 and at most 1000."),
        ({"kind": "short", "text": "Q", "points": "1.25"}, "Points may have at most one decimal place."),
    ],
)
def test_each_question_rule_is_explained(org: Org, question: dict[str, Any], problem: str) -> None:
    questions = [dict(EXAMPLE[0]), {"points": 1, **question}]
    with pytest.raises(services.QuestionsInvalid) as caught:
        make_test(org, questions=questions)
    assert caught.value.errors == {"questions": [f"Question 2: {problem}"]}
    assert caught.value.by_question == {1: [problem]}
    assert WrittenTest.objects.count() == 0


@pytest.mark.parametrize(("minutes", "valid"), [(0, False), (1, True), (300, True), (301, False)])
def test_the_time_limit_is_1_to_300_minutes(org: Org, minutes: int, valid: bool) -> None:
    if valid:
        assert make_test(org, minutes=minutes).time_limit_minutes == minutes
        return
    assert errors_of(lambda: make_test(org, minutes=minutes)) == {
        "time_limit_minutes": ["The time limit is 1 to 300 minutes."]
    }


def test_every_problem_is_reported_at_once(org: Org) -> None:
    def call() -> WrittenTest:
        return services.written_test_create(
            actor=org["users"]["hr"], data={"title": " ", "time_limit_minutes": 0}, questions=[],
        )

    assert errors_of(call) == {
        "title": ["A test needs a title."],
        "time_limit_minutes": ["The time limit is 1 to 300 minutes."],
        "questions": ["A test needs at least one question."],
    }


def test_update_keeps_edits_adds_and_removes_questions_by_id(org: Org) -> None:
    test = make_test(org, questions=EXAMPLE[:3])
    first, second, third = question_ids(test)
    services.written_test_update(
        actor=org["users"]["recruiter"], test=test, changes={"title": "Sales aptitude v2"},
        questions=[
            {"id": third, "kind": "short", "text": "Now a short one", "points": 2},
            {"id": first, **EXAMPLE[0]},
            {"kind": "single", "text": "New", "options": ["y", "n"], "correct": [1], "points": 1},
        ],
    )
    test.refresh_from_db()
    rows = list(test.questions.order_by("position").values_list("pk", "kind", "text"))
    assert rows[:2] == [(third, "short", "Now a short one"), (first, "single", "2 + 2 = ?")]
    assert rows[2][1:] == ("single", "New")
    assert rows[2][0] not in (first, second, third)
    assert test.title == "Sales aptitude v2"
    fields = set(AuditEntry.objects.filter(action="update", object_id=str(test.pk)).values_list("field", flat=True))
    assert fields == {"title", "questions"}


def test_update_refuses_a_question_of_another_test(org: Org) -> None:
    test, other = make_test(org), make_test(org, title="Other")
    foreign = question_ids(other)[0]
    with pytest.raises(services.QuestionsInvalid) as caught:
        services.written_test_update(
            actor=org["users"]["hr"], test=test, changes={}, questions=[{"id": foreign, **EXAMPLE[0]}]
        )
    assert caught.value.errors == {
        "questions": ["Question 1: This question does not belong to this test (or appears twice)."]
    }


def test_questions_and_time_limit_are_frozen_once_a_candidate_started(org: Org) -> None:
    sitting = started(org)
    test = sitting.test
    same = [{"id": pk, **q} for pk, q in zip(question_ids(test), EXAMPLE, strict=True)]
    services.written_test_update(actor=org["users"]["hr"], test=test, changes={"title": "Renamed"}, questions=same)
    with pytest.raises(Conflict) as caught:
        services.written_test_update(actor=org["users"]["hr"], test=test, changes={}, questions=same[:-1])
    assert str(caught.value.message) == (
        "Candidates have already started this test, so its questions and time limit can no longer change. "
        "Create a new test instead."
    )
    with pytest.raises(Conflict):
        services.written_test_update(actor=org["users"]["hr"], test=test, changes={"time_limit_minutes": 45})
    test.refresh_from_db()
    assert (test.title, test.time_limit_minutes, test.questions.count()) == ("Renamed", 30, 5)


def test_a_test_given_to_someone_is_not_deleted(org: Org) -> None:
    sitting = assign(org, make_test(org), make_application(org))
    with pytest.raises(Conflict):
        services.written_test_delete(actor=org["users"]["hr"], test=sitting.test)
    unused = make_test(org, title="Unused")
    with pytest.raises(PermissionDenied):
        services.written_test_delete(actor=org["users"]["manager"], test=unused)
    services.written_test_delete(actor=org["users"]["hr"], test=unused)
    assert list(WrittenTest.objects.values_list("title", flat=True)) == ["Sales aptitude"]


# --- Assigning ---------------------------------------------------------------------------------------------


def test_assigning_moves_the_application_to_the_written_test_and_emails_the_candidate(
    org: Org, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any],
) -> None:
    application = make_application(org, stage=Stage.SCREENING)
    test = make_test(org)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        sitting = services.written_test_assign(
            actor=org["users"]["recruiter"], application=application, test=test, expires_in_days=3,
            site_url="https://hr.example.com/",
        )
    application.refresh_from_db()
    assert application.stage == Stage.WRITTEN_TEST
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage, change.actor, change.reason, change.email_sent) == (
        "screening", "written_test", org["users"]["recruiter"], "Written test “Sales aptitude” assigned.", True,
    )
    assert len(sitting.token) == 43
    assert sitting.status == WrittenTestSitting.Status.ASSIGNED
    assert before + timedelta(days=3) <= sitting.expires_at <= timezone.now() + timedelta(days=3)
    job = application.job.title
    assert [m.subject for m in mailoutbox] == [
        f"TalentLoop: written test for {job}", f"TalentLoop: your written test for {job}",
    ]
    assert [m.to for m in mailoutbox] == [["zhang.san@example.com"], ["zhang.san@example.com"]]
    assert f"https://hr.example.com/careers/test/{sitting.token}/" in mailoutbox[1].body
    assert "Once you start you have 30 minutes" in mailoutbox[1].body


def test_an_application_already_past_the_test_stage_stays_where_it_is(
    org: Org, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any],
) -> None:
    application = make_application(org, stage=Stage.INTERVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        assign(org, make_test(org), application)
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    assert StageChange.objects.filter(application=application).count() == 0
    assert mailoutbox == []  # no stage change, and no site address given for a link email


def test_assigning_is_refused_for_closed_applications_bad_expiry_and_open_links(org: Org) -> None:
    test = make_test(org)
    closed = make_application(org, stage=Stage.REJECTED, email="a@example.com")
    with pytest.raises(Conflict) as caught:
        assign(org, test, closed)
    assert str(caught.value.message) == "The application is closed (Rejected); it cannot be given a test."
    application = make_application(org, email="b@example.com")
    for days in (0, 91):
        with pytest.raises(ValidationFailed) as refused:
            assign(org, test, application, days=days)
        assert refused.value.errors == {"expires_in_days": ["The link is valid for 1 to 90 days."]}
    first = assign(org, test, application)
    with pytest.raises(Conflict):
        assign(org, test, application)
    WrittenTestSitting.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    second = assign(org, test, application)
    assert second.token != first.token
    for role in ("manager", "employee"):
        with pytest.raises(PermissionDenied):
            services.written_test_assign(
                actor=org["users"][role], application=application, test=test, expires_in_days=1
            )


# --- The candidate's side ----------------------------------------------------------------------------------


def test_the_timer_starts_once(org: Org) -> None:
    sitting = started(org)
    first = sitting.started_at
    assert sitting.status == WrittenTestSitting.Status.IN_PROGRESS
    again = services.sitting_start(token=sitting.token)
    assert again.started_at == first


def test_autosave_keeps_the_draft_and_refuses_impossible_answers(org: Org) -> None:
    sitting = started(org)
    q1, q2, _q3, q4, _q5 = question_ids(sitting.test)
    services.sitting_save_draft(token=sitting.token, answers={str(q1): ["1"], str(q2): ["2", "0"], str(q4): "草稿"})
    sitting.refresh_from_db()
    assert sitting.answers == {str(q1): [1], str(q2): [0, 2], str(q4): "草稿"}
    assert sitting.submitted_at is None
    with pytest.raises(ValidationFailed) as caught:
        services.sitting_save_draft(token=sitting.token, answers={str(q1): ["0", "1"]})
    assert str(caught.value.message) == "Question 1 takes one answer."
    with pytest.raises(ValidationFailed) as caught:
        services.sitting_save_draft(token=sitting.token, answers={str(q2): ["7"]})
    assert str(caught.value.message) == "An answer to question 2 is not one of its options."
    sitting.refresh_from_db()
    assert sitting.answers == {str(q1): [1], str(q2): [0, 2], str(q4): "草稿"}


def test_a_token_reaches_only_its_own_sitting(org: Org) -> None:
    mine = started(org)
    other = started(org, questions=[EXAMPLE[0]])
    foreign = question_ids(other.test)[0]
    own = question_ids(mine.test)[0]
    services.sitting_save_draft(token=mine.token, answers={str(foreign): ["1"], str(own): ["1"]})
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.answers, other.answers) == ({str(own): [1]}, {})


def test_submission_grades_the_hand_computed_example_and_review_completes_it(org: Org) -> None:
    sitting = started(org)
    q1, q2, q3, q4, q5 = question_ids(sitting.test)
    answers = {
        str(q1): ["1"],        # correct: 2 points
        str(q2): ["0", "2"],   # exactly the correct set: 3 points
        str(q3): ["1"],        # only one of the two correct options: 0 of 4
        str(q4): "I led the launch of our mini-program.",
        str(q5): ["1"],        # wrong: 0 of 1
    }
    result = services.sitting_submit(token=sitting.token, answers=answers)
    assert result.answers_accepted is True
    sitting.refresh_from_db()
    assert (sitting.status, sitting.auto_points, sitting.score) == ("submitted", Decimal("5.0"), None)
    assert sitting.manual_points == {}
    assert Application.objects.get(pk=sitting.application_id).written_test_score is None

    reviewed = services.sitting_review(actor=org["users"]["recruiter"], sitting=sitting, points={q4: "3.5"})
    # (5 + 3.5) / 15 × 100 = 56.666… → 56.67
    assert (reviewed.status, reviewed.score, reviewed.reviewed_by) == ("graded", 56.67, org["users"]["recruiter"])
    assert reviewed.manual_points == {str(q4): "3.5"}
    assert Application.objects.get(pk=sitting.application_id).written_test_score == 56.67
    fields = set(AuditEntry.objects.filter(object_type="recruiting.writtentestsitting", action="update")
                 .values_list("field", flat=True))
    assert fields == {"manual_points", "score"}


@pytest.mark.parametrize(
    ("chosen", "points"),
    [
        (["0", "2"], Decimal("3.0")),   # exactly the correct set
        (["2", "0"], Decimal("3.0")),   # order does not matter
        (["0"], Decimal("0")),          # a subset earns nothing
        (["0", "1", "2"], Decimal("0")),  # a superset earns nothing
        (["1", "3"], Decimal("0")),     # wrong options
        ([], Decimal("0")),             # unanswered
    ],
)
def test_multiple_answers_earn_full_points_only_for_the_exact_set(
    org: Org, chosen: list[str], points: Decimal
) -> None:
    sitting = started(org, questions=[EXAMPLE[1]])
    (question,) = question_ids(sitting.test)
    services.sitting_submit(token=sitting.token, answers={str(question): chosen})
    sitting.refresh_from_db()
    assert (sitting.auto_points, sitting.status, sitting.score) == (points, "graded", float(points / 3 * 100))


def test_a_blank_short_answer_gets_zero_without_review(org: Org) -> None:
    sitting = started(org, questions=[EXAMPLE[0], EXAMPLE[3]])
    single, short = question_ids(sitting.test)
    services.sitting_submit(token=sitting.token, answers={str(single): ["1"], str(short): "   "})
    sitting.refresh_from_db()
    # 2 of 7 points: 28.571… → 28.57
    assert (sitting.status, sitting.manual_points, sitting.score) == ("graded", {str(short): "0"}, 28.57)
    assert Application.objects.get(pk=sitting.application_id).written_test_score == 28.57


def test_review_checks_points_and_who_reviews(org: Org) -> None:
    sitting = started(org)
    q1, _q2, _q3, q4, _q5 = question_ids(sitting.test)
    with pytest.raises(Conflict) as caught:
        services.sitting_review(actor=org["users"]["hr"], sitting=sitting, points={q4: 1})
    assert str(caught.value.message) == "The candidate has not submitted this test yet."
    services.sitting_submit(token=sitting.token, answers={str(q4): "answer"})
    assert errors_of(lambda: services.sitting_review(
        actor=org["users"]["hr"], sitting=sitting, points={q4: "5.5", q1: 1, "x": 1}
    )) == {"points": [
        "Question 4: give 0 to 5 points.",
        f"Question {q1} is not a short-answer question of this test.",
        "Question x is not a short-answer question of this test.",
    ]}
    assert errors_of(lambda: services.sitting_review(actor=org["users"]["hr"], sitting=sitting, points={q4: -1})) == {
        "points": ["Question 4: give 0 to 5 points."]
    }
    for role in ("manager", "employee"):
        with pytest.raises(PermissionDenied):
            services.sitting_review(actor=org["users"][role], sitting=sitting, points={q4: 1})
    sitting.refresh_from_db()
    assert (sitting.manual_points, sitting.score) == ({}, None)


def test_a_review_can_be_corrected(org: Org) -> None:
    sitting = started(org, questions=[EXAMPLE[3]])
    (short,) = question_ids(sitting.test)
    services.sitting_submit(token=sitting.token, answers={str(short): "text"})
    services.sitting_review(actor=org["users"]["hr"], sitting=sitting, points={str(short): 5})
    corrected = services.sitting_review(actor=org["users"]["hr"], sitting=sitting, points={str(short): "2"})
    assert (corrected.score, corrected.manual_points) == (40.0, {str(short): "2.0"})
    assert Application.objects.get(pk=sitting.application_id).written_test_score == 40.0


# --- Time: the deadline and its grace ----------------------------------------------------------------------


def test_answers_a_little_after_the_time_limit_are_accepted(org: Org) -> None:
    sitting = started(org, questions=[EXAMPLE[0]], minutes=10)
    (question,) = question_ids(sitting.test)
    shift_start(sitting, 10 * 60 + 45)  # 45 s after the deadline, within the 60 s grace
    with pytest.raises(services.SittingTimeUp):
        services.sitting_save_draft(token=sitting.token, answers={str(question): ["0"]})
    result = services.sitting_submit(token=sitting.token, answers={str(question): ["1"]})
    assert result.answers_accepted is True
    sitting.refresh_from_db()
    assert (sitting.answers, sitting.score, services.sitting_timed_out(sitting)) == ({str(question): [1]}, 100.0, False)


def test_later_answers_are_refused_and_the_saved_draft_is_submitted(org: Org) -> None:
    sitting = started(org, questions=[EXAMPLE[0], EXAMPLE[3]], minutes=10)
    single, short = question_ids(sitting.test)
    services.sitting_save_draft(token=sitting.token, answers={str(single): ["1"], str(short): "typed in time"})
    shift_start(sitting, 10 * 60 + 75)  # 75 s after the deadline
    result = services.sitting_submit(token=sitting.token, answers={str(single): ["0"], str(short): "typed too late"})
    assert result.answers_accepted is False
    sitting.refresh_from_db()
    assert sitting.answers == {str(single): [1], str(short): "typed in time"}
    assert (sitting.status, sitting.auto_points) == ("submitted", Decimal("2.0"))
    assert services.sitting_timed_out(sitting) is True
    with pytest.raises(services.SittingSubmitted) as caught:
        services.sitting_submit(token=sitting.token, answers={})
    assert str(caught.value.message).startswith("The time for this test ran out at ")


def test_a_sitting_whose_time_ran_out_is_closed_when_opened(org: Org) -> None:
    sitting = started(org, questions=[EXAMPLE[0]], minutes=5)
    (question,) = question_ids(sitting.test)
    services.sitting_save_draft(token=sitting.token, answers={str(question): ["1"]})
    shift_start(sitting, 60 * 60)
    opened = services.sitting_open(token=sitting.token)
    assert (opened.status, opened.score, services.sitting_state(opened)) == ("graded", 100.0, "submitted")
    with pytest.raises(services.SittingSubmitted):
        services.sitting_save_draft(token=sitting.token, answers={str(question): ["0"]})


# --- Links that no longer lead to the test -----------------------------------------------------------------


def test_an_expired_link_cannot_be_started(org: Org) -> None:
    sitting = assign(org, make_test(org), make_application(org))
    WrittenTestSitting.objects.filter(pk=sitting.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.SittingExpired) as caught:
        services.sitting_start(token=sitting.token)
    assert str(caught.value.message).startswith("This test link expired on ")
    assert str(caught.value.message).endswith("If you still want to take the test, please contact the recruiter.")
    with pytest.raises(services.SittingExpired):
        services.sitting_submit(token=sitting.token, answers={})
    assert services.sitting_state(services.sitting_open(token=sitting.token)) == "expired"


def test_a_test_started_before_the_link_expired_can_be_finished(org: Org) -> None:
    sitting = started(org, questions=[EXAMPLE[0]])
    (question,) = question_ids(sitting.test)
    WrittenTestSitting.objects.filter(pk=sitting.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.sitting_submit(token=sitting.token, answers={str(question): ["1"]}).answers_accepted is True


def test_a_submitted_test_cannot_be_started_saved_or_submitted_again(org: Org) -> None:
    sitting = started(org, questions=[EXAMPLE[0]])
    services.sitting_submit(token=sitting.token, answers={})
    for call in (
        lambda: services.sitting_start(token=sitting.token),
        lambda: services.sitting_save_draft(token=sitting.token, answers={}),
        lambda: services.sitting_submit(token=sitting.token, answers={}),
    ):
        with pytest.raises(services.SittingSubmitted) as caught:
            call()
        assert str(caught.value.message).startswith("You already submitted this test on ")


def test_an_unknown_token_is_not_found(org: Org) -> None:
    started(org)
    for call in (
        lambda: services.sitting_open(token="nope"),
        lambda: services.sitting_start(token="nope"),
        lambda: services.sitting_save_draft(token="nope", answers={}),
        lambda: services.sitting_submit(token="", answers={}),
    ):
        with pytest.raises(NotFound) as caught:
            call()
        assert str(caught.value.message) == (
            "This test link is not valid. Please check that you copied the whole link from the email."
        )


def test_submitting_before_starting_is_refused(org: Org) -> None:
    sitting = assign(org, make_test(org), make_application(org))
    with pytest.raises(ValidationFailed) as caught:
        services.sitting_submit(token=sitting.token, answers={})
    assert str(caught.value.message) == "Start the test first."


# --- Reads -------------------------------------------------------------------------------------------------


def test_managers_read_tests_of_their_jobs_and_general_ones(org: Org) -> None:
    sales_job = make_job(org)
    rd_job = cast(Job, JobFactory(department=org["departments"]["rd"]))
    make_test(org, job=sales_job, title="Sales")
    make_test(org, job=rd_job, title="R&D")
    make_test(org, title="General")
    manager = cast(User, org["users"]["manager"])
    assert sorted(t.title for t in services.written_test_list(user=manager)) == ["General", "Sales"]
    assert sorted(t.title for t in services.written_test_list(user=org["users"]["hr"])) == ["General", "R&D", "Sales"]
    for role in ("employee", "candidate"):
        with pytest.raises(PermissionDenied):
            services.written_test_list(user=org["users"][role])
    questions = WrittenTestQuestion.objects.filter(test__title="Sales").count()
    assert questions == len(EXAMPLE)
