"""GET /api/v1/insights/forecast/ and /insights/forecast/: the history read from the employee records, the
forecast on a synthetic department with a known trend, the fallback, permissions and bad input."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from talentloop.core.testing.factories import DepartmentFactory, EmployeeFactory
from talentloop.org.models import Department, Employee

URL = "/api/v1/insights/forecast/"
PAGE = "/insights/forecast/"
TODAY = dt.date(2025, 5, 15)  # 2025Q2 in progress: the history ends with 2025Q1


@pytest.fixture(autouse=True)
def _today() -> Any:
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


@pytest.fixture
def hr(org: dict[str, Any]) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(org["users"]["hr"])
    return client


def _quarter_start(year: int, q: int) -> dt.date:
    return dt.date(year, 3 * (q - 1) + 1, 1)


def growing_department(parent: Department | None = None) -> Department:
    """10 people hired in 2022Q1, then 3 hires and 1 leaver every quarter to 2025Q1 (13 quarters):
    headcount at the end of quarter k (2022Q1 = 0) is 10 + 2k, so the trend is exactly +2 a quarter."""
    department = cast(Department, DepartmentFactory(code="GROW", name="增长部", name_en="Growth", parent=parent))
    team = DepartmentFactory(code="GROW-A", name="增长一组", name_en="Growth A", parent=department)
    for _ in range(10):
        EmployeeFactory(department=department, hire_date=dt.date(2022, 1, 10))
    quarter = (2022, 2)
    while quarter <= (2025, 1):
        start = _quarter_start(*quarter)
        for i in range(3):
            EmployeeFactory(department=team if i == 0 else department, hire_date=start + dt.timedelta(days=5 + i))
        leaver = Employee.objects.filter(department=department, left_on__isnull=True).order_by("pk").first()
        assert leaver is not None
        leaver.status, leaver.left_on = Employee.Status.TERMINATED, start + dt.timedelta(days=40)
        leaver.save()
        quarter = (quarter[0] + 1, 1) if quarter[1] == 4 else (quarter[0], quarter[1] + 1)
    # Hired after the history ends (the quarter in progress): not in the history.
    EmployeeFactory(department=department, hire_date=dt.date(2025, 4, 20))
    return department


def test_known_trend_is_forecast_with_holt(hr: APIClient, org: dict[str, Any]) -> None:
    department = growing_department(org["departments"]["root"])
    body = hr.get(URL, {"department": department.pk, "quarters": 3}).json()
    history = body["history"]
    assert len(history) == 13
    assert history[0]["quarter"] == "2022Q1"
    assert history[-1]["quarter"] == "2025Q1"
    assert [h["headcount"] for h in history] == [10 + 2 * k for k in range(13)]
    assert history[1] == {"quarter": "2022Q2", "start": 10, "hires": 3, "leavers": 1, "headcount": 12}
    assert body["as_of"] == "2025-03-31"
    assert body["method"] == "holt_linear"
    assert body["method_label"].startswith("Holt's linear trend")
    assert body["parameters"]["trend"] == pytest.approx(2.0)
    assert body["parameters"]["sigma"] == pytest.approx(0.0)
    assert [q["quarter"] for q in body["forecast"]] == ["2025Q2", "2025Q3", "2025Q4"]
    assert [q["headcount"] for q in body["forecast"]] == pytest.approx([36, 38, 40])
    # Attrition: 12 leavers over the sum of average headcounts (5 + 11 + 13 + ... + 33).
    exposure = 5 + sum((10 + 2 * (k - 1) + 10 + 2 * k) / 2 for k in range(1, 13))
    assert body["attrition_rate"] == pytest.approx(12 / exposure, abs=1e-4)
    first = body["forecast"][0]
    rate = 12 / exposure
    assert first["start_headcount"] == 34
    assert first["expected_leavers"] == pytest.approx(34 * rate, abs=0.01)
    assert first["hiring_need"] == pytest.approx(36 - (34 - 34 * rate), abs=0.01)
    assert first["headcount_95"] == pytest.approx([36, 36])
    assert set(body["definitions"]) >= {"headcount", "method", "bands", "attrition_rate", "hiring_need"}


def test_short_history_uses_mean_growth(hr: APIClient, org: dict[str, Any]) -> None:
    department = cast(Department, DepartmentFactory(code="NEW", name="新部门"))
    days = (dt.date(2024, 8, 1), dt.date(2024, 8, 2), dt.date(2024, 11, 1), dt.date(2025, 2, 1), dt.date(2025, 2, 2))
    for day in days:
        EmployeeFactory(department=department, hire_date=day)
    body = hr.get(URL, {"department": department.pk}).json()
    assert [h["headcount"] for h in body["history"]] == [2, 3, 5]
    assert body["method"] == "mean_growth"
    assert body["parameters"]["drift"] == 1.5
    assert body["parameters"]["sigma"] == pytest.approx(0.707107)  # std of the changes 1, 2 (ddof 1)
    assert [q["headcount"] for q in body["forecast"]] == [6.5, 8, 9.5, 11]  # default: 4 quarters
    low, high = body["forecast"][0]["headcount_80"]
    assert low == pytest.approx(6.5 - 1.2816 * 0.7071, abs=0.01)
    assert high == pytest.approx(6.5 + 1.2816 * 0.7071, abs=0.01)


def test_empty_department(hr: APIClient) -> None:
    department = cast(Department, DepartmentFactory(code="EMPTY", name="空"))
    body = hr.get(URL, {"department": department.pk, "quarters": 2}).json()
    assert [h["headcount"] for h in body["history"]] == [0]
    assert [q["headcount"] for q in body["forecast"]] == [0, 0]
    assert body["attrition_rate"] is None


@pytest.mark.parametrize(("params", "field", "text"), [
    ({}, "department", "Choose a department."),
    ({"department": "999999"}, "department", "There is no department with the id “999999”."),
    ({"department": "x"}, "department", "There is no department with the id “x”."),
    ({"department": "ROOT", "quarters": "1"}, "quarters", "The forecast covers 2 to 4 quarters."),
    ({"department": "ROOT", "quarters": "5"}, "quarters", "The forecast covers 2 to 4 quarters."),
    ({"department": "ROOT", "quarters": "two"}, "quarters", "The forecast covers 2 to 4 quarters."),
])
def test_bad_input(hr: APIClient, org: dict[str, Any], params: dict[str, str], field: str, text: str) -> None:
    params = {k: (str(org["departments"]["root"].pk) if v == "ROOT" else v) for k, v in params.items()}
    response = hr.get(URL, params)
    assert response.status_code == 400
    assert response.json()["detail"] == text
    assert field in response.json()["errors"]


@pytest.mark.parametrize("who", ["recruiter", "manager", "employee", "candidate"])
def test_only_hr(org: dict[str, Any], who: str) -> None:
    client = APIClient()
    client.force_authenticate(org["users"][who])
    assert client.get(URL, {"department": org["departments"]["sales"].pk}).status_code == 403


def test_queries_do_not_grow_with_the_employees(hr: APIClient, org: dict[str, Any]) -> None:
    department = org["departments"]["rd"]
    with CaptureQueriesContext(connection) as small:
        hr.get(URL, {"department": department.pk})
    for i in range(30):
        EmployeeFactory(department=department, hire_date=dt.date(2023, 1, 1) + dt.timedelta(days=20 * i))
    with CaptureQueriesContext(connection) as large:
        hr.get(URL, {"department": department.pk})
    assert len(large) == len(small) <= 6


def _page(org: dict[str, Any], **params: Any) -> Any:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(org["users"]["hr"])
    return client.get(PAGE, params)


def test_page_chart_with_bands_table_and_method(org: dict[str, Any]) -> None:
    rng_department = growing_department()
    # Some noise so that the bands have a width: one extra leaver in 2024Q3.
    person = Employee.objects.filter(department=rng_department, left_on__isnull=True).order_by("pk").first()
    assert person is not None
    person.status, person.left_on = Employee.Status.TERMINATED, dt.date(2024, 8, 1)
    person.save()
    response = _page(org, department=rng_department.pk, quarters=2)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    assert 'class="b95"' in html
    assert 'class="b80"' in html
    assert "stroke-dasharray" in html
    assert "Holt&#x27;s linear trend" in html or "Holt's linear trend" in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "alpha =" in text
    assert "beta =" in text
    assert "2025Q2 (in progress)" in text
    assert "2025Q3" in text
    assert "2025Q4" not in text
    assert "square root of the number of quarters ahead" in text  # the bands' definition
    assert "Hiring need: forecast headcount" in text
    assert 'data-testid="forecast-history"' in html


def test_page_bad_quarters_is_400(org: dict[str, Any]) -> None:
    response = _page(org, department=org["departments"]["root"].pk, quarters=9)
    assert response.status_code == 400
    assert "The forecast covers 2 to 4 quarters." in response.content.decode()


def test_page_defaults_to_the_first_department(org: dict[str, Any]) -> None:
    response = _page(org)
    assert response.status_code == 200
    assert "<svg" in response.content.decode()
