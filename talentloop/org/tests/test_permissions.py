"""Who may do what on each endpoint: role × endpoint × method, and what a refusal shows (nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from rest_framework.test import APIClient

from talentloop.core.models import AuditEntry, User
from talentloop.core.testing.factories import JobFactory
from talentloop.org.identity import make_id_number
from talentloop.org.models import Competency, Department, Employee, Job, JobLevel

pytestmark = pytest.mark.django_db


def make_job(**fields: Any) -> Job:
    return cast(Job, JobFactory(**fields))


ROLES = ["hr", "recruiter", "manager", "employee", "candidate", "anonymous"]
STAFF_READ = {
    "hr": 200,
    "recruiter": 200,
    "manager": 200,
    "employee": 200,
    "candidate": 403,
    "anonymous": 401,
}
HR_WRITES = {
    "hr": None,
    "recruiter": 403,
    "manager": 403,
    "employee": 403,
    "candidate": 403,
    "anonymous": 401,
}
HR_AND_RECRUITER_WRITE = {
    "hr": None,
    "recruiter": None,
    "manager": 403,
    "employee": 403,
    "candidate": 403,
    "anonymous": 401,
}
NOBODY_WRITES = {
    "hr": 403,
    "recruiter": 403,
    "manager": 403,
    "employee": 403,
    "candidate": 403,
    "anonymous": 401,
}


def _expect(table: dict[str, int | None], ok: int) -> dict[str, int]:
    return {role: ok if status is None else status for role, status in table.items()}


# endpoint -> action -> role -> expected status
MATRIX: dict[str, dict[str, dict[str, int]]] = {
    "departments": {
        "list": STAFF_READ,
        "retrieve": STAFF_READ,
        "create": _expect(HR_WRITES, 201),
        "update": _expect(HR_WRITES, 200),
    },
    "levels": {"list": STAFF_READ, "retrieve": STAFF_READ, "create": NOBODY_WRITES, "update": NOBODY_WRITES},
    "competencies": {
        "list": STAFF_READ,
        "retrieve": STAFF_READ,
        "create": _expect(HR_WRITES, 201),
        "update": _expect(HR_WRITES, 200),
    },
    "jobs": {
        "list": STAFF_READ,
        "retrieve": STAFF_READ,
        "create": _expect(HR_AND_RECRUITER_WRITE, 201),
        "update": _expect(HR_AND_RECRUITER_WRITE, 200),
    },
    # The employee record used below is the `employee` user's own and sits in the manager's team.
    "employees": {
        "list": {
            "hr": 200,
            "recruiter": 403,
            "manager": 200,
            "employee": 200,
            "candidate": 403,
            "anonymous": 401,
        },
        "retrieve": {
            "hr": 200,
            "recruiter": 403,
            "manager": 200,
            "employee": 200,
            "candidate": 403,
            "anonymous": 401,
        },
        "create": {
            "hr": 201,
            "recruiter": 403,
            "manager": 403,
            "employee": 403,
            "candidate": 403,
            "anonymous": 401,
        },
        "update": {
            "hr": 200,
            "recruiter": 403,
            "manager": 403,
            "employee": 200,
            "candidate": 403,
            "anonymous": 401,
        },
    },
}
CASES = [
    (endpoint, action, role, status)
    for endpoint, actions in MATRIX.items()
    for action, by_role in actions.items()
    for role, status in by_role.items()
]


def client_for(org: dict[str, Any], role: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if role != "anonymous":
        # Loaded afresh, as a request would: nothing cached on the instance (such as its employee record).
        client.force_authenticate(user=User.objects.get(pk=org["users"][role].pk))
    return client


def target(org: dict[str, Any], endpoint: str) -> int:
    if endpoint == "departments":
        return int(org["departments"]["sales"].pk)
    if endpoint == "levels":
        return int(JobLevel.objects.get(code="mid").pk)
    if endpoint == "competencies":
        return int(Competency.objects.get(code="teamwork").pk)
    if endpoint == "jobs":
        return int(make_job(title="销售代表", department=org["departments"]["sales"]).pk)
    return int(org["employees"]["report"].pk)


def create_body(org: dict[str, Any], endpoint: str) -> dict[str, Any]:
    sales = org["departments"]["sales"].pk
    return {
        "departments": {"code": "OPS", "name": "运营部", "parent": org["departments"]["root"].pk},
        "levels": {"code": "expert", "name": "专家", "rank": 4},
        "competencies": {"code": "negotiation", "name": "谈判", "name_en": "Negotiation"},
        "jobs": {"title": "客户经理", "department": sales},
        "employees": {
            "employee_no": "E900001",
            "name": "周新人",
            "department": sales,
            "id_number": make_id_number("110101", dt.date(1995, 5, 5), 9, "male"),
        },
    }[endpoint]


UPDATE_BODY: dict[str, dict[str, Any]] = {
    "departments": {"name_en": "Sales & Marketing"},
    "levels": {"name_en": "Intermediate"},
    "competencies": {"definition_en": "Works well with others."},
    "jobs": {"headcount": 4},
    "employees": {"phone": "13600000000"},
}


def snapshot() -> tuple[Any, ...]:
    return (
        list(Department.objects.values().order_by("pk")),
        list(JobLevel.objects.values().order_by("pk")),
        list(Competency.objects.values().order_by("pk")),
        list(Job.objects.values().order_by("pk")),
        list(Employee.objects.values().order_by("pk")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(("endpoint", "action", "role", "expected"), CASES)
def test_role_endpoint_method_matrix(
    org: dict[str, Any], endpoint: str, action: str, role: str, expected: int
) -> None:
    client = client_for(org, role)
    pk = target(org, endpoint)
    base = f"/api/v1/{endpoint}/"
    before = snapshot()
    if action == "list":
        response = client.get(base)
    elif action == "retrieve":
        response = client.get(f"{base}{pk}/")
    elif action == "create":
        response = client.post(base, create_body(org, endpoint), format="json")
    else:
        response = client.patch(f"{base}{pk}/", UPDATE_BODY[endpoint], format="json")
    assert response.status_code == expected, response.content
    if expected >= 400:
        # A refusal carries one message and no data, and nothing was written.
        assert set(response.json()) == {"detail"}
        assert snapshot() == before
    if expected == 401:
        assert response["WWW-Authenticate"] == "Bearer"
        assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_an_employee_outside_ones_reach_is_refused_without_data(org: dict[str, Any], role: str) -> None:
    outsider = org["employees"]["outsider"]
    client = client_for(org, role)
    for response in (
        client.get(f"/api/v1/employees/{outsider.pk}/"),
        client.patch(f"/api/v1/employees/{outsider.pk}/", {"phone": "13600000000"}, format="json"),
        client.put(
            f"/api/v1/employees/{outsider.pk}/",
            {"employee_no": "X", "name": "X", "department": 1},
            format="json",
        ),
    ):
        assert response.status_code == 403
        assert response.json() == {"detail": "You do not have permission to see or change this employee."}
        text = response.content.decode()
        assert outsider.name not in text
        assert outsider.employee_no not in text
        assert outsider.id_number[:6] not in text
    assert Employee.objects.get(pk=outsider.pk).phone == ""


@pytest.mark.parametrize("role", ["recruiter", "candidate"])
def test_recruiters_and_candidates_get_no_employee_data(org: dict[str, Any], role: str) -> None:
    client = client_for(org, role)
    for url in (
        "/api/v1/employees/",
        f"/api/v1/employees/{org['employees']['report'].pk}/",
        "/api/v1/employees/?search=李",
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json() == {"detail": "You do not have permission to do this."}


def test_a_manager_cannot_edit_a_team_members_record(org: dict[str, Any]) -> None:
    report = org["employees"]["report"]
    response = client_for(org, "manager").patch(
        f"/api/v1/employees/{report.pk}/", {"phone": "1"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "You may not change this employee's record."}


def test_a_manager_edits_their_own_contact_fields(org: dict[str, Any]) -> None:
    me = org["employees"]["manager"]
    client = client_for(org, "manager")
    assert (
        client.patch(f"/api/v1/employees/{me.pk}/", {"phone": "13600000000"}, format="json").status_code
        == 200
    )
    response = client.patch(f"/api/v1/employees/{me.pk}/", {"status": "terminated"}, format="json")
    assert response.status_code == 403
    assert Employee.objects.get(pk=me.pk).status == "active"


def test_a_manager_without_an_employee_record_sees_no_one(org: dict[str, Any]) -> None:
    Employee.objects.filter(user=org["users"]["manager"]).update(user=None)
    response = client_for(org, "manager").get("/api/v1/employees/")
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}


def test_a_candidate_is_refused_everywhere(org: dict[str, Any]) -> None:
    client = client_for(org, "candidate")
    for endpoint in MATRIX:
        assert client.get(f"/api/v1/{endpoint}/").status_code == 403
        assert client.post(f"/api/v1/{endpoint}/", {}, format="json").status_code == 403
