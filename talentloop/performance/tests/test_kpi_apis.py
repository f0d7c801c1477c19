"""/api/v1/kpis/ and /api/v1/kpi-targets/: contract shapes, scores in responses, refusals as HTTP, reads
narrowed per role, constant query counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentloop.org.models import Competency
from talentloop.performance.models import Kpi, KpiTarget, PerformanceCycle

from .test_kpi_services import make_kpi, make_target

KPIS = "/api/v1/kpis/"
TARGETS = "/api/v1/kpi-targets/"
D = Decimal


def test_hr_creates_a_kpi(org: dict[str, Any], api_as: Any) -> None:
    response = api_as(org["users"]["hr"]).post(KPIS, {
        "code": "csat", "name": "客户满意度", "name_en": "Customer satisfaction", "unit": "points",
        "direction": "increase", "floor_value": 60, "threshold_value": 80, "target_value": 92.5,
        "competency": "customer_orientation", "formula": "survey mean",
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "id", "code", "name", "name_en", "display_name", "formula", "unit", "direction", "floor_value",
        "threshold_value", "target_value", "competency", "competency_name", "is_active", "created_at", "updated_at",
    }
    assert {k: body[k] for k in ("display_name", "floor_value", "target_value", "competency", "is_active")} == {
        "display_name": "Customer satisfaction", "floor_value": 60.0, "target_value": 92.5,
        "competency": "customer_orientation", "is_active": True,
    }


def test_a_bad_kpi_is_a_400_naming_the_fields(org: dict[str, Any], api_as: Any) -> None:
    make_kpi(org, code="csat")
    response = api_as(org["users"]["hr"]).post(KPIS, {
        "code": "csat", "name": "x", "direction": "decrease", "floor_value": 10, "threshold_value": 20,
        "target_value": 5,
    }, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "code": ["Another KPI already has the code “csat”."],
        "threshold_value": ["For a KPI that should decrease, the threshold (20) must be below the floor (10)."],
    }
    assert Kpi.objects.count() == 1


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_managers_and_employees_read_the_library_but_do_not_write_it(
    org: dict[str, Any], api_as: Any, who: str
) -> None:
    kpi = make_kpi(org)
    client = api_as(org["users"][who])
    listing = client.get(KPIS)
    assert listing.status_code == 200
    assert set(listing.json()) == {"count", "next", "previous", "results"}
    assert [k["code"] for k in listing.json()["results"]] == ["csat"]
    assert client.patch(f"{KPIS}{kpi.pk}/", {"name": "x"}, format="json").status_code == 403
    assert client.delete(f"{KPIS}{kpi.pk}/").status_code == 403
    assert api_as(org["users"]["recruiter"]).get(KPIS).status_code == 403


def test_library_filters_and_delete(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    used = make_kpi(org, code="used")
    make_kpi(org, code="retired", is_active=False)
    make_target(org, cycle, used)
    client = api_as(org["users"]["hr"])
    assert [k["code"] for k in client.get(KPIS, {"is_active": "true"}).json()["results"]] == ["used"]
    assert [k["code"] for k in client.get(KPIS, {"q": "retir"}).json()["results"]] == ["retired"]
    refused = client.delete(f"{KPIS}{used.pk}/")
    assert refused.status_code == 409
    assert "retire it" in refused.json()["detail"]


# --- targets --------------------------------------------------------------------------------------------------


def test_a_manager_sets_a_team_members_target_and_gets_its_score(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    kpi = make_kpi(org)  # 60 / 80 / 90
    client = api_as(org["users"]["manager"])
    response = client.post(TARGETS, {
        "cycle": cycle.pk, "employee": org["employees"]["indirect"].pk, "kpi": kpi.pk, "weight": 60,
        "actual_value": 70,
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "id", "cycle", "employee", "employee_name", "kpi", "kpi_code", "kpi_name", "unit", "direction",
        "floor_value", "threshold_value", "target_value", "actual_value", "weight", "comment", "score",
        "created_at", "updated_at",
    }
    assert {k: body[k] for k in ("employee_name", "kpi_code", "kpi_name", "target_value", "actual_value", "weight",
                                 "direction", "threshold_value", "score")} == {
        "employee_name": "赵实习", "kpi_code": "csat", "kpi_name": "Customer satisfaction", "target_value": 90.0,
        "actual_value": 70.0, "weight": 60.0, "direction": "increase", "threshold_value": 80.0, "score": 30.0,
    }
    patched = client.patch(f"{TARGETS}{body['id']}/", {"actual_value": 85}, format="json")
    assert patched.status_code == 200
    assert patched.json()["score"] == 80.0


def test_weights_over_100_are_a_400_and_nothing_is_written(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    make_target(org, cycle, make_kpi(org, code="a"), weight=D(80))
    response = api_as(org["users"]["hr"]).post(TARGETS, {
        "cycle": cycle.pk, "employee": org["employees"]["report"].pk, "kpi": make_kpi(org, code="b").pk, "weight": 25,
    }, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "weight": ["The KPI targets of 李员工 in this cycle would weigh 105% together; at most 100% is allowed."],
    }
    assert KpiTarget.objects.count() == 1


def test_a_target_not_beyond_the_threshold_is_a_400(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    response = api_as(org["users"]["hr"]).post(TARGETS, {
        "cycle": cycle.pk, "employee": org["employees"]["report"].pk, "kpi": make_kpi(org).pk, "weight": 25,
        "target_value": 75,
    }, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "target_value": ["For a KPI that should increase, the target (75) must be above the threshold (80)."],
    }


def test_a_second_target_of_the_same_kpi_is_a_400(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    kpi = make_kpi(org)
    make_target(org, cycle, kpi, weight=D(10))
    response = api_as(org["users"]["hr"]).post(TARGETS, {
        "cycle": cycle.pk, "employee": org["employees"]["report"].pk, "kpi": kpi.pk, "weight": 10,
    }, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"kpi": ["李员工 already has the KPI “客户满意度” in this cycle."]}


def test_a_manager_writing_another_team_is_a_403(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    kpi = make_kpi(org)
    outsider_target = make_target(org, cycle, kpi, who="outsider")
    client = api_as(org["users"]["manager"])
    response = client.post(TARGETS, {
        "cycle": cycle.pk, "employee": org["employees"]["outsider"].pk, "kpi": kpi.pk, "weight": 10,
    }, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "You can only set the KPI targets of your own team."
    assert client.patch(f"{TARGETS}{outsider_target.pk}/", {"actual_value": 1}, format="json").status_code == 403
    assert client.delete(f"{TARGETS}{outsider_target.pk}/").status_code == 403


def test_employees_read_their_own_targets_only(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    kpi = make_kpi(org)
    mine = make_target(org, cycle, kpi, actual_value=D(90))
    other = make_target(org, cycle, kpi, who="outsider")
    client = api_as(org["users"]["employee"])
    listing = client.get(TARGETS)
    assert listing.status_code == 200
    assert [(t["id"], t["score"]) for t in listing.json()["results"]] == [(mine.pk, 100.0)]
    assert client.get(f"{TARGETS}{other.pk}/").status_code == 403
    assert client.get(f"{TARGETS}999999/").status_code == 404
    refused = client.patch(f"{TARGETS}{mine.pk}/", {"actual_value": 100}, format="json")
    assert refused.status_code == 403
    assert client.post(TARGETS, {}, format="json").status_code == 403
    assert api_as(org["users"]["candidate"]).get(TARGETS).status_code == 403


def test_targets_filter_by_cycle_and_employee(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    kpi = make_kpi(org)
    for who in ("report", "indirect", "outsider"):
        make_target(org, cycle, kpi, who=who)
    client = api_as(org["users"]["manager"])
    assert client.get(TARGETS, {"cycle": cycle.pk}).json()["count"] == 2
    only = client.get(TARGETS, {"employee": org["employees"]["indirect"].pk}).json()["results"]
    assert [t["employee_name"] for t in only] == ["赵实习"]
    assert client.get(TARGETS, {"cycle": cycle.pk + 1}).json()["count"] == 0
    assert client.get(TARGETS, {"cycle": "x"}).status_code == 400


def test_the_summary_gives_the_weighted_kpi_score(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    make_target(org, cycle, make_kpi(org, code="a"), weight=D(50), actual_value=D(85))  # 80
    make_target(org, cycle, make_kpi(org, code="b"), weight=D(30), actual_value=D(70))  # 30
    make_target(org, cycle, make_kpi(org, code="c"), weight=D(20))
    client = api_as(org["users"]["employee"])
    response = client.get(f"{TARGETS}summary/", {"cycle": cycle.pk, "employee": org["employees"]["report"].pk})
    assert response.status_code == 200, response.json()
    # (50*80 + 30*30) / 80 = 61.25 -> 61.3
    assert response.json() == {
        "cycle": cycle.pk, "employee": org["employees"]["report"].pk, "targets": 3, "weight_total": 100.0,
        "scored_weight": 80.0, "score": 61.3,
    }
    other = client.get(f"{TARGETS}summary/", {"cycle": cycle.pk, "employee": org["employees"]["outsider"].pk})
    assert other.status_code == 403
    assert client.get(f"{TARGETS}summary/", {"cycle": cycle.pk}).status_code == 400


def test_lists_run_a_constant_number_of_queries(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    client = api_as(org["users"]["manager"])
    kpis = [make_kpi(org, code=f"k{i}") for i in range(4)]
    make_target(org, cycle, kpis[0], actual_value=D(85))

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few_targets, few_kpis = count(TARGETS), count(KPIS)
    for kpi in kpis[1:]:
        make_target(org, cycle, kpi, who="indirect", weight=D(20), actual_value=D(70))
    assert count(TARGETS) == few_targets
    make_kpi(org, code="more", competency=Competency.objects.get(code="teamwork"))
    assert count(KPIS) == few_kpis
