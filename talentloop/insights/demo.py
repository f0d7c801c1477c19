"""The insights side of the demo: two years of history for the loop to learn from, on top of the org,
recruiting, interview and performance demos.

For three demo jobs (销售经理, 数据分析师, 高级后端工程师) past candidates applied, moved through the pipeline
(dated stage changes), took the AI interview (per-question scored answers and a ready report fused by the real
engine) and were rejected, withdrew or were hired. The hires became employees of the job's department, were
reviewed every quarter (closed quarterly cycles over the last eight completed quarters, one submitted review
per quarter with a score per competency of the job's model), and some of them left (status terminated with the
day they left), some during probation. Candidates gave a source, many consented to give gender and age band
for the fairness audit, and many answered the satisfaction survey; hiring costs were recorded; some hires were
enrolled in courses for their gaps and completed them.

The numbers tell a story the insights pages find:

* 销售经理: the interview **over-rates influence & negotiation** — hires score about 12 points lower in their first
  review than in the interview (calibration flags it `over_rated`); sales acumen is predicted well; one
  customer-orientation question's answer scores go **against** later performance (question validity suggests
  retiring it); candidates score low in leadership across the board (the candidate pool flags it).
* 数据分析师: the interview over-rates data analysis (the issue's example); problem solving is predicted well.
* 高级后端工程师: well calibrated, except learning agility, where the interview does not predict the review
  (flagged as low validity).
* One current sales hire scored well below the interview in influence & negotiation in the latest review and has
  no course yet: the training recommendation shows on their learning page.

Generated history is nobody's click, so it is written with bulk_create (like the org demo's employees) and
dated in the past. Every row it makes can be found again: candidates and employees have e-mail addresses at
HISTORY_DOMAIN, employees' numbers start with EMPLOYEE_PREFIX, hiring costs carry COST_NOTE. Nothing is done
when the history is already there, unless `reset`, which deletes what an earlier run made and loads it again."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from talentloop.assessment.review import band, overall
from talentloop.core.models import User
from talentloop.learning import gaps
from talentloop.learning.defaults import course_catalogue_seed
from talentloop.learning.models import Course, DevelopmentPlan, Enrollment
from talentloop.learning.services import enrollments_follow_up
from talentloop.org.demo import DEMO_URL, HR_USERNAME, DemoError
from talentloop.org.models import Competency, Department, Employee, EmployeeEvent, Job, JobCompetency
from talentloop.performance.models import (
    FeedbackRequest,
    KpiTarget,
    Objective,
    PerformanceCycle,
    Review,
    ReviewScore,
)
from talentloop.recruiting.demo import demo_jobs
from talentloop.recruiting.models import Application, Candidate

from .demo_history import (
    COST_NOTE,
    EMPLOYEE_PREFIX,
    FIRST_REVIEW_AFTER_DAYS,
    HISTORY_DOMAIN,
    OVER_RATING,
    PROBATION_DAYS,
    STORIES,
    JobStory,
    Person,
    clamp,
    dated,
    leaving,
    make_people,
    model_fields,
    moment,
    past_quarters,
    walk,
    write_interviews,
    write_recruiting,
)
from .metrics import metrics_cache_bump
from .models import HiringCost

D = Decimal
GAP_BELOW_INTERVIEW = 15.0  # the current employee's latest score in the over-rated competency, below the interview
UNPREDICTED_R = 0.2  # Pearson r of the unpredicted competency's first-review scores with the interview's
UNPREDICTED_SPREAD = 6.0  # their standard deviation, roughly
ENROL_IMPROVEMENT = 8.0  # points a completed course adds to the next reviews in its competency


# --- what was made --------------------------------------------------------------------------------------------


def history_candidates() -> QuerySet[Candidate]:
    return Candidate.objects.filter(email__endswith="@" + HISTORY_DOMAIN)


def history_employees() -> QuerySet[Employee]:
    return Employee.objects.filter(employee_no__startswith=EMPLOYEE_PREFIX, email__endswith="@" + HISTORY_DOMAIN)


def _history_cycles() -> QuerySet[PerformanceCycle]:
    """The cycles only history employees take part in."""
    employees = history_employees().values("pk")
    return PerformanceCycle.objects.filter(employees__in=employees).exclude(
        pk__in=PerformanceCycle.employees.through.objects.exclude(employee_id__in=employees).values("performancecycle_id")
    ).distinct()


def _counts() -> dict[str, int]:
    employees = history_employees()
    return {
        "applications": Application.objects.filter(candidate__in=history_candidates()).count(),
        "employees": employees.count(),
        "left": employees.filter(status=Employee.Status.TERMINATED).count(),
        "reviews": Review.objects.filter(employee__in=employees, status=Review.Status.SUBMITTED).count(),
    }


def _delete() -> dict[str, int]:
    """Delete everything an earlier run made (see the module docstring for how it is found)."""
    employees = history_employees()
    ids = list(employees.values_list("pk", flat=True))
    counts = _counts()
    Enrollment.objects.filter(employee_id__in=ids).delete()
    DevelopmentPlan.objects.filter(employee_id__in=ids).delete()
    cycles = list(_history_cycles().values_list("pk", flat=True))
    Review.objects.filter(employee_id__in=ids).delete()
    Review.objects.filter(cycle_id__in=cycles).delete()
    KpiTarget.objects.filter(cycle_id__in=cycles).delete()
    FeedbackRequest.objects.filter(cycle_id__in=cycles).delete()
    Objective.objects.filter(cycle_id__in=cycles).update(parent=None)
    Objective.objects.filter(cycle_id__in=cycles).delete()
    PerformanceCycle.objects.filter(pk__in=cycles).delete()
    HiringCost.objects.filter(note__endswith=COST_NOTE).delete()
    Application.objects.filter(candidate__in=history_candidates()).delete()
    EmployeeEvent.objects.filter(employee_id__in=ids).delete()
    Employee.objects.filter(manager_id__in=ids).update(manager=None)
    Employee.objects.filter(pk__in=ids).delete()
    history_candidates().delete()
    return {**counts, "cycles": len(cycles)}




# --- employees ------------------------------------------------------------------------------------------------


def _head(department: Department) -> Employee:
    """The department's head: its employee whose manager is outside it (or who has none)."""
    head = (
        Employee.objects.filter(department=department).exclude(manager__department=department)
        .select_related("user").order_by("pk").first()
    )
    if head is None:
        raise DemoError("The demo company is not loaded; run `talentloop seed-demo` first.")
    return head


