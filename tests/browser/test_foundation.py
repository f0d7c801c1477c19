"""HR logs in, creates a job with a competency model, and opens an employee profile, on a phone-sized and a
desktop-sized window, in Chinese and in English."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from talentloop.org.models import Competency, Job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"  # the factories' password


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")


def test_hr_creates_a_job_with_a_competency_model(
    live_server: Any, org: dict[str, Any], page_factory: Any, viewport: tuple[str, dict[str, int]],
    screenshot_dir: Path,
) -> None:
    name, size = viewport
    page = page_factory(size, locale="zh-CN")
    base = live_server.url
    login(page, base, "hr")
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    codes = ["customer_orientation", "communication", "problem_solving"]
    ids = {c.code: c.pk for c in Competency.objects.filter(code__in=codes)}
    page.goto(f"{base}/org/jobs/new/")
    page.fill("#id_title", f"销售经理-{name}")
    page.select_option("#id_department", str(org["departments"]["sales"].pk))
    page.fill("#id_headcount", "2")
    for row, (code, weight, required) in enumerate(zip(codes, ["40", "30", "30"], ["80", "75", "70"], strict=True)):
        if row >= page.locator("[data-testid=model-row]").count():
            page.click("[data-testid=add-competency]")
        page.select_option(f"#id_model-{row}-competency", str(ids[code]))
        page.fill(f"#id_model-{row}-weight", weight)
        page.fill(f"#id_model-{row}-required_score", required)
    total = page.locator("[data-testid=weight-total]")
    assert total.get_attribute("data-valid") == "true"
    assert "100" in total.inner_text()
    page.screenshot(path=str(screenshot_dir / f"job-form-{name}.png"))
    page.click("[data-testid=save-job]")
    page.wait_for_url(re.compile(r".*/org/jobs/\d+/$"))

    job = Job.objects.get(title=f"销售经理-{name}")
    assert [(line.competency.code, line.weight, line.required_score) for line in job.competency_model.all()] == [
        ("customer_orientation", Decimal("0.400"), 80),
        ("communication", Decimal("0.300"), 75),
        ("problem_solving", Decimal("0.300"), 70),
    ]
    body = page.locator("main").inner_text()
    assert "客户导向" in body
    assert "40%" in body
    page.screenshot(path=str(screenshot_dir / f"job-detail-{name}.png"), full_page=True)


def test_weights_that_do_not_add_up_are_refused_in_the_browser(
    live_server: Any, org: dict[str, Any], page_factory: Any, screenshot_dir: Path
) -> None:
    page = page_factory({"width": 1366, "height": 900}, locale="en-US")
    base = live_server.url
    login(page, base, "hr")
    before = Job.objects.count()
    communication = Competency.objects.get(code="communication")
    page.goto(f"{base}/org/jobs/new/")
    page.fill("#id_title", "Account manager")
    page.select_option("#id_department", str(org["departments"]["sales"].pk))
    page.select_option("#id_model-0-competency", str(communication.pk))
    page.fill("#id_model-0-weight", "90")
    page.fill("#id_model-0-required_score", "70")
    assert page.locator("[data-testid=weight-total]").get_attribute("data-valid") == "false"
    page.click("[data-testid=save-job]")
    errors = page.locator("[data-testid=model-errors]")
    assert errors.inner_text().strip() == "The weights must add up to 100%; they add up to 90.0%."
    assert Job.objects.count() == before


def test_hr_views_an_employee_profile(
    live_server: Any, org: dict[str, Any], page_factory: Any, viewport: tuple[str, dict[str, int]],
    screenshot_dir: Path,
) -> None:
    name, size = viewport
    locale = "zh-CN" if name == "phone" else "en-US"
    page = page_factory(size, locale=locale)
    base = live_server.url
    login(page, base, "hr")
    page.goto(f"{base}/org/employees/")
    page.click("text=李员工")
    employee = org["employees"]["report"]
    page.wait_for_url(f"{base}/org/employees/{employee.pk}/")
    body = page.locator("main").inner_text()
    assert employee.employee_no in body
    assert employee.masked_id_number in body
    assert employee.id_number not in page.content()
    assert "王经理" in body  # the manager
    # On a phone the page must not scroll sideways: everything fits the viewport width.
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= size["width"]
    page.screenshot(path=str(screenshot_dir / f"employee-profile-{name}.png"), full_page=True)
    if name == "phone":
        # The menu is folded behind its button on a phone and opens on a tap.
        assert not page.locator("nav a[href='/org/jobs/']").first.is_visible()
        page.click("label.nav-toggle-label")
        assert page.locator("nav a[href='/org/jobs/']").first.is_visible()
