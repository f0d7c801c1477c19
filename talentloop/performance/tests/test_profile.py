"""The employee performance profile: `GET /api/v1/employees/{id}/profile/` and its selector: the exact
timeline and competency comparison, who may read it, and a query count that does not grow with the history."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talentloop.org.models import EmployeeEvent
from talentloop.performance.profile import employee_performance_profile

from ._profile_history import RATER_COMMENT, build_history


def _get(api: APIClient, user: Any, employee_id: int) -> Any:
    api.force_authenticate(user=user)
    return api.get(f"/api/v1/employees/{employee_id}/profile/")


def test_hr_reads_the_whole_profile_newest_first(org: dict[str, Any], api: APIClient) -> None:
    h = build_history(org, cycles=1)
    cycle, review, objective, request = h["cycles"][0], h["reviews"][0], h["objectives"][0], h["requests"][0]
    report, application, employee = h["report"], h["application"], h["employee"]
    body = _get(api, org["users"]["hr"], employee.pk).json()

    assert body["employee"]["employee_no"] == employee.employee_no
    assert body["employee"]["id_number"] == employee.masked_id_number
    assert body["competencies"] == [
        {"code": "profile_customer", "name": "Customer orientation", "interview_score": 88.0,
         "performance_scores": [{"cycle": cycle.pk, "cycle_name": "2021 Q1", "date": "2021-04-05", "score": 80.0}],
         "latest_performance": 80.0, "gap": -8.0},
        {"code": "profile_teamwork", "name": "Teamwork", "interview_score": 72.5,
         "performance_scores": [{"cycle": cycle.pk, "cycle_name": "2021 Q1", "date": "2021-04-05", "score": 70.5}],
         "latest_performance": 70.5, "gap": -2.0},
        # In the interview report's list without a score, and in no library: named by its code.
        {"code": "profile_other", "name": "profile_other", "interview_score": None, "performance_scores": [],
         "latest_performance": None, "gap": None},
    ]
    joined = EmployeeEvent.objects.get(employee=employee, kind=EmployeeEvent.Kind.JOINED)
    assert body["timeline"] == [
        {"date": "2021-04-05", "kind": "review", "title": "Competency review (2021 Q1)",
         "detail": "Overall score 80.5 · Band A", "link": f"/performance/reviews/{review.pk}/",
         "data": {"id": review.pk, "review": review.pk, "cycle": cycle.pk, "overall_score": 80.5, "band": "A"}},
        {"date": "2021-03-31", "kind": "kpi", "title": "KPIs (2021 Q1)", "detail": "1 KPI · weighted score 80",
         "link": f"/performance/cycles/{cycle.pk}/kpis/{employee.pk}/",
         "data": {"id": cycle.pk, "cycle": cycle.pk, "kpis": ["profile-revenue"], "score": 80.0}},
        {"date": "2021-03-31", "kind": "objective", "title": "Objective “Grow accounts 1” (2021 Q1)",
         "detail": "In progress · 1 key result · score 50", "link": f"/performance/objectives/{objective.pk}/",
         "data": {"id": objective.pk, "objective": objective.pk, "cycle": cycle.pk, "status": "active",
                  "score": 50.0}},
        {"date": "2021-03-26", "kind": "feedback_360", "title": "360° feedback (2021 Q1)",
         "detail": "Closed · 1 of 2 raters answered · due 2021-03-26",
         "link": f"/performance/feedback/{request.pk}/",
         "data": {"id": request.pk, "feedback_request": request.pk, "cycle": cycle.pk, "status": "closed",
                  "raters": 2, "answered": 1}},
        {"date": "2021-01-04", "kind": "joined", "title": "Joined", "detail": "Sales", "link": None,
         "data": {"event": joined.pk}},
        {"date": "2020-12-01", "kind": "interview_report", "title": "AI interview report",
         "detail": "Interview round 1 · Overall score 85", "link": f"/interviews/{report.session_id}/report/",
         "data": {"id": report.pk, "report": report.pk, "interview": report.session_id, "overall_score": 85.0}},
        {"date": "2020-11-01", "kind": "application", "title": f"Applied for {application.job.title}",
         "detail": "Stage: Hired", "link": f"/recruiting/applications/{application.pk}/",
         "data": {"id": application.pk, "application": application.pk, "job": application.job_id}},
    ]
    # The sections other apps add to the profile document are still there.
    assert body["recruiting"]["application"] == application.pk


def test_draft_reviews_and_raw_360_answers_never_show(org: dict[str, Any], api: APIClient) -> None:
    h = build_history(org, cycles=2)
    body = _get(api, org["users"]["hr"], h["employee"].pk).json()
    text = json.dumps(body, ensure_ascii=False)
    assert RATER_COMMENT not in text
    assert h["current"].name not in text  # the draft review's cycle: nothing submitted there
    assert [p["score"] for p in body["competencies"][0]["performance_scores"]] == [80.0, 81.0]
    assert [e["kind"] for e in body["timeline"]].count("review") == 2  # the review events folded into them


def test_a_review_event_about_something_else_stays_on_the_timeline(org: dict[str, Any], api: APIClient) -> None:
    h = build_history(org, cycles=1)
    other = EmployeeEvent.objects.create(
        employee=h["employee"], kind=EmployeeEvent.Kind.REVIEW, occurred_on=h["cycles"][0].start,
        summary="Probation review passed", data={"source": "legacy"},
    )
    timeline = _get(api, org["users"]["hr"], h["employee"].pk).json()["timeline"]
    assert {"date": "2021-01-01", "kind": "review", "title": "Review", "detail": "Probation review passed",
            "link": None, "data": {"source": "legacy", "event": other.pk}} in timeline


def test_the_manager_above_sees_the_recruiting_record_without_links(org: dict[str, Any], api: APIClient) -> None:
    h = build_history(org, cycles=1, who="indirect")  # reports to "report", who reports to the manager
    response = _get(api, org["users"]["manager"], h["employee"].pk)
    assert response.status_code == 200
    timeline = response.json()["timeline"]
    recruiting = [e for e in timeline if e["kind"] in ("application", "interview_report")]
    assert [(e["kind"], e["link"]) for e in recruiting] == [("interview_report", None), ("application", None)]


def test_the_employee_sees_their_scores_but_not_their_recruiting_record(
    org: dict[str, Any], api: APIClient
) -> None:
    h = build_history(org, cycles=1)
    response = _get(api, org["users"]["employee"], h["employee"].pk)  # the "employee" login is "report"
    assert response.status_code == 200
    body = response.json()
    assert [e["kind"] for e in body["timeline"]] == ["review", "kpi", "objective", "feedback_360", "joined"]
    assert body["competencies"][0]["interview_score"] == 88.0
    assert "recruiting" not in body
    # Not how many raters answered: with the visible groups' sizes, it would tell whether a hidden group answered.
    (round_,) = [e for e in body["timeline"] if e["kind"] == "feedback_360"]
    assert round_["detail"] == "Closed · due 2021-03-26"
    assert "answered" not in round_["data"]
    assert "raters" not in round_["data"]


@pytest.mark.parametrize(
    ("viewer", "subject", "status"),
    [
        ("hr", "outsider", 200),
        ("manager", "report", 200),
        ("manager", "manager", 200),
        ("manager", "outsider", 403),
        ("employee", "report", 200),
        ("employee", "manager", 403),
        ("employee", "indirect", 403),
        ("outsider", "report", 403),
        ("recruiter", "report", 403),
        ("candidate", "report", 403),
    ],
)
def test_who_may_read_a_profile(org: dict[str, Any], api: APIClient, viewer: str, subject: str, status: int) -> None:
    response = _get(api, org["users"][viewer], org["employees"][subject].pk)
    assert response.status_code == status
    if status == 403:
        assert response.json()["detail"]


def test_unknown_employees_and_anonymous_callers(org: dict[str, Any], api: APIClient) -> None:
    hr = org["users"]["hr"]
    missing = _get(api, hr, 999_999)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No such employee."
    assert _get(api, hr, 2**70).status_code == 404
    api.force_authenticate(user=None)
    assert api.get(f"/api/v1/employees/{org['employees']['report'].pk}/profile/").status_code in (401, 403)


def test_the_selector_refuses_people_outside_performance(org: dict[str, Any]) -> None:
    from talentloop.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        employee_performance_profile(user=org["users"]["recruiter"], pk=org["employees"]["report"].pk)


def _count(api: APIClient, user: Any, path: str) -> int:
    api.force_authenticate(user=user)
    api.get(path)  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("viewer", ["hr", "manager"])
def test_the_query_count_does_not_grow_with_the_history(org: dict[str, Any], api: APIClient, viewer: str) -> None:
    short = build_history(org, cycles=1, who="indirect")
    long = build_history(org, cycles=20, who="report")
    user = org["users"][viewer]
    few = _count(api, user, f"/api/v1/employees/{short['employee'].pk}/profile/")
    many = _count(api, user, f"/api/v1/employees/{long['employee'].pk}/profile/")
    assert len(_get(api, user, long["employee"].pk).json()["timeline"]) == 20 * 4 + 3
    assert few == many
    assert many <= {"hr": 21, "manager": 22}[viewer]  # 13 for the profile, the rest the recruiting section
