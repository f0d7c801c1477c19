"""Reporting lines stay loop-free when two managers are changed at the same moment."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from talentloop.core.errors import ValidationFailed
from talentloop.core.testing.factories import DepartmentFactory, EmployeeFactory
from talentloop.org import services
from talentloop.org.models import Employee


# serialized_rollback like the demo tests that run after it: a plain transactional test's flush re-creates the
# content types, and the next test that reloads the serialized database would then insert them twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_opposite_manager_changes_at_once_cannot_make_a_loop(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    department = DepartmentFactory.create()
    a = EmployeeFactory.create(department=department)
    b = EmployeeFactory.create(department=department)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def change(employee: Employee, manager: Employee) -> None:
        translation.activate("en")  # a new thread starts without the test's language
        try:
            if threads:
                barrier.wait(timeout=10)
            services.employee_update(actor=hr, employee=employee, changes={"manager": manager})
            outcomes.append("saved")
        except ValidationFailed as exc:
            outcomes.append(exc.errors["manager"][0][:36])
        finally:
            if threads:
                connection.close()  # the thread's own connection, so the test database can be dropped

    # PostgreSQL runs the two transactions truly at once, each on its own connection. An in-memory SQLite
    # database exists for one connection only, so there the two changes run one after the other.
    threads = connection.vendor == "postgresql"
    if threads:
        workers = [threading.Thread(target=change, args=pair) for pair in ((a, b), (b, a))]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
    else:
        change(a, b)
        change(b, a)

    assert sorted(outcomes) == ["This would create a reporting loop: ", "saved"]
    managers = dict(Employee.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", "manager_id"))
    assert sorted(managers.items()) in ([(a.pk, b.pk), (b.pk, None)], [(a.pk, None), (b.pk, a.pk)])
