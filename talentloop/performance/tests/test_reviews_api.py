"""/api/v1/reviews/: computed scores, refusals with messages, who may write and read, submit."""

from __future__ import annotations

from typing import Any

from talentloop.core.models import Role
from talentloop.core.testing.factories import EmployeeFactory, UserFactory
from talentloop.org.models import EmployeeEvent
from talentloop.performance.models import PerformanceCycle, Review

from ._review_support import RATINGS, full_evidence, job_model

REVIEWS = "/api/v1/reviews/"


def _body(org: dict[str, Any], cycle: PerformanceCycle, **extra: Any) -> dict[str, Any]:
    return {"employee": org["employees"]["report"].pk, "cycle": cycle.pk, "competency_scores": RATINGS, **extra}


def test_create_computes_scores_overall_and_band(org: dict[str, Any], cycle: PerformanceCycle, api_as: Any) -> None:
    full_evidence(org, cycle)
    response = api_as(org["users"]["manager"]).post(REVIEWS, _body(org, cycle, summary="Solid"), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["overall_score"], data["band"], data["meets"], data["status"], data["employee_name"]) == (
        71.7, "B", True, "draft", "李员工",
    )
    fields = ("competency", "competency_name", "manager_rating", "feedback_score", "results_score", "score")
    assert [tuple(s[f] for f in fields) for s in data["competency_scores"]] == [
        ("customer", "Customer focus", 80.0, 80.0, 65.0, 77.0),
        ("teamwork", "Teamwork", 60.0, 70.0, None, 63.8),
    ]


def test_given_scores_overall_and_band_win(org: dict[str, Any], cycle: PerformanceCycle, api_as: Any) -> None:
    job_model(org)
    client = api_as(org["users"]["hr"])
    body = _body(org, cycle, competency_scores=[{"competency": "customer", "score": 58}, {"competency": "teamwork",
                                                                                          "score": 61.5}])
    data = client.post(REVIEWS, body, format="json").json()
    # 0.6 * 58 + 0.4 * 61.5 = 34.8 + 24.6 = 59.4
    assert (data["overall_score"], data["band"], data["meets"]) == (59.4, "D", False)
    patched = client.patch(f"{REVIEWS}{data['id']}/", {"overall_score": 75}, format="json").json()
    assert (patched["overall_score"], patched["band"]) == (75.0, "B")
    patched = client.patch(f"{REVIEWS}{data['id']}/", {"band": "A"}, format="json").json()
    assert (patched["overall_score"], patched["band"]) == (75.0, "A")


def test_out_of_range_and_unknown_input_is_refused(org: dict[str, Any], cycle: PerformanceCycle, api_as: Any) -> None:
    job_model(org)
    client = api_as(org["users"]["hr"])
    cases: list[tuple[dict[str, Any], dict[str, list[str]]]] = [
        ({"competency_scores": [{"competency": "customer", "manager_rating": 101}]},
         {"competency_scores": ["The manager rating of Customer focus must be from 0 to 100; 101 is out of range."]}),
        ({"competency_scores": [{"competency": "customer", "score": -3}]},
         {"competency_scores": ["The score of Customer focus must be from 0 to 100; -3 is out of range."]}),
        ({"overall_score": 250}, {"overall_score": ["The overall score must be from 0 to 100; 250 is out of range."]}),
        ({"band": "Z"}, {"band": ["A band is one of S, A, B, C, D."]}),
    ]
    for extra, errors in cases:
        response = client.post(REVIEWS, _body(org, cycle, **extra), format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == errors
    unknown = client.post(
        REVIEWS, _body(org, cycle, competency_scores=[{"competency": "flying", "score": 50}]), format="json"
    )
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"competency_scores": ["No competency has the code “flying”."]}
    assert not Review.objects.exists()


