"""Fixtures every test may use: one user per role, with employee records where the role has one."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from talentloop.core.models import Role, User
from talentloop.core.testing.factories import DepartmentFactory, EmployeeFactory, UserFactory


@pytest.fixture
def org(db: Any) -> dict[str, Any]:
    """A small company: HR, a recruiter, a manager with a two-level team, an outsider employee, a candidate."""
    root = DepartmentFactory(code="HQ", name="总部", name_en="Headquarters")
    sales = DepartmentFactory(code="SALES", name="销售部", name_en="Sales", parent=root)
    rd = DepartmentFactory(code="RD", name="研发部", name_en="R&D", parent=root)
    hr_user = UserFactory(username="hr", role=Role.HR_ADMIN, is_staff=True, is_superuser=True)
    recruiter = UserFactory(username="recruiter", role=Role.RECRUITER)
    manager_user = UserFactory(username="manager", role=Role.HIRING_MANAGER)
    employee_user = UserFactory(username="employee", role=Role.EMPLOYEE)
    outsider_user = UserFactory(username="outsider", role=Role.EMPLOYEE)
    candidate = UserFactory(username="candidate", role=Role.CANDIDATE)
    manager = EmployeeFactory(name="王经理", department=sales, user=manager_user)
    report = EmployeeFactory(name="李员工", department=sales, manager=manager, user=employee_user)
    indirect = EmployeeFactory(name="赵实习", department=sales, manager=report)
    outsider = EmployeeFactory(name="陈研发", department=rd, user=outsider_user)
    return {
        "departments": {"root": root, "sales": sales, "rd": rd},
        "users": {
            "hr": hr_user, "recruiter": recruiter, "manager": manager_user, "employee": employee_user,
            "outsider": outsider_user, "candidate": candidate,
        },
        "employees": {"manager": manager, "report": report, "indirect": indirect, "outsider": outsider},
    }


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api: APIClient):  # type: ignore[no-untyped-def]
    """api_as(user) -> a client authenticated as that user (session-less, like an integration)."""

    def login(user: User) -> APIClient:
        api.force_authenticate(user=user)
        return api

    return login


@pytest.fixture(autouse=True)
def _reset_language() -> Any:
    """Requests activate a language and leave it active; start every test from the same one (English,
    so assertions on messages read naturally; Chinese pages are tested by asking for them)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
