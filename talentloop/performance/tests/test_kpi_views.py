"""The KPI pages: the library for HR (others read it), a cycle's targets per employee with scores, one
employee's page where HR or their manager adds targets and enters actuals; refusals shown on the page with the
service's message, 403 for people out of reach, a constant query count on the cycle page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentloop.core.models import User
from talentloop.core.testing.factories import EmployeeFactory
from talentloop.org.models import Employee
from talentloop.performance.models import Kpi, KpiTarget, PerformanceCycle

from .test_kpi_services import make_kpi, make_target

pytestmark = pytest.mark.django_db
D = Decimal


def browser(user: User, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def kpi_form(**changes: Any) -> dict[str, Any]:
    data = {
        "code": "csat", "name": "客户满意度", "name_en": "Customer satisfaction", "unit": "points",
        "direction": "increase", "floor_value": "60", "threshold_value": "80", "target_value": "90", "formula": "",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_hr_creates_and_edits_a_kpi(org: dict[str, Any]) -> None:
    client = browser(org["users"]["hr"])
    assert "New KPI" in page(client, reverse("performance:kpi_list"))
    response = client.post(reverse("performance:kpi_create"), kpi_form(), follow=True)
    assert "KPI csat created." in response.content.decode()
    kpi = Kpi.objects.get(code="csat")
    assert (kpi.target_value, kpi.is_active) == (D(90), True)
    edit = reverse("performance:kpi_edit", args=[kpi.pk])
    assert 'value="Customer satisfaction"' in page(client, edit)
    client.post(edit, kpi_form(target_value="95", is_active=""))
    kpi.refresh_from_db()
    assert (kpi.target_value, kpi.is_active) == (D(95), False)


def test_a_bad_scale_is_shown_on_the_form(org: dict[str, Any]) -> None:
    client = browser(org["users"]["hr"])
    response = client.post(reverse("performance:kpi_create"), kpi_form(threshold_value="95"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "For a KPI that should increase, the target (90) must be above the threshold (95)." in html
    assert not Kpi.objects.exists()


def test_the_library_is_read_only_for_managers_and_employees(org: dict[str, Any]) -> None:
    make_kpi(org)
    for who in ("manager", "employee"):
        client = browser(org["users"][who])
        html = page(client, reverse("performance:kpi_list"))
        assert "Customer satisfaction" in html
        assert "New KPI" not in html
        assert client.get(reverse("performance:kpi_create")).status_code == 403
    assert browser(org["users"]["recruiter"]).get(reverse("performance:kpi_list")).status_code == 403


def test_the_library_page_is_in_chinese_for_chinese_users(org: dict[str, Any]) -> None:
    make_kpi(org)
    html = page(browser(org["users"]["hr"], "zh-hans"), reverse("performance:kpi_list"))
    assert "客户满意度" in html


def test_the_cycle_page_shows_scores_for_the_managers_team(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    csat, other = make_kpi(org), make_kpi(org, code="other")
    make_target(org, cycle, csat, weight=D(60), actual_value=D(85))  # 80
    make_target(org, cycle, other, weight=D(40), actual_value=D(70))  # 30 -> (60*80 + 40*30)/100 = 60
    make_target(org, cycle, csat, who="outsider")
    html = page(browser(org["users"]["manager"]), reverse("performance:kpi_cycle", args=[cycle.pk]))
    assert all(name in html for name in ("李员工", "赵实习", "王经理"))
    assert "陈研发" not in html
    assert ">60</span>" in html
    assert "100%" in html
    mine = page(browser(org["users"]["employee"]), reverse("performance:kpi_cycle", args=[cycle.pk]))
    assert "李员工" in mine
    assert "赵实习" not in mine


def test_a_manager_adds_a_target_and_enters_actuals(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    kpi = make_kpi(org)
    client = browser(org["users"]["manager"])
    url = reverse("performance:kpi_employee", args=[cycle.pk, org["employees"]["report"].pk])
    assert 'data-testid="add-kpi-form"' in page(client, url)
    response = client.post(url, {"form": "add", "kpi": kpi.pk, "target_value": "", "weight": "100"}, follow=True)
    assert "KPI csat added." in response.content.decode()
    target = KpiTarget.objects.get()
    assert (target.target_value, target.weight) == (D(90), D(100))
    response = client.post(url, {"form": "actuals", f"actual_{target.pk}": "85"}, follow=True)
    html = response.content.decode()
    assert "Actuals saved." in html
    target.refresh_from_db()
    assert target.actual_value == D(85)
    assert ">80</span>" in html  # 60 + 40 * (85 - 80) / (90 - 80)


def test_refusals_are_shown_on_the_employee_page(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_target(org, cycle, make_kpi(org, code="a"), weight=D(90))
    b = make_kpi(org, code="b")
    client = browser(org["users"]["hr"])
    url = reverse("performance:kpi_employee", args=[cycle.pk, org["employees"]["report"].pk])
    response = client.post(url, {"form": "add", "kpi": b.pk, "weight": "20"})
    assert response.status_code == 400
    assert "would weigh 110% together; at most 100% is allowed." in response.content.decode()
    assert KpiTarget.objects.count() == 1


def test_employees_read_their_page_without_forms_and_cannot_post(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    target = make_target(org, cycle, make_kpi(org), actual_value=D(90))
    client = browser(org["users"]["employee"])
    url = reverse("performance:kpi_employee", args=[cycle.pk, org["employees"]["report"].pk])
    html = page(client, url)
    assert "add-kpi-form" not in html
    assert "save-actuals" not in html
    assert ">100</span>" in html
    refused = client.post(url, {"form": "actuals", f"actual_{target.pk}": "10"})
    assert refused.status_code == 403
    assert "you can read your own" in refused.content.decode()
    assert client.get(reverse("performance:kpi_target_edit", args=[target.pk])).status_code == 403
    other = reverse("performance:kpi_employee", args=[cycle.pk, org["employees"]["outsider"].pk])
    assert client.get(other).status_code == 403


def test_a_manager_cannot_open_another_teams_page(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    client = browser(org["users"]["manager"])
    url = reverse("performance:kpi_employee", args=[cycle.pk, org["employees"]["outsider"].pk])
    assert client.get(url).status_code == 403


def test_editing_and_removing_a_target(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    target = make_target(org, cycle, make_kpi(org))
    client = browser(org["users"]["manager"])
    edit = reverse("performance:kpi_target_edit", args=[target.pk])
    assert 'data-testid="kpi-target-form"' in page(client, edit)
    bad = client.post(edit, {"target_value": "70", "weight": "40", "actual_value": "", "comment": ""})
    assert "must be above the threshold (80)" in bad.content.decode()
    client.post(edit, {"target_value": "95", "weight": "50", "actual_value": "90", "comment": "ok"})
    target.refresh_from_db()
    assert (target.target_value, target.weight, target.actual_value, target.comment) == (D(95), D(50), D(90), "ok")
    client.post(reverse("performance:kpi_target_delete", args=[target.pk]))
    assert not KpiTarget.objects.exists()


def test_the_cycle_page_runs_a_constant_number_of_queries(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    kpis = [make_kpi(org, code=f"k{i}") for i in range(3)]
    make_target(org, cycle, kpis[0], actual_value=D(85))
    client = browser(org["users"]["hr"])
    url = reverse("performance:kpi_cycle", args=[cycle.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            page(client, url)
        return len(ctx.captured_queries)

    before = count()
    for i in range(5):
        extra = cast(Employee, EmployeeFactory(department=org["departments"]["sales"]))
        cycle.employees.add(extra)
        for kpi in kpis:
            KpiTarget.objects.create(cycle=cycle, employee=extra, kpi=kpi, target_value=D(90), weight=D(30),
                                     actual_value=D(80 + i))
    assert count() == before
