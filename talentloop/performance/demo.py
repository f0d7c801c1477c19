"""The performance side of the demo: the loop from the interview to the first review, on top of the org,
recruiting and interview demos.

* The KPI library is seeded. A probation cycle that enrols new hires (in goal setting, with deadlines) and the
  current quarter's cycle for manager1's and manager2's teams (company, department and personal objectives
  with check-ins; KPI targets for the `employee` login) are opened.
* The demo application with a ready interview report in manager1's department gets an offer, accepts it and
  is hired through recruiting's services; the hire hook joins the probation cycle and drafts OKRs from the
  interview ("interview: customer orientation 57.2 → target 59.2"). HR makes manager1 the hire's manager,
  manager1 approves the draft and checks in twice.
* A 360° round about the `employee` login's employee: self, manager, three of four peers and both of their
  two reports answer, so the peer group shows and the report group stays hidden (fewer than three). Another
  round, about a colleague, waits for the `employee` login's answer.
* manager1 submits a competency review of that employee (quarter) and of the hire (probation), so the hire's
  profile chart shows interview and review scores side by side.
* The other application at the offer stage is left with an accepted offer, not hired: hiring it in the UI
  shows OKRs being drafted.

Everything goes through the services a person's clicks go through, one committed step after another (the
hire hook runs after the hire commits). Nothing is done when the demo company's employees already take part
in a cycle, unless `reset`."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from talentloop.core.models import User
from talentloop.interviews.models import InterviewReport
from talentloop.org.demo import (
    DEMO_URL,
    EMPLOYEE_USERNAME,
    HR_USERNAME,
    MANAGER_DEPARTMENTS,
    MANAGER_USERNAMES,
    DemoError,
    _demo_department_ids,
)
from talentloop.org.models import Department, Employee, Job
from talentloop.org.selectors import team_ids_sql
from talentloop.org.services.employees import employee_update
from talentloop.recruiting.demo import demo_jobs
from talentloop.recruiting.models import Application, Offer, Stage
from talentloop.recruiting.services.hire import application_hire
from talentloop.recruiting.services.offers import accepted_offer, offer_create, offer_record_acceptance

from . import services
from .drafting import okr_draft_approve
from .feedback import AnswerInput, feedback_competencies, feedback_path, feedback_respond_by_token
from .feedback import feedback_request_create as _feedback_request_create
from .kpi_defaults import kpi_library_seed
from .kpis import kpi_target_create
from .models import (
    FeedbackInvitation,
    FeedbackRequest,
    KeyResult,
    Kpi,
    KpiTarget,
    Objective,
    PerformanceCycle,
    Review,
)
from .phases import cycle_create, hire_join_cycles
from .reviews import review_create, review_submit

D = Decimal
Phase = PerformanceCycle.Phase
Relation = FeedbackInvitation.Relation
PROBATION_NAME = "新员工试用期目标"
PROBATION_DAYS = 180
PEER_RATERS = 4  # invited; PEER_RATERS - 1 answer, so three peers show
REPORT_RATERS = 2  # both answer, fewer than three: the report group stays hidden
OFFER_SALARY = D("28000.00")
# manager1's ratings of the `employee` login's employee and of the hire, per competency of the sales job.
EMPLOYEE_RATINGS = {"sales_acumen": 85, "customer_orientation": 88, "leadership": 72,
                    "influence_negotiation": 80, "results_orientation": 84}
HIRE_RATINGS = {"sales_acumen": 74, "customer_orientation": 78, "leadership": 64,
                "influence_negotiation": 72, "results_orientation": 75}
# (KPI code, weight %, target or None for the library's, actual) for the `employee` login's employee.
EMPLOYEE_KPIS = (("sales_revenue_attainment", D(40), None, D(86)), ("new_customers", D(30), None, D(7)),
                 ("customer_satisfaction", D(30), None, D(88)))


def _user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DemoError(f"The demo user {username!r} is missing; run `talentloop seed-demo --reset`.")
    return user


def demo_cycles() -> QuerySet[PerformanceCycle]:
    """The cycles the demo company's employees take part in: the performance demo, once it is loaded."""
    return PerformanceCycle.objects.filter(employees__department_id__in=_demo_department_ids()).distinct()


