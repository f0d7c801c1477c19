"""Scoring services: each answer by the text scorer (with the active calibration, recorded), the report fused
from them once the interview is completed; both idempotent; an engine failure never breaks the interview."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from talentloop.assessment.answers import ENGINE, ENGINE_VERSION, Answer, TextAnswerScorer
from talentloop.assessment.interview import CompetencyWeight, FitBand, ScoredAnswer, best_evidence, fuse
from talentloop.interviews import tasks
from talentloop.interviews.models import InterviewAnswer, InterviewReport, InterviewSession, ScoringCalibration
from talentloop.interviews.services import scoring
from talentloop.interviews.services.answers import answer_submit
from talentloop.interviews.services.calibration import engine_question
from talentloop.interviews.services.scoring import answer_score, report_build

from ._support import (
    JOB_DESCRIPTION_ZH,
    InterviewSetup,
    answers_of,
    consent,
    make_application,
    make_job,
    make_session,
    session_questions,
    submit_answers,
    weak_text,
)

Session = InterviewSession


def _submitted(session: Session, position: int = 1, text: str | None = None) -> InterviewAnswer:
    consent(session)
    question = session_questions(session)[position - 1]
    answer_submit(token=session.token, question=position, text=text or question.reference_answer)
    return InterviewAnswer.objects.get(session_question=question)


def test_an_answer_is_scored_with_the_engine_recorded(interview_session: Session) -> None:
    answer = _submitted(interview_session)
    question = answer.session_question
    scored = answer_score(answer_id=answer.pk)
    assert scored is not None
    expected = TextAnswerScorer().score(engine_question(question, "en"), Answer(question.reference_answer))
    assert scored.status == "scored"
    assert scored.score == expected.score
    assert scored.subscores == dict(expected.subscores)
    assert scored.evidence == [e.to_dict() for e in expected.evidence]
    assert scored.missing_key_points == list(expected.missing_key_points)
    assert scored.matched_key_points == list(expected.matched_key_points)
    assert scored.flags == list(expected.flags)
    assert scored.engine == {
        "name": ENGINE, "version": ENGINE_VERSION, "parameters": expected.to_dict()["parameters"], "calibration": None,
    }
    assert scored.scored_at is not None
    assert scored.language_mismatch is False


def test_scoring_again_changes_nothing(interview_session: Session) -> None:
    answer = _submitted(interview_session)
    first = answer_score(answer_id=answer.pk)
    second = answer_score(answer_id=answer.pk)
    assert first is not None
    assert second is not None
    assert (second.score, second.scored_at) == (first.score, first.scored_at)
    assert answer_score(answer_id=10**9) is None
    assert tasks.answer_score_task(answer.pk) == "scored"


def test_the_active_calibration_is_applied_and_recorded(interview_session: Session) -> None:
    ScoringCalibration.objects.create(version=1, engine=ENGINE, engine_version=ENGINE_VERSION, n_ratings=12,
                                      parameters={"slope": 2.0, "intercept": -5.0}, is_active=False)
    ScoringCalibration.objects.create(version=2, engine=ENGINE, engine_version=ENGINE_VERSION, n_ratings=20,
                                      parameters={"slope": 0.5, "intercept": 10.0}, is_active=True)
    answer = _submitted(interview_session)
    raw = TextAnswerScorer().score(engine_question(answer.session_question, "en"), Answer(answer.text)).score
    scored = answer_score(answer_id=answer.pk)
    assert scored is not None
    assert scored.score is not None
    # The calibration maps the uncalibrated raw score (before its rounding to one decimal).
    assert abs(scored.score - round(0.5 * raw + 10.0, 1)) <= 0.1
    assert scored.engine["calibration"] == 2
    assert scored.engine["parameters"]["calibration"] == {"slope": 0.5, "intercept": 10.0}


def test_an_engine_failure_marks_the_answer_failed_and_the_report_still_builds(
    interview_session: Session, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    class Broken:
        def score(self, *args: Any) -> Any:
            raise RuntimeError("engine bug")

    real = scoring._scorer
    calls = {"n": 0}

    def flaky(slope: float, intercept: float) -> Any:
        calls["n"] += 1
        return Broken() if calls["n"] == 1 else real(slope, intercept)

    monkeypatch.setattr(scoring, "_scorer", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        session = submit_answers(interview_session)
    answers = answers_of(session)
    assert answers[0].status == "failed"
    assert answers[0].score is None
    assert [a.status for a in answers[1:]] == ["scored"] * 7
    assert "Scoring failed for interview answer" in caplog.text
    report = InterviewReport.objects.get(session=session)
    assert report.status == "ready"
    communication = report.competencies[0]
    assert (communication["code"], communication["answers"]) == ("communication", 1)


def test_the_report_waits_for_completion_and_every_score(interview_session: Session) -> None:
    answer = _submitted(interview_session)
    answer_score(answer_id=answer.pk)
    assert report_build(session_id=interview_session.pk) is None  # not completed
    assert tasks.report_build_task(interview_session.pk) is None
    session = submit_answers(interview_session, {2: "Another answer."})  # tasks not run: 2 stays submitted
    report = report_build(session_id=session.pk)
    assert report is not None
    assert report.status == "scoring"
    for row in answers_of(session):
        answer_score(answer_id=row.pk)
    built = report_build(session_id=session.pk)
    assert built is not None
    assert built.status == "ready"
    again = report_build(session_id=session.pk)
    assert again is not None
    assert again.built_at == built.built_at
    assert report_build(session_id=10**9) is None


def test_the_report_is_the_fusion_of_the_stored_scores(
    interview_session: Session, django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        session = submit_answers(interview_session, lambda q: q.reference_answer if q.position % 2 else weak_text(q))
    answers = answers_of(session)
    expected = fuse(
        answers=[ScoredAnswer(
            position=a.session_question.position, competency=a.session_question.competency.code, score=a.score or 0.0,
            evidence=best_evidence(a.evidence), missing_key_points=tuple(a.missing_key_points),
            flags=tuple(a.flags),
        ) for a in answers],
        model=[CompetencyWeight("communication", 0.3, 70), CompetencyWeight("customer_orientation", 0.3, 70),
               CompetencyWeight("teamwork", 0.2, 65), CompetencyWeight("problem_solving", 0.2, 60)],
        bands=[FitBand("junior", 1, 60, 74), FitBand("mid", 2, 75, 89), FitBand("senior", 3, 90, 100)],
    ).to_dict()
    report = InterviewReport.objects.get(session=session)
    assert report.overall_score == expected["overall_score"]
    assert report.fit_level == expected["fit_level"]
    assert report.competencies == expected["competencies"]
    assert report.strengths == expected["strengths"]
    assert report.weaknesses == expected["weaknesses"]
    assert report.engine == {**expected["engine"], "answer_engines": [{"name": ENGINE, "version": ENGINE_VERSION}],
                             "calibration": None}
    assert report.built_at is not None
    assert report.built_at <= timezone.now()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_strong_answers_score_clearly_above_weak_ones(
    org: dict[str, Any], language: str, django_capture_on_commit_callbacks: Any,
) -> None:
    description = JOB_DESCRIPTION_ZH if language == "zh-hans" else "Our CloudDesk platform team of 8."
    job = make_job(org["departments"]["sales"], description=description)
    overall = {}
    for kind in ("strong", "weak"):
        application = make_application(job, email=f"{kind}@example.com", language=language)
        session = make_session(application, actor=org["users"]["hr"], language=language, seed=5)
        with django_capture_on_commit_callbacks(execute=True):
            submit_answers(session, (lambda q: q.reference_answer) if kind == "strong" else weak_text)
        overall[kind] = InterviewReport.objects.get(session=session).overall_score
    assert overall["strong"] is not None
    assert overall["weak"] is not None
    assert overall["strong"] - overall["weak"] >= 30


def test_unanswered_questions_count_zero_in_the_report(
    setup: InterviewSetup, django_capture_on_commit_callbacks: Any,
) -> None:
    session = setup.session(seed=1)
    with django_capture_on_commit_callbacks(execute=True):
        submit_answers(session, {})
    report = InterviewReport.objects.get(session=session)
    assert (report.status, report.overall_score) == ("ready", 0.0)
    assert report.engine["answer_engines"] == []
    assert [c["score"] for c in report.competencies] == [0.0, 0.0, 0.0, 0.0]


def test_a_report_left_scoring_by_a_lost_task_is_queued_again(
    interview_session: Session, django_capture_on_commit_callbacks: Any,
) -> None:
    # Outside the capture the after-commit tasks never run: exactly what a worker lost mid-task leaves behind.
    session = submit_answers(interview_session)
    report = InterviewReport.objects.get(session=session)
    assert report.status == InterviewReport.Status.SCORING
    assert scoring.reports_stuck_requeue() == 0  # handed in just now: only slow, not stuck

    InterviewSession.objects.filter(pk=session.pk).update(completed_at=timezone.now() - scoring.STUCK_AFTER * 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reports_sweep_task.delay().get() == 1

    report.refresh_from_db()
    assert report.status == InterviewReport.Status.READY
    assert set(InterviewAnswer.objects.filter(session_question__session=session).values_list("status", flat=True)) \
        == {"scored"}
    assert scoring.reports_stuck_requeue() == 0
