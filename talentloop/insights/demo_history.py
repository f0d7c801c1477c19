"""Generating the insights demo's history (see talentloop/insights/demo.py for the story): the people, their
way through the pipeline, and their AI interviews, as plain rows written with bulk_create and dated in the past.

`JobStory` says what the numbers of one job should show; the random parts come from one `random.Random`, so a
seed gives the same history (dates are relative to today)."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from talentloop.assessment.interview import ScoredAnswer, fill_placeholders, fuse
from talentloop.core.models import User
from talentloop.interviews.models import (
    InterviewAnswer,
    InterviewQuestion,
    InterviewReport,
    InterviewSession,
    SessionQuestion,
)
from talentloop.interviews.models.bank import QuestionReview
from talentloop.interviews.services.generation import competency_model, context_of, fit_bands
from talentloop.org.demo import DemoError
from talentloop.org.library import demo_company
from talentloop.org.models import Employee, Job, JobCompetency
from talentloop.recruiting.models import Application, Candidate, Stage, StageChange

from .models import CandidateAttribute, CandidateSatisfaction

HISTORY_DOMAIN = "history.yunfan.example.com"
EMPLOYEE_PREFIX = "YH"
COST_NOTE = "演示历史数据"
QUARTERS = 8  # completed quarters of review history
FIRST_REVIEW_AFTER_DAYS = 75  # a hire is first reviewed in the first quarter ending this long after joining
PROBATION_DAYS = 180
OVER_RATING = 12.0  # points the over-rated competency loses from the interview to the first review
LANGUAGE = "zh-hans"


@dataclass(frozen=True)
class JobStory:
    title: str
    hires: int
    others: int
    over_rated: str | None = None  # performance ≈ interview − OVER_RATING
    unpredicted: str | None = None  # performance unrelated to the interview (low validity)
    bad_question_in: str | None = None  # a third question whose answers go against later performance
    low_pool: str | None = None  # every candidate scores well below the required score
    enrol: int = 0  # hires enrolled (and done) in a course for the over-rated competency


STORIES: tuple[JobStory, ...] = (
    JobStory("销售经理", hires=20, others=34, over_rated="influence_negotiation",
             bad_question_in="customer_orientation", low_pool="leadership", enrol=4),
    JobStory("数据分析师", hires=18, others=28, over_rated="data_analysis", enrol=2),
    JobStory("高级后端工程师", hires=18, others=28, unpredicted="learning_agility"),
)
# How the candidates who were not hired ended, in this proportion.
OUTCOMES: tuple[tuple[str, int], ...] = (("screening", 8), ("ai_interview", 7), ("interview", 3), ("withdrawn", 2))
SOURCES: tuple[tuple[str, int], ...] = (
    (Candidate.Source.JOB_BOARD, 40), (Candidate.Source.CAREERS_PAGE, 25), (Candidate.Source.REFERRAL, 20),
    (Candidate.Source.AGENCY, 15),
)
WRITTEN_TEST_JOBS = frozenset({"数据分析师", "高级后端工程师"})
CONSENT_TEXT = "我同意 AI 面试分析我的文字回答。"
SURVEY_SHARE = 0.65  # of the candidates who got their feedback, this share answered the survey
COMMENTS: dict[int, tuple[str, ...]] = {
    5: ("流程清晰，反馈很及时。", "题目贴近实际工作，体验很好。", ""),
    4: ("整体不错，希望能早点知道结果。", "题目有挑战性。", ""),
    3: ("时间有点紧。", ""),
    2: ("等待反馈的时间太长。", ""),
    1: ("题目和岗位关系不大。", ""),
}
WEAK_ANSWER = "这个要看具体情况吧。一般我会尽量处理好，实在不行就交给领导决定。"


@contextmanager
def dated(*fields: models.Field[Any, Any]) -> Iterator[None]:
    """Let bulk_create keep the dates given for auto_now/auto_now_add fields (history happened in the past)."""
    saved = [(f, getattr(f, "auto_now", False), getattr(f, "auto_now_add", False)) for f in fields]
    try:
        for f, _now, _add in saved:
            f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]  # only date fields have these flags
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add  # type: ignore[attr-defined]  # only date fields have these flags


def model_fields(model: type[models.Model], *names: str) -> list[models.Field[Any, Any]]:
    return [model._meta.get_field(name) for name in names]  # type: ignore[misc]  # reverse relations never asked for


# --- time -----------------------------------------------------------------------------------------------------


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def past_quarters(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The QUARTERS completed quarters before today's, oldest first, as (first day, last day)."""
    quarters = []
    end = quarter_start(today) - dt.timedelta(days=1)
    for _i in range(QUARTERS):
        start = quarter_start(end)
        quarters.append((start, end))
        end = start - dt.timedelta(days=1)
    return quarters[::-1]