def _employees(people: list[Person], heads: dict[int, Employee], today: dt.date) -> list[Person]:
    """An employee record for every hire, with the day they left if they did."""
    hires = [p for p in people if p.hire_date is not None and p.hire_date <= today]
    start = Employee.objects.filter(employee_no__startswith=EMPLOYEE_PREFIX).count() + 1
    rows = []
    for number, person in enumerate(hires, start):
        assert person.hire_date is not None
        status = (Employee.Status.TERMINATED if person.left_on else Employee.Status.PROBATION
                  if (today - person.hire_date).days < PROBATION_DAYS else Employee.Status.ACTIVE)
        employee_no = f"{EMPLOYEE_PREFIX}{number:05d}"
        created = moment(person.hire_date, 9)
        person.employee = Employee(
            employee_no=employee_no, name=person.name, gender=person.gender, birth_date=person.birth,
            email=f"{employee_no.lower()}@{HISTORY_DOMAIN}", department_id=person.job.department_id,
            level_id=person.job.level_id, job=person.job, manager=heads[person.job.department_id],
            hire_date=person.hire_date, left_on=person.left_on, status=status, created_at=created,
            updated_at=moment(person.left_on, 18) if person.left_on else created,
        )
        rows.append(person.employee)
    with dated(*model_fields(Employee, "created_at", "updated_at")):
        Employee.objects.bulk_create(rows)
    for person in hires:
        assert person.application is not None
        assert person.employee is not None
        person.application.employee = person.employee
    Application.objects.bulk_update([p.application for p in hires if p.application], ["employee"])
    return hires


