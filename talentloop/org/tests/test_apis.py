"""The organisation's REST API under /api/v1/: the public contract field by field, filters, pagination,
bad input (a 400 naming the field, nothing written), token auth and the query budget of the employee list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talentloop.core.models import AuditEntry, User
from talentloop.core.services import api_token_issue
from talentloop.core.testing.factories import (
    CompetencyFactory,
    DepartmentFactory,
    EmployeeFactory,
    JobCompetencyFactory,
    JobFactory,
)
from talentloop.org import services
from talentloop.org.identity import make_id_number
from talentloop.org.models import (
    Competency,
    Department,
    Employee,
    EmployeeEvent,
    Job,
    JobCompetency,
    JobLevel,
)

pytestmark = pytest.mark.django_db


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


@pytest.fixture(autouse=True)
def _english(api: APIClient) -> None:
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def hr_api(org: dict[str, Any], api_as: Any) -> APIClient:
    client: APIClient = api_as(org["users"]["hr"])
    return client


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


# --- contract ----------------------------------------------------------------------------------------------


def test_department_list_contract(org: dict[str, Any], hr_api: APIClient) -> None:
    response = hr_api.get("/api/v1/departments/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == LIST_KEYS
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    assert all(set(row) == DEPARTMENT_KEYS for row in body["results"])
    root, sales, rd = (org["departments"][k] for k in ("root", "sales", "rd"))
    assert body["results"] == [
        {"id": root.pk, "name": "总部", "code": "HQ", "parent": None, "name_en": "Headquarters"},
        {"id": rd.pk, "name": "研发部", "code": "RD", "parent": root.pk, "name_en": "R&D"},
        {"id": sales.pk, "name": "销售部", "code": "SALES", "parent": root.pk, "name_en": "Sales"},
    ]


def test_department_create_retrieve_update(org: dict[str, Any], hr_api: APIClient) -> None:
    root = org["departments"]["root"]
    created = hr_api.post(
        "/api/v1/departments/", {"name": "运营部", "code": "OPS", "parent": root.pk}, format="json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert isinstance(pk, int)
    assert created.json() == {"id": pk, "name": "运营部", "code": "OPS", "parent": root.pk, "name_en": ""}
    assert hr_api.get(f"/api/v1/departments/{pk}/").json() == created.json()
    updated = hr_api.patch(f"/api/v1/departments/{pk}/", {"name_en": "Operations"}, format="json")
    assert updated.status_code == 200
    assert updated.json()["name_en"] == "Operations"
    replaced = hr_api.put(
        f"/api/v1/departments/{pk}/", {"name": "运营中心", "code": "OPS", "parent": None}, format="json"
    )
    assert replaced.status_code == 200
    assert replaced.json() == {
        "id": pk,
        "name": "运营中心",
        "code": "OPS",
        "parent": None,
        "name_en": "Operations",
    }


def test_level_list_contract(hr_api: APIClient) -> None:
    body = hr_api.get("/api/v1/levels/").json()
    assert body["count"] == 3
    assert [row["code"] for row in body["results"]] == ["junior", "mid", "senior"]
    assert set(body["results"][0]) == {"id", "code", "name", "name_en", "rank", "fit_min", "fit_max"}


def test_employee_retrieve_contract_masks_the_id_number(org: dict[str, Any], hr_api: APIClient) -> None:
    report = org["employees"]["report"]
    body = hr_api.get(f"/api/v1/employees/{report.pk}/").json()
    assert body == {
        "id": report.pk,
        "employee_no": report.employee_no,
        "name": "李员工",
        "gender": "female",
        "birth_date": "1990-01-01",
        "id_number": report.id_number[:6] + "********" + report.id_number[-4:],
        "phone": "",
        "email": "",
        "department": org["departments"]["sales"].pk,
        "job": None,
        "manager": org["employees"]["manager"].pk,
        "hire_date": "2020-03-01",
        "status": "active",
        "english_name": "",
        "level": None,
    }


def test_employee_list_masks_every_id_number(org: dict[str, Any], hr_api: APIClient) -> None:
    body = hr_api.get("/api/v1/employees/").json()
    assert set(body) == LIST_KEYS
    assert body["count"] == 4
    for row in body["results"]:
        assert set(row) == EMPLOYEE_KEYS
        stored = Employee.objects.get(pk=row["id"]).id_number
        assert row["id_number"] == stored[:6] + "********" + stored[-4:]


def test_employee_create_writes_the_full_id_number_and_returns_it_masked(
    org: dict[str, Any], hr_api: APIClient
) -> None:
    response = hr_api.post("/api/v1/employees/", employee_payload(org), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    employee = Employee.objects.get(employee_no="E900001")
    assert body == {
        "id": employee.pk,
        "employee_no": "E900001",
        "name": "周新人",
        "gender": "female",
        "birth_date": "1992-11-03",
        "id_number": "310101********" + NEW_ID[-4:],
        "phone": "13800000000",
        "email": "zhou@example.com",
        "department": org["departments"]["sales"].pk,
        "job": None,
        "manager": org["employees"]["manager"].pk,
        "hire_date": "2025-02-01",
        "status": "probation",
        "english_name": "",
        "level": None,
    }
    assert employee.id_number == NEW_ID
    assert list(AuditEntry.objects.values_list("actor__username", "action", "object_type", "object_id")) == [
        ("hr", "create", "org.employee", str(employee.pk)),
    ]


def test_employee_update_is_audited_with_the_id_number_masked(org: dict[str, Any], hr_api: APIClient) -> None:
    outsider = org["employees"]["outsider"]
    old = outsider.id_number
    response = hr_api.patch(
        f"/api/v1/employees/{outsider.pk}/",
        {"id_number": NEW_ID, "birth_date": "1992-11-03", "department": org["departments"]["sales"].pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["id_number"] == "310101********" + NEW_ID[-4:]
    rows = sorted(AuditEntry.objects.values_list("actor__username", "field", "old_value", "new_value"))
    assert rows == [
        ("hr", "birth_date", "1990-01-01", "1992-11-03"),
        ("hr", "department", str(org["departments"]["rd"].pk), str(org["departments"]["sales"].pk)),
        ("hr", "id_number", old[:6] + "********" + old[-4:], "310101********" + NEW_ID[-4:]),
    ]
    assert list(outsider.events.values_list("kind", flat=True)) == ["department_changed"]


def test_a_record_read_with_get_can_be_put_back(org: dict[str, Any], hr_api: APIClient) -> None:
    report = org["employees"]["report"]
    body = hr_api.get(f"/api/v1/employees/{report.pk}/").json()
    response = hr_api.put(f"/api/v1/employees/{report.pk}/", body | {"phone": "13900000000"}, format="json")
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert (report.phone, report.id_number) == ("13900000000", Employee.objects.get(pk=report.pk).id_number)
    assert list(AuditEntry.objects.values_list("field", flat=True)) == ["phone"]


def test_competency_library_ships_the_issue_codes(hr_api: APIClient) -> None:
    body = hr_api.get("/api/v1/competencies/", {"page_size": 100}).json()
    codes = [row["code"] for row in body["results"]]
    assert set(LIBRARY) <= set(codes)
    assert all(code.replace("_", "").isalpha() and code == code.lower() for code in codes)
    for row in body["results"]:
        assert set(row) == COMPETENCY_KEYS
        assert [i["level"] for i in row["indicators"]] == [1, 2, 3]
        assert all(set(i) == {"level", "zh", "en"} and i["zh"] and i["en"] for i in row["indicators"])
        assert row["is_builtin"] is True


@pytest.mark.parametrize(
    ("term", "codes"),
    [
        ("customer", ["customer_orientation"]),
        ("客户导向", ["customer_orientation"]),
        ("Resilience", ["stress_resistance"]),
        ("data_an", ["data_analysis"]),
    ],
)
def test_competency_search_matches_code_and_both_names(
    hr_api: APIClient, term: str, codes: list[str]
) -> None:
    body = hr_api.get("/api/v1/competencies/", {"search": term}).json()
    assert [row["code"] for row in body["results"]] == codes


def test_competency_active_filter(hr_api: APIClient) -> None:
    Competency.objects.filter(code="teamwork").update(is_active=False)
    retired = hr_api.get("/api/v1/competencies/", {"active": "false"}).json()
    assert [row["code"] for row in retired["results"]] == ["teamwork"]
    active = hr_api.get("/api/v1/competencies/", {"active": "true", "page_size": "100"}).json()
    assert "teamwork" not in [row["code"] for row in active["results"]]
    assert active["count"] == Competency.objects.count() - 1


def test_competency_create_and_update(hr_api: APIClient) -> None:
    indicators = [{"level": 1, "zh": "倾听", "en": "Listens"}]
    created = hr_api.post(
        "/api/v1/competencies/",
        {
            "code": "negotiation",
            "name": "谈判",
            "name_en": "Negotiation",
            "definition": "达成协议",
            "indicators": indicators,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json() == {
        "id": pk,
        "code": "negotiation",
        "name": "谈判",
        "name_en": "Negotiation",
        "definition": "达成协议",
        "indicators": indicators,
        "definition_en": "",
        "category": "core",
        "is_active": True,
        "is_builtin": False,
    }
    updated = hr_api.patch(
        f"/api/v1/competencies/{pk}/", {"definition_en": "Reaches agreement"}, format="json"
    )
    assert updated.json()["definition_en"] == "Reaches agreement"


def test_job_contract_with_the_competency_model(org: dict[str, Any], hr_api: APIClient) -> None:
    comm, team = Competency.objects.get(code="communication"), Competency.objects.get(code="teamwork")
    payload = {
        "title": "销售代表",
        "department": org["departments"]["sales"].pk,
        "description": "开拓客户",
        "requirements": "两年经验",
        "headcount": 3,
        "status": "open",
        "competency_model": [
            {"competency": comm.pk, "weight": 0.6, "required_score": 75},
            {"competency": team.pk, "weight": "0.4"},
        ],
    }
    response = hr_api.post("/api/v1/jobs/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == JOB_KEYS
    job = Job.objects.get()
    assert {k: v for k, v in body.items() if k not in ("created_at", "updated_at")} == {
        "id": job.pk,
        "title": "销售代表",
        "department": org["departments"]["sales"].pk,
        "level": None,
        "description": "开拓客户",
        "requirements": "两年经验",
        "headcount": 3,
        "status": "open",
        "competency_model": [
            {"competency": comm.pk, "weight": 0.6, "required_score": 75},
            {"competency": team.pk, "weight": 0.4, "required_score": 70},
        ],
    }
    assert hr_api.get(f"/api/v1/jobs/{job.pk}/").json() == body
    mid = JobLevel.objects.get(code="mid")
    updated = hr_api.patch(f"/api/v1/jobs/{job.pk}/", {"level": mid.pk, "status": "on_hold"}, format="json")
    assert (updated.json()["level"], updated.json()["status"]) == (mid.pk, "on_hold")
    assert len(updated.json()["competency_model"]) == 2


def test_job_filters(org: dict[str, Any], hr_api: APIClient) -> None:
    sales_open = make_job(department=org["departments"]["sales"], status=Job.Status.OPEN)
    make_job(department=org["departments"]["rd"], status=Job.Status.OPEN)
    sales_closed = make_job(department=org["departments"]["sales"], status=Job.Status.CLOSED)

    def ids(**params: Any) -> list[int]:
        return sorted(r["id"] for r in hr_api.get("/api/v1/jobs/", params).json()["results"])

    assert ids(department=org["departments"]["sales"].pk) == sorted([sales_open.pk, sales_closed.pk])
    assert ids(status="closed") == [sales_closed.pk]
    assert ids(status="open", department=org["departments"]["sales"].pk) == [sales_open.pk]
    assert ids(status="") == sorted(Job.objects.values_list("pk", flat=True))


def test_a_create_with_a_query_string_still_answers_with_the_new_object(
    org: dict[str, Any], hr_api: APIClient
) -> None:
    job = hr_api.post(
        "/api/v1/jobs/?status=open",
        {"title": "草稿", "department": org["departments"]["sales"].pk},
        format="json",
    )
    assert (job.status_code, job.json()["status"]) == (201, "draft")
    comp = hr_api.post(
        "/api/v1/competencies/?search=zzz",
        {"code": "negotiation", "name": "谈判", "name_en": "Negotiation"},
        format="json",
    )
    assert (comp.status_code, comp.json()["code"]) == (201, "negotiation")


# --- employee filters, search and pagination --------------------------------------------------------------


def _ids(client: APIClient, **params: Any) -> list[int]:
    response = client.get("/api/v1/employees/", params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_employee_filters(org: dict[str, Any], hr_api: APIClient) -> None:
    e = org["employees"]
    d = org["departments"]
    Employee.objects.filter(pk=e["indirect"].pk).update(
        status=Employee.Status.PROBATION, english_name="Zoe Zhao"
    )
    assert _ids(hr_api, department=d["sales"].pk) == sorted(
        [e["manager"].pk, e["report"].pk, e["indirect"].pk]
    )
    assert _ids(hr_api, department=d["root"].pk) == []
    assert len(_ids(hr_api, department=d["root"].pk, include_subdepartments="true")) == 4
    assert _ids(hr_api, status="probation") == [e["indirect"].pk]
    assert _ids(hr_api, manager=e["manager"].pk) == [e["report"].pk]
    assert _ids(hr_api, manager=e["manager"].pk, status="probation") == []
    assert _ids(hr_api, search="王经理") == [e["manager"].pk]
    assert _ids(hr_api, search="经理") == [e["manager"].pk]
    assert _ids(hr_api, search=e["outsider"].employee_no) == [e["outsider"].pk]
    assert _ids(hr_api, search="zoe") == [e["indirect"].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "retired"}, "status"),
        ({"department": "sales"}, "department"),
        ({"department": "0"}, "department"),
        ({"department": str(2**64)}, "department"),
        ({"manager": "-3"}, "manager"),
        ({"manager": str(2**70)}, "manager"),
        ({"include_subdepartments": "perhaps"}, "include_subdepartments"),
        ({"search": "a\x00b"}, "search"),
        ({"search": "x" * 101}, "search"),
    ],
)
def test_bad_employee_filters_are_a_400_naming_the_parameter(
    hr_api: APIClient, params: dict[str, str], field: str
) -> None:
    response = hr_api.get("/api/v1/employees/", params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert response.json()["detail"].startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/jobs/?status=gone", "status"),
        ("/api/v1/jobs/?status=a%00b", "status"),
        ("/api/v1/jobs/?department=x", "department"),
        (f"/api/v1/jobs/?department={2**70}", "department"),
        ("/api/v1/competencies/?search=a%00b", "search"),
        ("/api/v1/competencies/?active=maybe", "active"),
    ],
)
def test_bad_job_and_competency_filters_are_a_400(hr_api: APIClient, url: str, field: str) -> None:
    response = hr_api.get(url)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_pagination_page_size_up_to_500(org: dict[str, Any], hr_api: APIClient) -> None:
    sales = org["departments"]["sales"]
    Employee.objects.bulk_create(
        Employee(employee_no=f"B{n:05d}", name=f"批量{n}", department=sales) for n in range(510)
    )
    default = hr_api.get("/api/v1/employees/").json()
    assert (default["count"], len(default["results"]), default["previous"]) == (514, 50, None)
    assert default["next"] == "http://testserver/api/v1/employees/?page=2"
    full = hr_api.get("/api/v1/employees/", {"page_size": 500}).json()
    assert (full["count"], len(full["results"])) == (514, 500)
    assert full["next"] == "http://testserver/api/v1/employees/?page=2&page_size=500"
    capped = hr_api.get("/api/v1/employees/", {"page_size": 501}).json()
    assert (capped["count"], len(capped["results"])) == (514, 500)
    last = hr_api.get("/api/v1/employees/", {"page_size": 500, "page": 2}).json()
    assert (len(last["results"]), last["next"]) == (14, None)
    assert last["previous"] == "http://testserver/api/v1/employees/?page_size=500"
    assert [r["employee_no"] for r in full["results"][:2]] == ["B00000", "B00001"]
    beyond = hr_api.get("/api/v1/employees/", {"page": 99})
    assert (beyond.status_code, set(beyond.json())) == (404, {"detail"})


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


# --- bad input: a 400 naming the field, nothing written ----------------------------------------------------


def test_an_invalid_id_number_is_refused(org: dict[str, Any], hr_api: APIClient) -> None:
    before = counts()
    bad = NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")
    response = hr_api.post("/api/v1/employees/", employee_payload(org, id_number=bad), format="json")
    assert_bad_input(
        response,
        "id_number",
        before,
        "This is not a valid resident ID number (check the 18 characters and the last check digit).",
    )


def test_a_birth_date_that_disagrees_with_the_id_number_is_refused(
    org: dict[str, Any], hr_api: APIClient
) -> None:
    before = counts()
    response = hr_api.post(
        "/api/v1/employees/", employee_payload(org, birth_date="1992-11-04"), format="json"
    )
    assert_bad_input(
        response, "birth_date", before, "The birth date does not match the one in the ID number (1992-11-03)."
    )


def test_a_duplicate_employee_number_is_refused(org: dict[str, Any], hr_api: APIClient) -> None:
    before = counts()
    taken = org["employees"]["report"].employee_no
    response = hr_api.post("/api/v1/employees/", employee_payload(org, employee_no=taken), format="json")
    assert_bad_input(response, "employee_no", before, f"Employee number {taken} is already in use.")


def test_an_unknown_department_is_refused(org: dict[str, Any], hr_api: APIClient) -> None:
    before = counts()
    response = hr_api.post("/api/v1/employees/", employee_payload(org, department=99999), format="json")
    assert_bad_input(response, "department", before, 'Invalid pk "99999" - object does not exist.')
    response = hr_api.post("/api/v1/jobs/", {"title": "销售代表", "department": 99999}, format="json")
    assert_bad_input(response, "department", before, 'Invalid pk "99999" - object does not exist.')
    response = hr_api.post("/api/v1/departments/", {"code": "X", "name": "X", "parent": 99999}, format="json")
    assert_bad_input(response, "parent", before, 'Invalid pk "99999" - object does not exist.')


def test_a_manager_loop_is_refused(org: dict[str, Any], hr_api: APIClient) -> None:
    manager, report = org["employees"]["manager"], org["employees"]["report"]
    before = counts()
    response = hr_api.patch(f"/api/v1/employees/{manager.pk}/", {"manager": report.pk}, format="json")
    assert_bad_input(
        response, "manager", before, "This would create a reporting loop: 李员工 already reports to 王经理."
    )
    manager.refresh_from_db()
    assert manager.manager_id is None


def test_weights_that_do_not_sum_to_one_are_refused(org: dict[str, Any], hr_api: APIClient) -> None:
    comm, team = Competency.objects.get(code="communication"), Competency.objects.get(code="teamwork")
    before = counts()
    response = hr_api.post(
        "/api/v1/jobs/",
        {
            "title": "销售代表",
            "department": org["departments"]["sales"].pk,
            "competency_model": [
                {"competency": comm.pk, "weight": 0.5},
                {"competency": team.pk, "weight": 0.3},
            ],
        },
        format="json",
    )
    assert_bad_input(
        response, "competency_model", before, "The weights must add up to 100%; they add up to 80.0%."
    )


def test_an_update_with_bad_weights_keeps_the_old_model(org: dict[str, Any], hr_api: APIClient) -> None:
    job = make_job(department=org["departments"]["sales"], title="销售代表")
    JobCompetencyFactory(job=job, competency=Competency.objects.get(code="teamwork"), weight=Decimal("1"))
    before = counts()
    response = hr_api.patch(
        f"/api/v1/jobs/{job.pk}/",
        {
            "title": "改名",
            "competency_model": [{"competency": Competency.objects.get(code="integrity").pk, "weight": 2}],
        },
        format="json",
    )
    assert_bad_input(response, "competency_model", before)
    assert response.json()["errors"]["competency_model"] == [
        "Line 1: a weight is more than 0% and at most 100%.",
        "The weights must add up to 100%; they add up to 200.0%.",
    ]
    job.refresh_from_db()
    assert job.title == "销售代表"
    assert list(job.competency_model.values_list("competency__code", flat=True)) == ["teamwork"]


def test_nested_line_errors_are_readable(org: dict[str, Any], hr_api: APIClient) -> None:
    comm = Competency.objects.get(code="communication")
    before = counts()
    response = hr_api.post(
        "/api/v1/jobs/",
        {
            "title": "销售代表",
            "department": org["departments"]["sales"].pk,
            "competency_model": [{"competency": comm.pk, "weight": "0.3333"}],
        },
        format="json",
    )
    assert_bad_input(
        response,
        "competency_model",
        before,
        "item 1: weight: Ensure that there are no more than 3 decimal places.",
    )
    response = hr_api.post(
        "/api/v1/jobs/",
        {
            "title": "销售代表",
            "department": org["departments"]["sales"].pk,
            "competency_model": "communication",
        },
        format="json",
    )
    assert_bad_input(response, "competency_model", before, 'Expected a list of items but got type "str".')


def test_a_duplicate_competency_code_is_refused(hr_api: APIClient) -> None:
    before = counts()
    response = hr_api.post(
        "/api/v1/competencies/", {"code": "teamwork", "name": "合作", "name_en": "Teamwork"}, format="json"
    )
    assert_bad_input(response, "code", before, "Another competency already uses the code “teamwork”.")


def test_a_department_code_clash_and_a_parent_loop_are_refused(
    org: dict[str, Any], hr_api: APIClient
) -> None:
    before = counts()
    response = hr_api.post("/api/v1/departments/", {"code": "RD", "name": "研发二部"}, format="json")
    assert_bad_input(response, "code", before, "Another department already uses the code “RD”.")
    root, sales = org["departments"]["root"], org["departments"]["sales"]
    response = hr_api.patch(f"/api/v1/departments/{root.pk}/", {"parent": sales.pk}, format="json")
    assert_bad_input(
        response, "parent", before, "A department cannot sit below itself or one of its own sub-departments."
    )


def test_several_bad_fields_are_all_named(org: dict[str, Any], hr_api: APIClient) -> None:
    before = counts()
    response = hr_api.post(
        "/api/v1/employees/", employee_payload(org, gender="male", phone="call me"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "phone: Enter a phone number of digits, optionally starting with +. "
        "gender: The gender does not match the one encoded in the ID number.",
        "errors": {
            "gender": ["The gender does not match the one encoded in the ID number."],
            "phone": ["Enter a phone number of digits, optionally starting with +."],
        },
    }
    assert counts() == before


def test_malformed_json_and_a_list_body_are_a_400(hr_api: APIClient) -> None:
    broken = hr_api.generic("POST", "/api/v1/departments/", "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("JSON parse error")
    listed = hr_api.post("/api/v1/departments/", ["HQ"], format="json")
    assert listed.status_code == 400
    assert listed.json() == {
        "detail": "Invalid data. Expected a dictionary, but got list.",
        "errors": {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]},
    }


GARBAGE: list[Any] = [
    None,
    "",
    " ",
    "x" * 300,
    -1,
    0,
    2**70,
    1.5,
    True,
    [],
    {},
    ["a"],
    {"a": 1},
    "\x00",
    "２０２０",
]
EMPLOYEE_FIELDS = [
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
    "status",
    "english_name",
    "level",
]


@pytest.mark.parametrize("field", EMPLOYEE_FIELDS)
def test_no_employee_field_value_causes_a_server_error(
    org: dict[str, Any], hr_api: APIClient, field: str
) -> None:
    hr_api.raise_request_exception = False
    target = org["employees"]["outsider"]
    for value in GARBAGE:
        created = hr_api.post("/api/v1/employees/", employee_payload(org, **{field: value}), format="json")
        assert created.status_code in (201, 400), (value, created.content)
        Employee.objects.filter(employee_no="E900001").delete()
        updated = hr_api.patch(f"/api/v1/employees/{target.pk}/", {field: value}, format="json")
        assert updated.status_code in (200, 400), (value, updated.content)


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/api/v1/jobs/", ["title", "department", "level", "headcount", "status", "competency_model"]),
        ("/api/v1/departments/", ["code", "name", "name_en", "parent"]),
        ("/api/v1/competencies/", ["code", "name", "name_en", "indicators", "category", "is_active"]),
    ],
)
def test_no_field_value_causes_a_server_error(
    org: dict[str, Any], hr_api: APIClient, url: str, fields: list[str]
) -> None:
    hr_api.raise_request_exception = False
    valid = {
        "/api/v1/jobs/": {"title": "岗位", "department": org["departments"]["sales"].pk},
        "/api/v1/departments/": {"code": "NEWDEPT", "name": "新部门"},
        "/api/v1/competencies/": {"code": "negotiation", "name": "谈判", "name_en": "Negotiation"},
    }[url]
    departments = set(Department.objects.values_list("pk", flat=True))
    for field in fields:
        for value in GARBAGE:
            response = hr_api.post(url, valid | {field: value}, format="json")
            assert response.status_code in (201, 400), (field, value, response.content)
            Job.objects.all().delete()
            Department.objects.exclude(pk__in=departments).delete()
            Competency.objects.filter(is_builtin=False).delete()


# --- authentication ----------------------------------------------------------------------------------------


def test_bearer_token_authenticates(org: dict[str, Any]) -> None:
    client = APIClient()
    token = api_token_issue(user=org["users"]["hr"])
    assert api_token_issue(user=org["users"]["hr"]) == token
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get("/api/v1/employees/")
    assert (response.status_code, response.json()["count"]) == (200, 4)


@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Bearer", "Bearer a b"])
def test_a_wrong_bearer_token_is_a_401(org: dict[str, Any], header: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/departments/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert set(response.json()) == {"detail"}


def test_a_token_acts_with_its_users_role(org: dict[str, Any]) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=org['users']['employee'])}")
    body = client.get("/api/v1/employees/").json()
    assert [row["id"] for row in body["results"]] == [org["employees"]["report"].pk]
    assert client.post("/api/v1/departments/", {"code": "X", "name": "X"}, format="json").status_code == 403


def test_no_credentials_is_a_401(org: dict[str, Any]) -> None:
    response = APIClient().get("/api/v1/employees/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_session_login_works_for_the_browser(org: dict[str, Any]) -> None:
    client = APIClient()
    client.force_login(org["users"]["manager"])
    assert client.get("/api/v1/employees/").json()["count"] == 3


# --- visibility through the API ----------------------------------------------------------------------------


def test_a_manager_sees_their_team_and_themself(org: dict[str, Any], api_as: Any) -> None:
    client = api_as(org["users"]["manager"])
    e = org["employees"]
    assert _ids(client) == sorted([e["manager"].pk, e["report"].pk, e["indirect"].pk])
    assert _ids(client, search="陈研发") == []
    assert _ids(client, department=org["departments"]["rd"].pk) == []
    denied = client.get(f"/api/v1/employees/{e['outsider'].pk}/")
    assert denied.status_code == 403
    assert denied.json() == {"detail": "You do not have permission to see or change this employee."}


def test_an_employee_sees_and_edits_only_their_own_contact_fields(org: dict[str, Any], api_as: Any) -> None:
    client = api_as(org["users"]["employee"])
    me = org["employees"]["report"]
    assert _ids(client) == [me.pk]
    assert client.get(f"/api/v1/employees/{org['employees']['manager'].pk}/").status_code == 403
    ok = client.patch(
        f"/api/v1/employees/{me.pk}/",
        {"phone": "13600000000", "email": "li@example.com", "english_name": "Lee"},
        format="json",
    )
    assert ok.status_code == 200, ok.content
    assert (ok.json()["phone"], ok.json()["email"], ok.json()["english_name"]) == (
        "13600000000",
        "li@example.com",
        "Lee",
    )
    refused = client.patch(
        f"/api/v1/employees/{me.pk}/", {"name": "李主管", "phone": "13500000000"}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json() == {"detail": "You may not change these fields: name."}
    me.refresh_from_db()
    assert (me.name, me.phone) == ("李员工", "13600000000")
    body = client.get(f"/api/v1/employees/{me.pk}/").json()
    put = client.put(f"/api/v1/employees/{me.pk}/", body | {"english_name": "Li"}, format="json")
    assert put.status_code == 200, put.content
    assert Employee.objects.get(pk=me.pk).english_name == "Li"


def test_a_missing_employee_is_a_404_and_a_huge_id_too(hr_api: APIClient) -> None:
    assert hr_api.get("/api/v1/employees/999999/").status_code == 404
    assert hr_api.get(f"/api/v1/employees/{2**70}/").status_code == 404
    assert hr_api.get(f"/api/v1/jobs/{2**70}/").status_code == 404


def test_an_integrity_race_is_a_409_not_a_500(
    org: dict[str, Any], hr_api: APIClient, monkeypatch: Any
) -> None:
    # The service's own uniqueness check is bypassed to simulate a concurrent insert of the same number.
    monkeypatch.setattr("talentloop.org.services.employees._validate", lambda errors, data, employee: None)
    taken = org["employees"]["report"].employee_no
    response = hr_api.post("/api/v1/employees/", employee_payload(org, employee_no=taken), format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "The change conflicts with existing data and was not saved."}
    assert Employee.objects.filter(employee_no=taken).count() == 1


def test_profile_document_has_the_record_and_timeline_and_respects_visibility(org: dict[str, Any], api_as: Any) -> None:
    report = org["employees"]["report"]
    hr = org["users"]["hr"]
    services.employee_update(actor=hr, employee=report, changes={"department": org["departments"]["rd"]})
    body = api_as(hr).get(f"/api/v1/employees/{report.pk}/profile/").json()
    assert body["employee"]["employee_no"] == report.employee_no
    assert body["employee"]["id_number"] == report.masked_id_number
    assert [(e["kind"], e["data"]["field"]) for e in body["timeline"]] == [("department_changed", "department")]
    assert api_as(org["users"]["employee"]).get(f"/api/v1/employees/{report.pk}/profile/").status_code == 200
    assert api_as(org["users"]["outsider"]).get(f"/api/v1/employees/{report.pk}/profile/").status_code == 403
    assert api_as(org["users"]["recruiter"]).get(f"/api/v1/employees/{report.pk}/profile/").status_code == 403
