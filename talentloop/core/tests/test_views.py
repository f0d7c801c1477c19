"""The shared layout, login and logout, the language switch, the home dashboard and the error pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from talentloop.core.models import AuditEntry, Role
from talentloop.core.selectors import audit_rows, department_options, department_tree_with_totals
from talentloop.core.testing.factories import DepartmentFactory, EmployeeFactory, JobFactory, UserFactory
from talentloop.org import services
from talentloop.org.models import Employee, Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client: Client) -> Callable[[Any], Client]:
    """A client logged in as the user, reading English so assertions can use the source strings."""

    def as_user(user: Any) -> Client:
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return as_user


def nav_links(html: str) -> list[str]:
    menu = re.search(r'<ul class="nav-links">(.*?)</ul>', html, re.S)
    assert menu is not None
    return re.findall(r'href="([^"]+)"', menu.group(1))


# Login, logout, language -------------------------------------------------------------------------------


def test_anonymous_home_redirects_to_login(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_login_page_renders_form_in_chinese_by_default(client: Client) -> None:
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert 'action="/i18n/setlang/"' in html
    assert 'class="nav-links"' not in html


def test_login_with_password_goes_home(client: Client, org: dict[str, Any]) -> None:
    response = client.post(reverse("login"), {"username": "hr", "password": "pass-word-123"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_with_wrong_password_stays_on_form(client: Client, org: dict[str, Any]) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("login"), {"username": "hr", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    ]


def test_logout_is_a_post_that_ends_the_session(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    client = login(org["users"]["employee"])
    page = client.get(reverse("home")).content.decode()
    assert '<form method="post" action="/logout/"' in page
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get(reverse("home")).status_code == 302


def test_language_switch_renders_english_then_chinese(client: Client, org: dict[str, Any]) -> None:
    client.force_login(org["users"]["hr"])
    assert '<html lang="zh-hans">' in client.get(reverse("home")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/org/departments/"})
    assert response.status_code == 302
    assert response["Location"] == "/org/departments/"
    html = client.get(reverse("org:department_list")).content.decode()
    assert '<html lang="en">' in html
    assert (
        '<button type="submit" name="language" value="en" lang="en" aria-pressed="true">English</button>'
        in html
    )
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert (
        '<button type="submit" name="language" value="zh-hans" lang="zh-hans" aria-pressed="true">'
        "中文</button>" in html
    )


# Layout and menu ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("hr", ["/", "/org/departments/", "/org/employees/", "/org/competencies/", "/org/jobs/", "/recruiting/",
                "/interviews/questions/", "/performance/", "/learning/", "/insights/", "/admin/"]),
        ("recruiter", ["/", "/org/competencies/", "/org/jobs/", "/recruiting/", "/interviews/questions/",
                       "/insights/"]),
        ("manager", ["/", "/org/employees/", "/org/departments/", "/org/competencies/", "/org/jobs/", "/recruiting/",
                     "/performance/", "/learning/", "/insights/"]),
        ("employee", ["/", "/me/", "/org/departments/", "/org/competencies/", "/performance/", "/learning/"]),
        ("candidate", ["/"]),
    ],
)
def test_menu_depends_on_role(
    login: Callable[[Any], Client], org: dict[str, Any], role: str, expected: list[str]
) -> None:
    html = login(org["users"][role]).get(reverse("home")).content.decode()
    assert nav_links(html) == expected
    assert f'<span class="user-name">{role}</span>' in html


def test_menu_labels_for_manager_and_current_page(
    login: Callable[[Any], Client], org: dict[str, Any]
) -> None:
    html = login(org["users"]["manager"]).get(reverse("org:employee_list")).content.decode()
    assert '<li><a href="/org/employees/" aria-current="page">My team</a></li>' in html
    assert '<li><a href="/">Home</a></li>' in html


def test_layout_has_phone_menu_toggle_stylesheet_and_htmx(
    login: Callable[[Any], Client], org: dict[str, Any]
) -> None:
    html = login(org["users"]["hr"]).get(reverse("home")).content.decode()
    assert '<input type="checkbox" id="nav-toggle" class="nav-toggle">' in html
    assert '<label for="nav-toggle" class="nav-toggle-label">' in html
    assert '<link rel="stylesheet" href="/static/talentloop/app.css">' in html
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
    assert "https://" not in html
    assert "<title>Home · TalentLoop 才循</title>" in html


def test_messages_are_shown_under_the_header(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    client = login(org["users"]["hr"])
    response = client.post(reverse("org:department_create"), {"code": "OPS", "name": "运营部"}, follow=True)
    assert (
        '<p class="message message-success">Department 运营部 was created.</p>' in response.content.decode()
    )


def test_my_profile_redirects_to_own_record(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    response = login(org["users"]["employee"]).get(reverse("my_profile"))
    assert response.status_code == 302
    assert response["Location"] == reverse("org:employee_detail", args=[org["employees"]["report"].pk])


def test_my_profile_without_record_is_a_404_page_with_message(
    login: Callable[[Any], Client], org: dict[str, Any]
) -> None:
    response = login(org["users"]["recruiter"]).get(reverse("my_profile"))
    assert response.status_code == 404
    assert "Your login is not linked to an employee record. Ask HR to link it." in response.content.decode()
    assert response.templates[0].name == "404.html"


def test_domain_permission_error_renders_403_page(
    login: Callable[[Any], Client], org: dict[str, Any]
) -> None:
    response = login(org["users"]["recruiter"]).get(reverse("org:employee_list"))
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    assert "You do not have permission to do this." in response.content.decode()


def test_static_stylesheet_is_served(client: Client) -> None:
    response = client.get("/static/talentloop/app.css")
    assert response.status_code == 200
    body = response.getvalue().decode()
    for selector in (
        ".page-header",
        ".table-wrap",
        ".btn-primary",
        ".form-grid",
        ".badge-amber",
        ".pagination",
    ):
        assert selector in body
    assert '"Noto Sans CJK SC"' in body


# Home dashboard ----------------------------------------------------------------------------------------


def test_hr_home_shows_stats_bars_and_recent_changes(
    login: Callable[[Any], Client], org: dict[str, Any]
) -> None:
    sales, rd = org["departments"]["sales"], org["departments"]["rd"]
    EmployeeFactory.create(department=rd, status=Employee.Status.PROBATION)
    EmployeeFactory.create(department=rd, status=Employee.Status.TERMINATED)
    JobFactory.create(department=rd, status=Job.Status.OPEN)
    JobFactory.create(department=rd, status=Job.Status.CLOSED)
    hr = org["users"]["hr"]
    report = org["employees"]["report"]
    services.employee_update(actor=hr, employee=report, changes={"department": rd, "phone": "13800000000"})

    response = login(hr).get(reverse("home"))
    dashboard = response.context["dashboard"]
    assert response.status_code == 200
    assert dashboard["kind"] == "hr"
    assert (
        dashboard["in_service"],
        dashboard["probation"],
        dashboard["departments"],
        dashboard["open_jobs"],
    ) == (5, 1, 3, 1)
    assert [(b["department"].code, b["count"], b["percent"]) for b in dashboard["bars"]] == [
        ("RD", 3, 100),
        ("SALES", 2, 67),
        ("HQ", 0, 0),
    ]
    rows = [(r["entry"].actor, r["field_label"], r["old"], r["new"]) for r in dashboard["audit"]]
    assert sorted(rows, key=lambda r: str(r[1])) == [
        (hr, "department", "Sales", "R&D"),
        (hr, "phone", "", "13800000000"),
    ]
    html = response.content.decode()
    assert '<span class="bar-fill" style="width: 67%"></span>' in html
    assert f'href="/org/employees/?department={sales.pk}">Sales</a>' in html
    assert '<span class="stat-value">5</span><span class="stat-label">Employees in service</span>' in html
    assert f'<a href="/org/employees/{report.pk}/">{report}</a>' in html


def test_hr_home_query_count_does_not_grow_with_data(
    login: Callable[[Any], Client], org: dict[str, Any]
) -> None:
    client = login(org["users"]["hr"])
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for i in range(20):
        dept = DepartmentFactory.create(parent=org["departments"]["root"])
        EmployeeFactory.create(department=dept, manager=org["employees"]["manager"])
        services.department_update(actor=org["users"]["hr"], department=dept, changes={"name": f"部门X{i}"})
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("home"))
    assert len(small) == len(large)


def test_manager_home_shows_team_size(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    response = login(org["users"]["manager"]).get(reverse("home"))
    dashboard = response.context["dashboard"]
    assert (
        dashboard["kind"],
        dashboard["employee"],
        dashboard["team_size"],
        dashboard["direct_reports"],
    ) == ("manager", org["employees"]["manager"], 2, 1)
    html = response.content.decode()
    assert '<span class="stat-value">2</span><span class="stat-label">People in my team</span>' in html
    assert '<a class="btn btn-primary" href="/org/employees/">See my team</a>' in html


def test_employee_home_links_to_own_profile(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    report = org["employees"]["report"]
    response = login(org["users"]["employee"]).get(reverse("home"))
    assert response.context["dashboard"] == {"kind": "employee", "employee": report}
    assert (
        f'<a class="btn btn-secondary" href="/org/employees/{report.pk}/">My profile</a>'
        in response.content.decode()
    )


def test_recruiter_home_lists_open_jobs(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    open_job = JobFactory.create(
        title="Java 工程师", department=org["departments"]["rd"], status=Job.Status.OPEN
    )
    JobFactory.create(title="已关闭职位", department=org["departments"]["rd"], status=Job.Status.CLOSED)
    response = login(org["users"]["recruiter"]).get(reverse("home"))
    dashboard = response.context["dashboard"]
    assert (dashboard["kind"], dashboard["open_jobs"], dashboard["jobs"]) == ("recruiter", 1, [open_job])
    assert f'<a href="/org/jobs/{open_job.pk}/">Java 工程师</a>' in response.content.decode()
    assert "已关闭职位" not in response.content.decode()


def test_candidate_home_has_nothing_to_show(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    response = login(org["users"]["candidate"]).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["dashboard"] == {"kind": "none"}


def test_employee_without_record_sees_hint(login: Callable[[Any], Client], db: Any) -> None:
    user = UserFactory.create(username="newcomer", role=Role.EMPLOYEE)
    response = login(user).get(reverse("home"))
    assert response.context["dashboard"] == {"kind": "employee", "employee": None}
    assert "Your login is not linked to an employee record. Ask HR to link it." in response.content.decode()


# Read helpers ------------------------------------------------------------------------------------------


def test_audit_rows_resolve_related_names_and_choices(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    report, outsider = org["employees"]["report"], org["employees"]["outsider"]
    services.employee_update(
        actor=hr,
        employee=report,
        changes={"manager": outsider, "status": Employee.Status.ON_LEAVE},
    )
    entries = AuditEntry.objects.filter(object_id=str(report.pk), object_type="org.employee")
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        rows = audit_rows(entries)
    assert len(queries) == 2  # the entries, then one query for every employee they name
    assert sorted((r["field_label"], r["old"], r["new"], r["employee_id"]) for r in rows) == [
        ("employment status", "Active", "On leave", report.pk),
        ("manager", str(org["employees"]["manager"]), str(outsider), report.pk),
    ]


def test_audit_rows_keep_unknown_fields_and_deleted_objects(db: Any) -> None:
    entry = AuditEntry.objects.create(
        action=AuditEntry.Action.UPDATE,
        object_type="org.employee",
        object_id="x",
        field="department",
        old_value="999999",
        new_value="",
    )
    other = AuditEntry.objects.create(
        action=AuditEntry.Action.CREATE,
        object_type="gone.model",
        object_id="1",
        field="thing",
        new_value="v",
    )
    rows = audit_rows([entry, other])
    assert [(r["field_label"], r["old"], r["new"], r["employee_id"]) for r in rows] == [
        ("department", "999999", "", None),
        ("thing", "", "v", None),
    ]


def test_department_options_are_indented_in_tree_order(org: dict[str, Any]) -> None:
    root, sales = org["departments"]["root"], org["departments"]["sales"]
    east = DepartmentFactory.create(code="SALES-E", name="华东销售", parent=sales)
    lonely = DepartmentFactory.create(code="AAA", name="独立部门")
    with translation.override("zh-hans"), CaptureQueriesContext(connection) as queries:
        options = department_options()
    assert len(queries) == 1
    assert options == [
        (lonely.pk, "独立部门"),
        (root.pk, "总部"),
        (org["departments"]["rd"].pk, "— 研发部"),
        (sales.pk, "— 销售部"),
        (east.pk, "— — 华东销售"),
    ]


def test_department_tree_totals_include_sub_departments(org: dict[str, Any]) -> None:
    EmployeeFactory.create(department=org["departments"]["root"])
    EmployeeFactory.create(department=org["departments"]["rd"], status=Employee.Status.TERMINATED)
    tree = department_tree_with_totals(user=org["users"]["employee"])
    root = tree[0]
    assert (root["department"].code, root["total"]) == ("HQ", 5)
    assert [(n["department"].code, n["total"]) for n in root["children"]] == [("RD", 1), ("SALES", 3)]