# --- reviews, courses -----------------------------------------------------------------------------------------


class Plan:
    """Who is reviewed in which quarter with which scores, who takes a course, and the employee with a gap."""

    def __init__(self, hires: list[Person], quarters: list[tuple[dt.date, dt.date]], today: dt.date,
                 rng: random.Random) -> None:
        self.quarters = quarters
        self.reviewed: dict[int, list[int]] = {}  # person id() → quarter indexes reviewed
        for person in hires:
            assert person.hire_date is not None
            self.reviewed[id(person)] = [
                q for q, (_start, end) in enumerate(quarters)
                if end >= person.hire_date + dt.timedelta(days=FIRST_REVIEW_AFTER_DAYS) and end < today
                and (person.left_on is None or person.left_on > end)
            ]
        current = [p for p in hires if p.left_on is None and len(self.reviewed[id(p)]) >= 2]
        story = STORIES[0]
        own = [p for p in current if p.story is story and story.over_rated]
        target = today - dt.timedelta(days=330)
        self.gap_person = min(own, key=lambda p: abs(((p.hire_date or today) - target).days), default=None)
        self.enrolled: dict[int, tuple[int, bool]] = {}  # person id() → (quarter of the first review, completed)
        for job_story in STORIES:
            candidates = [p for p in hires if p.story is job_story and p is not self.gap_person
                          and len(self.reviewed[id(p)]) >= 2]
            for n, person in enumerate(candidates[: job_story.enrol]):
                # The last one's course ran late and is still in progress; the others were completed.
                self.enrolled[id(person)] = (self.reviewed[id(person)][0], n < job_story.enrol - 1)
        self.rng = rng
        self.unrelated: dict[int, dict[str, float]] = {}
        for job_story in STORIES:
            if job_story.unpredicted:
                self._unrelated(job_story, job_story.unpredicted, [p for p in hires if p.story is job_story
                                                                   and self.reviewed[id(p)]])

    def _unrelated(self, story: JobStory, code: str, group: list[Person]) -> None:
        """First-review scores in `code` whose Pearson r with the interview scores over `group` (the hires with
        both) is exactly UNPREDICTED_R: random noise made orthogonal to the interview scores, plus that much of
        them. Low validity by construction, whatever the seed or the day."""
        if len(group) < 3:
            return
        x = [p.interview[code] for p in group]
        mean_x = sum(x) / len(x)
        x = [v - mean_x for v in x]
        noise = [self.rng.gauss(0, 1) for _p in group]
        mean_noise = sum(noise) / len(noise)
        noise = [v - mean_noise for v in noise]
        sxx = sum(v * v for v in x) or 1.0
        beta = sum(a * b for a, b in zip(x, noise, strict=True)) / sxx
        residual = [n - beta * v for n, v in zip(noise, x, strict=True)]
        sd_residual = (sum(v * v for v in residual) / len(residual)) ** 0.5 or 1.0
        sd_x = (sxx / len(x)) ** 0.5 or 1.0
        slope = UNPREDICTED_R / (1 - UNPREDICTED_R**2) ** 0.5 * UNPREDICTED_SPREAD / sd_x
        centre = JobCompetency.objects.filter(job=group[0].job, competency__code=code).values_list(
            "required_score", flat=True).first() or 70
        for person, v, r in zip(group, x, residual, strict=True):
            self.unrelated[id(person)] = {code: centre + 2 + slope * v + UNPREDICTED_SPREAD * r / sd_residual}

    def scores(self, person: Person, required: dict[str, int]) -> list[dict[str, float]]:
        """The person's review scores per competency, one dict per reviewed quarter."""
        story, rng = person.story, self.rng
        first: dict[str, float] = {}
        for code, ability in person.ability.items():
            if code == story.over_rated:
                first[code] = person.interview[code] - OVER_RATING + rng.gauss(0, 3)
            elif code in self.unrelated.get(id(person), {}):
                first[code] = self.unrelated[id(person)][code]
            else:
                first[code] = ability + rng.gauss(0, 4)
        enrolled = self.enrolled.get(id(person))
        rows = []
        for k, q in enumerate(self.reviewed[id(person)]):
            row = {code: clamp(value + (0.7 * k + rng.gauss(0, 2.5) if k else 0.0)) for code, value in first.items()}
            if enrolled and enrolled[1] and q > enrolled[0] and story.over_rated:
                row[story.over_rated] = clamp(row[story.over_rated] + ENROL_IMPROVEMENT)
            rows.append(row)
        if person is self.gap_person and story.over_rated and rows:
            rows[-1][story.over_rated] = clamp(person.interview[story.over_rated] - GAP_BELOW_INTERVIEW)
        return rows


