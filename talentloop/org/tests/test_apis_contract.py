"""The organisation's REST API under /api/v1/: the public contract field by field (departments, levels,
employees with the ID number masked, competencies, jobs with their competency model)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from talentloop.core.models import AuditEntry
from talentloop.org.models import Competency, Employee, Job, JobLevel
from talentloop.org.tests._api_support import (
    COMPETENCY_KEYS,
    DEPARTMENT_KEYS,
    EMPLOYEE_KEYS,
    JOB_KEYS,
    LIBRARY,
    LIST_KEYS,
    NEW_ID,
    employee_payload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]


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
        "left_on": None,
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
        "left_on": None,
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
        "interview_modalities": ["text"],
        "delivery_in_score": False,
        "allow_rerecord": True,
    }
    assert hr_api.get(f"/api/v1/jobs/{job.pk}/").json() == body
    mid = JobLevel.objects.get(code="mid")
    updated = hr_api.patch(f"/api/v1/jobs/{job.pk}/", {"level": mid.pk, "status": "on_hold"}, format="json")
    assert (updated.json()["level"], updated.json()["status"]) == (mid.pk, "on_hold")
    assert len(updated.json()["competency_model"]) == 2


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
