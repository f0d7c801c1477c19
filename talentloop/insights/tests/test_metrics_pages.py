"""The dashboard page (insights:home): filters, each metric with its definition beside it, SVG charts with
tables, the Excel export read back with openpyxl; HR's hiring costs page; the Insights menu link."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils.html import escape
from openpyxl import load_workbook

from talentloop.insights.metric_defs import DEFINITIONS
from talentloop.insights.models import HiringCost
from talentloop.insights.tests._metrics_support import PERIOD, build_history

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_hr_sees_every_metric_with_its_definition_and_the_charts(org: dict[str, Any]) -> None:
    build_history(org)
    response = client_for(org["users"]["hr"]).get("/insights/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    for definition in DEFINITIONS:
        assert escape(str(definition.label)) in html
        assert escape(str(definition.definition)) in html
    assert '<article class="metric" data-metric="time_to_hire">' in html
    assert "30 days" in html
    assert "¥2,000.00" in html
    assert "66.7%" in html  # recruitment accuracy 2 of 3
    assert '<svg class="insights-chart insights-funnel"' in html
    assert '<svg class="insights-chart insights-series"' in html
    assert 'data-testid="funnel-table"' in html
    assert '<tr data-stage="hired"><th scope="row">Hired</th><td class="num">3</td>' in html
    assert 'data-testid="nav-insights"' in html
    assert 'aria-current="page" data-testid="nav-insights"' in html


def test_a_manager_sees_their_department_only(org: dict[str, Any]) -> None:
    build_history(org)
    client = client_for(org["users"]["manager"])
    html = client.get("/insights/", PERIOD).content.decode()
    assert "All departments" not in html
    assert f'<option value="{org["departments"]["rd"].pk}"' not in html
    assert client.get("/insights/", {**PERIOD, "department": org["departments"]["rd"].pk}).status_code == 403


@pytest.mark.parametrize("user", ["employee", "candidate"])
def test_others_get_a_403_page(org: dict[str, Any], user: str) -> None:
    assert client_for(org["users"][user]).get("/insights/").status_code == 403


def test_a_bad_filter_shows_the_message(org: dict[str, Any]) -> None:
    response = client_for(org["users"]["hr"]).get("/insights/", {"from": "2024-05-01", "to": "2024-01-01"})
    assert response.status_code == 400
    assert "The end of the period is before its start." in response.content.decode()


def test_the_excel_export_has_the_numbers_and_a_definitions_sheet(org: dict[str, Any]) -> None:
    build_history(org)
    response = client_for(org["users"]["hr"]).get("/insights/", {**PERIOD, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="talentloop-metrics-2024-01-01-2024-12-31.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Metrics", "Funnel", "Months", "Sources", "Definitions"]
    metrics = {row[0]: row for row in book["Metrics"].iter_rows(min_row=6, values_only=True)}
    assert metrics["Time to hire"][1:4] == (30, "days", 4)
    assert metrics["Cost per hire"][1] == 2000
    assert metrics["Recruitment accuracy"][1] == pytest.approx(2 / 3)
    assert book["Metrics"]["B2"].value == "2024-01-01 – 2024-12-31"
    funnel = list(book["Funnel"].iter_rows(min_row=2, values_only=True))
    assert funnel[0] == ("Applied", 5, None, 1)
    assert funnel[1] == ("Screening", 4, 0.8, 0.8)
    definitions = {row[1]: row[3] for row in book["Definitions"].iter_rows(min_row=2, values_only=True) if row[1]}
    assert set(definitions) == {d.key for d in DEFINITIONS}
    assert definitions["retention_6m"] == str(next(d for d in DEFINITIONS if d.key == "retention_6m").definition)


def test_a_recruiter_export_leaves_out_employee_metrics(org: dict[str, Any]) -> None:
    response = client_for(org["users"]["recruiter"]).get("/insights/", {**PERIOD, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert "Sources" not in book.sheetnames
    keys = {row[1] for row in book["Definitions"].iter_rows(min_row=2, values_only=True) if row[1]}
    assert "recruitment_accuracy" not in keys
    assert "funnel" in keys


def test_hr_adds_edits_and_deletes_a_cost_on_the_page(org: dict[str, Any]) -> None:
    history = build_history(org)
    client = client_for(org["users"]["hr"])
    assert client.get("/insights/costs/").status_code == 200
    response = client.post("/insights/costs/", {"job": history["sales_job"].pk, "category": "events",
                                                "amount": "1500", "incurred_on": "2024-09-01", "note": "Job fair"})
    assert response.status_code == 302
    cost = HiringCost.objects.get(note="Job fair")
    bad = client.post("/insights/costs/", {"job": history["sales_job"].pk, "category": "events", "amount": "-1",
                                           "incurred_on": "2024-09-01"})
    assert bad.status_code == 400
    assert "The amount must be more than zero." in bad.content.decode()
    edited = client.post(f"/insights/costs/{cost.pk}/", {"job": history["rd_job"].pk, "category": "events",
                                                         "amount": "1800", "incurred_on": "2024-09-01"})
    assert edited.status_code == 302
    cost.refresh_from_db()
    assert (cost.job_id, str(cost.amount)) == (history["rd_job"].pk, "1800.00")
    assert client.post(f"/insights/costs/{cost.pk}/delete/").status_code == 302
    assert not HiringCost.objects.filter(pk=cost.pk).exists()


@pytest.mark.parametrize("user", ["manager", "recruiter", "employee"])
def test_only_hr_opens_the_costs_page(org: dict[str, Any], user: str) -> None:
    assert client_for(org["users"][user]).get("/insights/costs/").status_code == 403


def test_the_menu_link_for_managers_but_not_employees(org: dict[str, Any]) -> None:
    assert 'data-testid="nav-insights"' in client_for(org["users"]["manager"]).get("/").content.decode()
    assert 'data-testid="nav-insights"' not in client_for(org["users"]["employee"]).get("/").content.decode()


def test_the_page_in_chinese(org: dict[str, Any]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(org["users"]["hr"])
    response = client.get("/insights/", PERIOD)
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