def _cycles(quarters: list[tuple[dt.date, dt.date]], now: dt.datetime) -> list[PerformanceCycle]:
    rows = []
    for start, end in quarters:
        created = moment(start, 9)
        rows.append(PerformanceCycle(
            name=f"{start.year} 年第 {(start.month + 2) // 3} 季度绩效评估", kind=PerformanceCycle.Kind.QUARTERLY,
            method=PerformanceCycle.Method.MIXED, start=start, end=end, phase=PerformanceCycle.Phase.CLOSED,
            created_at=created, updated_at=min(moment(end + dt.timedelta(days=20)), now),
        ))
    with dated(*model_fields(PerformanceCycle, "created_at", "updated_at")):
        return PerformanceCycle.objects.bulk_create(rows)


SUMMARIES = ("本季度目标完成良好，继续保持。", "客户沟通扎实，需加强跨团队协作。", "执行力强，建议提升方案的系统性。",
             "进步明显，下季度重点提升影响力。", "整体符合预期。")


def _reviews(hires: list[Person], plan: Plan, cycles: list[PerformanceCycle], heads: dict[int, Employee],
             hr: User, now: dt.datetime) -> dict[int, list[Review]]:
    """Submitted reviews with a score per competency; returns each hire's reviews (by id() of the person)."""
    items = {job.pk: list(JobCompetency.objects.filter(job=job).select_related("competency").order_by("position"))
             for job in {p.job for p in hires}}
    participants = []
    reviews: list[Review] = []
    scores: list[ReviewScore] = []
    by_person: dict[int, list[Review]] = {}
    for person in hires:
        assert person.employee is not None
        model = items[person.job.pk]
        required = {item.competency.code: item.required_score for item in model}
        for q, row in zip(plan.reviewed[id(person)], plan.scores(person, required), strict=True):
            cycle = cycles[q]
            participants.append(PerformanceCycle.employees.through(
                performancecycle_id=cycle.pk, employee_id=person.employee.pk))
            total = overall((item.weight, row[item.competency.code]) for item in model)
            submitted = min(moment(cycle.end + dt.timedelta(days=plan.rng.randint(6, 14)), 15), now)
            review = Review(
                cycle=cycle, employee=person.employee, reviewer=heads[person.job.department_id].user or hr,
                status=Review.Status.SUBMITTED, overall_score=D(str(total)) if total is not None else None,
                band=band(total) if total is not None else "", summary=plan.rng.choice(SUMMARIES),
                submitted_at=submitted, created_at=submitted - dt.timedelta(days=5), updated_at=submitted,
            )
            reviews.append(review)
            by_person.setdefault(id(person), []).append(review)
            scores += [
                ReviewScore(review=review, competency=item.competency, manager_rating=D(str(row[item.competency.code])),
                            score=D(str(row[item.competency.code])))
                for item in model
            ]
    PerformanceCycle.employees.through.objects.bulk_create(participants)
    with dated(*model_fields(Review, "created_at", "updated_at")):
        Review.objects.bulk_create(reviews)
    for score in scores:
        score.review_id = score.review.pk
    ReviewScore.objects.bulk_create(scores)
    return by_person


