"""The organisation's write rules for updating employees: HR edits, the profile timeline, reporting loops
and what an employee may change on their own record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from talentloop.core.errors import PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.org import services
from talentloop.org.models import Employee, EmployeeEvent
from talentloop.org.tests._services_support import ID_1988_MALE, audit_rows, field_errors, make_job, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_translation")]


# --- employees: updates ------------------------------------------------------------------------------------


def test_hr_update_audits_every_field_and_masks_the_id_number(org: dict[str, Any]) -> None:
    employee = org["employees"]["outsider"]
    old_number = employee.id_number
    services.employee_update(
        actor=org["users"]["hr"],
        employee=employee,
        changes={
            "name": "陈工",
            "id_number": ID_1988_MALE,
            "birth_date": dt.date(1988, 6, 15),
            "gender": "male",
        },
    )
    employee.refresh_from_db()
    assert (employee.name, employee.id_number, employee.birth_date) == (
        "陈工",
        ID_1988_MALE,
        dt.date(1988, 6, 15),
    )
    assert sorted(audit_rows(employee)) == [
        ("hr", "update", "birth_date", "1990-01-01", "1988-06-15"),
        ("hr", "update", "gender", "female", "male"),
        (
            "hr",
            "update",
            "id_number",
            old_number[:6] + "********" + old_number[-4:],
            "310101********" + ID_1988_MALE[-4:],
        ),
        ("hr", "update", "name", "陈研发", "陈工"),
    ]
    assert not AuditEntry.objects.filter(old_value__contains=old_number[6:14]).exists()
    assert not AuditEntry.objects.filter(new_value__contains=ID_1988_MALE[6:14]).exists()
    assert employee.events.count() == 0


def test_hr_update_of_the_id_number_alone_must_agree_with_the_stored_birth_date(org: dict[str, Any]) -> None:
    employee = org["employees"]["outsider"]
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(
            actor=org["users"]["hr"], employee=employee, changes={"id_number": ID_1988_MALE}
        )
    assert field_errors(exc) == {
        "birth_date": ["The birth date does not match the one in the ID number (1988-06-15)."],
        "gender": ["The gender does not match the one encoded in the ID number."],
    }


def test_department_manager_job_and_status_changes_go_on_the_timeline(org: dict[str, Any]) -> None:
    employee = org["employees"]["indirect"]
    old_manager, new_manager = org["employees"]["report"], org["employees"]["manager"]
    job = make_job(title="销售主管", department=org["departments"]["rd"])
    services.employee_update(
        actor=org["users"]["hr"],
        employee=employee,
        changes={
            "department": org["departments"]["rd"],
            "manager": new_manager,
            "job": job,
            "status": Employee.Status.ON_LEAVE,
            "phone": "13900000000",
        },
    )
    events = {e.kind: e for e in employee.events.all()}
    assert sorted(events) == ["department_changed", "job_changed", "manager_changed", "status_changed"]
    today = timezone.localdate()
    assert {(e.occurred_on, e.actor_id) for e in events.values()} == {(today, org["users"]["hr"].pk)}
    assert events["department_changed"].data == {
        "field": "department",
        "from": org["departments"]["sales"].pk,
        "to": org["departments"]["rd"].pk,
    }
    # The summary is written in the actor's language (English here); `data` keeps the ids.
    assert events["department_changed"].summary == "Sales → R&D"
    assert events["manager_changed"].data == {
        "field": "manager",
        "from": old_manager.pk,
        "to": new_manager.pk,
    }
    assert events["manager_changed"].summary == f"{old_manager} → {new_manager}"
    assert events["job_changed"].data == {"field": "job", "from": None, "to": job.pk}
    assert events["job_changed"].summary == "— → 销售主管"
    assert events["status_changed"].data == {"field": "status", "from": "active", "to": "on_leave"}
    assert sorted(audit_rows(employee)) == [
        ("hr", "update", "department", str(org["departments"]["sales"].pk), str(org["departments"]["rd"].pk)),
        ("hr", "update", "job", "", str(job.pk)),
        ("hr", "update", "manager", str(old_manager.pk), str(new_manager.pk)),
        ("hr", "update", "phone", "", "13900000000"),
        ("hr", "update", "status", "active", "on_leave"),
    ]


def test_an_update_that_changes_nothing_writes_nothing(org: dict[str, Any]) -> None:
    employee = org["employees"]["report"]
    before = snapshot(employee)
    services.employee_update(
        actor=org["users"]["hr"],
        employee=employee,
        changes={"name": employee.name, "department": employee.department, "manager": employee.manager},
    )
    assert snapshot(employee) == before
    assert (AuditEntry.objects.count(), EmployeeEvent.objects.count()) == (0, 0)


def test_a_manager_loop_is_refused(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    manager, report, indirect = (org["employees"][k] for k in ("manager", "report", "indirect"))
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(actor=hr, employee=manager, changes={"manager": report})
    assert field_errors(exc) == {
        "manager": ["This would create a reporting loop: 李员工 already reports to 王经理."]
    }
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(actor=hr, employee=manager, changes={"manager": indirect})
    assert field_errors(exc) == {
        "manager": ["This would create a reporting loop: 赵实习 already reports to 王经理."]
    }
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(actor=hr, employee=manager, changes={"manager": manager})
    assert field_errors(exc) == {"manager": ["An employee cannot be their own manager."]}
    manager.refresh_from_db()
    assert manager.manager_id is None
    assert (AuditEntry.objects.count(), EmployeeEvent.objects.count()) == (0, 0)


def test_employee_number_clash_on_update(org: dict[str, Any]) -> None:
    report, outsider = org["employees"]["report"], org["employees"]["outsider"]
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(
            actor=org["users"]["hr"], employee=report, changes={"employee_no": outsider.employee_no}
        )
    assert field_errors(exc) == {
        "employee_no": [f"Employee number {outsider.employee_no} is already in use."]
    }


def test_an_employee_may_edit_their_phone_email_and_english_name(org: dict[str, Any]) -> None:
    me = org["employees"]["report"]
    services.employee_update(
        actor=org["users"]["employee"],
        employee=me,
        changes={"phone": " +86 138-0000-0000 ", "email": "li@example.com", "english_name": "Lee"},
    )
    me.refresh_from_db()
    assert (me.phone, me.email, me.english_name) == ("+86 138-0000-0000", "li@example.com", "Lee")
    assert sorted(audit_rows(me)) == [
        ("employee", "update", "email", "", "li@example.com"),
        ("employee", "update", "english_name", "", "Lee"),
        ("employee", "update", "phone", "", "+86 138-0000-0000"),
    ]


def test_an_employee_may_send_other_fields_unchanged(org: dict[str, Any]) -> None:
    me = org["employees"]["report"]
    services.employee_update(
        actor=org["users"]["employee"],
        employee=me,
        changes={"name": me.name, "department": me.department, "status": me.status, "phone": "13700000000"},
    )
    me.refresh_from_db()
    assert me.phone == "13700000000"
    assert audit_rows(me) == [("employee", "update", "phone", "", "13700000000")]


def test_an_employee_may_not_change_other_fields_of_their_record(org: dict[str, Any]) -> None:
    me = org["employees"]["report"]
    before = snapshot(me)
    with pytest.raises(PermissionDenied) as exc:
        services.employee_update(
            actor=org["users"]["employee"],
            employee=me,
            changes={"phone": "13700000000", "name": "李主管", "status": Employee.Status.TERMINATED},
        )
    assert str(exc.value.message) == "You may not change these fields: name, status."
    assert snapshot(me) == before
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("actor", "target"), [("employee", "outsider"), ("manager", "report"), ("recruiter", "report")]
)
def test_nobody_but_hr_edits_someone_else(org: dict[str, Any], actor: str, target: str) -> None:
    employee = org["employees"][target]
    before = snapshot(employee)
    with pytest.raises(PermissionDenied):
        services.employee_update(
            actor=org["users"][actor], employee=employee, changes={"phone": "13700000000"}
        )
    assert snapshot(employee) == before


def test_self_service_input_is_still_validated(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.employee_update(
            actor=org["users"]["employee"], employee=org["employees"]["report"], changes={"phone": "abc"}
        )
    assert field_errors(exc) == {"phone": ["Enter a phone number of digits, optionally starting with +."]}
