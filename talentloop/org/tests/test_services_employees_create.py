"""The organisation's write rules for creating employees: permissions, validation (ID number, birth date,
gender, uniqueness), the audit log and the first profile timeline event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from talentloop.core.errors import PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.org import services
from talentloop.org.models import Employee, EmployeeEvent
from talentloop.org.tests._services_support import (
    BAD_ID_MESSAGE,
    ID_1988_MALE,
    NON_HR,
    audit_rows,
    employee_data,
    field_errors,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_translation")]


# --- employees: creation -----------------------------------------------------------------------------------


def test_employee_create_fills_the_birth_date_from_the_id_number(org: dict[str, Any]) -> None:
    employee = services.employee_create(
        actor=org["users"]["hr"], data=employee_data(org["departments"]["sales"])
    )
    employee.refresh_from_db()
    assert (employee.birth_date, employee.gender, employee.id_number) == (
        dt.date(1988, 6, 15),
        "male",
        ID_1988_MALE,
    )
    assert audit_rows(employee) == [("hr", "create", "", "", "")]
    assert list(employee.events.values_list("kind", "occurred_on", "summary", "data")) == [
        ("joined", dt.date(2024, 7, 1), "Sales", {"department": org["departments"]["sales"].pk, "job": None}),
    ]


def test_employee_create_without_hire_date_records_the_profile_creation_today(org: dict[str, Any]) -> None:
    employee = services.employee_create(
        actor=org["users"]["hr"],
        data=employee_data(org["departments"]["sales"], hire_date=None, id_number=""),
    )
    assert list(employee.events.values_list("kind", "occurred_on")) == [
        ("profile_created", timezone.localdate())
    ]


def test_employee_create_accepts_a_lower_case_check_character(org: dict[str, Any]) -> None:
    number = "11010119900307002X"
    employee = services.employee_create(
        actor=org["users"]["hr"],
        data=employee_data(org["departments"]["sales"], id_number=f" {number.lower()} ", gender="female"),
    )
    employee.refresh_from_db()
    assert employee.id_number == number


@pytest.mark.parametrize("role", NON_HR)
def test_employee_create_is_for_hr_only(org: dict[str, Any], role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.employee_create(actor=org["users"][role], data=employee_data(org["departments"]["sales"]))
    assert Employee.objects.count() == 4


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"id_number": "310101198806150031"},
            {"id_number": [BAD_ID_MESSAGE]},
        ),
        (
            {"birth_date": dt.date(1988, 6, 16)},
            {"birth_date": ["The birth date does not match the one in the ID number (1988-06-15)."]},
        ),
        ({"gender": "female"}, {"gender": ["The gender does not match the one encoded in the ID number."]}),
        ({"employee_no": ""}, {"employee_no": ["An employee needs an employee number."]}),
        ({"name": " "}, {"name": ["An employee needs a name."]}),
        ({"department": None}, {"department": ["An employee belongs to a department."]}),
        ({"gender": "robot"}, {"gender": ["Unknown gender value."]}),
        ({"status": "retired"}, {"status": ["Unknown employment status."]}),
        ({"phone": "call me"}, {"phone": ["Enter a phone number of digits, optionally starting with +."]}),
        ({"email": "not-an-email"}, {"email": ["Enter a valid email address."]}),
        (
            {"id_number": "", "birth_date": dt.date(2999, 1, 1), "hire_date": dt.date(2020, 1, 1)},
            {
                "birth_date": ["The birth date is in the future."],
                "hire_date": ["The hire date is before the birth date."],
            },
        ),
    ],
)
def test_employee_create_validation(
    org: dict[str, Any], overrides: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.employee_create(
            actor=org["users"]["hr"], data=employee_data(org["departments"]["sales"], **overrides)
        )
    assert field_errors(exc) == errors
    assert (Employee.objects.count(), EmployeeEvent.objects.count(), AuditEntry.objects.count()) == (4, 0, 0)


def test_employee_numbers_and_id_numbers_are_unique(org: dict[str, Any]) -> None:
    existing = org["employees"]["report"]
    with pytest.raises(ValidationFailed) as exc:
        services.employee_create(
            actor=org["users"]["hr"],
            data=employee_data(
                org["departments"]["sales"],
                employee_no=existing.employee_no,
                id_number=existing.id_number,
                gender="female",
                birth_date=None,
            ),
        )
    assert field_errors(exc) == {
        "employee_no": [f"Employee number {existing.employee_no} is already in use."],
        "id_number": ["Another employee already has this ID number."],
    }
    assert Employee.objects.count() == 4