def _enrol(hires: list[Person], plan: Plan, reviews: dict[int, list[Review]], heads: dict[int, Employee],
           hr: User, today: dt.date) -> int:
    """Courses for the planned hires' gaps in the over-rated competency, after their first review."""
    rows = []
    for person in hires:
        planned = plan.enrolled.get(id(person))
        story = person.story
        if planned is None or not story.over_rated or person.employee is None:
            continue
        review = reviews[id(person)][0]
        required = dict(JobCompetency.objects.filter(job=person.job).values_list("competency__code", "required_score"))
        found = next((g for g in gaps.find_gaps(
            gaps.review_performance(review), interview=person.interview,
            required={k: float(v) for k, v in required.items()}) if g.competency.code == story.over_rated), None)
        if found is None:
            continue
        ranked = gaps.catalogue_for([found.competency.pk]).ranked(competency=found.competency, gap=found.gap.gap)
        if not ranked:
            continue
        course: Course = ranked[0][1]
        assert review.submitted_at is not None
        start = timezone.localdate(review.submitted_at) + dt.timedelta(days=14)
        due = start + dt.timedelta(days=42)
        completed = planned[1] and due - dt.timedelta(days=4) < today
        created = moment(start - dt.timedelta(days=3), 11)
        rows.append(Enrollment(
            employee=person.employee, course=course, competency=found.competency,
            status=Enrollment.Status.COMPLETED if completed else Enrollment.Status.IN_PROGRESS,
            start_date=start, due_date=due, completed_on=due - dt.timedelta(days=4) if completed else None,
            reason=gaps.reason_text(found), source=gaps.gap_source(found),
            enrolled_by=heads[person.job.department_id].user or hr, created_at=created, updated_at=created,
        ))
    with dated(*model_fields(Enrollment, "created_at", "updated_at")):
        Enrollment.objects.bulk_create(rows)
    for row in rows:  # the learning app closes completed ones with the next review
        enrollments_follow_up(employee_id=row.employee_id)
    return len(rows)


# --- costs ----------------------------------------------------------------------------------------------------


def _costs(people: list[Person], quarters: list[tuple[dt.date, dt.date]], hr: User, rng: random.Random,
           today: dt.date) -> int:
    rows = []
    for job in {p.job for p in people}:
        for start, _end in quarters:
            rows.append(HiringCost(job=job, category=HiringCost.Category.ADVERTISING,
                                   amount=D(rng.randrange(3000, 9000, 100)), incurred_on=start + dt.timedelta(days=10),
                                   note=f"招聘网站职位推广 · {COST_NOTE}", created_by=hr))
    for person in people:
        if person.hire_date is None or person.hire_date > today:
            continue
        if person.source == Candidate.Source.AGENCY:
            rows.append(HiringCost(job=person.job, application=person.application, category=HiringCost.Category.AGENCY,
                                   amount=D(rng.randrange(25000, 40000, 500)), incurred_on=person.hire_date,
                                   note=f"猎头服务费 · {COST_NOTE}", created_by=hr))
        elif person.source == Candidate.Source.REFERRAL and person.hire_date + dt.timedelta(days=90) < today:
            rows.append(HiringCost(job=person.job, application=person.application,
                                   category=HiringCost.Category.REFERRAL, amount=D(5000),
                                   incurred_on=person.hire_date + dt.timedelta(days=90),
                                   note=f"内推奖金 · {COST_NOTE}", created_by=hr))
    for row in rows:
        row.created_at = row.updated_at = moment(row.incurred_on, 17)
    with dated(*model_fields(HiringCost, "created_at", "updated_at")):
        HiringCost.objects.bulk_create(rows)
    return len(rows)


# --- the seed -------------------------------------------------------------------------------------------------


