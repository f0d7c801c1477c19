"""Fixtures of the report, feedback, PDF and calibration tests: an application with a finished interview whose
answers and report are stored as the scoring service stores them (known numbers, so the tests can assert the
exact document)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.test import Client
from django.utils import timezone

from talentloop.core.models import User
from talentloop.core.testing.factories import JobCompetencyFactory, JobFactory
from talentloop.interviews.models import (
    InterviewAnswer,
    InterviewQuestion,
    InterviewReport,
    InterviewSession,
    SessionQuestion,
)
from talentloop.org.models import Competency, Department, Job, JobLevel
from talentloop.recruiting.models import Application, Candidate

ZH_STRONG = "上个月我向主管汇报项目进度。我先说结论：客户导入已完成大半。然后讲原因并给出对策。"
ZH_STRONG_EVIDENCE = "我先说结论：客户导入已完成大半。"
ZH_WEAK = "<script>alert('x')</script> 客户投诉时我会先道歉 & 记录问题。"
ZH_WEAK_EVIDENCE = "客户投诉时我会先道歉 & 记录问题。"
EN_STRONG = (
    "Last quarter I reported to my manager. I led with the conclusion: most clients were live. Then I gave reasons."
)
EN_STRONG_EVIDENCE = "I led with the conclusion: most clients were live."
EN_WEAK = "I usually say sorry when a customer complains & write it down."
EN_WEAK_EVIDENCE = "I usually say sorry when a customer complains & write it down."
# Scores chosen so that none of their digits can come from a date or the page's own numbers.
STRONG_SCORE, WEAK_SCORE, OVERALL = 88.5, 57.5, 76.1
ENGINE = {
    "name": "talentloop-interview-fusion", "version": "1.0", "parameters": {"strength_margin": 5.0},
    "answer_engines": [{"name": "talentloop-text-answer", "version": "1.0"}], "calibration": None,
}


@dataclass
class Interview:
    session: InterviewSession
    application: Application
    job: Job
    questions: list[SessionQuestion] = field(default_factory=list)

    @property
    def report(self) -> InterviewReport:
        return InterviewReport.objects.get(session=self.session)


def make_job(department: Department, *, title: str = "客户经理") -> Job:
    job = cast(Job, JobFactory(title=title, department=department, level=JobLevel.objects.get(code="mid")))
    for position, (code, weight) in enumerate((("communication", "0.600"), ("customer_orientation", "0.400"))):
        JobCompetencyFactory(
            job=job, competency=Competency.objects.get(code=code), weight=Decimal(weight), required_score=70,
            position=position,
        )
    return job


def make_application(job: Job, *, name: str = "张伟", email: str = "zhang@example.com", language: str = "zh-hans"
                     ) -> Application:
    candidate = Candidate.objects.create(name=name, email=email, language=language)
    return Application.objects.create(candidate=candidate, job=job)


def _answer_row(question: SessionQuestion, text: str, score: float | None, evidence: str, missing: Sequence[str],
                **extra: Any) -> InterviewAnswer:
    now = timezone.now()
    scored = score is not None
    return InterviewAnswer.objects.create(
        session_question=question, status="scored" if scored else "submitted", text=text, submitted_at=now,
        score=score, scored_at=now if scored else None,
        subscores={"key_points": 66.7, "structure": 80.0, "specificity": 40.0, "relevance": 90.0, "length": 100.0}
        if scored else {},
        evidence=[{"sentence": evidence, "start": text.find(evidence), "end": text.find(evidence) + len(evidence),
                   "reasons": ["key_point"]}] if scored else [],
        missing_key_points=list(missing), matched_key_points=[],
        flags=[], engine={"name": "talentloop-text-answer", "version": "1.0", "parameters": {}, "calibration": None}
        if scored else {},
        **extra,
    )


def make_interview(
    application: Application, *, language: str = "zh-hans", ready: bool = True, answered: bool = True,
    round: int = 1, third_unanswered: bool = False, expires_at: dt.datetime | None = None,
) -> Interview:
    """Two questions (communication, customer orientation) answered strong and weak, and the report the engine
    would build from them; with `third_unanswered` a third question nobody answered."""
    suffix = "zh" if language == "zh-hans" else "en"
    session = InterviewSession.objects.create(
        application=application, round=round, token=secrets.token_urlsafe(24), language=language,
        status=InterviewSession.Status.COMPLETED if answered else InterviewSession.Status.IN_PROGRESS,
        expires_at=expires_at or timezone.now() + dt.timedelta(days=7),
        completed_at=timezone.now() if answered else None,
        generator={"name": "weighted", "version": "1.0", "seed": 1, "parameters": {}},
    )
    codes = [f"communication-{suffix}-1", f"customer_orientation-{suffix}-1"]
    if third_unanswered:
        codes.append(f"communication-{suffix}-2")
    questions = []
    for position, code in enumerate(codes, 1):
        bank = InterviewQuestion.objects.select_related("competency").get(code=code)
        questions.append(SessionQuestion.objects.create(
            session=session, question=bank, competency=bank.competency, position=position, text=bank.text,
            type=bank.type, difficulty=bank.difficulty, time_limit_seconds=bank.time_limit_seconds,
            key_points=bank.key_points, reference_answer=bank.reference_answer, levels=bank.levels,
            shown_at=timezone.now(),
        ))
    strong, strong_evidence, weak, weak_evidence = (
        (ZH_STRONG, ZH_STRONG_EVIDENCE, ZH_WEAK, ZH_WEAK_EVIDENCE) if language == "zh-hans"
        else (EN_STRONG, EN_STRONG_EVIDENCE, EN_WEAK, EN_WEAK_EVIDENCE)
    )
    weak_missing = [kp["point"] for kp in questions[1].key_points[1:]]
    strong_missing = [questions[0].key_points[2]["point"]]
    if answered:
        _answer_row(questions[0], strong, STRONG_SCORE if ready else None, strong_evidence, strong_missing)
        _answer_row(questions[1], weak, WEAK_SCORE if ready else None, weak_evidence, weak_missing, is_late=True)
    report = InterviewReport.objects.create(
        session=session, status=InterviewReport.Status.READY if ready else InterviewReport.Status.SCORING,
    )
    if ready:
        report.overall_score, report.fit_level, report.engine = OVERALL, "mid", ENGINE
        report.built_at = timezone.now()
        report.competencies = [
            {"code": "communication", "score": STRONG_SCORE, "required_score": 70, "weight": 0.6, "answers": 1,
             "evidence": [[1, strong_evidence]], "missing_key_points": strong_missing},
            {"code": "customer_orientation", "score": WEAK_SCORE, "required_score": 70, "weight": 0.4, "answers": 1,
             "evidence": [[2, weak_evidence]], "missing_key_points": weak_missing},
        ]
        report.strengths = [{"code": "communication", "score": STRONG_SCORE, "required_score": 70, "gap": 18.5,
                             "evidence": [[1, strong_evidence]], "missing_key_points": strong_missing}]
        report.weaknesses = [{"code": "customer_orientation", "score": WEAK_SCORE, "required_score": 70, "gap": -12.5,
                              "evidence": [[2, weak_evidence]], "missing_key_points": weak_missing}]
        report.save()
    return Interview(session=session, application=application, job=application.job, questions=questions)


def browser(user: User, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client
