"""Employee.left_on: set (today by default) when the status becomes terminated, cleared when someone comes
back, and checked against the status and the hire date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from talentloop.core.errors import ValidationFailed
from talentloop.org.models import Employee
from talentloop.org.services.employees import employee_update

pytestmark = pytest.mark.django_db


def test_leaving_sets_the_leaving_date_to_today(org: dict[str, Any]) -> None:
    person = org["employees"]["report"]
    employee_update(actor=org["users"]["hr"], employee=person, changes={"status": Employee.Status.TERMINATED})
    person.refresh_from_db()
    assert person.left_on == timezone.localdate()


def test_a_given_leaving_date_is_kept(org: dict[str, Any]) -> None:
    person = org["employees"]["report"]
    employee_update(actor=org["users"]["hr"], employee=person,
                    changes={"status": Employee.Status.TERMINATED, "left_on": dt.date(2024, 5, 31)})
    person.refresh_from_db()
    assert person.left_on == dt.date(2024, 5, 31)


def test_coming_back_clears_the_leaving_date(org: dict[str, Any]) -> None:
    person = org["employees"]["report"]
    hr = org["users"]["hr"]
    employee_update(actor=hr, employee=person, changes={"status": Employee.Status.TERMINATED})
    employee_update(actor=hr, employee=person, changes={"status": Employee.Status.ACTIVE})
    person.refresh_from_db()
    assert (person.status, person.left_on) == (Employee.Status.ACTIVE, None)


def test_other_changes_leave_the_date_alone(org: dict[str, Any]) -> None:
    person = org["employees"]["report"]
    hr = org["users"]["hr"]
    employee_update(actor=hr, employee=person,
                    changes={"status": Employee.Status.TERMINATED, "left_on": dt.date(2024, 5, 31)})
    employee_update(actor=hr, employee=person, changes={"phone": "13800000000"})
    person.refresh_from_db()
    assert person.left_on == dt.date(2024, 5, 31)


@pytest.mark.parametrize(("changes", "message"), [
    ({"left_on": dt.date(2024, 5, 31)}, "Only an employee who has left has a leaving date."),
    ({"status": "terminated", "left_on": dt.date(2019, 1, 1)}, "The leaving date is before the hire date."),
    ({"status": "terminated", "left_on": dt.date(2999, 1, 1)}, "The leaving date is in the future."),
])
def test_bad_leaving_dates_are_refused(org: dict[str, Any], changes: dict[str, Any], message: str) -> None:
    person = org["employees"]["report"]
    with pytest.raises(ValidationFailed) as failure:
        employee_update(actor=org["users"]["hr"], employee=person, changes=changes)
    assert failure.value.errors == {"left_on": [message]}
    person.refresh_from_db()
    assert (person.status, person.left_on) == (Employee.Status.ACTIVE, None)
