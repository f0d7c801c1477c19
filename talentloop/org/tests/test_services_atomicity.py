"""The organisation's write rules: atomicity (a failing write leaves nothing behind) and the audit log's
actor and time."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from talentloop.core.models import AuditEntry, Role, User
from talentloop.core.testing.factories import JobCompetencyFactory
from talentloop.org import services
from talentloop.org.models import Competency, Department, Employee, EmployeeEvent, JobCompetency
from talentloop.org.tests._services_support import audit_rows, employee_data, line, make_job, make_user, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_translation")]


# --- atomicity ---------------------------------------------------------------------------------------------


class Boom(Exception):
    pass


def _explode(**kwargs: Any) -> None:
    raise Boom


def test_a_failing_employee_update_leaves_no_partial_row(
    org: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    employee = org["employees"]["report"]
    before = snapshot(employee)
    monkeypatch.setattr("talentloop.org.services.employees.audit_record", _explode)
    with pytest.raises(Boom):
        services.employee_update(
            actor=org["users"]["hr"],
            employee=employee,
            changes={
                "name": "新名字",
                "status": Employee.Status.TERMINATED,
                "department": org["departments"]["rd"],
            },
        )
    assert snapshot(employee) == before
    assert (AuditEntry.objects.count(), EmployeeEvent.objects.count()) == (0, 0)


def test_a_failing_employee_create_leaves_no_row(
    org: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("talentloop.org.services.employees.EmployeeEvent.objects.create", _explode)
    with pytest.raises(Boom):
        services.employee_create(actor=org["users"]["hr"], data=employee_data(org["departments"]["sales"]))
    assert (Employee.objects.count(), AuditEntry.objects.count()) == (4, 0)


def test_a_failing_job_update_keeps_the_old_model(
    org: dict[str, Any], skills: list[Competency], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = make_job(title="销售代表", department=org["departments"]["sales"])
    JobCompetencyFactory(job=job, competency=skills[0], weight=Decimal("1"))
    monkeypatch.setattr("talentloop.org.services.jobs.audit_record", _explode)
    with pytest.raises(Boom):
        services.job_update(
            actor=org["users"]["hr"],
            job=job,
            changes={"title": "新标题"},
            competency_model=[line(skills[1], "0.5"), line(skills[2], "0.5")],
        )
    job.refresh_from_db()
    assert job.title == "销售代表"
    assert list(JobCompetency.objects.filter(job=job).values_list("competency__code", flat=True)) == [
        "communication"
    ]


def test_a_failing_department_update_is_rolled_back(
    org: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sales = org["departments"]["sales"]
    monkeypatch.setattr("talentloop.org.services.departments.audit_record", _explode)
    with pytest.raises(Boom):
        services.department_update(actor=org["users"]["hr"], department=sales, changes={"name": "新销售部"})
    assert Department.objects.get(pk=sales.pk).name == "销售部"


def test_a_superuser_counts_as_hr_whatever_the_role_field(db: Any) -> None:
    root = make_user(username="root", role=Role.EMPLOYEE, is_superuser=True)
    dept = services.department_create(actor=root, code="NEW", name="新部门")
    assert audit_rows(dept) == [("root", "create", "", "", "")]


def test_audit_entries_record_the_acting_user_and_time(org: dict[str, Any]) -> None:
    started = timezone.now()
    dept = services.department_create(actor=org["users"]["hr"], code="NEW", name="新部门")
    entry = AuditEntry.objects.get(object_type="org.department", object_id=str(dept.pk))
    assert entry.actor == org["users"]["hr"]
    assert isinstance(entry.actor, User)
    assert started <= entry.at <= timezone.now()
    assert entry.object_repr == "新部门"