def _delete_cycles(cycles: QuerySet[PerformanceCycle]) -> int:
    """Delete the cycles with everything in them (their rows protect the cycle and the employees)."""
    ids = list(cycles.values_list("pk", flat=True))
    Review.objects.filter(cycle_id__in=ids).delete()
    KpiTarget.objects.filter(cycle_id__in=ids).delete()
    FeedbackRequest.objects.filter(cycle_id__in=ids).delete()
    Objective.objects.filter(cycle_id__in=ids).update(parent=None)
    Objective.objects.filter(cycle_id__in=ids).delete()
    PerformanceCycle.objects.filter(pk__in=ids).delete()
    return len(ids)


# --- the people -------------------------------------------------------------------------------------------


def _head(code: str) -> Employee:
    department = Department.objects.filter(code=code).first()
    head = (
        Employee.objects.filter(department=department, user__username__in=MANAGER_USERNAMES).first()
        if department else None
    )
    if head is None:
        raise DemoError("The demo company is not loaded; run `talentloop seed-demo` first.")
    return head


def _ensure_job(actor: User, employee: Employee) -> Employee:
    """Give a job (their department's first) to someone without one: 360° rates a job's competencies."""
    if employee.job_id is not None:
        return employee
    job = Job.objects.filter(department_id=employee.department_id).order_by("pk").first()
    if job is None:
        raise DemoError(f"{employee.name} has no job and their department has none to give them.")
    return employee_update(actor=actor, employee=employee, changes={"job": job})


# --- cycles and objectives --------------------------------------------------------------------------------


def _quarter(today: dt.date) -> tuple[dt.date, dt.date, str]:
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = dt.date(today.year, first_month, 1)
    following = dt.date(today.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1)
    return start, following - dt.timedelta(days=1), f"{today.year} 年第 {(first_month + 2) // 3} 季度 OKR"