def test_managers_review_only_their_team(org: dict[str, Any], cycle: PerformanceCycle, api_as: Any) -> None:
    job_model(org)
    rd_boss = UserFactory(username="rdboss", role=Role.HIRING_MANAGER)
    EmployeeFactory(name="研发经理", department=org["departments"]["rd"], user=rd_boss)
    response = api_as(rd_boss).post(REVIEWS, _body(org, cycle), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "You can only review the members of your own team."
    employee = api_as(org["users"]["employee"]).post(
        REVIEWS, _body(org, cycle, employee=org["employees"]["indirect"].pk), format="json"
    )
    assert employee.status_code == 403
    created = api_as(org["users"]["manager"]).post(REVIEWS, _body(org, cycle), format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api_as(rd_boss).get(f"{REVIEWS}{pk}/").status_code == 403
    assert api_as(rd_boss).patch(f"{REVIEWS}{pk}/", {"summary": "x"}, format="json").status_code == 403
    assert api_as(rd_boss).post(f"{REVIEWS}{pk}/submit/").status_code == 403
    second = api_as(org["users"]["hr"]).post(REVIEWS, _body(org, cycle), format="json")
    assert second.status_code == 409
    assert second.json()["detail"] == (
        f"李员工 already has a review in the cycle “2026 Q3” (review {pk}); change that one instead."
    )


def test_employees_read_only_their_own_submitted_reviews(
    org: dict[str, Any], cycle: PerformanceCycle, api_as: Any,
) -> None:
    job_model(org)
    manager, employee, outsider = org["users"]["manager"], org["users"]["employee"], org["users"]["outsider"]
    pk = api_as(manager).post(REVIEWS, _body(org, cycle), format="json").json()["id"]
    assert api_as(employee).get(REVIEWS).json()["count"] == 0
    assert api_as(employee).get(f"{REVIEWS}{pk}/").status_code == 403
    submitted = api_as(manager).post(f"{REVIEWS}{pk}/submit/")
    assert submitted.status_code == 200
    assert (submitted.json()["status"], submitted.json()["overall_score"]) == ("submitted", 72.0)
    assert submitted.json()["submitted_at"]
    listed = api_as(employee).get(REVIEWS).json()
    assert [r["id"] for r in listed["results"]] == [pk]
    assert api_as(employee).get(f"{REVIEWS}{pk}/").json()["band"] == "B"
    assert api_as(employee).patch(f"{REVIEWS}{pk}/", {"summary": "mine"}, format="json").status_code == 403
    assert api_as(outsider).get(f"{REVIEWS}{pk}/").status_code == 403
    assert api_as(org["users"]["recruiter"]).get(REVIEWS).status_code == 403
    again = api_as(manager).post(f"{REVIEWS}{pk}/submit/")
    assert again.status_code == 409
    assert EmployeeEvent.objects.filter(kind=EmployeeEvent.Kind.REVIEW).count() == 1


def test_submit_without_every_competency_is_refused(
    org: dict[str, Any], cycle: PerformanceCycle, api_as: Any,
) -> None:
    job_model(org)
    client = api_as(org["users"]["manager"])
    body = _body(org, cycle, competency_scores=[{"competency": "customer", "manager_rating": 70}])
    pk = client.post(REVIEWS, body, format="json").json()["id"]
    response = client.post(f"{REVIEWS}{pk}/submit/")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "competency_scores": ["Give a score for Teamwork before submitting (a manager rating is enough)."],
    }
    assert Review.objects.get(pk=pk).status == Review.Status.DRAFT


def test_list_filters_and_constant_queries(
    org: dict[str, Any], cycle: PerformanceCycle, api_as: Any, django_assert_max_num_queries: Any,
) -> None:
    job_model(org)
    client = api_as(org["users"]["hr"])
    for key in ("report", "indirect", "outsider"):
        body = _body(org, cycle, employee=org["employees"][key].pk)
        assert client.post(REVIEWS, body, format="json").status_code == 201
    client.post(f"{REVIEWS}{Review.objects.get(employee=org['employees']['report']).pk}/submit/")
    assert client.get(REVIEWS, {"status": "submitted"}).json()["count"] == 1
    assert client.get(REVIEWS, {"employee": org["employees"]["outsider"].pk}).json()["count"] == 1
    assert client.get(REVIEWS, {"cycle": cycle.pk}).json()["count"] == 3
    assert client.get(REVIEWS, {"status": "nonsense"}).status_code == 400
    with django_assert_max_num_queries(6):
        data = client.get(REVIEWS).json()
    assert data["count"] == 3
    assert {len(r["competency_scores"]) for r in data["results"]} == {2}
