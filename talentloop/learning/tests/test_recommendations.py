"""Training recommendations: exact content (scores, gap, reason, ranked courses with why), who may read them,
and a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talentloop.learning import services
from talentloop.learning.tests._support import comp, course, review, setup_gap

pytestmark = pytest.mark.django_db

REASON = (
    "Data Analysis scored 62 in the review of 2025 H1: 18 points below the interview score (80) and 8 points "
    "below the job's required score (70). Training is recommended when either gap is over 5 points."
)


def _get(user: Any, pk: int) -> Any:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user=user)
    return client.get(f"/api/v1/employees/{pk}/training-recommendations/")


def test_recommendation_content_is_exact(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    response = _get(org["users"]["manager"], data["report"].pk)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["employee"] == data["report"].pk
    assert body["margin"] == 5.0
    assert body["can_enrol"] is True
    assert len(body["recommendations"]) == 1
    gap = body["recommendations"][0]
    c = data["courses"]
    assert gap == {
        "competency": comp("data_analysis").pk, "code": "data_analysis", "name": "Data Analysis",
        "interview_score": 80.0, "performance_score": 62.0, "required_score": 70.0, "below_interview": 18.0,
        "below_required": 8.0, "triggers": ["interview", "required"], "gap": 18.0, "target": 80.0,
        "target_level": "intermediate", "review": data["review"].pk, "cycle_name": "2025 H1", "reason": REASON,
        "courses": [
            {"course": c["excel"].pk, "title": "Excel", "provider": "Academy", "format": "online", "hours": 6.0,
             "level": "intermediate", "rank": 1, "enrollment": None,
             "why": "Builds Data Analysis at the intermediate level, which a gap of 18 points calls for; 6 hours."},
            {"course": c["sql"].pk, "title": "SQL", "provider": "Academy", "format": "online", "hours": 12.0,
             "level": "intermediate", "rank": 2, "enrollment": None,
             "why": "Builds Data Analysis at the intermediate level, which a gap of 18 points calls for; 12 hours."},
            {"course": c["basics"].pk, "title": "Basics", "provider": "Academy", "format": "online", "hours": 4.0,
             "level": "beginner", "rank": 3, "enrollment": None,
             "why": "Builds Data Analysis at the beginner level; a gap of 18 points calls for the intermediate "
                    "level, and no closer course ranks higher; 4 hours."},
        ],
        "enrollments": [],
    }


def test_latest_review_counts_and_required_only_reason(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    # A newer review: data analysis 77 (3 below the interview, above required: no gap); communication 68.
    review(data["report"], {"data_analysis": 77, "communication": 68}, name="2025 H2", days_ago=1)
    body = _get(org["users"]["hr"], data["report"].pk).json()
    assert [g["code"] for g in body["recommendations"]] == ["communication"]
    gap = body["recommendations"][0]
    assert gap["triggers"] == ["required"]
    assert gap["gap"] == 7.0
    assert gap["target"] == 75.0
    assert gap["target_level"] == "advanced"
    assert gap["reason"] == (
        "Communication scored 68 in the review of 2025 H2, 7 points below the job's required score (75). "
        "Training is recommended when the gap is over 5 points."
    )
    assert [x["title"] for x in gap["courses"]] == ["Talk"]


def test_interview_only_reason_and_completed_courses_left_out(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    data["job"].competency_model.all().delete()
    hr = org["users"]["hr"]
    import datetime as dt

    e = services.enrollment_create(
        actor=hr, employee=data["report"], course=data["courses"]["excel"], start_date=dt.date(2025, 1, 1),
        due_date=dt.date(2025, 2, 1),
    )
    services.enrollment_complete(actor=hr, enrollment=e, completed_on=dt.date(2025, 2, 1))
    open_one = services.enrollment_create(
        actor=hr, employee=data["report"], course=data["courses"]["sql"], start_date=dt.date(2025, 1, 1),
        due_date=dt.date(2025, 2, 1), competency=comp("data_analysis"),
    )
    gap = _get(hr, data["report"].pk).json()["recommendations"][0]
    assert gap["reason"] == (
        "Data Analysis scored 62 in the review of 2025 H1, 18 points below the interview score (80). Training is "
        "recommended when the gap is over 5 points."
    )
    assert [(x["title"], x["enrollment"]) for x in gap["courses"]] == [("SQL", open_one.pk), ("Basics", None)]
    assert gap["enrollments"] == [open_one.pk]


def test_no_review_no_gaps(org: dict[str, Any]) -> None:
    body = _get(org["users"]["hr"], org["employees"]["report"].pk).json()
    assert body["recommendations"] == []


@pytest.mark.parametrize(("who", "target", "status"), [
    ("hr", "report", 200), ("manager", "report", 200), ("manager", "indirect", 200), ("employee", "report", 200),
    ("employee", "indirect", 403), ("outsider", "report", 403), ("manager", "outsider", 403),
    ("recruiter", "report", 403), ("candidate", "report", 403),
])
def test_who_may_read_recommendations(org: dict[str, Any], who: str, target: str, status: int) -> None:
    assert _get(org["users"][who], org["employees"][target].pk).status_code == status


def test_employee_reads_own_but_may_not_enrol(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    body = _get(org["users"]["employee"], data["report"].pk).json()
    assert body["can_enrol"] is False
    assert len(body["recommendations"]) == 1


def test_unknown_employee_is_404(org: dict[str, Any]) -> None:
    assert _get(org["users"]["hr"], 999999).status_code == 404


def test_query_count_is_constant(org: dict[str, Any]) -> None:
    data = setup_gap(org)
    client = APIClient()
    client.force_authenticate(user=org["users"]["hr"])
    url = f"/api/v1/employees/{data['report'].pk}/training-recommendations/"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    # More gaps and more courses.
    review(data["report"], {"data_analysis": 50, "communication": 50, "teamwork": 40}, name="Later", days_ago=1)
    for i in range(6):
        course(f"More {i}", "beginner", str(i + 1), "communication", "teamwork", "data_analysis")
    with CaptureQueriesContext(connection) as more:
        body = client.get(url).json()
    assert len(body["recommendations"]) == 2  # teamwork is not in the model and had no interview score
    assert len(more.captured_queries) == len(few.captured_queries)
