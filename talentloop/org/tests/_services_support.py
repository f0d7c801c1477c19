"""Helpers shared by the organisation service tests (test_services_*.py): audit rows, field errors,
employee data, competency model lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest

from talentloop.core.errors import ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.testing.factories import JobFactory, UserFactory
from talentloop.org.identity import make_id_number
from talentloop.org.models import Competency, Department, Employee, Job
from talentloop.org.services.jobs import ModelLine


def make_job(**fields: Any) -> Job:
    return cast(Job, JobFactory(**fields))


def make_user(**fields: Any) -> User:
    return cast(User, UserFactory(**fields))


NON_HR = ["recruiter", "manager", "employee", "candidate"]
BAD_ID_MESSAGE = "This is not a valid resident ID number (check the 18 characters and the last check digit)."
ID_1988_MALE = make_id_number("310101", dt.date(1988, 6, 15), 3, "male")


def audit_rows(obj: Any) -> list[tuple[Any, ...]]:
    """(actor username, action, field, old, new) of every audit entry of one object, oldest first."""
    entries = (
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("id")
    )
    return [
        (e.actor.username if e.actor else None, e.action, e.field, e.old_value, e.new_value) for e in entries
    ]


def field_errors(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return exc.value.errors


def employee_data(dept: Department, /, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "employee_no": "E900001",
        "name": "孙新人",
        "gender": Employee.Gender.MALE,
        "id_number": ID_1988_MALE,
        "phone": "13800000000",
        "email": "sun@example.com",
        "department": dept,
        "hire_date": dt.date(2024, 7, 1),
    }
    return data | overrides


def snapshot(employee: Employee) -> dict[str, Any]:
    return dict(Employee.objects.filter(pk=employee.pk).values().get())


def line(competency: Competency, weight: str, required_score: int = 70) -> ModelLine:
    return ModelLine(competency=competency, weight=Decimal(weight), required_score=required_score)
