"""The organisation's REST API under /api/v1/: token auth, and what each role sees and may change."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from talentloop.core.services import api_token_issue
from talentloop.org import services
from talentloop.org.models import Employee
from talentloop.org.tests._api_support import _ids, employee_payload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]


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
