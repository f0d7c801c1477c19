"""Data for the review tests: a job model for the report (customer focus 0.6, teamwork 0.4), and 360° answers,
KPI targets and key results about customer focus whose computed review scores are known exactly.

With the default weights 50 / 30 / 20 and manager ratings 80 (customer) and 60 (teamwork):
* customer: 360° = mean(50 manager, 90, 90, 90 peers) = 80 (the self answer and an unsubmitted report don't
  count; the three peers make a group large enough to be shown, see TALENTLOOP_FEEDBACK_MIN_GROUP);
  results = mean(KPI 80, OKR 50) = 65; score = 40 + 24 + 13 = 77.0
* teamwork: 360° = mean(55, 75, 75, 75) = 70; no results; score = (50·60 + 30·70) / 80 = 63.75 → 63.8
* overall = 0.6 · 77 + 0.4 · 63.8 = 71.72 → 71.7, band B."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from talentloop.core.testing.factories import (
    CompetencyFactory,
    EmployeeFactory,
    JobCompetencyFactory,
    JobFactory,
)
from talentloop.org.models import Competency, Employee, Job
from talentloop.performance.models import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackRequest,
    KeyResult,
    Kpi,
    KpiTarget,
    Objective,
    PerformanceCycle,
)


def job_model(org: dict[str, Any]) -> dict[str, Competency]:
    """Give the report (李员工) and the indirect report a job whose model is customer 0.6, teamwork 0.4."""
    customer = cast(Competency, CompetencyFactory(code="customer", name="客户导向", name_en="Customer focus"))
    teamwork = cast(Competency, CompetencyFactory(code="teamwork", name="团队合作", name_en="Teamwork"))
    job = cast(Job, JobFactory(title="Account manager"))
    JobCompetencyFactory(job=job, competency=customer, weight=Decimal("0.6"), required_score=75, position=1)
    JobCompetencyFactory(job=job, competency=teamwork, weight=Decimal("0.4"), required_score=70, position=2)
    for key in ("report", "indirect"):
        employee: Employee = org["employees"][key]
        employee.job = job
        employee.save(update_fields=["job"])
    return {"customer": customer, "teamwork": teamwork}


def _invite(request: FeedbackRequest, rater: Employee, relation: str, *, submitted: bool = True) -> FeedbackInvitation:
    return FeedbackInvitation.objects.create(
        request=request, rater=rater, relation=relation, token=secrets.token_urlsafe(24),
        submitted_at=timezone.now() if submitted else None,
    )


def _answer(invitation: FeedbackInvitation, competency: Competency, score: int) -> None:
    FeedbackAnswer.objects.create(
        invitation=invitation, competency=competency, rating=Decimal(score), score=Decimal(score),
    )


def feedback_round(org: dict[str, Any], cycle: PerformanceCycle, comps: dict[str, Competency]) -> FeedbackRequest:
    e = org["employees"]
    request = FeedbackRequest.objects.create(
        cycle=cycle, subject=e["report"], scale=FeedbackRequest.Scale.PERCENT,
        deadline=timezone.now() + dt.timedelta(days=7),
    )
    own = _invite(request, e["report"], FeedbackInvitation.Relation.SELF)
    _answer(own, comps["customer"], 100)
    _answer(own, comps["teamwork"], 100)
    boss = _invite(request, e["manager"], FeedbackInvitation.Relation.MANAGER)
    _answer(boss, comps["customer"], 50)
    _answer(boss, comps["teamwork"], 55)
    for rater in (e["outsider"], EmployeeFactory(department=e["report"].department),
                  EmployeeFactory(department=e["report"].department)):
        peer = _invite(request, cast(Employee, rater), FeedbackInvitation.Relation.PEER)
        _answer(peer, comps["customer"], 90)
        _answer(peer, comps["teamwork"], 75)
    pending = _invite(request, e["indirect"], FeedbackInvitation.Relation.REPORT, submitted=False)
    _answer(pending, comps["customer"], 0)
    return request


def results_evidence(org: dict[str, Any], cycle: PerformanceCycle, comps: dict[str, Competency]) -> None:
    report = org["employees"]["report"]
    csat = Kpi.objects.create(
        code="csat", name="客户满意度", name_en="CSAT", floor_value=50, threshold_value=80, target_value=100,
        competency=comps["customer"],
    )
    nps = Kpi.objects.create(
        code="nps", name="净推荐值", name_en="NPS", floor_value=0, threshold_value=30, target_value=60,
        competency=comps["customer"],
    )
    KpiTarget.objects.create(cycle=cycle, employee=report, kpi=csat, target_value=100, actual_value=90, weight=60)
    KpiTarget.objects.create(cycle=cycle, employee=report, kpi=nps, target_value=60, actual_value=None, weight=40)
    approved = Objective.objects.create(
        cycle=cycle, owner_employee=report, level=Objective.Level.PERSONAL, title="First goals",
        status=Objective.Status.ACTIVE,
    )
    source = {"rule": 1, "competency": "customer", "interview_score": 88.0, "formula": "offset", "report": 1}
    KeyResult.objects.create(
        objective=approved, title="CSAT", metric="survey", start_value=70, target_value=90, current_value=80,
        weight=50, source=source,
    )
    KeyResult.objects.create(  # typed by hand: no source, no evidence
        objective=approved, title="Calls", metric="calls", start_value=0, target_value=10, current_value=10, weight=50,
    )
    draft = Objective.objects.create(
        cycle=cycle, owner_employee=report, level=Objective.Level.PERSONAL, title="Not approved",
        status=Objective.Status.DRAFT,
    )
    KeyResult.objects.create(
        objective=draft, title="Drafted", metric="m", start_value=0, target_value=10, current_value=0, weight=50,
        source=source,
    )


def full_evidence(org: dict[str, Any], cycle: PerformanceCycle) -> dict[str, Competency]:
    comps = job_model(org)
    feedback_round(org, cycle, comps)
    results_evidence(org, cycle, comps)
    return comps


RATINGS = [{"competency": "customer", "manager_rating": 80}, {"competency": "teamwork", "manager_rating": 60}]


def ratings(comps: dict[str, Competency], **overrides: Any) -> list[dict[str, Any]]:
    """The service's input for RATINGS (competency objects instead of codes)."""
    return [{**item, "competency": comps[str(item["competency"])], **overrides.get(str(item["competency"]), {})}
            for item in RATINGS]
