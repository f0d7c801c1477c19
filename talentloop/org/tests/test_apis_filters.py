"""The organisation's REST API under /api/v1/: filters, search and pagination of the lists, and bad filter
values (a 400 naming the parameter)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from talentloop.org.models import Competency, Employee, Job
from talentloop.org.tests._api_support import _ids, make_job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]


# --- competency and job filters ---------------------------------------------------------------------------


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


# --- employee filters, search and pagination --------------------------------------------------------------


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