def insights_demo_seed(*, seed: int = 7, reset: bool = False) -> dict[str, Any]:
    """Load two years of history for the insights (see the module docstring). Does nothing when it is already
    there, unless `reset`. Raises DemoError when the demo company or the interview demo is missing."""
    hr = User.objects.filter(username=HR_USERNAME, is_active=True).first()
    if hr is None:
        raise DemoError(f"The demo user {HR_USERNAME!r} is missing; run `talentloop seed-demo --reset`.")
    jobs = demo_jobs()
    missing = [story.title for story in STORIES if story.title not in jobs]
    if missing:
        raise DemoError(f"The demo jobs {', '.join(missing)} are missing; run `talentloop seed-demo --reset`.")
    if history_candidates().exists() and not reset:
        return {"created": False, **_counts()}
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    quarters = past_quarters(today)
    first_day = quarters[0][0]
    # Reasons and explanations are written in the site's language, as the services write them.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        deleted = _delete() if reset else None
        courses_added = course_catalogue_seed()
        people: list[Person] = []
        for story in STORIES:
            job = jobs[story.title]
            required = dict(JobCompetency.objects.filter(job=job).values_list("competency__code", "required_score"))
            group = make_people(rng, job, story, required, today, first_day)
            for person in group:
                walk(rng, person, now)
                leaving(rng, person, today)
            people += group
        applications, changes = write_recruiting(people, hr, rng, now)
        sessions, answers, answered = write_interviews(people, hr, rng, now)
        heads = {d: _head(Department.objects.get(pk=d)) for d in {p.job.department_id for p in people}}
        hires = _employees(people, heads, today)
        plan = Plan(hires, quarters, today, rng)
        cycles = _cycles(quarters, now)
        reviews = _reviews(hires, plan, cycles, heads, hr, now)
        enrolments = _enrol(hires, plan, reviews, heads, hr, today)
        costs = _costs(people, quarters, hr, rng, today)
    metrics_cache_bump()
    return _summary(
        people=people, hires=hires, plan=plan, jobs=jobs, deleted=deleted, courses_added=courses_added,
        applications=applications, changes=changes, sessions=sessions, answers=answers, answered=answered,
        cycles=len(cycles), reviews=sum(len(r) for r in reviews.values()), enrolments=enrolments, costs=costs,
    )


def _summary(*, people: list[Person], hires: list[Person], plan: Plan, jobs: dict[str, Job],
             deleted: dict[str, int] | None, **counts: int) -> dict[str, Any]:
    base = DEMO_URL.rstrip("/")
    calibration, questions = reverse("insights:calibration"), reverse("insights:questions")
    gap = plan.gap_person
    gap_competency = (
        Competency.objects.filter(code=gap.story.over_rated).first() if gap and gap.story.over_rated else None
    )
    return {
        "created": True, "deleted": deleted, **counts,
        "employees": len(hires), "left": sum(1 for p in hires if p.left_on),
        "first_day": plan.quarters[0][0].isoformat(),
        "jobs": [
            {
                "title": story.title, "job": jobs[story.title].pk,
                "applications": sum(1 for p in people if p.story is story),
                "hires": sum(1 for p in hires if p.story is story),
                "reviewed": sum(1 for p in hires if p.story is story and plan.reviewed[id(p)]),
                "over_rated": story.over_rated, "unpredicted": story.unpredicted,
                "calibration_url": f"{base}{calibration}?job={jobs[story.title].pk}",
                "questions_url": f"{base}{questions}?job={jobs[story.title].pk}",
            }
            for story in STORIES
        ],
        "gap_employee": gap.employee.pk if gap and gap.employee else None,
        "gap_employee_name": gap.name if gap else "",
        "gap_department": gap.job.department_id if gap else None,
        "gap_competency": gap_competency.code if gap_competency else None,
        "gap_competency_name": gap_competency.display_name if gap_competency else "",
        "recommendations_url": (
            base + reverse("learning:recommendations", args=[gap.employee.pk]) if gap and gap.employee else None
        ),
        "insights_url": base + reverse("insights:home"),
        "forecast_url": (
            f"{base}{reverse('insights:forecast')}?department={gap.job.department_id}" if gap else None
        ),
    }


def history_jobs() -> QuerySet[Job]:
    """The jobs the history is about."""
    return Job.objects.filter(pk__in=[job.pk for title, job in demo_jobs().items()
                                      if title in {s.title for s in STORIES}])


__all__ = ["JobStory", "history_candidates", "history_employees", "history_jobs", "insights_demo_seed"]
