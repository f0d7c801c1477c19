"""The organisation's REST API under /api/v1/: bad input is a 400 naming the field, with nothing written,
and no value of any field causes a server error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from talentloop.core.testing.factories import JobCompetencyFactory
from talentloop.org.models import Competency, Department, Employee, Job
from talentloop.org.tests._api_support import NEW_ID, assert_bad_input, counts, employee_payload, make_job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]


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