def moment(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


# --- the people -----------------------------------------------------------------------------------------------


@dataclass
class Person:
    job: Job
    story: JobStory
    index: int
    hired: bool
    outcome: str  # "hired" or one of OUTCOMES
    name: str
    gender: str
    birth: dt.date
    source: str
    applied: dt.date
    ability: dict[str, float]  # competency code → true ability
    steps: list[tuple[str, str, dt.datetime]] = field(default_factory=list)  # (from, to, at)
    interview_at: dt.datetime | None = None
    hire_date: dt.date | None = None
    left_on: dt.date | None = None
    application: Application | None = None
    employee: Employee | None = None
    interview: dict[str, float] = field(default_factory=dict)  # the report's competency scores


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _name(rng: random.Random, data: dict[str, Any], gender: str) -> str:
    given = data["given_names_f" if gender == "female" else "given_names_m"]
    first = rng.choice(given)
    return rng.choice(data["surnames"]) + first + (rng.choice(given) if len(first) == 1 and rng.random() < 0.5 else "")


def clamp(value: float, low: float = 5.0, high: float = 99.0) -> float:
    return round(min(high, max(low, value)), 1)


def make_people(rng: random.Random, job: Job, story: JobStory, required: dict[str, int], today: dt.date,
            first_day: dt.date) -> list[Person]:
    data = demo_company()
    span = (today - dt.timedelta(days=60) - first_day).days
    outcomes = [o for o, w in OUTCOMES for _i in range(w)]
    people = []
    for index in range(story.hires + story.others):
        hired = index < story.hires
        if hired:  # hire dates evenly over the history, a little jitter; applied about seven weeks before
            target = first_day + dt.timedelta(days=int(span * (index + 0.5) / story.hires) + rng.randint(-8, 8))
            applied = target - dt.timedelta(days=rng.randint(42, 56))
        else:
            applied = first_day - dt.timedelta(days=30) + dt.timedelta(days=rng.randint(0, span + 10))
        gender = "female" if rng.random() < 0.45 else "male"
        ability = {}
        for code, needed in required.items():
            mean = needed - 15 if code == story.low_pool else needed + (3 if hired else -2)
            ability[code] = rng.gauss(mean, 7)
        people.append(Person(
            job=job, story=story, index=index, hired=hired,
            outcome="hired" if hired else outcomes[index % len(outcomes)], name=_name(rng, data, gender),
            gender=gender, birth=dt.date(rng.randint(1972, 2001), rng.randint(1, 12), rng.randint(1, 28)),
            source=_weighted(rng, SOURCES), applied=applied, ability=ability,
        ))
    return people


def walk(rng: random.Random, person: Person, now: dt.datetime) -> None:
    """The person's stage changes, dated, and the day of the AI interview."""
    plan: list[str] = [Stage.SCREENING]
    if person.outcome != "screening":
        plan.append(Stage.AI_INTERVIEW)
        if person.outcome != "ai_interview":
            if person.job.title in WRITTEN_TEST_JOBS:
                plan.append(Stage.WRITTEN_TEST)
            plan.append(Stage.INTERVIEW)
            if person.outcome == "hired":
                plan += [Stage.OFFER, Stage.HIRED]
    plan.append({"screening": Stage.REJECTED, "ai_interview": Stage.REJECTED, "interview": Stage.REJECTED,
                 "withdrawn": Stage.WITHDRAWN}.get(person.outcome, ""))
    at = moment(person.applied, rng.randint(8, 20), rng.randint(0, 59))
    previous: str = Stage.APPLIED
    for stage in [s for s in plan if s]:
        at = at + dt.timedelta(days=rng.randint(2, 7), hours=rng.randint(0, 8))
        if at >= now:
            break
        person.steps.append((previous, stage, at))
        if stage == Stage.AI_INTERVIEW:
            person.interview_at = at + dt.timedelta(hours=rng.randint(6, 30))
        previous = stage
    if person.steps and person.steps[-1][1] == Stage.HIRED:
        person.hire_date = timezone.localdate(person.steps[-1][2]) + dt.timedelta(days=rng.randint(7, 21))


def leaving(rng: random.Random, person: Person, today: dt.date) -> None:
    """Some hires left: every seventh during probation, every fourth later on."""
    if person.hire_date is None:
        return
    if person.index % 7 == 3:
        left = person.hire_date + dt.timedelta(days=rng.randint(40, PROBATION_DAYS - 20))
    elif person.index % 4 == 1:
        left = person.hire_date + dt.timedelta(days=rng.randint(PROBATION_DAYS + 20, 560))
    else:
        return
    if left < today:
        person.left_on = left


# --- recruiting rows ------------------------------------------------------------------------------------------


def write_recruiting(people: list[Person], hr: User, rng: random.Random, now: dt.datetime) -> tuple[int, int]:
    """Candidates (with consented attributes), applications and dated stage changes."""
    candidates = []
    for number, person in enumerate(people):
        at = moment(person.applied, 9)
        candidates.append(Candidate(
            name=person.name, email=f"c{number:04d}.{person.job.pk}@{HISTORY_DOMAIN}", phone="",
            source=person.source, consent_given_at=at, consent_text="同意处理个人信息用于招聘。", language=LANGUAGE,
            created_at=at, updated_at=at,
        ))
    with dated(*model_fields(Candidate, "created_at", "updated_at")):
        Candidate.objects.bulk_create(candidates)
    attributes = []
    for person, candidate in zip(people, candidates, strict=True):
        if rng.random() < 0.6:
            age = person.applied.year - person.birth.year
            age_band = ("under_25" if age < 25 else "25_34" if age < 35 else "35_44" if age < 45
                        else "45_54" if age < 55 else "55_plus")
            gender = "other" if rng.random() < 0.03 else person.gender
            consent = candidate.consent_given_at or moment(person.applied)
            attributes += [
                CandidateAttribute(candidate=candidate, name="gender", value=gender, consent_at=consent),
                CandidateAttribute(candidate=candidate, name="age_band", value=age_band, consent_at=consent),
            ]
    CandidateAttribute.objects.bulk_create(attributes)
    applications = []
    for person, candidate in zip(people, candidates, strict=True):
        created = moment(person.applied, 9)
        last = person.steps[-1] if person.steps else (Stage.APPLIED, Stage.APPLIED, created)
        screening = clamp(rng.gauss(78 if person.outcome != "screening" else 52, 8))
        person.application = Application(
            candidate=candidate, job=person.job, stage=last[1], stage_changed_at=last[2],
            screening_score=screening, screening_passed=person.outcome != "screening",
            written_test_score=clamp(rng.gauss(75, 9)) if any(s[1] == Stage.WRITTEN_TEST for s in person.steps)
            else None,
            created_at=created, updated_at=last[2],
        )
        applications.append(person.application)
    with dated(*model_fields(Application, "created_at", "updated_at", "stage_changed_at")):
        Application.objects.bulk_create(applications)
    changes = [
        StageChange(application=person.application, from_stage=old, to_stage=new, actor=hr, at=at,
                    reason="候选人接受录用。" if new == Stage.HIRED else "")
        for person in people for old, new, at in person.steps
    ]
    with dated(*model_fields(StageChange, "at")):
        StageChange.objects.bulk_create(changes)
    return len(applications), len(changes)


# --- interviews -----------------------------------------------------------------------------------------------


def _questions(job: Job, story: JobStory) -> tuple[list[InterviewQuestion], int | None]:
    """The bank questions every past interview for the job asked: two per competency of the model, three for
    the competency with a bad question (the third); and that bad question's id."""
    codes = list(JobCompetency.objects.filter(job=job).order_by("position", "id")
                 .values_list("competency__code", flat=True))
    bank: dict[str, list[InterviewQuestion]] = {}
    for question in InterviewQuestion.objects.filter(
        competency__code__in=codes, language=LANGUAGE, is_active=True, review_status=QuestionReview.APPROVED
    ).select_related("competency").order_by("code"):
        bank.setdefault(question.competency.code, []).append(question)
    chosen: list[InterviewQuestion] = []
    bad = None
    for code in codes:
        take = 3 if code == story.bad_question_in else 2
        if len(bank.get(code, [])) < take:
            raise DemoError(f"The question bank has too few approved Chinese questions for {code!r}; run "
                            "`talentloop seed-demo-interviews` first.")
        chosen += bank[code][:take]
        if code == story.bad_question_in:
            bad = bank[code][2].pk
    return chosen, bad


def _answer_text(question: InterviewQuestion, score: float) -> str:
    reference = question.reference_answer.strip()
    if score < 55 or not reference:
        return WEAK_ANSWER
    return reference if score >= 75 else reference[: max(1, len(reference) // 2)]


def write_interviews(people: list[Person], hr: User, rng: random.Random, now: dt.datetime) -> tuple[int, int, int]:
    """A completed AI interview with scored answers and a ready report for everyone who reached that stage."""
    by_job: dict[int, list[Person]] = {}
    for person in people:
        if person.interview_at is not None:
            by_job.setdefault(person.job.pk, []).append(person)
    sessions: list[tuple[Person, InterviewSession]] = []
    questions_of: dict[int, tuple[list[InterviewQuestion], int | None]] = {}
    for job_id, group in by_job.items():
        job, story = group[0].job, group[0].story
        questions_of[job_id] = _questions(job, story)
        for person in group:
            at = person.interview_at
            assert at is not None
            assert person.application is not None
            sessions.append((person, InterviewSession(
                application=person.application, round=1, token=secrets.token_urlsafe(32), language=LANGUAGE,
                status=InterviewSession.Status.COMPLETED, expires_at=at + dt.timedelta(days=7),
                consented_at=at, consent={"version": "1", "text": CONSENT_TEXT, "analyses": ["text"]},
                started_at=at, completed_at=at + dt.timedelta(minutes=rng.randint(25, 45)),
                generator={"name": "manual", "version": "1", "seed": None,
                           "parameters": {"question_ids": [q.pk for q in questions_of[job_id][0]]}},
                invited_by=hr, modalities=["text"], created_at=at - dt.timedelta(hours=2), updated_at=at,
            )))
    with dated(*model_fields(InterviewSession, "created_at", "updated_at")):
        InterviewSession.objects.bulk_create([s for _p, s in sessions])
    session_questions: list[SessionQuestion] = []
    answers: list[InterviewAnswer] = []
    reports: list[InterviewReport] = []
    satisfaction: list[CandidateSatisfaction] = []
    means = {
        (job_id, code): sum(p.ability[code] for p in group) / len(group)
        for job_id, group in by_job.items() for code in group[0].ability
    }  # the interviewed candidates' mean ability: the bad question's answers mirror around it
    contexts = {job_id: context_of(group[0].job, LANGUAGE) for job_id, group in by_job.items()}
    models_of = {job_id: (competency_model(group[0].job), fit_bands()) for job_id, group in by_job.items()}
    for person, session in sessions:
        chosen, bad = questions_of[person.job.pk]
        done = session.completed_at or session.started_at or timezone.now()
        scored = []
        for position, question in enumerate(chosen, 1):
            code = question.competency.code
            mean = means[(person.job.pk, code)]
            truth = person.ability[code]
            value = 2 * mean - truth if question.pk == bad else truth
            score = clamp(rng.gauss(value, 4))
            row = SessionQuestion(
                session=session, question=question, competency=question.competency, position=position,
                text=fill_placeholders(question.text, contexts[person.job.pk], LANGUAGE), type=question.type,
                difficulty=question.difficulty, time_limit_seconds=question.time_limit_seconds,
                key_points=question.key_points, reference_answer=question.reference_answer, levels=question.levels,
                shown_at=done,
            )
            session_questions.append(row)
            answers.append(InterviewAnswer(
                session_question=row, status=InterviewAnswer.Status.SCORED, text=_answer_text(question, score),
                submitted_at=done, score=score, engine={"name": "demo-history", "version": "1", "parameters": {}},
                scored_at=done, created_at=done, updated_at=done,
            ))
            scored.append(ScoredAnswer(position=position, competency=code, score=score, evidence=()))
        doc = fuse(answers=scored, model=models_of[person.job.pk][0], bands=models_of[person.job.pk][1]).to_dict()
        person.interview = {str(c["code"]): float(c["score"]) for c in doc["competencies"]}
        built = done + dt.timedelta(minutes=3)
        hired = person.outcome in ("hired", "interview", "withdrawn")
        released = built + dt.timedelta(days=2)
        if released < now and rng.random() < SURVEY_SHARE:
            rating = rng.choice((5, 5, 4, 4, 4, 3) if hired else (5, 4, 4, 3, 3, 2, 1))
            satisfaction.append(CandidateSatisfaction(
                session=session, rating=rating, comment=rng.choice(COMMENTS[rating]),
                created_at=min(released + dt.timedelta(hours=rng.randint(1, 48)), now),
            ))
        reports.append(InterviewReport(
            session=session, status=InterviewReport.Status.READY, overall_score=float(doc["overall_score"]),
            fit_level=str(doc["fit_level"]), competencies=doc["competencies"], strengths=doc["strengths"],
            weaknesses=doc["weaknesses"], engine=doc["engine"], built_at=built,
            decision=InterviewReport.Decision.ADVANCE if hired else InterviewReport.Decision.REJECT,
            decided_by=hr, decided_at=built + dt.timedelta(days=1), created_at=built, updated_at=built,
            feedback={"language": LANGUAGE, "strengths": [], "suggestions": []} if released < now else {},
            feedback_released_at=released if released < now else None,
            feedback_released_by=hr if released < now else None,
        ))
    SessionQuestion.objects.bulk_create(session_questions)
    for answer in answers:
        answer.session_question_id = answer.session_question.pk
    with dated(*model_fields(InterviewAnswer, "created_at", "updated_at"),
                *model_fields(InterviewReport, "created_at", "updated_at")):
        InterviewAnswer.objects.bulk_create(answers)
        InterviewReport.objects.bulk_create(reports)
    with dated(*model_fields(CandidateSatisfaction, "created_at")):
        CandidateSatisfaction.objects.bulk_create(satisfaction)
    return len(sessions), len(answers), len(satisfaction)
