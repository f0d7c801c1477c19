"""Helpers shared by the organisation API tests (test_apis_*.py): payloads, expected keys, the
bad-input check."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from rest_framework.test import APIClient

from talentloop.core.models import AuditEntry
from talentloop.core.testing.factories import DepartmentFactory, JobFactory
from talentloop.org.identity import make_id_number
from talentloop.org.models import Competency, Department, Employee, EmployeeEvent, Job, JobCompetency


def make_job(**fields: Any) -> Job:
    return cast(Job, JobFactory(**fields))


def make_department(**fields: Any) -> Department:
    return cast(Department, DepartmentFactory(**fields))


LIST_KEYS = {"count", "next", "previous", "results"}
DEPARTMENT_KEYS = {"id", "name", "code", "parent", "name_en"}
EMPLOYEE_KEYS = {
    "id",
    "employee_no",
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "email",
    "department",
    "job",
    "manager",
    "hire_date",
    "left_on",
    "status",
    "english_name",
    "level",
}
COMPETENCY_KEYS = {
    "id",
    "code",
    "name",
    "name_en",
    "definition",
    "indicators",
    "definition_en",
    "category",
    "is_active",
    "is_builtin",
}
JOB_KEYS = {
    "id",
    "title",
    "department",
    "level",
    "description",
    "requirements",
    "headcount",
    "status",
    "competency_model",
    "interview_modalities",
    "delivery_in_score",
    "allow_rerecord",
    "created_at",
    "updated_at",
}
LIBRARY = [
    "communication",
    "customer_orientation",
    "teamwork",
    "leadership",
    "problem_solving",
    "data_analysis",
    "stress_resistance",
    "learning_agility",
    "integrity",
    "execution",
]
NEW_ID = make_id_number("310101", dt.date(1992, 11, 3), 8, "female")


def counts() -> tuple[int, ...]:
    return (
        Department.objects.count(),
        Employee.objects.count(),
        Job.objects.count(),
        JobCompetency.objects.count(),
        Competency.objects.count(),
        EmployeeEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def assert_bad_input(response: Any, field: str, before: tuple[int, ...], message: str | None = None) -> None:
    """A 400 whose message names the field, and nothing written."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert list(body["errors"]) == [field]
    assert body["detail"].startswith(f"{field}: ")
    if message is not None:
        assert body["detail"] == f"{field}: {message}"
    assert counts() == before


def employee_payload(org: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "employee_no": "E900001",
        "name": "周新人",
        "gender": "female",
        "id_number": NEW_ID,
        "phone": "13800000000",
        "email": "zhou@example.com",
        "department": org["departments"]["sales"].pk,
        "manager": org["employees"]["manager"].pk,
        "hire_date": "2025-02-01",
        "status": "probation",
    } | overrides


def _ids(client: APIClient, **params: Any) -> list[int]:
    response = client.get("/api/v1/employees/", params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]
