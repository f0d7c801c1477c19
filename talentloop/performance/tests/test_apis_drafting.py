"""/api/v1/kr-rules/, POST /api/v1/employees/{id}/okr-draft/ and POST /api/v1/objectives/{id}/approve/."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentloop.performance.models import KRRule, Objective, PerformanceCycle

from ._support import make_hire_report

RULES = "/api/v1/kr-rules/"
RULE_FIELDS = {
    "id", "competency", "competency_name", "title_zh", "title_en", "metric", "unit", "direction", "start_value",
    "formula", "parameter", "cap", "floor", "weight", "is_active", "created_at", "updated_at",
}


def _draft_url(org: dict[str, Any], who: str = "report") -> str:
    return f"/api/v1/employees/{org['employees'][who].pk}/okr-draft/"


# --- rules --------------------------------------------------------------------------------------------------


def test_hr_lists_creates_updates_and_deletes_rules(org: dict[str, Any], api_as: Any) -> None:
    client = api_as(org["users"]["hr"])
    listed = client.get(RULES).json()
    assert listed["count"] == 5
    assert set(listed["results"][0]) == RULE_FIELDS
    created = client.post(RULES, {
        "competency": "sales_acumen", "title_zh": "季度销售额达到 {target} 万元",
        "title_en": "Quarterly sales ≥ {target}",
        "metric": "Sales", "unit": "10k yuan", "formula": "ratio", "parameter": 1.2, "weight": 30,
    }, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    shown = ("competency", "competency_name", "formula", "parameter", "cap", "floor", "weight")
    assert {k: body[k] for k in shown} == {
        "competency": "sales_acumen", "competency_name": "Sales Acumen", "formula": "ratio", "parameter": 1.2,
        "cap": 100.0, "floor": None, "weight": 30.0,
    }
    url = f"{RULES}{body['id']}/"
    patched = client.patch(url, {"is_active": False, "floor": 50}, format="json")
    assert (patched.status_code, patched.json()["is_active"], patched.json()["floor"]) == (200, False, 50.0)
    assert client.get(RULES, {"is_active": "false"}).json()["count"] == 1
    assert client.get(RULES, {"competency": "sales_acumen"}).json()["count"] == 1
    assert client.delete(url).status_code == 204
    assert not KRRule.objects.filter(pk=body["id"]).exists()


def test_bad_rules_are_refused_with_a_message_per_field(org: dict[str, Any], api_as: Any) -> None:
    response = api_as(org["users"]["hr"]).post(RULES, {
        "competency": "teamwork", "title_zh": "x", "title_en": "x", "metric": "m", "formula": "ratio",
        "parameter": -1, "cap": 40, "floor": 50, "weight": 120,
    }, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["parameter"] == ["A ratio must be above 0; 1.1 makes the target 1.1 times the interview score."]
    assert errors["cap"] == ["The cap must not be below the floor."]
    assert "weight" in errors


@pytest.mark.parametrize(("who", "read", "write"), [
    ("manager", 200, 403), ("employee", 403, 403), ("recruiter", 403, 403), ("candidate", 403, 403),
])
def test_managers_read_rules_and_only_hr_writes(
    org: dict[str, Any], api_as: Any, who: str, read: int, write: int
) -> None:
    client = api_as(org["users"][who])
    assert client.get(RULES).status_code == read
    rule = KRRule.objects.first()
    assert rule is not None
    assert client.patch(f"{RULES}{rule.pk}/", {"weight": 10}, format="json").status_code == write
    assert client.delete(f"{RULES}{rule.pk}/").status_code == write


def test_the_rule_list_runs_a_constant_number_of_queries(org: dict[str, Any], api_as: Any) -> None:
    client = api_as(org["users"]["hr"])
    with CaptureQueriesContext(connection) as few:
        client.get(RULES)
    KRRule.objects.bulk_create([
        KRRule(competency=rule.competency, title_zh="x", title_en="x", metric="m", parameter=1, weight=1)
        for rule in KRRule.objects.all()
    ])
    with CaptureQueriesContext(connection) as more:
        client.get(RULES)
    assert len(few) == len(more)


# --- drafting and approval ----------------------------------------------------------------------------------


def test_the_manager_drafts_okrs_from_the_interview(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    report = make_hire_report(org["employees"]["report"], {"customer_orientation": 90, "problem_solving": 80})
    response = api_as(org["users"]["manager"]).post(_draft_url(org), {"cycle": cycle.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"report", "objectives", "skipped"}
    assert body["report"] == report.pk
    (objective,) = body["objectives"]
    assert (objective["status"], objective["owner_employee"], objective["cycle"], objective["score"]) == (
        "draft", org["employees"]["report"].pk, cycle.pk, 0.0,
    )
    krs = [
        {k: kr[k] for k in ("title", "start_value", "target_value", "weight", "rule", "source_score", "explanation")}
        for kr in objective["key_results"]
    ]
    assert krs == [
        {"title": "Quarterly customer satisfaction score ≥ 92", "start_value": 90.0, "target_value": 92.0,
         "weight": 20.0, "rule": KRRule.objects.get(competency__code="customer_orientation").pk,
         "source_score": 90.0, "explanation": "interview: customer orientation 90 → target 92"},
        {"title": "Problem-solving indicator reaches 88 within 3 months (110% of the interview score)",
         "start_value": 80.0, "target_value": 88.0, "weight": 20.0,
         "rule": KRRule.objects.get(competency__code="problem_solving").pk, "source_score": 80.0,
         "explanation": "interview: problem solving 80 → target 88"},
    ]
    assert objective["key_results"][0]["source"]["formula"] == "score + 2, cap 100"
    assert [s["competency"] for s in body["skipped"]] == ["communication", "execution", "teamwork"]


def test_a_chinese_request_drafts_chinese_titles(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    response = api_as(org["users"]["hr"]).post(
        _draft_url(org), {"cycle": cycle.pk}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    (kr,) = response.json()["objectives"][0]["key_results"]
    assert (kr["title"], kr["target_value"], kr["source_score"]) == ("季度客户满意度达到 92 分", 92.0, 90.0)


def test_drafting_refusals_over_http(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    hr = api_as(org["users"]["hr"])
    missing = hr.post(_draft_url(org), {"cycle": cycle.pk}, format="json")
    assert missing.status_code == 400
    assert "has no ready interview report" in missing.json()["errors"]["employee"][0]
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    assert hr.post(_draft_url(org), {"cycle": 999_999}, format="json").status_code == 400
    assert hr.post(_draft_url(org), {}, format="json").status_code == 400
    assert hr.post("/api/v1/employees/999999/okr-draft/", {"cycle": cycle.pk}, format="json").status_code == 404
    assert hr.post(_draft_url(org), {"cycle": cycle.pk}, format="json").status_code == 201
    twice = hr.post(_draft_url(org), {"cycle": cycle.pk}, format="json")
    assert twice.status_code == 409
    assert "already drafted from the interview" in twice.json()["detail"]


@pytest.mark.parametrize("who", ["employee", "outsider", "recruiter", "candidate"])
def test_only_hr_and_the_manager_draft_over_http(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle, who: str
) -> None:
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    response = api_as(org["users"][who]).post(_draft_url(org), {"cycle": cycle.pk}, format="json")
    assert response.status_code == 403
    assert not Objective.objects.exists()


def test_the_manager_approves_a_draft(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    draft = api_as(org["users"]["hr"]).post(_draft_url(org), {"cycle": cycle.pk}, format="json").json()
    url = f"/api/v1/objectives/{draft['objectives'][0]['id']}/approve/"
    refused = api_as(org["users"]["employee"]).post(url)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only HR or 李员工's manager can approve 李员工's drafted OKRs."
    approved = api_as(org["users"]["manager"]).post(url)
    assert (approved.status_code, approved.json()["status"]) == (200, "active")
    again = api_as(org["users"]["manager"]).post(url)
    assert again.status_code == 409
    assert api_as(org["users"]["outsider"]).post(url).status_code == 403
