"""The organisation's REST API under /api/v1/: the query budget of the lists (fixed, whatever the page)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talentloop.core.models import User
from talentloop.core.testing.factories import CompetencyFactory, EmployeeFactory, JobCompetencyFactory
from talentloop.org.models import Employee
from talentloop.org.tests._api_support import make_department, make_job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]


@pytest.mark.parametrize(
    ("user_key", "expected_queries", "visible"),
    [
        # a count, the page's ids, the page's rows
        ("hr", 3, (5, 60)),
        # the manager's own record, then a count, ids and rows over the recursive team query
        ("manager", 4, (4, 59)),
    ],
)
def test_employee_list_query_count_does_not_grow_with_the_page(
    org: dict[str, Any], api: APIClient, user_key: str, expected_queries: int, visible: tuple[int, int]
) -> None:
    user = org["users"][user_key]

    def queries() -> tuple[int, int]:
        api.force_authenticate(user=User.objects.get(pk=user.pk))  # a fresh user: nothing cached on it
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/api/v1/employees/", {"page_size": "100"})
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["results"])

    sales, manager = org["departments"]["sales"], org["employees"]["manager"]
    job = make_job(department=sales)
    EmployeeFactory(department=sales, manager=manager, job=job)
    assert Employee.objects.count() == 5
    assert queries() == (expected_queries, visible[0])
    EmployeeFactory.create_batch(55, department=sales, manager=manager, job=job)
    assert Employee.objects.count() == 60
    assert queries() == (expected_queries, visible[1])


@pytest.mark.parametrize(
    ("url", "expected_queries"),
    [
        ("/api/v1/departments/", 2),
        ("/api/v1/competencies/", 2),
        # jobs prefetch their competency model lines with the competencies in one more query
        ("/api/v1/jobs/", 3),
    ],
)
def test_other_lists_run_a_fixed_number_of_queries(
    org: dict[str, Any], hr_api: APIClient, url: str, expected_queries: int
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert hr_api.get(url, {"page_size": "100"}).status_code == 200
        return len(ctx.captured_queries)

    def grow(n: int) -> None:
        for _ in range(n):
            job = make_job(department=make_department(parent=org["departments"]["root"]))
            JobCompetencyFactory(job=job, competency=CompetencyFactory(), weight=Decimal("1"))

    grow(2)
    assert queries() == expected_queries
    grow(25)
    assert queries() == expected_queries
