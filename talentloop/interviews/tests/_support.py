"""Test data of the interviews app, shared by every test module of this folder (the session, candidate and
scoring tests, and the report tests): an organisation with a job that has a competency model and a level, an
application to it, a session created through the real service, and the candidate's answers through the real
candidate services.

Plain functions build data; the pytest fixtures at the end wrap them (conftest.py exposes them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from talentloop.core.models import User
from talentloop.core.testing.factories import JobCompetencyFactory, JobFactory
from talentloop.org.models import Competency, Department, Job, JobLevel
from talentloop.recruiting.models import Application, Candidate, Stage

from ..models import InterviewAnswer, InterviewQuestion, InterviewSession, SessionQuestion

# A customer-facing job: four competencies, the first two heavier. With 8 questions the weighted generator
# gives 3, 2, 2, 1 (every competency at least one), which leaves enough unused questions for a second round.
DEFAULT_MODEL: tuple[tuple[str, str, int], ...] = (
    ("communication", "0.300", 70),
    ("customer_orientation", "0.300", 70),
    ("teamwork", "0.200", 65),
    ("problem_solving", "0.200", 60),
)
JOB_DESCRIPTION_EN = (
    "Join our CloudDesk platform team of 8 people and help enterprise customers get the most out of it."
)
JOB_DESCRIPTION_ZH = "加入我们的云桌面产品团队（8人），服务企业客户。"
CONSENT_ANALYSES = ["text"]

WEAK_EN = "I would do my best."
WEAK_ZH = "我会尽力。"


def make_job(
    department: Department,
    *,
    title: str = "Customer Success Manager",
    description: str = JOB_DESCRIPTION_EN,
    level: str | None = "mid",
    model: Sequence[tuple[str, str, int]] = DEFAULT_MODEL,
) -> Job:
    """An open job with a competency model of shipped competencies (codes from the built-in library)."""
    job = cast(Job, JobFactory(
        title=title, description=description, department=department, status=Job.Status.OPEN,
        level=JobLevel.objects.get(code=level) if level else None,
    ))
    for position, (code, weight, required) in enumerate(model):
        JobCompetencyFactory(
            job=job, competency=Competency.objects.get(code=code), weight=Decimal(weight),
            required_score=required, position=position,
        )
    return job


def make_application(
    job: Job, *, name: str = "Emily Chen", email: str = "emily@example.com", language: str = "en",
    stage: str = Stage.SCREENING,
) -> Application:
    candidate = Candidate.objects.create(name=name, email=email, language=language)
    return Application.objects.create(candidate=candidate, job=job, stage=stage)


def make_session(
    application: Application,
    *,
    actor: User,
    language: str = "en",
    questions: str | list[int] = "auto",
    expires_in_days: int | None = None,
    seed: int | None = 1,
) -> InterviewSession:
    """A session created by the real service (questions generated or chosen, report row, invitation)."""
    from ..services.sessions import interview_create

    return interview_create(
        actor=actor, application=application, questions=questions, language=language,
        expires_in_days=expires_in_days, seed=seed,
    )


def bank_ids(codes: Sequence[str]) -> list[int]:
    """The ids of bank questions by code, in the order given."""
    by_code = dict(InterviewQuestion.objects.filter(code__in=codes).values_list("code", "pk"))
    return [by_code[code] for code in codes]


def session_questions(session: InterviewSession) -> list[SessionQuestion]:
    return list(session.questions.select_related("competency").order_by("position"))


def consent(session: InterviewSession) -> InterviewSession:
    from ..services.sessions import interview_consent

    return interview_consent(token=session.token, accept=True, analyses=CONSENT_ANALYSES)


def strong_text(question: SessionQuestion) -> str:
    """The question's own reference answer: a strong answer by construction."""
    return question.reference_answer


def weak_text(question: SessionQuestion) -> str:
    return WEAK_ZH if question.session.language == "zh-hans" else WEAK_EN


def submit_answers(
    session: InterviewSession,
    texts: Mapping[int, str] | Callable[[SessionQuestion], str] | None = None,
    *,
    complete: bool = True,
    give_consent: bool = True,
) -> InterviewSession:
    """Answer a session as a candidate would: consent, then for each question (by position) show it and submit
    the text — `texts` maps position → text, or is a function of the question (default: the strong reference
    answer); positions missing from a mapping stay unanswered. With `complete` the interview is handed in."""
    from ..services.answers import answer_submit, question_show
    from ..services.sessions import interview_complete

    if give_consent and session.status == InterviewSession.Status.INVITED:
        consent(session)
    for question in session_questions(session):
        if isinstance(texts, Mapping):
            if question.position not in texts:
                continue
            text = texts[question.position]
        elif callable(texts):
            text = texts(question)
        else:
            text = strong_text(question)
        question_show(token=session.token, position=question.position)
        answer_submit(token=session.token, question=question.position, text=text)
    if complete:
        interview_complete(token=session.token)
    session.refresh_from_db()
    return session


def answers_of(session: InterviewSession) -> list[InterviewAnswer]:
    return list(
        InterviewAnswer.objects.filter(session_question__session=session).order_by("session_question__position")
    )


def age_question(question: SessionQuestion, seconds: int) -> None:
    """Pretend the question was shown `seconds` ago (the time limit runs from shown_at)."""
    SessionQuestion.objects.filter(pk=question.pk).update(shown_at=timezone.now() - dt.timedelta(seconds=seconds))


def expire(session: InterviewSession) -> None:
    InterviewSession.objects.filter(pk=session.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))


def browser(user: User | None = None, language: str = "en") -> Client:
    """A browser-like client with an interface language; logged in when a user is given."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


# --- fixtures (exposed by conftest.py) ---------------------------------------------------------------------


@dataclass
class InterviewSetup:
    """The org fixture's users and a job with a competency model, and an application to it."""

    org: dict[str, Any]
    job: Job
    application: Application

    @property
    def hr(self) -> User:
        user: User = self.org["users"]["hr"]
        return user

    @property
    def recruiter(self) -> User:
        user: User = self.org["users"]["recruiter"]
        return user

    def session(self, **kwargs: Any) -> InterviewSession:
        kwargs.setdefault("actor", self.hr)
        return make_session(self.application, **kwargs)


@pytest.fixture
def interview_job(org: dict[str, Any]) -> Job:
    """A mid-level customer-facing job in sales (the sales manager's reach) with a 4-competency model."""
    return make_job(org["departments"]["sales"])


@pytest.fixture
def interview_application(interview_job: Job) -> Application:
    return make_application(interview_job)


@pytest.fixture
def setup(org: dict[str, Any], interview_job: Job, interview_application: Application) -> InterviewSetup:
    return InterviewSetup(org=org, job=interview_job, application=interview_application)


@pytest.fixture
def interview_session(setup: InterviewSetup) -> InterviewSession:
    """An English session of 8 generated questions, invited (no consent yet)."""
    return setup.session()
