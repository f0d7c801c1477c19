"""GET /api/v1/insights/metrics/: the response's shape, who may read what (HR everything; managers their own
department only; recruiters the recruiting metrics; others 403), bad filters (400 naming the parameter), the
cache, and a query count that does not grow with the data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from talentloop.insights.metric_defs import KEYS, RECRUITING_KEYS
from talentloop.insights.models import HiringCost
from talentloop.insights.tests._metrics_support import PERIOD, D, application, build_history, employee

pytestmark = pytest.mark.django_db
URL = "/api/v1/insights/metrics/"


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def client_for(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user=user)
    return client


def get(org: dict[str, Any], user: str, **params: Any) -> Any:
    return client_for(org["users"][user]).get(URL, {**PERIOD, **params})


def test_hr_gets_every_metric_with_its_definition(org: dict[str, Any]) -> None:
    build_history(org)
    response = get(org, "hr")
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": "2024-01-01", "to": "2024-12-31"}
    assert body["filters"] == {"department": None, "job": None}
    assert [m["key"] for m in body["metrics"]] == list(KEYS)
    for metric in body["metrics"]:
        assert set(metric) >= {"key", "label", "value", "unit", "definition", "n"}
    by_key = {m["key"]: m for m in body["metrics"]}
    assert by_key["time_to_hire"]["value"] == 30.0
    assert by_key["time_to_hire"]["unit"] == "days"
    assert by_key["cost_per_hire"]["value"] == 2000.0
    assert by_key["recruitment_accuracy"]["label"] == "Recruitment accuracy"
    assert by_key["funnel"]["detail"]["stages"][0] == {
        "stage": "applied", "label": "Applied", "count": 5, "conversion": None, "of_applied": 1.0,
    }
    assert by_key["source_quality"]["detail"]["sources"][0]["label"] == "Referral"


def test_chinese_labels_when_asked(org: dict[str, Any]) -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_authenticate(user=org["users"]["hr"])
    response = client.get(URL, PERIOD)
    assert response["Content-Language"] == "zh-hans"
    with translation.override("zh-hans"):
        expected = gettext("Time to hire"), gettext("Median number of days from the application to its move to "
                                                    "Hired, over the hires in the period.")
    metric = {m["key"]: m for m in response.json()["metrics"]}["time_to_hire"]
    assert (metric["label"], metric["definition"]) == expected


def test_a_manager_sees_their_own_department_by_default(org: dict[str, Any]) -> None:
    build_history(org)
    body = get(org, "manager").json()
    assert body["filters"]["department"] == org["departments"]["sales"].pk
    by_key = {m["key"]: m for m in body["metrics"]}
    assert [m["key"] for m in body["metrics"]] == list(KEYS)
    assert by_key["hiring_volume"]["value"] == 3  # sales only: A1, A3, A5
    assert by_key["probation_pass_rate"]["n"] == 5


def test_a_manager_may_not_look_at_another_department_or_its_jobs(org: dict[str, Any]) -> None:
    history = build_history(org)
    response = get(org, "manager", department=org["departments"]["rd"].pk)
    assert response.status_code == 403
    assert "own department" in response.json()["detail"]
    assert get(org, "manager", department=org["departments"]["root"].pk).status_code == 403
    assert get(org, "manager", job=history["rd_job"].pk).status_code == 403
    assert get(org, "manager", job=history["sales_job"].pk).status_code == 200


def test_a_recruiter_reads_the_recruiting_metrics_only(org: dict[str, Any]) -> None:
    build_history(org)
    body = get(org, "recruiter").json()
    assert {m["key"] for m in body["metrics"]} == RECRUITING_KEYS
    assert "recruitment_accuracy" not in {m["key"] for m in body["metrics"]}


@pytest.mark.parametrize("user", ["employee", "outsider", "candidate"])
def test_others_are_refused(org: dict[str, Any], user: str) -> None:
    assert get(org, user).status_code == 403


def test_a_manager_without_an_employee_record_is_refused(org: dict[str, Any]) -> None:
    from talentloop.core.models import Role
    from talentloop.core.testing.factories import UserFactory

    response = client_for(UserFactory(username="lone", role=Role.HIRING_MANAGER)).get(URL)
    assert response.status_code == 403


def test_anonymous_is_refused() -> None:
    assert APIClient().get(URL).status_code in (401, 403)


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"from": "2024-13-01"}, "from", "Enter a date as YYYY-MM-DD."),
    ({"to": "yesterday"}, "to", "Enter a date as YYYY-MM-DD."),
    ({"from": "2024-05-01", "to": "2024-04-01"}, "to", "The end of the period is before its start."),
    ({"from": "2000-01-01", "to": "2024-04-01"}, "from", "Choose a period of at most 120 months."),
    ({"department": "abc"}, "department", "Enter the id as a whole number."),
    ({"department": "999999"}, "department", "No such department."),
    ({"job": "-3"}, "job", "Enter the id as a whole number."),
    ({"job": "99999999999999999999999"}, "job", "Enter the id as a whole number."),
    ({"job": "424242"}, "job", "No such job."),
])
def test_bad_filters_are_a_400_naming_the_parameter(
    org: dict[str, Any], params: dict[str, str], field: str, message: str
) -> None:
    response = get(org, "hr", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {field: [message]}
    assert message in body["detail"]


def test_default_period_is_the_last_twelve_months(org: dict[str, Any]) -> None:
    from django.utils import timezone

    body = client_for(org["users"]["hr"]).get(URL).json()
    today = timezone.localdate()
    assert body["period"]["to"] == today.isoformat()
    assert body["period"]["from"].endswith("-01")
    assert len({m["month"] for m in next(m for m in body["metrics"] if m["key"] == "hiring_volume")
                ["detail"]["months"]}) == 12


def _queries(org: dict[str, Any]) -> int:
    cache.clear()
    client = client_for(org["users"]["hr"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, PERIOD).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_data(org: dict[str, Any]) -> None:
    history = build_history(org)
    few = _queries(org)
    for i in range(15):
        app = application(history["sales_job"], created=D(2024, 2, 1 + i), source="referral",
                          path=[("screening", D(2024, 2, 2 + i)), ("hired", D(2024, 3, 1 + i))])
        person = employee(org["departments"]["sales"], history["sales_job"], hired=D(2024, 3, 5 + i))
        app.employee = person
        app.save(update_fields=["employee"])
    many = _queries(org)
    assert many == few
    assert few <= 14


def test_a_second_read_comes_from_the_cache(org: dict[str, Any]) -> None:
    build_history(org)
    client = client_for(org["users"]["hr"])
    first = client.get(URL, PERIOD).json()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL, PERIOD).json()
    assert second == first
    assert len(queries) == 0
    # The cache is per filter: another department is computed afresh.
    other = client.get(URL, {**PERIOD, "department": org["departments"]["rd"].pk}).json()
    assert {m["key"]: m["value"] for m in other["metrics"]}["hiring_volume"] == 1


def test_a_new_hiring_cost_shows_at_once(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    history = build_history(org)
    client = client_for(org["users"]["hr"])
    assert {m["key"]: m["value"] for m in client.get(URL, PERIOD).json()["metrics"]}["cost_per_hire"] == 2000.0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/hiring-costs/", {
            "job": history["sales_job"].pk, "category": "agency", "amount": "4000.00", "incurred_on": "2024-05-01",
        }, format="json")
    assert response.status_code == 201
    assert HiringCost.objects.count() == 4
    assert {m["key"]: m["value"] for m in client.get(URL, PERIOD).json()["metrics"]}["cost_per_hire"] == 3000.0
