"""The cycle, OKR and KR-rule pages: what each role sees, forms writing through the services, refusals shown on
the page with the service's message, 403/404 for others, and a constant query count on the cycle page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from talentloop.core.models import AuditEntry, User
from talentloop.performance import drafting, services
from talentloop.performance.models import CheckIn, KeyResult, Objective, PerformanceCycle, PhaseDeadline

from ._support import make_hire_report, make_key_result, make_objective

pytestmark = pytest.mark.django_db


def browser(user: User, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def follow_post(client: Client, url: str, data: dict[str, Any]) -> str:
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def cycle_data(org: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "2026 H2", "kind": "half_year", "method": "okr", "start": "2026-07-01", "end": "2026-12-31",
        "weight_manager": "50", "weight_feedback": "30", "weight_results": "20",
        "departments": [org["departments"]["sales"].pk], "employees": [org["employees"]["outsider"].pk],
    }
    data.update(changes)
    return data


def kr_data(**changes: Any) -> dict[str, Any]:
    data = {"title": "Close deals", "metric": "Signed contracts", "unit": "deals", "direction": "increase",
            "start_value": "0", "target_value": "10", "weight": "40", "current_value": ""}
    data.update(changes)
    return data


# --- navigation and the home page ---


NAV_LINK = '<li><a href="/performance/" aria-current="page">Performance</a></li>'


@pytest.mark.parametrize("who", ["hr", "manager", "employee"])
def test_the_menu_links_to_performance_for_hr_managers_and_employees(org: dict[str, Any], who: str) -> None:
    assert NAV_LINK in page(browser(org["users"][who]), "/performance/")
    assert '<a href="/performance/">Performance</a>' in page(browser(org["users"][who]), "/")


@pytest.mark.parametrize("who", ["recruiter", "candidate"])
def test_recruiters_and_candidates_have_no_performance_pages(
    org: dict[str, Any], cycle: PerformanceCycle, who: str
) -> None:
    client = browser(org["users"][who])
    home = client.get("/")
    assert 'href="/performance/"' not in home.content.decode()
    objective = make_objective(org, cycle)
    for url in ("/performance/", "/performance/cycles/", f"/performance/cycles/{cycle.pk}/", "/performance/rules/",
                f"/performance/objectives/{objective.pk}/", "/performance/drafts/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You do not have permission to do this." in response.content.decode()
    assert Client().get("/performance/").status_code == 302


def test_hr_home_lists_every_cycle_and_offers_a_new_one(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    html = page(browser(org["users"]["hr"]), "/performance/")
    assert '<a class="btn btn-primary" href="/performance/cycles/new/" data-testid="new-cycle">New cycle</a>' in html
    assert (f'<td><a href="/performance/cycles/{cycle.pk}/">2026 Q3</a></td>') in html
    assert '<td class="num">4</td>' in html
    assert '<span class="stat-value">0</span><span class="stat-label">Drafted OKRs awaiting approval</span>' in html
    assert 'data-testid="team-objectives"' not in html


def test_an_employee_sees_their_cycles_and_objectives_with_scores(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = make_objective(org, cycle, title="Grow key accounts")
    make_key_result(org, objective, current_value=Decimal(80))  # 70 → 90, now 80: score 50
    make_objective(org, cycle, owner="outsider", title="Ship the API")
    html = page(browser(org["users"]["employee"]), "/performance/")
    assert f'<td><a href="/performance/objectives/{objective.pk}/">Grow key accounts</a></td>' in html
    assert '<span class="bar-fill" style="width: 50.0%"></span></span><span class="okr-score"' in html
    assert ">50</span>" in html
    assert "Ship the API" not in html
    assert "New cycle" not in html
    assert 'data-testid="team-objectives"' not in html
    assert 'data-testid="draft-count"' not in html


def test_a_manager_sees_their_team_objectives(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_objective(org, cycle, owner="indirect", title="Learn the product")
    make_objective(org, cycle, owner="outsider", title="Ship the API")
    html = page(browser(org["users"]["manager"]), "/performance/")
    team = html.split('data-testid="team-objectives"')[1]
    assert "<td>赵实习</td>" in team
    assert "Learn the product" in team
    assert "Ship the API" not in html


def test_a_chinese_home_page_renders(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    html = page(browser(org["users"]["hr"], "zh-hans"), "/performance/")
    assert '<html lang="zh-hans">' in html
    assert "2026 Q3" in html


# --- cycles ---


def test_cycle_list_filters_by_phase(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    services.cycle_create(actor=org["users"]["hr"], name="2025 annual", start=dt.date(2025, 1, 1),
                          end=dt.date(2025, 12, 31), kind="annual", phase="closed")
    client = browser(org["users"]["hr"])
    html = page(client, "/performance/cycles/")
    assert html.count("<tr data-cycle=") == 2
    closed = page(client, "/performance/cycles/?phase=closed")
    assert closed.count("<tr data-cycle=") == 1
    assert ">2025 annual</a>" in closed
    assert '<option value="closed" selected>Closed</option>' in closed


def test_creating_a_cycle_picks_participants_by_department(org: dict[str, Any]) -> None:
    client = browser(org["users"]["hr"])
    form = page(client, "/performance/cycles/new/")
    assert 'name="weight_manager" value="50"' in form
    assert '<details data-department="SALES">' in form
    assert f'<input type="checkbox" name="departments" value="{org["departments"]["sales"].pk}">' in form
    response = client.post("/performance/cycles/new/", cycle_data(org, enrol_new_hires="on", weight_manager="60",
                                                                  weight_feedback="20"))
    assert response.status_code == 302
    cycle = PerformanceCycle.objects.get(name="2026 H2")
    assert response["Location"] == f"/performance/cycles/{cycle.pk}/"
    employees = org["employees"]
    assert set(cycle.employees.all()) == {employees["manager"], employees["report"], employees["indirect"],
                                          employees["outsider"]}
    assert (cycle.kind, cycle.weight_manager, cycle.weight_feedback, cycle.weight_results, cycle.enrol_new_hires) == (
        "half_year", Decimal(60), Decimal(20), Decimal(20), True)
    assert AuditEntry.objects.filter(object_type="performance.performancecycle", action="create").count() == 1
    html = page(client, f"/performance/cycles/{cycle.pk}/")
    assert "Cycle “2026 H2” created." in html
    assert "manager 60% · 360° 20% · results 20%" in html
    assert "join this cycle when hired" in html


def test_cycle_refusals_are_shown_on_the_form_and_nothing_is_saved(org: dict[str, Any]) -> None:
    response = browser(org["users"]["hr"]).post("/performance/cycles/new/", cycle_data(
        org, end="2026-06-01", weight_manager="70", departments=[], employees=[org["employees"]["report"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "A performance cycle must end after it starts." in html
    assert PerformanceCycle.objects.count() == 0
    # The ticked person stays ticked, so nothing has to be picked again.
    assert f'name="employees" value="{org["employees"]["report"].pk}" checked>' in html
    response = browser(org["users"]["hr"]).post("/performance/cycles/new/", cycle_data(org, weight_manager="70"))
    assert ("The manager rating, 360° feedback and results weights add up to 120%; they must add up to 100%."
            in response.content.decode())
    assert PerformanceCycle.objects.count() == 0


def test_editing_a_cycle_keeps_and_replaces_participants(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    client = browser(org["users"]["hr"])
    html = page(client, f"/performance/cycles/{cycle.pk}/edit/")
    assert 'value="2026 Q3"' in html
    assert html.count('name="employees" value=') == 4
    assert html.count("checked>") == 4
    response = client.post(f"/performance/cycles/{cycle.pk}/edit/", cycle_data(
        org, name="2026 Q3 (sales)", start="2026-07-01", end="2026-09-30", kind="quarterly", employees=[]))
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.name == "2026 Q3 (sales)"
    assert cycle.employees.count() == 3


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_only_hr_creates_and_edits_cycles(org: dict[str, Any], cycle: PerformanceCycle, who: str) -> None:
    client = browser(org["users"][who])
    assert client.get("/performance/cycles/new/").status_code == 403
    assert client.post("/performance/cycles/new/", cycle_data(org)).status_code == 403
    assert client.get(f"/performance/cycles/{cycle.pk}/edit/").status_code == 403
    assert client.post(f"/performance/cycles/{cycle.pk}/phase/", {"phase": "closed"}).status_code == 403
    assert client.post(f"/performance/cycles/{cycle.pk}/draft-okrs/").status_code == 403
    assert PerformanceCycle.objects.get().phase == "goal_setting"


def _tree_cycle(org: dict[str, Any], cycle: PerformanceCycle, personal: int) -> None:
    company = make_objective(org, cycle, owner=None, level="company", title="Win the east region")
    make_key_result(org, company, current_value=Decimal(75))
    sales = make_objective(org, cycle, owner=None, level="department", title="Sales doubles",
                           department=org["departments"]["sales"], parent=company)
    for n in range(personal):
        objective = make_objective(org, cycle, title=f"Personal {n}", parent=sales,
                                   owner=["report", "indirect", "manager"][n % 3])
        make_key_result(org, objective, current_value=Decimal(90))


def test_cycle_detail_shows_the_objective_tree_with_scores_and_phases(
    org: dict[str, Any], cycle: PerformanceCycle
) -> None:
    _tree_cycle(org, cycle, personal=2)
    PhaseDeadline.objects.create(cycle=cycle, phase="goal_setting", due=dt.date(2026, 7, 15))
    html = page(browser(org["users"]["hr"]), f"/performance/cycles/{cycle.pk}/")
    tree = html.split('data-testid="objective-tree"')[1]
    titles = re.findall(r'class="tree-name" href="/performance/objectives/\d+/">([^<]+)</a>', tree)
    assert titles == ["Win the east region", "Sales doubles", "Personal 0", "Personal 1"]
    # Nesting: the department objective inside the company one, the personal ones inside it.
    assert re.search(r"Win the east region</a>.*?<ul>\s*<li data-objective=\"\d+\">.*?Sales doubles</a>.*?<ul>",
                     tree, re.S)
    assert tree.count("<ul>") == 2
    assert '<span class="okr-score" title="Score (0–100)">25</span>' in tree  # 70 → 90 at 75
    assert tree.count('<span class="okr-score" title="Score (0–100)">100</span>') == 2
    assert '<span class="muted">Sales</span>' in tree
    assert ('<li data-phase="goal_setting" aria-current="step">Goal setting<span class="muted">due 2026-07-15</span>'
            "</li>") in html
    assert 'data-testid="phase-form"' in html
    assert 'name="due-goal_setting" value="2026-07-15"' in html
    assert 'data-testid="draft-okrs"' in html
    assert "4 objectives" in html


def test_cycle_detail_for_an_employee_shows_only_what_they_may_see(
    org: dict[str, Any], cycle: PerformanceCycle
) -> None:
    _tree_cycle(org, cycle, personal=3)
    html = page(browser(org["users"]["employee"]), f"/performance/cycles/{cycle.pk}/")
    titles = re.findall(r'class="tree-name" href="/performance/objectives/\d+/">([^<]+)</a>', html)
    assert titles == ["Win the east region", "Sales doubles", "Personal 0"]
    assert 'data-testid="phase-form"' not in html
    assert 'data-testid="draft-okrs"' not in html
    assert 'data-testid="edit-cycle"' not in html
    assert 'data-testid="new-objective"' in html


def test_cycle_detail_runs_a_constant_number_of_queries(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    client = browser(org["users"]["manager"])
    _tree_cycle(org, cycle, personal=3)
    with CaptureQueriesContext(connection) as small:
        page(client, f"/performance/cycles/{cycle.pk}/")
    _tree_cycle(org, cycle, personal=30)
    with CaptureQueriesContext(connection) as large:
        html = page(client, f"/performance/cycles/{cycle.pk}/")
    assert "37 objectives" in html
    assert len(large.captured_queries) == len(small.captured_queries) == 9


def test_cycle_pages_answer_403_and_404(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    other = services.cycle_create(actor=org["users"]["hr"], name="R&D only", start=dt.date(2026, 7, 1),
                                  end=dt.date(2026, 9, 30), employees=[org["employees"]["outsider"].pk])
    response = browser(org["users"]["employee"]).get(f"/performance/cycles/{other.pk}/")
    assert response.status_code == 403
    assert "You do not have permission to see this performance cycle." in response.content.decode()
    response = browser(org["users"]["hr"]).get("/performance/cycles/999999/")
    assert response.status_code == 404
    assert "No such performance cycle." in response.content.decode()


# --- the phase, deadline and drafting buttons ---


def test_hr_moves_the_cycle_to_another_phase(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    client = browser(org["users"]["hr"])
    html = follow_post(client, f"/performance/cycles/{cycle.pk}/phase/", {"phase": "self_review"})
    assert "The cycle is now in the phase “Self review”." in html
    assert '<li data-phase="self_review" aria-current="step">Self review</li>' in html
    html = follow_post(client, f"/performance/cycles/{cycle.pk}/phase/", {"phase": "done"})
    assert "“done” is not a phase; use one of:" in html
    cycle.refresh_from_db()
    assert cycle.phase == "self_review"


def test_hr_sets_deadlines_and_sees_refusals(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    client = browser(org["users"]["hr"])
    html = follow_post(client, f"/performance/cycles/{cycle.pk}/deadlines/", {
        "due-goal_setting": "2026-07-20", "due-self_review": "2026-07-10"})
    assert ("The deadline of Self review (2026-07-10) is before the deadline of Goal setting (2026-07-20); "
            "phases follow one another.") in html
    assert PhaseDeadline.objects.count() == 0
    html = follow_post(client, f"/performance/cycles/{cycle.pk}/deadlines/", {
        "due-goal_setting": "2026-07-20", "due-self_review": "2026-08-10"})
    assert "Deadlines saved." in html
    assert dict(PhaseDeadline.objects.values_list("phase", "due")) == {
        "goal_setting": dt.date(2026, 7, 20), "self_review": dt.date(2026, 8, 10)}
    assert "Self review<span class=\"muted\">due 2026-08-10</span>" in html
    html = follow_post(client, f"/performance/cycles/{cycle.pk}/deadlines/", {"due-goal_setting": "July"})
    assert "Goal setting: Enter a valid date." in html


def test_hr_drafts_the_cycle_okrs_from_interviews(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    html = follow_post(browser(org["users"]["hr"]), f"/performance/cycles/{cycle.pk}/draft-okrs/", {})
    assert ("OKRs drafted from the interview for 1 participant; they wait for their manager&#x27;s approval."
            in html)
    assert "3 participants skipped: " in html
    kr = KeyResult.objects.get()
    assert (kr.objective.owner_employee, kr.target_value, kr.objective.status) == (
        org["employees"]["report"], Decimal(92), "draft")


# --- objectives ---


def test_a_manager_creates_an_objective_for_their_team(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    client = browser(org["users"]["manager"])
    form = page(client, f"/performance/cycles/{cycle.pk}/objectives/new/")
    owners = re.findall(r'<option value="(\d+)"', form.split('name="owner_employee"')[1].split("</select>")[0])
    employees = org["employees"]
    assert sorted(map(int, owners)) == sorted([employees["manager"].pk, employees["report"].pk,
                                               employees["indirect"].pk])
    assert '<option value="company"' not in form
    assert 'name="department"' not in form
    response = client.post(f"/performance/cycles/{cycle.pk}/objectives/new/", {
        "level": "personal", "title": "  Onboard well ", "owner_employee": employees["indirect"].pk,
        "status": "active", "description": "", "parent": ""})
    objective = Objective.objects.get()
    assert response["Location"] == f"/performance/objectives/{objective.pk}/"
    assert (objective.title, objective.owner_employee, objective.status, objective.level) == (
        "Onboard well", employees["indirect"], "active", "personal")


def test_a_manager_cannot_edit_another_team_objectives(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    theirs = make_objective(org, cycle, owner="outsider", title="Ship the API")
    client = browser(org["users"]["manager"])
    for url in (f"/performance/objectives/{theirs.pk}/edit/", f"/performance/objectives/{theirs.pk}/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "You do not have permission to see or change this objective." in response.content.decode()
    response = client.post(f"/performance/objectives/{theirs.pk}/edit/", {
        "level": "personal", "title": "Hijacked", "owner_employee": org["employees"]["outsider"].pk,
        "status": "active"})
    assert response.status_code == 403
    # Picking someone outside the team as owner of a new objective is refused on the form.
    response = client.post(f"/performance/cycles/{cycle.pk}/objectives/new/", {
        "level": "personal", "title": "Theirs", "owner_employee": org["employees"]["outsider"].pk,
        "status": "active"})
    assert response.status_code == 200
    assert "Select a valid choice. That choice is not one of the available choices." in response.content.decode()
    assert Objective.objects.get().title == "Ship the API"


def test_an_employee_writes_only_their_own_objectives(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    client = browser(org["users"]["employee"])
    form = page(client, f"/performance/cycles/{cycle.pk}/objectives/new/")
    assert 'name="owner_employee"' not in form
    client.post(f"/performance/cycles/{cycle.pk}/objectives/new/", {
        "level": "personal", "title": "Learn the CRM", "status": "draft"})
    assert Objective.objects.get().owner_employee == org["employees"]["report"]
    company = make_objective(org, cycle, owner=None, level="company", title="Win the east region")
    html = page(client, f"/performance/objectives/{company.pk}/")
    assert 'data-testid="edit-objective"' not in html
    response = client.get(f"/performance/objectives/{company.pk}/edit/")
    assert response.status_code == 403
    assert "Only HR can set company and department objectives." in response.content.decode()


def test_objective_refusals_are_shown_on_the_form(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    client = browser(org["users"]["hr"])
    response = client.post(f"/performance/cycles/{cycle.pk}/objectives/new/", {
        "level": "department", "title": "Sales doubles", "status": "active", "owner_employee": "", "department": ""})
    assert response.status_code == 200
    assert "A department objective needs a department." in response.content.decode()
    objective = make_objective(org, cycle, title="Grow")
    child = make_objective(org, cycle, title="Child", parent=objective)
    response = client.post(f"/performance/objectives/{objective.pk}/edit/", {
        "level": "personal", "title": "Grow", "status": "active", "owner_employee": org["employees"]["report"].pk,
        "parent": child.pk})
    assert ("An objective cannot align with itself or one of the objectives aligned with it."
            in response.content.decode())
    assert Objective.objects.get(pk=objective.pk).parent is None
    assert Objective.objects.count() == 2


def test_hr_edits_an_objective(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = make_objective(org, cycle, title="Grow")
    client = browser(org["users"]["hr"])
    form = page(client, f"/performance/objectives/{objective.pk}/edit/")
    assert 'value="Grow"' in form
    response = client.post(f"/performance/objectives/{objective.pk}/edit/", {
        "level": "personal", "title": "Grow faster", "status": "active",
        "owner_employee": org["employees"]["report"].pk, "description": "Top 10 accounts"})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert (objective.title, objective.status, objective.description) == ("Grow faster", "active", "Top 10 accounts")


# --- key results and check-ins ---


def test_adding_and_editing_key_results(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = make_objective(org, cycle)
    client = browser(org["users"]["employee"])
    response = client.post(f"/performance/objectives/{objective.pk}/key-results/new/", kr_data())
    assert response["Location"] == f"/performance/objectives/{objective.pk}/"
    kr = KeyResult.objects.get()
    assert (kr.title, kr.start_value, kr.target_value, kr.current_value, kr.weight, kr.unit) == (
        "Close deals", Decimal(0), Decimal(10), Decimal(0), Decimal(40), "deals")
    form = page(client, f"/performance/key-results/{kr.pk}/edit/")
    assert 'name="current_value"' not in form
    client.post(f"/performance/key-results/{kr.pk}/edit/", kr_data(target_value="12", weight="60"))
    kr.refresh_from_db()
    assert (kr.target_value, kr.weight) == (Decimal(12), Decimal(60))
    html = page(client, f"/performance/objectives/{objective.pk}/")
    assert "0 → 12" in html
    assert "The key results weigh 60% together." in html


def test_key_result_refusals_are_shown_on_the_form(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = make_objective(org, cycle)
    make_key_result(org, objective, weight=Decimal(70))
    client = browser(org["users"]["manager"])
    response = client.post(f"/performance/objectives/{objective.pk}/key-results/new/",
                           kr_data(start_value="10", target_value="5", weight="40"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The target (5) must be above the start value (10) for a metric that should increase." in html
    assert "The key results of this objective would weigh 110% together; at most 100% is allowed." in html
    assert KeyResult.objects.count() == 1


def test_a_check_in_moves_progress(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    objective = make_objective(org, cycle)
    kr = make_key_result(org, objective, weight=Decimal(100))  # 70 → 90
    client = browser(org["users"]["employee"])
    form = page(client, f"/performance/key-results/{kr.pk}/")
    assert 'name="value"' in form
    assert "No check-ins yet." in form
    response = client.post(f"/performance/key-results/{kr.pk}/", {"value": "85", "comment": "Survey of May"})
    assert response["Location"] == f"/performance/key-results/{kr.pk}/"
    html = page(client, f"/performance/key-results/{kr.pk}/")
    assert "Check-in recorded: “Customer satisfaction” is now at 85 (score 75)." in html
    assert '<dd data-testid="current-value">85</dd>' in html
    assert '<p class="timeline-summary">Survey of May</p>' in html
    check_in = CheckIn.objects.get()
    assert (check_in.value, check_in.author) == (Decimal(85), org["users"]["employee"])
    assert '<span class="okr-score" title="Score (0–100)">75</span>' in page(
        client, f"/performance/objectives/{objective.pk}/")
    response = client.post(f"/performance/key-results/{kr.pk}/", {"value": "lots"})
    assert "Enter a number." in response.content.decode()


def test_a_closed_cycle_takes_no_check_ins(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    kr = make_key_result(org, make_objective(org, cycle))
    services.cycle_update(actor=org["users"]["hr"], cycle=cycle, changes={"phase": "closed"})
    client = browser(org["users"]["employee"])
    assert 'data-testid="check-in-form"' not in page(client, f"/performance/key-results/{kr.pk}/")
    response = client.post(f"/performance/key-results/{kr.pk}/", {"value": "85"})
    assert "The cycle “2026 Q3” is closed; its OKRs can no longer change." in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_key_result_pages_answer_403_and_404(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    kr = make_key_result(org, make_objective(org, cycle, owner="outsider"))
    client = browser(org["users"]["employee"])
    for url in (f"/performance/key-results/{kr.pk}/", f"/performance/key-results/{kr.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "You do not have permission to see or change this key result." in response.content.decode()
    assert client.post(f"/performance/key-results/{kr.pk}/", {"value": "1"}).status_code == 403
    assert client.get("/performance/key-results/999999/").status_code == 404
    assert client.get("/performance/objectives/999999/").status_code == 404
    assert CheckIn.objects.count() == 0


# --- OKRs drafted from the interview ---


def test_the_manager_reviews_edits_and_approves_a_drafted_objective(
    org: dict[str, Any], cycle: PerformanceCycle
) -> None:
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90, "communication": 85.5})
    draft = drafting.okr_draft(actor=org["users"]["hr"], employee=org["employees"]["report"], cycle=cycle)
    objective = draft.objectives[0]
    client = browser(org["users"]["manager"])
    assert ('<span class="stat-value">1</span><span class="stat-label">Drafted OKRs awaiting approval</span>'
            in page(client, "/performance/"))
    html = page(client, "/performance/drafts/")
    assert f'<article class="draft" data-objective="{objective.pk}" data-testid="draft"' in html
    assert "李员工: First goals from the hiring interview" in html
    sources = re.findall(r'<span class="badge okr-source" data-testid="kr-source">([^<]+)</span>', html)
    assert sources == ["interview: communication 85.5 → target 87.5", "interview: customer orientation 90 → target 92"]
    kr = objective.key_results.get(target_value=Decimal(92))
    assert "interview: customer orientation 90 → target 92" in page(client, f"/performance/key-results/{kr.pk}/edit/")
    client.post(f"/performance/key-results/{kr.pk}/edit/", kr_data(
        title=kr.title, metric=kr.metric, unit=kr.unit, start_value="90", target_value="95", weight="20"))
    kr.refresh_from_db()
    assert kr.target_value == Decimal(95)
    html = follow_post(client, f"/performance/objectives/{objective.pk}/approve/", {})
    assert "“First goals from the hiring interview” for 李员工 approved: it is in progress now." in html
    assert "No drafted OKRs are waiting for approval." in html
    objective.refresh_from_db()
    assert objective.status == "active"
    html = follow_post(client, f"/performance/objectives/{objective.pk}/approve/", {"next": "objective"})
    assert "This objective is not a draft (it is “In progress”), so there is nothing to approve." in html


def test_a_manager_drafts_a_hire_from_the_page_and_sees_refusals(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    client = browser(org["users"]["manager"])
    form = page(client, "/performance/drafts/")
    assert f'<option value="{org["employees"]["outsider"].pk}"' not in form
    html = follow_post(client, "/performance/drafts/", {"cycle": cycle.pk, "employee": org["employees"]["report"].pk})
    assert "1 key result drafted for 李员工 from the interview; review and approve it below." in html
    assert "The interview report has no score for communication." in html
    response = client.post("/performance/drafts/", {"cycle": cycle.pk, "employee": org["employees"]["indirect"].pk})
    assert response.status_code == 200
    assert ("赵实习 has no ready interview report from the application that led to their hire, so there is nothing "
            "to draft OKRs from.") in response.content.decode()
    response = client.post("/performance/drafts/", {"cycle": cycle.pk, "employee": org["employees"]["report"].pk})
    assert "were already drafted from the interview" in response.content.decode()
    assert Objective.objects.count() == 1


def test_hr_drafts_by_employee_number(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    client = browser(org["users"]["hr"])
    assert '<input type="text" name="employee"' in page(client, "/performance/drafts/")
    follow_post(client, "/performance/drafts/", {"cycle": cycle.pk, "employee": org["employees"]["report"].employee_no})
    assert Objective.objects.get().owner_employee == org["employees"]["report"]


def test_employees_cannot_open_or_approve_drafts(org: dict[str, Any], cycle: PerformanceCycle) -> None:
    make_hire_report(org["employees"]["report"], {"customer_orientation": 90})
    objective = drafting.okr_draft(actor=org["users"]["hr"], employee=org["employees"]["report"],
                                   cycle=cycle).objectives[0]
    client = browser(org["users"]["employee"])
    assert client.get("/performance/drafts/").status_code == 403
    html = page(client, f"/performance/objectives/{objective.pk}/")
    assert 'data-testid="approve"' not in html
    response = client.post(f"/performance/objectives/{objective.pk}/approve/")
    assert response.status_code == 403
    assert "Only HR or 李员工&#x27;s manager can approve 李员工&#x27;s drafted OKRs." in response.content.decode()
    objective.refresh_from_db()
    assert objective.status == "draft"
