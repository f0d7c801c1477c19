"""The KR rule pages: HR lists, creates, edits and deletes the rules that draft key results from interview
scores; managers read them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from talentloop.performance.models import KRRule

from .test_views_okr import browser, follow_post, page

pytestmark = pytest.mark.django_db


def test_hr_lists_and_managers_read_the_rules(org: dict[str, Any]) -> None:
    html = page(browser(org["users"]["hr"]), "/performance/rules/")
    assert html.count("<tr data-rule=") == 5
    assert "Quarterly customer satisfaction score ≥ {target}" in html
    assert "score + 2, cap 100" in html
    assert "score × 1.1, cap 100" in html
    assert 'data-testid="new-rule"' in html
    manager = browser(org["users"]["manager"])
    html = page(manager, "/performance/rules/")
    assert html.count("<tr data-rule=") == 5
    assert 'data-testid="new-rule"' not in html
    assert "/edit/" not in html
    rule = KRRule.objects.first()
    assert rule is not None
    assert manager.get(f"/performance/rules/{rule.pk}/edit/").status_code == 403
    assert manager.post(f"/performance/rules/{rule.pk}/delete/").status_code == 403
    response = browser(org["users"]["employee"]).get("/performance/rules/")
    assert response.status_code == 403
    assert browser(org["users"]["hr"]).get("/performance/rules/999999/edit/").status_code == 404


def test_hr_creates_edits_and_deletes_a_rule(org: dict[str, Any]) -> None:
    client = browser(org["users"]["hr"])
    data = {"competency": "execution", "title_zh": "交付 {target}", "title_en": "Deliver {target}",
            "metric": "On-time rate", "unit": "%", "direction": "increase", "start_value": "", "formula": "ratio",
            "parameter": "0", "cap": "100", "floor": "", "weight": "10", "is_active": "on"}
    competency = re.search(r'<option value="(\d+)">Execution</option>', page(client, "/performance/rules/new/"))
    assert competency is not None
    data["competency"] = competency.group(1)
    response = client.post("/performance/rules/new/", data)
    assert response.status_code == 200
    assert "A ratio must be above 0; 1.1 makes the target 1.1 times the interview score." in response.content.decode()
    assert KRRule.objects.count() == 5
    response = client.post("/performance/rules/new/", {**data, "parameter": "1.05"})
    assert response["Location"] == "/performance/rules/"
    rule = KRRule.objects.get(title_en="Deliver {target}")
    assert (rule.formula, rule.parameter, rule.weight, rule.is_active) == ("ratio", Decimal("1.05"), Decimal(10), True)
    form = page(client, f"/performance/rules/{rule.pk}/edit/")
    assert 'value="Deliver {target}"' in form
    client.post(f"/performance/rules/{rule.pk}/edit/", {**data, "parameter": "1.2", "is_active": ""})
    rule.refresh_from_db()
    assert (rule.parameter, rule.is_active) == (Decimal("1.2"), False)
    html = follow_post(client, f"/performance/rules/{rule.pk}/delete/", {})
    assert "Rule “Deliver {target}” deleted; key results drafted with it keep their source." in html
    assert not KRRule.objects.filter(pk=rule.pk).exists()

