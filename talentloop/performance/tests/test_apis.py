"""The performance REST API: contract shapes, reads narrowed per role, refusals as HTTP, constant query counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentloop.core.models import User
from talentloop.performance import services
from talentloop.performance.models import KeyResult, Objective, PerformanceCycle

from ._support import make_key_result, make_objective

CYCLES = "/api/v1/performance/cycles/"
OBJECTIVES = "/api/v1/objectives/"
KEY_RESULTS = "/api/v1/key-results/"
PAGE = {"count", "next", "previous", "results"}


def _okrs(org: dict[str, Any], cycle: PerformanceCycle) -> dict[str, Any]:
    """A company objective, a Sales and an R&D objective, and a personal one for each employee."""
    company = make_objective(org, cycle, owner=None, level="company", title="Win the market")
    sales = make_objective(
        org, cycle, owner=None, level="department", title="Sales", department=org["departments"]["sales"]
    )
    rd = make_objective(org, cycle, owner=None, level="department", title="R&D", department=org["departments"]["rd"])
    personal = {name: make_objective(org, cycle, owner=name, title=f"{name}'s goal") for name in org["employees"]}
    return {"company": company, "sales": sales, "rd": rd, **personal}


# --- cycles ---


def test_hr_creates_a_cycle(org: dict[str, Any], api_as: Any) -> None:
    employees = [org["employees"]["report"].pk, org["employees"]["outsider"].pk]
    response = api_as(org["users"]["hr"]).post(
        CYCLES,
        {"name": "2026 H2", "start": "2026-07-01", "end": "2026-12-31", "method": "mixed", "kind": "half_year",
         "employees": employees},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "id", "name", "kind", "method", "start", "end", "phase", "employee_count", "created_at", "updated_at",
        "deadlines", "weight_manager", "weight_feedback", "weight_results", "enrol_new_hires",
    }
    assert {k: body[k] for k in ("name", "kind", "method", "start", "end", "phase", "employee_count")} == {
        "name": "2026 H2", "kind": "half_year", "method": "mixed", "start": "2026-07-01", "end": "2026-12-31",
        "phase": "goal_setting", "employee_count": 2,
    }


def test_hr_moves_a_cycle_on_and_replaces_its_participants(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    response = api_as(org["users"]["hr"]).patch(
        f"{CYCLES}{cycle.pk}/", {"phase": "self_review", "employees": [org["employees"]["report"].pk]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["phase"], response.json()["employee_count"]) == ("self_review", 1)
    unknown = api_as(org["users"]["hr"]).patch(f"{CYCLES}{cycle.pk}/", {"employees": [999999]}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"employees": ["No employee has the id 999999."]}


def test_a_cycle_ending_before_it_starts_is_a_400(org: dict[str, Any], api_as: Any) -> None:
    response = api_as(org["users"]["hr"]).post(
        CYCLES, {"name": "x", "start": "2026-07-01", "end": "2026-06-30", "method": "okr"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"end": ["A performance cycle must end after it starts."]}


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_only_hr_writes_cycles(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle, who: str) -> None:
    client = api_as(org["users"][who])
    assert client.post(CYCLES, {"name": "x", "start": "2026-07-01", "end": "2026-08-01"}).status_code == 403
    assert client.patch(f"{CYCLES}{cycle.pk}/", {"phase": "closed"}).status_code == 403


def test_cycles_are_read_by_participants_only(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    hr = org["users"]["hr"]
    other = services.cycle_create(
        actor=hr, name="R&D probation", start=cycle.start, end=cycle.end, kind="probation",
        employees=[org["employees"]["outsider"].pk],
    )
    seen = {
        who: [c["name"] for c in api_as(org["users"][who]).get(CYCLES).json()["results"]]
        for who in ("hr", "manager", "employee", "outsider")
    }
    assert seen == {
        "hr": ["R&D probation", "2026 Q3"], "manager": ["2026 Q3"], "employee": ["2026 Q3"],
        "outsider": ["R&D probation", "2026 Q3"],
    }
    assert api_as(org["users"]["employee"]).get(f"{CYCLES}{other.pk}/").status_code == 403
    filtered = api_as(hr).get(CYCLES, {"employee": org["employees"]["outsider"].pk, "phase": "goal_setting"})
    assert filtered.json()["count"] == 2
    assert api_as(hr).get(CYCLES, {"phase": "nonsense"}).status_code == 400


@pytest.mark.parametrize("who", ["recruiter", "candidate"])
def test_recruiters_and_candidates_see_no_performance_data(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle, who: str
) -> None:
    client = api_as(org["users"][who])
    for url in (CYCLES, OBJECTIVES, KEY_RESULTS):
        assert client.get(url).status_code == 403


def test_anonymous_callers_are_refused(api: Any, cycle: PerformanceCycle) -> None:
    assert api.get(CYCLES).status_code in (401, 403)


# --- objectives ---


def test_objectives_are_read_by_role(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    okrs = _okrs(org, cycle)
    seen = {
        who: {o["title"] for o in api_as(org["users"][who]).get(OBJECTIVES).json()["results"]}
        for who in ("hr", "manager", "employee", "outsider")
    }
    assert seen == {
        "hr": {o.title for o in okrs.values()},
        "manager": {"Win the market", "Sales", "manager's goal", "report's goal", "indirect's goal"},
        "employee": {"Win the market", "Sales", "report's goal"},
        "outsider": {"Win the market", "R&D", "outsider's goal"},
    }
    employee = api_as(org["users"]["employee"])
    assert employee.get(f"{OBJECTIVES}{okrs['outsider'].pk}/").status_code == 403
    assert employee.get(f"{OBJECTIVES}999999/").status_code == 404
    assert employee.get(f"{OBJECTIVES}{2**64}/").status_code == 404


def test_an_objective_is_created_and_returns_its_score(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    response = api_as(org["users"]["employee"]).post(
        OBJECTIVES,
        {"cycle": cycle.pk, "level": "personal", "owner_employee": org["employees"]["report"].pk,
         "title": "Learn the product"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "id", "cycle", "level", "owner_employee", "department", "parent", "title", "description", "status",
        "score", "created_at", "updated_at",
    }
    assert (body["score"], body["status"], body["department"], body["parent"]) == (None, "draft", None, None)
    objective_id = body["id"]
    make_key_result(org, Objective.objects.get(pk=objective_id), weight=Decimal(100), current_value=Decimal(85))
    assert api_as(org["users"]["employee"]).get(f"{OBJECTIVES}{objective_id}/").json()["score"] == 75.0


def test_a_manager_editing_another_teams_okr_gets_a_403(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    client = api_as(org["users"]["manager"])
    response = client.post(
        OBJECTIVES,
        {"cycle": cycle.pk, "level": "personal", "owner_employee": org["employees"]["outsider"].pk, "title": "x"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "You can only manage the OKRs of your own team."}
    ours = make_objective(org, cycle, owner="indirect")
    assert client.patch(f"{OBJECTIVES}{ours.pk}/", {"status": "active"}, format="json").json()["status"] == "active"


def test_an_employee_editing_a_peers_objective_gets_a_403(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    objective = make_objective(org, cycle, owner="report")
    response = api_as(org["users"]["outsider"]).patch(f"{OBJECTIVES}{objective.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 403  # they cannot even see it


def test_objectives_list_in_constant_queries(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api_as(org["users"]["manager"]).get(OBJECTIVES)
        assert response.status_code == 200
        return len(queries)

    objective = make_objective(org, cycle, owner="report")
    make_key_result(org, objective)
    few = count()
    for name in ("manager", "indirect", "report"):
        more = make_objective(org, cycle, owner=name)
        make_key_result(org, more, weight=Decimal(30))
        make_key_result(org, more, weight=Decimal(30))
    assert count() == few


# --- key results and check-ins ---


def test_a_key_result_is_created_with_its_progress_and_score(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    objective = make_objective(org, cycle, owner="report")
    response = api_as(org["users"]["employee"]).post(
        KEY_RESULTS,
        {"objective": objective.pk, "title": "Monthly churn", "metric": "cancelled / active", "unit": "%",
         "start_value": 8, "target_value": 3, "current_value": "6.5", "direction": "decrease", "weight": 40},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: v for k, v in body.items() if k not in ("id", "created_at", "updated_at")} == {
        "objective": objective.pk, "title": "Monthly churn", "metric": "cancelled / active", "unit": "%",
        "start_value": 8.0, "target_value": 3.0, "current_value": 6.5, "direction": "decrease", "weight": 40.0,
        "progress": 0.3, "score": 30.0, "source": None,
    }


def test_bad_key_results_are_a_400_naming_the_field(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    objective = make_objective(org, cycle, owner="report")
    make_key_result(org, objective, weight=Decimal(80))
    client = api_as(org["users"]["employee"])
    base = {"objective": objective.pk, "title": "t", "metric": "m", "start_value": 10, "target_value": 20,
            "weight": 20}
    below = client.post(KEY_RESULTS, {**base, "target_value": 5}, format="json")
    assert below.status_code == 400
    assert below.json()["errors"] == {
        "target_value": ["The target (5) must be above the start value (10) for a metric that should increase."]
    }
    over = client.post(KEY_RESULTS, {**base, "weight": 25}, format="json")
    assert over.status_code == 400
    assert over.json()["errors"] == {
        "weight": ["The key results of this objective would weigh 105% together; at most 100% is allowed."]
    }
    assert client.post(KEY_RESULTS, base, format="json").status_code == 201


def test_key_results_list_in_constant_queries(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle, django_assert_num_queries: Any
) -> None:
    def listed() -> dict[str, Any]:
        # a fresh login, as each request loads it: its employee record is not cached yet
        client = api_as(User.objects.get(username="manager"))
        # the manager's employee record; the count; the page
        with django_assert_num_queries(3):
            response = client.get(KEY_RESULTS)
        data: dict[str, Any] = response.json()
        return data

    make_key_result(org, make_objective(org, cycle, owner="report"))
    assert listed()["count"] == 1
    for name in ("manager", "indirect", "report", "outsider"):
        objective = make_objective(org, cycle, owner=name)
        for _ in range(3):
            make_key_result(org, objective, weight=Decimal(20))
    body = listed()
    assert set(body) == PAGE
    assert body["count"] == 10  # the outsider's three are out of the manager's reach


def test_key_results_filter_by_objective(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    first, second = make_objective(org, cycle), make_objective(org, cycle)
    kr = make_key_result(org, first)
    make_key_result(org, second)
    body = api_as(org["users"]["hr"]).get(KEY_RESULTS, {"objective": first.pk, "cycle": cycle.pk}).json()
    assert [r["id"] for r in body["results"]] == [kr.pk]


def test_check_ins_move_the_key_result(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    key_result = make_key_result(org, make_objective(org, cycle, owner="report"))
    client = api_as(org["users"]["employee"])
    url = f"{KEY_RESULTS}{key_result.pk}/check-ins/"
    first = client.post(url, {"value": 75, "comment": "Q3 survey wave 1"}, format="json")
    assert first.status_code == 201, first.json()
    assert {k: v for k, v in first.json().items() if k not in ("id", "created_at")} == {
        "key_result": key_result.pk, "value": 75.0, "comment": "Q3 survey wave 1",
        "author": org["users"]["employee"].pk, "author_name": "employee",
    }
    client.post(url, {"value": "81.5", "comment": "wave 2"}, format="json")
    listed = client.get(url).json()
    assert set(listed) == PAGE
    assert [(c["value"], c["comment"]) for c in listed["results"]] == [(81.5, "wave 2"), (75.0, "Q3 survey wave 1")]
    kr = client.get(f"{KEY_RESULTS}{key_result.pk}/").json()
    assert (kr["current_value"], kr["progress"], kr["score"]) == (81.5, 0.575, 57.5)


def test_check_ins_are_refused_outside_ones_reach(
    org: dict[str, Any], api_as: Any, cycle: PerformanceCycle
) -> None:
    key_result = make_key_result(org, make_objective(org, cycle, owner="outsider"))
    url = f"{KEY_RESULTS}{key_result.pk}/check-ins/"
    manager = api_as(org["users"]["manager"])
    assert manager.get(url).status_code == 403
    assert manager.post(url, {"value": 80}, format="json").status_code == 403
    assert api_as(org["users"]["hr"]).post(url, {"value": "abc"}, format="json").status_code == 400
    assert api_as(org["users"]["hr"]).get(f"{KEY_RESULTS}999999/check-ins/").status_code == 404
    assert KeyResult.objects.get(pk=key_result.pk).current_value == Decimal(70)


def test_a_put_keeps_the_current_value(org: dict[str, Any], api_as: Any, cycle: PerformanceCycle) -> None:
    key_result = make_key_result(org, make_objective(org, cycle, owner="report"))
    client = api_as(org["users"]["employee"])
    body = client.get(f"{KEY_RESULTS}{key_result.pk}/").json()
    body.update(title="CSAT (survey)")
    response = client.put(f"{KEY_RESULTS}{key_result.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "CSAT (survey)"
    moved = client.patch(f"{KEY_RESULTS}{key_result.pk}/", {"current_value": 99}, format="json")
    assert moved.status_code == 400
    assert moved.json()["errors"] == {
        "current_value": ["Record a check-in to change the current value, so its history is kept."]
    }


def test_the_schema_documents_the_endpoints(db: Any, client: Any) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for url in (CYCLES, OBJECTIVES, KEY_RESULTS):
        assert set(paths[url]) == {"get", "post"}
        assert set(paths[f"{url}{{id}}/"]) == {"get", "put", "patch"}
        ok = paths[url]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert set(schema["components"]["schemas"][ok.rsplit("/", 1)[1]]["properties"]) == PAGE
    check_ins = paths["/api/v1/key-results/{id}/check-ins/"]
    assert set(check_ins) == {"get", "post"}
    assert check_ins["get"]["parameters"][0]["schema"]["type"] == "integer"
    key_result = schema["components"]["schemas"]["KeyResult"]["properties"]
    assert {"objective", "title", "metric", "unit", "start_value", "target_value", "current_value", "direction",
            "weight", "progress", "score"} <= set(key_result)
    assert key_result["current_value"]["type"] == "number"