def _deadlines(start: dt.date, end: dt.date) -> dict[str, dt.date]:
    span = (end - start).days
    return {Phase.GOAL_SETTING: start + dt.timedelta(days=min(14, span // 4)),
            Phase.SELF_REVIEW: end - dt.timedelta(days=21), Phase.MANAGER_REVIEW: end - dt.timedelta(days=14),
            Phase.FEEDBACK_360: end - dt.timedelta(days=7), Phase.CALIBRATION: end}


def _probation_cycle(hr: User, today: dt.date, hired: dt.date | None) -> PerformanceCycle:
    start = min(today.replace(day=1), hired or today)
    end = start + dt.timedelta(days=PROBATION_DAYS)
    return cycle_create(
        actor=hr, name=PROBATION_NAME, start=start, end=end, kind=PerformanceCycle.Kind.PROBATION,
        method=PerformanceCycle.Method.OKR, phase=Phase.GOAL_SETTING, enrol_new_hires=True,
        deadlines={Phase.GOAL_SETTING: min(start + dt.timedelta(days=30), end),
                   Phase.MANAGER_REVIEW: end - dt.timedelta(days=14), Phase.CALIBRATION: end},
    )


def _quarter_cycle(hr: User, today: dt.date, heads: list[Employee]) -> PerformanceCycle:
    start, end, name = _quarter(today)
    people = set(Employee.objects.filter(
        Q(pk__in=[h.pk for h in heads]) | Q(pk__in=team_ids_sql(heads[0].pk)) | Q(pk__in=team_ids_sql(heads[1].pk))
    ).exclude(status=Employee.Status.TERMINATED).values_list("pk", flat=True))
    return cycle_create(
        actor=hr, name=name, start=start, end=end, kind=PerformanceCycle.Kind.QUARTERLY,
        method=PerformanceCycle.Method.MIXED, phase=Phase.FEEDBACK_360, employees=sorted(people),
        deadlines=_deadlines(start, end),
    )


def _key_result(actor: User, objective: Objective, title: str, metric: str, unit: str, start: int, target: int,
                weight: int, check_ins: tuple[tuple[int, str], ...] = ()) -> KeyResult:
    direction = KeyResult.Direction.INCREASE if target > start else KeyResult.Direction.DECREASE
    key_result = services.key_result_create(
        actor=actor, objective=objective, title=title, metric=metric, unit=unit, start_value=D(start),
        target_value=D(target), weight=D(weight), direction=direction,
    )
    for value, comment in check_ins:
        services.check_in_add(actor=actor, key_result=key_result, value=D(value), comment=comment)
    return key_result


def _quarter_objectives(hr: User, cycle: PerformanceCycle, heads: list[Employee], subject: Employee) -> Objective:
    """Company → department → personal objectives; returns the `employee` login's personal objective."""
    active = Objective.Status.ACTIVE
    company = services.objective_create(
        actor=hr, cycle=cycle, level=Objective.Level.COMPANY, title="本季度营收同比增长 25%", status=active,
        description="公司级目标：扩大华东市场份额，同时保证平台稳定。")
    _key_result(hr, company, "季度营收达到 1.2 亿元", "季度营收", "百万元", 0, 120, 60,
                ((54, "前两个月累计 5,400 万元。"),))
    _key_result(hr, company, "核心平台可用性达到 99.95%", "平台月可用性", "%", 99, 100, 40)
    sales = services.objective_create(
        actor=hr, cycle=cycle, level=Objective.Level.DEPARTMENT, title="华东区新签客户 40 家", status=active,
        department=heads[0].department, parent=company)
    _key_result(hr, sales, "新签客户 40 家", "新签客户数", "家", 0, 40, 70,
                ((12, "第一个月 12 家。"), (21, "第二个月累计 21 家。")))
    _key_result(hr, sales, "客户满意度达到 90 分", "客户满意度", "分", 80, 90, 30, ((84, "季中回访调查。"),))
    platform = services.objective_create(
        actor=hr, cycle=cycle, level=Objective.Level.DEPARTMENT, title="平台稳定性与交付效率双提升", status=active,
        department=heads[1].department, parent=company)
    _key_result(hr, platform, "P1 故障降到 0 次", "P1 故障数", "次", 4, 0, 50)
    _key_result(hr, platform, "需求按期交付率达到 95%", "按期交付率", "%", 80, 95, 50, ((88, "迭代 1–3 统计。"),))
    mine = _user(EMPLOYEE_USERNAME)
    personal = services.objective_create(
        actor=mine, cycle=cycle, level=Objective.Level.PERSONAL, title="拓展苏州、无锡区域的中型客户",
        owner_employee=subject, parent=sales, status=active)
    _key_result(mine, personal, "新签客户 10 家", "新签客户数", "家", 0, 10, 60,
                ((3, "苏州两家、无锡一家签约。"), (6, "又签下三家制造业客户。")))
    _key_result(mine, personal, "负责客户的满意度达到 92 分", "客户满意度", "分", 80, 92, 40,
                ((86, "季中回访平均 86 分。"),))
    return personal


def _kpi_targets(manager: User, cycle: PerformanceCycle, subject: Employee) -> None:
    kpis = Kpi.objects.in_bulk([code for code, *_rest in EMPLOYEE_KPIS], field_name="code")
    for code, weight, target, actual in EMPLOYEE_KPIS:
        if code in kpis:
            kpi_target_create(actor=manager, cycle=cycle, employee=subject, kpi=kpis[code], weight=weight,
                              target_value=target, actual_value=actual)


# --- the hire ---------------------------------------------------------------------------------------------


def _offer_stage_applications() -> list[Application]:
    """The demo applications at the offer stage (or hired) with a ready interview report, manager1's department
    first."""
    ready = InterviewReport.objects.filter(status=InterviewReport.Status.READY).values("session__application_id")
    applications = list(
        Application.objects.filter(job__in=list(demo_jobs().values()), stage__in=(Stage.OFFER, Stage.HIRED),
                                   pk__in=ready).select_related("candidate", "job__department").order_by("pk")
    )
    return sorted(applications, key=lambda a: (a.job.department.code != MANAGER_DEPARTMENTS[0], a.pk))


def _accept_offer(hr: User, application: Application, today: dt.date) -> Offer:
    offer = accepted_offer(application)
    if offer is not None:
        return offer
    offer = (
        Offer.objects.filter(application=application, status__in=(Offer.Status.DRAFT, Offer.Status.SENT)).first()
        or offer_create(actor=hr, application=application, title=application.job.title, salary=OFFER_SALARY,
                        start_date=today)
    )
    return offer_record_acceptance(actor=hr, offer=offer, note="电话确认接受录用。")


def _hire(hr: User, application: Application, head: Employee, today: dt.date) -> Employee:
    """Hire through recruiting with the department head as manager (its hook drafts the OKRs after commit and
    tells the manager), and join the cycles again in case no worker ran the hook (it is idempotent)."""
    if application.employee_id is None:
        _accept_offer(hr, application, today)
        manager = head if application.job.department_id == head.department_id else None
        application_hire(actor=hr, application=application, hire_date=today, manager=manager)
        application.refresh_from_db()
    employee = Employee.objects.get(application=application)
    if employee.manager_id is None and employee.department_id == head.department_id:
        employee = employee_update(actor=hr, employee=employee, changes={"manager": head})
    # As the hook does: drafted titles and explanations in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        hire_join_cycles(employee_id=employee.pk)
    return employee


def _approve_and_check_in(actor: User, employee: Employee, cycle: PerformanceCycle) -> Objective | None:
    drafted = Objective.objects.filter(
        cycle=cycle, owner_employee=employee, key_results__source__isnull=False
    ).distinct().first()
    if drafted is None:
        return None
    if drafted.status == Objective.Status.DRAFT:
        drafted = okr_draft_approve(actor=actor, objective=drafted)
    for key_result in drafted.key_results.order_by("pk"):
        target = key_result.target_value
        for share, comment in ((D("0.5"), "入职第一个月：客户回访"), (D("0.8"), "第二个月：跟进重点客户")):
            value = (key_result.start_value + (target - key_result.start_value) * share).quantize(D("0.1"))
            services.check_in_add(actor=actor, key_result=key_result, value=value, comment=comment)
    return drafted


# --- 360° and reviews -------------------------------------------------------------------------------------


def _rate(rng: random.Random, competencies: list[str], low: int, high: int) -> list[AnswerInput]:
    return [AnswerInput(competency=code, rating=rng.randint(low, high)) for code in competencies]


def _feedback(hr: User, cycle: PerformanceCycle, subject: Employee, head: Employee, rng: random.Random,
              now: dt.datetime) -> tuple[FeedbackRequest, FeedbackRequest, FeedbackInvitation]:
    """The round about `subject` (answered as described in the module docstring) and one about a colleague
    that waits for the subject's answer; returns both and that pending invitation."""
    # People of the demo company only: not a hire from recruiting (the demo's, or one a visitor made). The
    # subject's reports are the ones an earlier run gave them, topped up from their colleagues.
    people = Employee.objects.filter(application__isnull=True).exclude(pk=subject.pk).exclude(
        status=Employee.Status.TERMINATED).order_by("employee_no")
    reports = list(people.filter(manager=subject)[:REPORT_RATERS])
    colleagues = list(people.filter(manager=head).exclude(pk__in=[r.pk for r in reports])
                      [:REPORT_RATERS + PEER_RATERS - len(reports)])
    if len(reports) + len(colleagues) < REPORT_RATERS + PEER_RATERS:
        raise DemoError(f"{subject.name} needs {REPORT_RATERS + PEER_RATERS} colleagues for the 360° round; run "
                        "`talentloop seed-demo --reset` with more --employees.")
    missing = REPORT_RATERS - len(reports)
    reports, peers = reports + colleagues[:missing], colleagues[missing:]
    # The subject leads two of their colleagues: the report group of the round.
    for report in reports:
        if report.manager_id != subject.pk:
            employee_update(actor=hr, employee=report, changes={"manager": subject})
    deadline = now + dt.timedelta(days=10)
    raters: list[tuple[Employee | int, str]] = [(subject, Relation.SELF), (head, Relation.MANAGER)]
    raters += [(p, Relation.PEER) for p in peers] + [(r, Relation.REPORT) for r in reports]
    request = _feedback_request_create(actor=hr, cycle=cycle, subject=subject, deadline=deadline,
                                       scale=FeedbackRequest.Scale.FIVE, raters=raters)
    codes = [c.code for c in feedback_competencies(subject)]
    answering = request.invitations.exclude(rater=peers[-1]).order_by("pk")
    for invitation in answering:
        low, high = (4, 5) if invitation.relation in (Relation.SELF, Relation.REPORT) else (3, 5)
        comment = "主动跟进客户，方案讲解清楚。" if invitation.relation == Relation.PEER else ""
        feedback_respond_by_token(token=invitation.token, answers=_rate(rng, codes, low, high), comment=comment)
    colleague = _ensure_job(hr, peers[0])
    other = _feedback_request_create(
        actor=hr, cycle=cycle, subject=colleague, deadline=deadline, scale=FeedbackRequest.Scale.FIVE,
        raters=[(colleague, Relation.SELF), (head, Relation.MANAGER), (subject, Relation.PEER)],
    )
    return request, other, other.invitations.get(rater=subject)


def _review(actor: User, employee: Employee, cycle: PerformanceCycle, ratings: dict[str, int], summary: str) -> Review:
    lines = [{"competency": c, "manager_rating": ratings[c.code]}
             for c in feedback_competencies(employee) if c.code in ratings]
    review = review_create(actor=actor, employee=employee, cycle=cycle, competency_scores=lines, summary=summary)
    return review_submit(actor=actor, review=review)


# --- the whole story --------------------------------------------------------------------------------------


def _existing_summary(cycles: QuerySet[PerformanceCycle]) -> dict[str, Any]:
    return {"created": False, "cycles": cycles.count(),
            "objectives": Objective.objects.filter(cycle__in=cycles).count(),
            "reviews": Review.objects.filter(cycle__in=cycles, status=Review.Status.SUBMITTED).count()}


def performance_demo_seed(*, seed: int = 7, reset: bool = False) -> dict[str, Any]:
    """Load the performance demo (see the module docstring). Does nothing when the demo company's employees
    already take part in a cycle, unless `reset` (which deletes those cycles and all in them first). Raises
    DemoError when the demo company, its applications or their interview reports are missing."""
    hr = _user(HR_USERNAME)
    manager = _user(MANAGER_USERNAMES[0])
    heads = [_head(code) for code in MANAGER_DEPARTMENTS]
    subject = Employee.objects.filter(user__username=EMPLOYEE_USERNAME).first()
    if subject is None:
        raise DemoError(
            f"The demo user {EMPLOYEE_USERNAME!r} has no employee record; run `talentloop seed-demo --reset`."
        )
    applications = _offer_stage_applications()
    if not applications:
        raise DemoError("No demo application at the offer stage has a ready interview report; run "
                        "`talentloop seed-demo-interviews` first.")
    existing = demo_cycles()
    if existing.exists() and not reset:
        return _existing_summary(existing)
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    hire_app, *others = applications
    # Invitations go to the dummy backend while seeding: the demo prints nothing per email. One transaction:
    # a seed (or reset) that fails half-way leaves nothing behind; the hire hook, queued after commit, finds
    # the hire already joined and drafted by the explicit call in _hire and changes nothing.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        deleted = _delete_cycles(existing) if reset else 0
        kpis_added = kpi_library_seed()
        subject = _ensure_job(hr, subject)
        hired_on = Employee.objects.filter(application=hire_app).values_list("hire_date", flat=True).first()
        probation = _probation_cycle(hr, today, hired_on)
        quarter = _quarter_cycle(hr, today, heads)
        personal = _quarter_objectives(hr, quarter, heads, subject)
        _kpi_targets(manager, quarter, subject)
        hire = _hire(hr, hire_app, heads[0], today)
        approver = manager if hire.manager_id == heads[0].pk else hr
        drafted = _approve_and_check_in(approver, hire, probation)
        request, other, pending = _feedback(hr, quarter, subject, heads[0], rng, now)
        subject_review = _review(manager, subject, quarter, EMPLOYEE_RATINGS, "季度目标推进顺利，客户口碑好。")
        hire_review = _review(approver, hire, probation, HIRE_RATINGS, "试用期前两个月表现稳定，需加强团队带领。")
        waiting = next((a for a in others if a.stage == Stage.OFFER and a.employee_id is None), None)
        if waiting is not None:
            _accept_offer(hr, waiting, today)
    base = DEMO_URL.rstrip("/")
    return {
        "created": True, "deleted_cycles": deleted, "kpis_added": kpis_added,
        "probation_cycle": probation.pk, "quarter_cycle": quarter.pk, "personal_objective": personal.pk,
        "hire": hire.pk, "hire_name": hire.name, "hire_application": hire_app.pk,
        "drafted_objective": drafted.pk if drafted else None,
        "key_results": [
            (kr.source or {}).get("explanation", "") for kr in drafted.key_results.order_by("pk")
        ] if drafted else [],
        "feedback_request": request.pk, "pending_request": other.pk,
        "subject": subject.pk, "subject_name": subject.name,
        "subject_review": subject_review.pk, "hire_review": hire_review.pk,
        "hire_band": hire_review.band, "subject_band": subject_review.band,
        "profile_url": base + reverse("performance:profile", args=[hire.pk]),
        "feedback_url": base + reverse("performance:feedback_detail", args=[request.pk]),
        "pending_link": base + feedback_path(pending),
        "waiting_application": waiting.pk if waiting else None,
        "waiting_url": base + reverse("recruiting:application_detail", args=[waiting.pk]) if waiting else None,
    }
