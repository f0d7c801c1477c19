"""Data for the calibration tests: a job whose model is "analysis" (required 75) and "teamwork" (required 70),
questions in use for both, and hires with an interview (report + answers) and submitted reviews whose scores
the tests choose, so every statistic can be computed independently on the same numbers."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.utils import timezone

from talentloop.core.testing.factories import CompetencyFactory, EmployeeFactory, JobCompetencyFactory, JobFactory
from talentloop.interviews.models import (
    InterviewAnswer,
    InterviewQuestion,
    InterviewReport,
    InterviewSession,
    SessionQuestion,
)
from talentloop.org.models import Competency, Employee, Job
from talentloop.performance.models import PerformanceCycle, Review, ReviewScore
from talentloop.recruiting.models import Application, Candidate


@dataclass
class Setup:
    job: Job
    analysis: Competency
    teamwork: Competency
    questions: dict[str, InterviewQuestion]
    cycles: list[PerformanceCycle]


def question(code: str, competency: Competency, *, text: str = "", active: bool = True) -> InterviewQuestion:
    return InterviewQuestion.objects.create(
        code=code, competency=competency, language="en", type="behavioral",
        text=text or f"Tell me about a time you used {competency.name_en.lower()} ({code}).",
        key_points=[{"point": "situation", "synonyms": []}], is_active=active,
    )


def setup_job() -> Setup:
    analysis = cast(Competency, CompetencyFactory(code="cal_analysis", name="数据分析", name_en="Data analysis"))
    teamwork = cast(Competency, CompetencyFactory(code="cal_teamwork", name="协作", name_en="Collaboration"))
    job = cast(Job, JobFactory(title="Data analyst"))
    JobCompetencyFactory(job=job, competency=analysis, weight=Decimal("0.6"), required_score=75, position=1)
    JobCompetencyFactory(job=job, competency=teamwork, weight=Decimal("0.4"), required_score=70, position=2)
    questions = {
        "cal-a1": question("cal-a1", analysis, text="Walk me through an analysis that changed a decision."),
        "cal-a2": question("cal-a2", analysis, text="How do you check that a dataset is right?"),
        "cal-t1": question("cal-t1", teamwork, text="Tell me about a disagreement in a team."),
    }
    cycles = [
        PerformanceCycle.objects.create(name=f"Cycle {i}", start=dt.date(2024, 1 + 3 * i, 1),
                                        end=dt.date(2024, 3 + 3 * i, 28))
        for i in range(4)
    ]
    return Setup(job, analysis, teamwork, questions, cycles)


def add_interview(
    setup: Setup, application: Application, scores: dict[str, float | None],
    answers: dict[str, float | None] | None = None, *, round: int = 1, built_minutes_ago: int = 0,
    ready: bool = True,
) -> InterviewSession:
    session = InterviewSession.objects.create(
        application=application, round=round, token=secrets.token_urlsafe(24), language="en",
        status=InterviewSession.Status.COMPLETED, expires_at=timezone.now() + dt.timedelta(days=7),
    )
    InterviewReport.objects.create(
        session=session, status=InterviewReport.Status.READY if ready else InterviewReport.Status.SCORING,
        built_at=timezone.now() - dt.timedelta(minutes=built_minutes_ago) if ready else None,
        competencies=[{"code": code, "score": score, "required_score": 70, "weight": 0.5}
                      for code, score in scores.items()],
    )
    for position, (code, score) in enumerate((answers or {}).items(), start=1):
        bank = setup.questions[code]
        sq = SessionQuestion.objects.create(
            session=session, question=bank, competency=bank.competency, position=position, text=bank.text,
            type=bank.type, difficulty=2, time_limit_seconds=180, key_points=bank.key_points,
        )
        InterviewAnswer.objects.create(
            session_question=sq, status=InterviewAnswer.Status.SCORED if score is not None else "submitted",
            text="answer", score=score,
        )
    return session


def add_review(
    setup: Setup, employee: Employee, scores: dict[Competency, float], *, cycle: int = 0, days_ago: int = 100,
    submitted: bool = True,
) -> Review:
    review = Review.objects.create(
        cycle=setup.cycles[cycle], employee=employee,
        status=Review.Status.SUBMITTED if submitted else Review.Status.DRAFT,
        submitted_at=timezone.now() - dt.timedelta(days=days_ago) if submitted else None,
    )
    for competency, score in scores.items():
        ReviewScore.objects.create(review=review, competency=competency, score=Decimal(str(score)))
    return review


def add_hire(
    setup: Setup, interview: dict[str, float | None], performance: dict[Competency, float],
    answers: dict[str, float | None] | None = None,
) -> Employee:
    employee = cast(Employee, EmployeeFactory(job=setup.job))
    candidate = Candidate.objects.create(name=employee.name, email=f"hire{employee.pk}@example.com")
    application = Application.objects.create(candidate=candidate, job=setup.job, stage="hired", employee=employee)
    add_interview(setup, application, interview, answers)
    if performance:
        add_review(setup, employee, performance)
    return employee


def add_candidate(setup: Setup, scores: dict[str, float | None], *, stage: str = "screening") -> Application:
    candidate = Candidate.objects.create(name="Candidate", email=f"c{secrets.token_hex(4)}@example.com")
    application = Application.objects.create(candidate=candidate, job=setup.job, stage=stage)
    add_interview(setup, application, scores)
    return application


def add_hires(
    setup: Setup, analysis: Sequence[tuple[float, float]], teamwork: Sequence[tuple[float, float]] = (),
    a1: Sequence[float] = (), a2: Sequence[float] = (),
) -> list[Employee]:
    """Hires i with analysis (interview, performance) pairs, optional teamwork pairs and answer scores to
    cal-a1 / cal-a2 (their performance target is the analysis performance score)."""
    hires = []
    for i, (interview, later) in enumerate(analysis):
        scores: dict[str, float | None] = {"cal_analysis": interview}
        performance: dict[Competency, float] = {setup.analysis: later}
        if i < len(teamwork):
            scores["cal_teamwork"] = teamwork[i][0]
            performance[setup.teamwork] = teamwork[i][1]
        answers: dict[str, float | None] = {}
        if i < len(a1):
            answers["cal-a1"] = a1[i]
        if i < len(a2):
            answers["cal-a2"] = a2[i]
        hires.append(add_hire(setup, scores, performance, answers))
    return hires
