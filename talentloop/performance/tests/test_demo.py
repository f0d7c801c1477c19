"""The performance demo tells issue 6's story: a hire from recruiting gets OKRs drafted from the interview,
the manager approves them, check-ins move progress, a 360° round respects anonymity, and review scores sit
next to interview scores on the profile. A second run changes nothing; the org demo's reset still works."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from talentloop.core.models import User
from talentloop.interviews.demo import interviews_demo_seed
from talentloop.interviews.models import InterviewReport
from talentloop.org.demo import demo_seed
from talentloop.org.models import Employee
from talentloop.performance.demo import performance_demo_seed
from talentloop.performance.feedback_selectors import feedback_results
from talentloop.performance.models import (
    CheckIn,
    FeedbackInvitation,
    FeedbackRequest,
    Kpi,
    KpiTarget,
    Objective,
    PerformanceCycle,
    Review,
)
from talentloop.performance.profile import employee_performance_profile
from talentloop.recruiting.demo import recruiting_demo_seed
from talentloop.recruiting.models import Application, Offer, Stage

# The chain runs service after service, the interview demo relying on after-commit scoring: real commits.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def interviews(transactional_db: Any, tmp_path: Path) -> None:
    demo_seed(employees=100, seed=42, reset=False, stdout=io.StringIO())
    recruiting_demo_seed(seed=42, folder=tmp_path)
    interviews_demo_seed(seed=7)


def test_the_demo_tells_the_story(interviews: None) -> None:
    with translation.override("en"):
        result = performance_demo_seed(seed=7)

    hr = User.objects.get(username="hr")
    manager = Employee.objects.get(user__username="manager1")
    assert result["created"] is True
    assert Kpi.objects.count() == result["kpis_added"] == 9
    probation = PerformanceCycle.objects.get(pk=result["probation_cycle"])
    quarter = PerformanceCycle.objects.get(pk=result["quarter_cycle"])
    assert (probation.kind, probation.phase, probation.enrol_new_hires) == ("probation", "goal_setting", True)
    assert probation.deadlines.count() == 3
    assert (quarter.kind, quarter.phase, quarter.deadlines.count()) == ("quarterly", "feedback_360", 5)
    assert sorted(Objective.objects.filter(cycle=quarter).values_list("level", flat=True)) == [
        "company", "department", "department", "personal",
    ]

    # The hire: through recruiting, with the department head as manager, OKRs drafted from the interview.
    hire = Employee.objects.get(pk=result["hire"])
    application = Application.objects.get(pk=result["hire_application"])
    assert (application.stage, application.employee_id) == (Stage.HIRED, hire.pk)
    assert Offer.objects.get(application=application).status == Offer.Status.ACCEPTED
    assert hire.manager_id == manager.pk
    assert list(probation.employees.values_list("pk", flat=True)) == [hire.pk]
    drafted = Objective.objects.get(pk=result["drafted_objective"])
    assert drafted.status == Objective.Status.ACTIVE  # approved by manager1
    report = InterviewReport.objects.get(session__application=application)
    score = next(c["score"] for c in report.competencies if c["code"] == "customer_orientation")
    (key_result,) = drafted.key_results.all()
    target = min(round(score + 2, 1), 100)
    source = key_result.source or {}
    assert source["interview_score"] == score
    assert source["explanation"] == f"面试：客户导向 {score:g} → 目标 {target:g}"
    assert float(key_result.target_value) == target
    # Two check-ins: half-way, then 80% of the way.
    assert [float(c.value) for c in CheckIn.objects.filter(key_result=key_result).order_by("pk")] == [
        round(score + 1, 1), round(score + 1.6, 1),
    ]
    assert key_result.progress() == pytest.approx(0.8)
    personal = Objective.objects.get(pk=result["personal_objective"])
    assert [(float(kr.current_value), kr.progress()) for kr in personal.key_results.order_by("pk")] == [
        (6.0, 0.6), (86.0, 0.5),
    ]
    assert KpiTarget.objects.filter(cycle=quarter, employee_id=result["subject"]).count() == 3

    # 360°: peers (3 answered) shown, reports (2 answered) hidden, never named.
    request = FeedbackRequest.objects.get(pk=result["feedback_request"])
    answered = request.invitations.exclude(submitted_at=None)
    assert sorted(answered.values_list("relation", flat=True)) == sorted(
        ["self", "manager", "peer", "peer", "peer", "report", "report"]
    )
    assert request.invitations.filter(submitted_at=None, relation="peer").count() == 1
    results = feedback_results(user=hr, request=request)
    assert [c.code for c in results.competencies] == [
        "sales_acumen", "customer_orientation", "leadership", "influence_negotiation", "results_orientation",
    ]
    for row in results.competencies:
        peers, reports = row.group("peer"), row.group("report")
        assert (peers.n, peers.hidden) == (3, False)
        assert peers.mean is not None
        assert (reports.n, reports.mean, reports.hidden) == (None, None, True)
    pending = FeedbackInvitation.objects.get(pk__in=FeedbackRequest.objects.get(
        pk=result["pending_request"]).invitations.filter(rater__user__username="employee").values("pk"))
    assert pending.submitted_at is None
    assert result["pending_link"] == f"http://127.0.0.1:8000/feedback/{pending.token}/"

    # Reviews submitted; the hire's profile has interview and review scores for every competency.
    reviews = Review.objects.filter(status=Review.Status.SUBMITTED)
    assert {(r.employee_id, r.cycle_id, r.band) for r in reviews} == {
        (result["subject"], quarter.pk, "B"), (hire.pk, probation.pk, "B"),
    }
    with translation.override("en"):
        profile = employee_performance_profile(user=hr, pk=hire.pk)
    interview = {c["code"]: c["score"] for c in report.competencies}
    hire_scores = {s.competency.code: float(s.score) for s in Review.objects.get(employee=hire).scores.all()}
    assert {c.code: (c.interview_score, c.latest_performance) for c in profile.competencies} == {
        code: (interview[code], hire_scores[code]) for code in interview
    }
    # Customer orientation: manager1's 78 and the drafted key result's 80, weighted 50:20 (no 360° part).
    assert hire_scores["customer_orientation"] == 78.6

    # The other offer-stage application: accepted, waiting to be hired in the UI.
    waiting = Application.objects.get(pk=result["waiting_application"])
    assert (waiting.stage, waiting.employee_id) == (Stage.OFFER, None)
    assert Offer.objects.get(application=waiting).status == Offer.Status.ACCEPTED
    assert result["waiting_url"] == f"http://127.0.0.1:8000/recruiting/applications/{waiting.pk}/"


def test_a_second_run_changes_nothing_reset_reloads_and_the_org_reset_still_works(interviews: None) -> None:
    performance_demo_seed(seed=7)
    first = list(PerformanceCycle.objects.order_by("pk").values_list("pk", flat=True))

    assert performance_demo_seed(seed=7) == {"created": False, "cycles": 2, "objectives": 5, "reviews": 2}
    assert list(PerformanceCycle.objects.order_by("pk").values_list("pk", flat=True)) == first

    out = io.StringIO()
    call_command("seed_demo_performance", "--reset", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Deleted the performance demo: 2 cycles."
    assert lines[1] == ("Opened a probation cycle for new hires and this quarter's OKR cycle; added 0 KPIs to "
                        "the library.")
    assert "OKRs drafted from the interview (面试：客户导向 " in lines[2]
    assert lines[-2].startswith("A 360° form waits for employee's answers: http://127.0.0.1:8000/feedback/")
    assert lines[-1].startswith("Accepted offer, not hired yet: log in as hr")
    assert not PerformanceCycle.objects.filter(pk__in=first).exists()
    assert PerformanceCycle.objects.count() == 2
    assert Review.objects.count() == 2

    demo_seed(employees=100, seed=42, reset=True, stdout=io.StringIO())

    assert (PerformanceCycle.objects.count(), Objective.objects.count(), Review.objects.count(),
            FeedbackRequest.objects.count(), KpiTarget.objects.count()) == (0, 0, 0, 0, 0)
