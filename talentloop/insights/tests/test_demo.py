"""The insights demo loads two years of history on top of a small demo company, and the real selectors find
its story: an over-rated competency with enough hires, a question to retire, a weak candidate pool, dashboard
metrics with data, a forecast, and an employee with a training recommendation. A second run changes nothing;
--reset deletes only what it made and loads it again."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from talentloop.assessment.insights import stats
from talentloop.core.models import User
from talentloop.insights.calibration import job_calibration
from talentloop.insights.demo import history_candidates, history_employees, insights_demo_seed
from talentloop.insights.forecast import department_forecast
from talentloop.insights.metrics import metrics_dashboard, metrics_filters_parse
from talentloop.insights.models import CandidateAttribute, CandidateSatisfaction, HiringCost
from talentloop.insights.pool import job_candidate_pool
from talentloop.insights.question_validity import insights_question_retire, job_question_validity
from talentloop.interviews.demo import interviews_demo_seed
from talentloop.interviews.models import InterviewQuestion, InterviewReport
from talentloop.learning.models import Enrollment
from talentloop.learning.recommendations import training_recommendations
from talentloop.org.demo import demo_seed
from talentloop.org.models import Department, Employee, Job
from talentloop.performance.models import PerformanceCycle, Review
from talentloop.recruiting.demo import recruiting_demo_seed
from talentloop.recruiting.models import Application, Stage, StageChange

# The interview demo relies on after-commit scoring: real commits.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def interviews(transactional_db: Any, tmp_path: Path) -> None:
    demo_seed(employees=100, seed=42, reset=False, stdout=io.StringIO())
    recruiting_demo_seed(seed=42, folder=tmp_path)
    interviews_demo_seed(seed=7)


def test_the_selectors_find_the_story(interviews: None) -> None:
    result = insights_demo_seed(seed=7)
    hr = User.objects.get(username="hr")
    jobs = {job["title"]: Job.objects.get(pk=job["job"]) for job in result["jobs"]}
    assert result["created"] is True
    assert [(j["title"], j["hires"]) for j in result["jobs"]] == [
        ("销售经理", 20), ("数据分析师", 18), ("高级后端工程师", 18),
    ]

    # Two years of history, consistent with itself.
    today = timezone.localdate()
    first_day = dt.date.fromisoformat(result["first_day"])
    assert (today - first_day).days >= 730
    employees = history_employees()
    assert employees.count() == result["employees"] == 56
    hire_dates = sorted(d for d in employees.values_list("hire_date", flat=True) if d is not None)
    assert len(hire_dates) == 56
    assert first_day - dt.timedelta(days=15) <= hire_dates[0] < first_day + dt.timedelta(days=60)
    assert today - dt.timedelta(days=120) < hire_dates[-1] <= today
    left = employees.filter(status=Employee.Status.TERMINATED)
    assert left.count() == result["left"] > 5
    tenures = [(e.left_on - e.hire_date).days for e in left if e.left_on and e.hire_date]
    assert len(tenures) == left.count()
    assert min(tenures) < 180 < max(tenures)  # some left during probation, some later
    hired = Application.objects.filter(candidate__in=history_candidates(), stage=Stage.HIRED)
    assert hired.count() == 56
    assert not hired.filter(employee=None).exists()
    first = StageChange.objects.filter(application__in=hired).order_by("at").first()
    assert first is not None
    assert timezone.localdate(first.at) < first_day
    assert StageChange.objects.filter(application__in=hired, to_stage=Stage.HIRED).count() == 56
    assert InterviewReport.objects.filter(
        session__application__candidate__in=history_candidates(), status=InterviewReport.Status.READY
    ).count() == result["sessions"]
    cycles = PerformanceCycle.objects.filter(reviews__employee__in=employees).distinct()
    assert cycles.count() == 8
    assert {c.phase for c in cycles} == {PerformanceCycle.Phase.CLOSED}
    reviews = Review.objects.filter(employee__in=employees)
    assert reviews.count() == result["reviews"]
    assert not reviews.exclude(status=Review.Status.SUBMITTED).exists()
    assert not reviews.filter(submitted_at__gt=timezone.now()).exists()
    assert CandidateAttribute.objects.filter(candidate__in=history_candidates(), name="gender").count() > 50
    assert CandidateSatisfaction.objects.count() == result["answered"] > 30
    assert HiringCost.objects.count() == result["costs"] > 24

    # Calibration: the sales job's interview over-rates influence & negotiation, with enough hires.
    calibration = {c.code: c for c in job_calibration(user=hr, job=jobs["销售经理"]).competencies}
    over = calibration["influence_negotiation"]
    assert over.flag == stats.OVER_RATED
    assert over.n >= 10
    assert over.gap is not None
    assert over.gap_ci is not None
    assert -15 < over.gap < -8
    assert over.gap_ci[1] < -5
    assert over.recommendation
    good = calibration["sales_acumen"]
    assert good.flag is None
    assert good.n >= 10
    assert good.pearson is not None
    assert good.pearson.r >= 0.4
    data = {c.code: c for c in job_calibration(user=hr, job=jobs["数据分析师"]).competencies}
    assert data["data_analysis"].flag == stats.OVER_RATED
    backend = {c.code: c for c in job_calibration(user=hr, job=jobs["高级后端工程师"]).competencies}
    assert backend["learning_agility"].flag == stats.LOW_VALIDITY
    assert [c.code for c in backend.values() if c.flag] == ["learning_agility"]

    # Question validity: the third customer-orientation question goes against later performance: retire it.
    validity = {q.question.code: q for q in job_question_validity(user=hr, job=jobs["销售经理"]).questions}
    bad = validity["customer_orientation-zh-3"]
    assert bad.n >= 10
    assert bad.pearson is not None
    assert bad.pearson.r < 0
    assert (bad.suggestion, bad.can_retire) == (stats.RETIRE, True)
    assert [code for code, q in validity.items() if q.suggestion == stats.RETIRE] == ["customer_orientation-zh-3"]
    insights_question_retire(actor=hr, question_id=bad.question.pk)
    assert InterviewQuestion.objects.get(pk=bad.question.pk).is_active is False

    # The candidate pool scores low in leadership for the sales job.
    pool = job_candidate_pool(user=hr, job=jobs["销售经理"]).competencies
    assert "leadership" in [c.code for c in pool if c.flag == stats.LOW_ACROSS_POOL]

    # The dashboards have data over the two years.
    filters = metrics_filters_parse(params={"from": result["first_day"], "to": today.isoformat()})
    dashboard = metrics_dashboard(user=hr, filters=filters)
    for key in ("recruitment_accuracy", "retention_6m", "retention_12m", "probation_pass_rate", "time_to_hire",
                "cost_per_hire", "candidate_satisfaction", "training_completion", "average_performance"):
        metric = dashboard.metric(key)
        assert metric is not None, key
        assert metric["value"] is not None, key
        assert metric["n"] >= 5, key
    accuracy = dashboard.metric("recruitment_accuracy")
    assert accuracy is not None
    assert accuracy["n"] >= 40
    assert 0 < accuracy["value"] < 1

    # The demand forecast of the sales department names its method.
    forecast = department_forecast(user=hr, department=Department.objects.get(pk=result["gap_department"]))
    assert forecast.method in ("holt_linear", "mean_growth")
    assert sum(h.leavers for h in forecast.history) > 0

    # Courses were taken and completed; the completed ones were followed up by the next review.
    completed = Enrollment.objects.filter(employee__in=employees, status=Enrollment.Status.COMPLETED)
    assert completed.count() >= 3
    assert not completed.filter(follow_up_review=None).exists()

    # The current employee with a gap gets a course recommendation, as HR and as their manager.
    gap_employee = Employee.objects.get(pk=result["gap_employee"])
    assert gap_employee.status == Employee.Status.ACTIVE
    assert not Enrollment.objects.filter(employee=gap_employee).exists()
    manager = User.objects.get(username="manager1")
    for user in (hr, manager):
        with translation.override("en"):
            recommendations = training_recommendations(user=user, employee_id=gap_employee.pk)
        (found,) = [r for r in recommendations.recommendations if r.competency.code == "influence_negotiation"]
        assert found.gap.below_interview is not None
        assert found.gap.below_interview > 5
        assert found.courses
        assert "below the interview score" in found.reason
    assert result["recommendations_url"] == f"http://127.0.0.1:8000/learning/employees/{gap_employee.pk}/"

    # The pages render with the history.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(hr)
    for url in (result["jobs"][0]["calibration_url"], result["jobs"][0]["questions_url"], result["insights_url"]
                + f"?from={result['first_day']}", result["recommendations_url"], result["forecast_url"]):
        assert client.get(url.removeprefix("http://127.0.0.1:8000")).status_code == 200, url


def test_a_second_run_changes_nothing_and_reset_reloads_only_the_history(interviews: None) -> None:
    first = insights_demo_seed(seed=7)
    others = set(Employee.objects.exclude(pk__in=history_employees()).values_list("pk", flat=True))
    applications = set(Application.objects.exclude(candidate__in=history_candidates()).values_list("pk", flat=True))
    employees = set(history_employees().values_list("pk", flat=True))

    assert insights_demo_seed(seed=7) == {
        "created": False, "applications": 146, "employees": 56, "left": first["left"], "reviews": first["reviews"],
    }
    assert set(history_employees().values_list("pk", flat=True)) == employees

    out = io.StringIO()
    call_command("seed_demo_insights", "--reset", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Deleted the insights history: 146 applications, 56 hires, 8 cycles."
    assert lines[1].startswith("Loaded two years of history (since ")
    assert lines[3].startswith("  销售经理 (20 hires): the interview over-rates influence_negotiation: "
                               "http://127.0.0.1:8000/insights/calibration/?job=")
    prefix = "training is recommended (as hr or manager1, enrol them): http://127.0.0.1:8000/learning/employees/"
    assert prefix in lines[-1]
    gap_employee = int(lines[-1].split(prefix)[1].rstrip("/"))
    assert history_employees().filter(pk=gap_employee, status=Employee.Status.ACTIVE).exists()
    assert not history_employees().filter(pk__in=employees).exists()
    assert history_employees().count() == 56
    assert set(Employee.objects.exclude(pk__in=history_employees()).values_list("pk", flat=True)) == others
    assert set(
        Application.objects.exclude(candidate__in=history_candidates()).values_list("pk", flat=True)
    ) == applications
    assert PerformanceCycle.objects.filter(reviews__employee__in=history_employees()).distinct().count() == 8

    # The org demo's reset still works with the history (its enrolments, plans and hiring costs) in place.
    demo_seed(employees=100, seed=42, reset=True, stdout=io.StringIO())
    assert (Enrollment.objects.count(), HiringCost.objects.count(), PerformanceCycle.objects.count()) == (0, 0, 0)
    assert not history_employees().exists()
