"""Enrolments through the API: creation with the recommendation's reason, every refusal, progress, follow-up
closing by the next review (gap closed or not), visibility and a constant number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from talentloop.learning import services
from talentloop.learning.models import Enrollment
from talentloop.learning.tasks import enrollments_follow_up_task
from talentloop.learning.tests._support import comp, course, review, setup_gap

pytestmark = pytest.mark.django_db
URL = "/api/v1/enrollments/"


def client_for(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user=user)
    return client


def _payload(data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {"employee": data["report"].pk, "course": data["courses"]["excel"].pk,
            "competency": comp("data_analysis").pk, "start_date": "2025-03-01", "due_date": "2025-03-31"}
    body.update(extra)
    return {k: v for k, v in body.items() if v is not None}


def test_manager_enrols_with_the_recommendation_reason(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    response = client_for(org["users"]["manager"]).post(URL, _payload(data), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "planned"
    assert body["course_title"] == "Excel"
    assert body["competency_code"] == "data_analysis"
    assert body["reason"].startswith("Data Analysis scored 62 in the review of 2025 H1: 18 points below")
    assert body["source"] == {
        "review": data["review"].pk, "cycle": data["review"].cycle_id, "competency": "data_analysis",
        "interview_score": 80.0, "performance_score": 62.0, "required_score": 70.0, "gap": 18.0, "target": 80.0,
        "triggers": ["interview", "required"], "margin": 5.0,
    }
    assert body["enrolled_by"] == org["users"]["manager"].pk
    assert body["outcome"] is None
    # The employee is told.
    from talentloop.core.models import Notification

    assert Notification.objects.filter(user=org["users"]["employee"]).count() == 1


def test_given_reason_and_no_competency(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    body = client_for(org["users"]["hr"]).post(
        URL, _payload(data, competency=None, reason="Asked for it"), format="json"
    ).json()
    assert body["reason"] == "Asked for it"
    assert body["source"] == {}
    assert body["competency"] is None


@pytest.mark.parametrize(("change", "status", "detail"), [
    ({"course": "expert"}, 400, "course: “Expert” is no longer offered (inactive)."),
    ({"due_date": "2025-02-01"}, 400, "due_date: The due date (02/01/2025) is before the start date (03/01/2025)."),
    ({"course": "talk"}, 400, "competency: “Talk” does not build Data Analysis."),
    ({"start_date": None}, 400, "start_date: This field is required."),
])
def test_refusals(org: dict[str, Any], change: dict[str, Any], status: int, detail: str) -> None:
    data = setup_gap(org)
    values = dict(change)
    if "course" in values:
        values["course"] = data["courses"][values["course"]].pk
    payload = _payload(data)
    payload.update({k: v for k, v in values.items() if v is not None})
    for k, v in values.items():
        if v is None:
            payload.pop(k)
    response = client_for(org["users"]["hr"]).post(URL, payload, format="json")
    assert response.status_code == status
    assert response.json()["detail"] == detail
    assert not Enrollment.objects.exists()


def test_already_enrolled_and_already_completed(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    client = client_for(org["users"]["hr"])
    first = client.post(URL, _payload(data), format="json").json()
    again = client.post(URL, _payload(data), format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "李员工 is already enrolled in “Excel” (03/01/2025 to 03/31/2025)."
    client.post(f"{URL}{first['id']}/complete/", {"completed_on": "2025-03-20"}, format="json")
    third = client.post(URL, _payload(data), format="json")
    assert third.status_code == 409
    assert third.json()["detail"] == "李员工 already completed “Excel” (03/20/2025)."
    # A cancelled enrolment does not block a new one.
    other = client.post(URL, _payload(data, course=data["courses"]["sql"].pk), format="json").json()
    client.post(f"{URL}{other['id']}/cancel/")
    assert client.post(URL, _payload(data, course=data["courses"]["sql"].pk), format="json").status_code == 201


def test_left_employee_is_refused(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    data["report"].status = "terminated"
    data["report"].save(update_fields=["status"])
    response = client_for(org["users"]["hr"]).post(URL, _payload(data), format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "employee: 李员工 has left the company."


@pytest.mark.parametrize(("who", "target", "detail"), [
    ("manager", "outsider", "陈研发 is not in your team; only HR or their manager can plan their training."),
    ("manager", "manager", "You cannot plan your own training; your manager or HR does."),
    ("employee", "report", "Only HR or a manager can enrol employees in training."),
    ("recruiter", "report", "You do not have permission to do this."),
])
def test_outside_team_and_roles_are_refused(org: dict[str, Any], who: str, target: str, detail: str) -> None:
    data = setup_gap(org)
    response = client_for(org["users"][who]).post(
        URL, _payload(data, employee=org["employees"][target].pk, competency=None), format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == detail
    assert not Enrollment.objects.exists()


def test_progress_complete_and_refusals(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    hr, me = client_for(org["users"]["hr"]), client_for(org["users"]["employee"])
    pk = hr.post(URL, _payload(data), format="json").json()["id"]
    assert me.post(f"{URL}{pk}/cancel/").json()["detail"] == "Only HR or your manager can cancel your enrolment."
    assert me.post(f"{URL}{pk}/start/").json()["status"] == "in_progress"
    assert me.post(f"{URL}{pk}/start/").status_code == 409
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    bad = me.post(f"{URL}{pk}/complete/", {"completed_on": future}, format="json")
    assert bad.status_code == 400
    assert bad.json()["detail"] == "The completion date cannot be in the future."
    early = me.post(f"{URL}{pk}/complete/", {"completed_on": "2025-02-01"}, format="json")
    assert early.json()["detail"] == "The completion date is before the start date (03/01/2025)."
    done = me.post(f"{URL}{pk}/complete/", {"completed_on": "2025-03-20"}, format="json").json()
    assert done["status"] == "completed"
    assert done["completed_on"] == "2025-03-20"
    assert hr.post(f"{URL}{pk}/cancel/").json()["detail"] == "This enrolment was completed; it can no longer change."
    assert hr.patch(f"{URL}{pk}/", {"due_date": "2025-04-30"}, format="json").status_code == 409
    # Someone else's enrolment: not visible.
    assert client_for(org["users"]["outsider"]).post(f"{URL}{pk}/complete/").status_code == 403


def test_reschedule(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    hr = client_for(org["users"]["hr"])
    pk = hr.post(URL, _payload(data), format="json").json()["id"]
    ok = hr.patch(f"{URL}{pk}/", {"due_date": "2025-04-30"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["due_date"] == "2025-04-30"
    bad = hr.patch(f"{URL}{pk}/", {"start_date": "2025-05-01"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["detail"] == "due_date: The due date (04/30/2025) is before the start date (05/01/2025)."


def _complete(org: dict[str, Any], data: dict[str, Any], day: dt.date) -> Enrollment:
    hr = org["users"]["hr"]
    e = services.enrollment_create(
        actor=hr, employee=data["report"], course=data["courses"]["excel"], competency=comp("data_analysis"),
        start_date=day - dt.timedelta(days=30), due_date=day,
    )
    return services.enrollment_complete(actor=hr, enrollment=e, completed_on=day)


def test_follow_up_review_closes_the_gap(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    e = _complete(org, data, timezone.localdate() - dt.timedelta(days=5))
    assert e.closed_at is None  # the review before completion does not count
    later = review(data["report"], {"data_analysis": 76}, name="2025 H2", days_ago=1)
    body = client_for(org["users"]["employee"]).get(f"{URL}{e.pk}/").json()
    assert body["closed_at"] is None  # a detail read does not run it; the list and the task do
    assert enrollments_follow_up_task.delay().get() == 1
    e.refresh_from_db()
    assert e.follow_up_review_id == later.pk
    assert e.closed_at is not None
    assert e.source["outcome"] == {"review": later.pk, "score": 76.0, "closed": True}
    assert services.enrollments_follow_up() == 0  # idempotent


def test_follow_up_gap_not_closed_and_lazy_from_the_list(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    _complete(org, data, timezone.localdate() - dt.timedelta(days=5))
    later = review(data["report"], {"data_analysis": 70}, name="2025 H2", days_ago=1)  # 10 below the interview
    body = client_for(org["users"]["manager"]).get(URL, {"employee": data["report"].pk}).json()
    assert body["results"][0]["outcome"] == {"review": later.pk, "score": 70.0, "closed": False}
    assert body["results"][0]["follow_up_review"] == later.pk


def test_follow_up_without_the_competency_scored(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    e = _complete(org, data, timezone.localdate() - dt.timedelta(days=5))
    later = review(data["report"], {"communication": 80}, name="2025 H2", days_ago=1)
    services.enrollments_follow_up(employee_id=data["report"].pk)
    e.refresh_from_db()
    assert e.source["outcome"] == {"review": later.pk, "score": None, "closed": None}


@pytest.mark.parametrize(("who", "count"), [("hr", 3), ("manager", 2), ("employee", 1), ("outsider", 1)])
def test_list_visibility(org: dict[str, Any], who: str, count: int) -> None:
    data = setup_gap(org)
    hr = org["users"]["hr"]
    for key in ("report", "indirect", "outsider"):
        services.enrollment_create(actor=hr, employee=org["employees"][key], course=data["courses"]["sql"],
                                   start_date=dt.date(2025, 1, 1), due_date=dt.date(2025, 2, 1))
    assert client_for(org["users"][who]).get(URL).json()["count"] == count


def test_list_query_count_is_constant(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    hr = org["users"]["hr"]
    client = client_for(hr)
    services.enrollment_create(actor=hr, employee=data["report"], course=data["courses"]["sql"],
                               start_date=dt.date(2025, 1, 1), due_date=dt.date(2025, 2, 1))
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for i in range(5):
        c = course(f"C{i}", "beginner", "2", "data_analysis")
        for key in ("report", "indirect", "outsider"):
            services.enrollment_create(actor=hr, employee=org["employees"][key], course=c,
                                       start_date=dt.date(2025, 1, 1), due_date=dt.date(2025, 2, 1))
    with CaptureQueriesContext(connection) as more:
        assert client.get(URL).json()["count"] == 16
    assert len(more.captured_queries) == len(few.captured_queries)
