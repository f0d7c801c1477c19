"""Employee pages: who sees which records, the list's filters and queries, the profile, the forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from talentloop.core.models import AuditEntry
from talentloop.core.testing.factories import EmployeeFactory, JobFactory, UserFactory
from talentloop.org.identity import make_id_number, mask_id_number
from talentloop.org.models import Employee, EmployeeEvent, JobLevel
from talentloop.org.services.employees import SELF_SERVICE_FIELDS, employee_update

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1992, 5, 17)
VALID_ID = make_id_number("110101", BIRTH, 7, "male")
BAD_CHECKSUM_ID = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
BAD_ID_MESSAGE = "This is not a valid resident ID number (check the 18 characters and the last check digit)."
Login = Callable[[Any], Client]


@pytest.fixture
def login(client: Client) -> Login:
    """A client logged in as the user, reading English so assertions can use the source strings."""

    def as_user(user: Any) -> Client:
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return as_user


def names(response: Any) -> list[str]:
    return [e.name for e in response.context["employees"]]


def form_data(org: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {
        "employee_no": "E900001", "name": "孙新人", "english_name": "Sun", "gender": "male",
        "birth_date": BIRTH.isoformat(), "id_number": VALID_ID, "phone": "13900000001",
        "email": "sun@example.com", "department": org["departments"]["rd"].pk, "job": "", "level": "",
        "manager": "", "hire_date": "2024-07-01", "status": "probation", "user": "",
    }
    data.update(overrides)
    return data


# The list ----------------------------------------------------------------------------------------------


def test_hr_sees_everyone_with_masked_id_numbers(login: Login, org: dict[str, Any]) -> None:
    response = login(org["users"]["hr"]).get(reverse("org:employee_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert names(response) == ["王经理", "李员工", "赵实习", "陈研发"]
    for employee in org["employees"].values():
        assert employee.id_number not in html
        assert f'<td class="mono nowrap">{mask_id_number(employee.id_number)}</td>' in html
        assert f'<a href="/org/employees/{employee.pk}/">{employee.name}</a>' in html
    assert '<span class="badge badge-green">Active</span>' in html
    assert '<a class="btn btn-primary" href="/org/employees/new/">New employee</a>' in html
    assert "4 employees" in html


def test_manager_sees_only_their_team(login: Login, org: dict[str, Any]) -> None:
    response = login(org["users"]["manager"]).get(reverse("org:employee_list"))
    assert response.status_code == 200
    assert names(response) == ["王经理", "李员工", "赵实习"]
    assert "陈研发" not in response.content.decode()
    assert "New employee" not in response.content.decode()


def test_employee_sees_only_themself(login: Login, org: dict[str, Any]) -> None:
    response = login(org["users"]["employee"]).get(reverse("org:employee_list"))
    assert names(response) == ["李员工"]


@pytest.mark.parametrize("role", ["recruiter", "candidate"])
def test_recruiters_and_candidates_may_not_open_the_list(
    login: Login, org: dict[str, Any], role: str
) -> None:
    response = login(org["users"][role]).get(reverse("org:employee_list"))
    assert response.status_code == 403
    assert "陈研发" not in response.content.decode()


def test_anonymous_is_sent_to_login(client: Client, db: Any) -> None:
    response = client.get(reverse("org:employee_list"))
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/org/employees/"


def test_filters(login: Login, org: dict[str, Any]) -> None:
    sales, root = org["departments"]["sales"], org["departments"]["root"]
    manager = org["employees"]["manager"]
    EmployeeFactory.create(
        name="钱试用", department=sales, status=Employee.Status.PROBATION, english_name="Qian"
    )
    client = login(org["users"]["hr"])
    url = reverse("org:employee_list")
    assert names(client.get(url, {"department": sales.pk})) == ["王经理", "李员工", "赵实习", "钱试用"]
    assert names(client.get(url, {"department": root.pk})) == []
    assert names(client.get(url, {"department": root.pk, "sub": "on"})) == [
        "王经理", "李员工", "赵实习", "陈研发", "钱试用",
    ]
    assert names(client.get(url, {"status": "probation"})) == ["钱试用"]
    assert names(client.get(url, {"q": "赵"})) == ["赵实习"]
    assert names(client.get(url, {"q": "qian"})) == ["钱试用"]
    assert names(client.get(url, {"q": manager.employee_no})) == ["王经理"]
    response = client.get(url, {"manager": manager.pk})
    assert names(response) == ["李员工"]
    assert response.context["manager_filter"] == manager
    assert "Direct reports of 王经理" in response.content.decode()


def test_filter_form_options_and_bad_values(login: Login, org: dict[str, Any]) -> None:
    response = login(org["users"]["hr"]).get(
        reverse("org:employee_list"), {"department": "abc", "status": "fired"}
    )
    filters = response.context["filters"]
    assert response.status_code == 200
    assert [label for _v, label in filters.fields["department"].choices] == [
        "All departments", "Headquarters", "— R&D", "— Sales",
    ]
    assert sorted(filters.errors) == ["department", "status"]
    assert names(response) == ["王经理", "李员工", "赵实习", "陈研发"]


def test_pagination_keeps_filters(login: Login, org: dict[str, Any]) -> None:
    rd = org["departments"]["rd"]
    EmployeeFactory.create_batch(60, department=rd)
    client = login(org["users"]["hr"])
    first = client.get(reverse("org:employee_list"), {"department": rd.pk})
    assert len(first.context["employees"]) == 50
    assert first.context["page_obj"].paginator.count == 61
    html = first.content.decode()
    assert f'<a href="?department={rd.pk}&amp;page=2" rel="next">Next ›</a>' in html
    assert '<span class="current" aria-current="page">Page 1 of 2</span>' in html
    second = client.get(reverse("org:employee_list"), {"department": rd.pk, "page": 2})
    assert len(second.context["employees"]) == 11
    assert f'<a href="?department={rd.pk}&amp;page=1" rel="prev">‹ Previous</a>' in second.content.decode()
    assert client.get(reverse("org:employee_list"), {"page": "999"}).context["page_obj"].number == 2


@pytest.mark.parametrize("role", ["hr", "manager"])
def test_list_queries_do_not_grow_with_page_size(
    login: Login, org: dict[str, Any], role: str
) -> None:
    level = JobLevel.objects.order_by("rank").first()
    job = JobFactory.create(department=org["departments"]["sales"])
    manager = org["employees"]["manager"]
    EmployeeFactory.create(department=org["departments"]["sales"], manager=manager, job=job, level=level)
    client = login(org["users"][role])
    assert Employee.objects.count() == 5
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse("org:employee_list")).status_code == 200
    EmployeeFactory.create_batch(
        55, department=org["departments"]["sales"], manager=manager, job=job, level=level
    )
    with CaptureQueriesContext(connection) as sixty:
        response = client.get(reverse("org:employee_list"))
    assert len(response.context["employees"]) == 50
    # session, user, (manager: own employee record), department options, count, the page's ids, its rows
    expected = 7 if role == "hr" else 8
    assert (len(five), len(sixty)) == (expected, expected)


# The profile -------------------------------------------------------------------------------------------


def test_hr_sees_profile_timeline_and_change_history(
    login: Login, org: dict[str, Any]
) -> None:
    report, manager = org["employees"]["report"], org["employees"]["manager"]
    for kind, day, summary in [
        (EmployeeEvent.Kind.JOINED, dt.date(2020, 3, 1), "销售部"),
        (EmployeeEvent.Kind.RECRUITING, dt.date(2020, 2, 1), "通过社招入职"),
        (EmployeeEvent.Kind.INTERVIEW, dt.date(2020, 1, 20), "AI 面试 82 分"),
        (EmployeeEvent.Kind.REVIEW, dt.date(2023, 12, 31), "年度考核 A"),
        (EmployeeEvent.Kind.TRAINING, dt.date(2024, 4, 2), "完成《沟通技巧》"),
    ]:
        EmployeeEvent.objects.create(employee=report, kind=kind, occurred_on=day, summary=summary)
    client = login(org["users"]["hr"])
    edit = client.post(
        reverse("org:employee_edit", args=[report.pk]), _edit_data(org, report, phone="13700000000")
    )
    assert edit.status_code == 302
    response = client.get(reverse("org:employee_detail", args=[report.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert [(e.kind, e.summary) for e in response.context["events"]] == [
        ("training", "完成《沟通技巧》"), ("review", "年度考核 A"), ("joined", "销售部"),
        ("recruiting", "通过社招入职"), ("interview", "AI 面试 82 分"),
    ]
    for label in ("Training", "Review", "Joined", "Recruiting record", "Interview"):
        assert f'<span class="badge">{label}</span>' in html
    assert f'<dd class="mono">{mask_id_number(report.id_number)}</dd>' in html
    assert report.id_number not in html
    assert f'<a href="/org/employees/{manager.pk}/">王经理</a>' in html
    assert "<h2>Change history</h2>" in html
    assert [(r["field_label"], r["old"], r["new"]) for r in response.context["audit_rows"]] == [
        ("phone", "", "13700000000"),
    ]
    assert f'<a class="btn btn-primary" href="/org/employees/{report.pk}/edit/">Edit</a>' in html


def test_profile_lists_direct_reports(login: Login, org: dict[str, Any]) -> None:
    manager, report = org["employees"]["manager"], org["employees"]["report"]
    response = login(org["users"]["manager"]).get(reverse("org:employee_detail", args=[manager.pk]))
    html = response.content.decode()
    assert response.context["reports"] == [report]
    assert f'<li><a href="/org/employees/{report.pk}/">李员工</a>' in html
    assert f'href="/org/employees/?manager={manager.pk}"' in html
    assert "Change history" not in html
    assert "/edit/" in html  # the manager's own record


def test_employee_sees_own_profile_without_history(
    login: Login, org: dict[str, Any]
) -> None:
    report = org["employees"]["report"]
    response = login(org["users"]["employee"]).get(reverse("org:employee_detail", args=[report.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["audit_rows"] == []
    assert "Change history" not in html
    assert f'href="/org/employees/{report.pk}/edit/"' in html
    assert '<p class="empty">Nothing has been recorded yet.</p>' in html


@pytest.mark.parametrize(
    ("role", "target"), [("employee", "outsider"), ("employee", "manager"), ("manager", "outsider")]
)
def test_others_profiles_are_forbidden(
    login: Login, org: dict[str, Any], role: str, target: str
) -> None:
    employee = org["employees"][target]
    response = login(org["users"][role]).get(reverse("org:employee_detail", args=[employee.pk]))
    assert response.status_code == 403
    assert "You do not have permission to see or change this employee." in response.content.decode()
    assert employee.name not in response.content.decode()


def test_manager_opens_a_team_members_profile_read_only(
    login: Login, org: dict[str, Any]
) -> None:
    indirect = org["employees"]["indirect"]
    response = login(org["users"]["manager"]).get(reverse("org:employee_detail", args=[indirect.pk]))
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert "/edit/" not in response.content.decode()


def test_missing_profile_is_404(login: Login, org: dict[str, Any]) -> None:
    response = login(org["users"]["hr"]).get(reverse("org:employee_detail", args=[999999]))
    assert response.status_code == 404
    assert "No such employee." in response.content.decode()


# Create ------------------------------------------------------------------------------------------------


def test_hr_creates_an_employee(login: Login, org: dict[str, Any]) -> None:
    client = login(org["users"]["hr"])
    assert client.get(reverse("org:employee_create")).status_code == 200
    login_user = UserFactory.create(username="sun", role="employee")
    job = JobFactory.create(department=org["departments"]["rd"], title="后端工程师")
    response = client.post(
        reverse("org:employee_create"),
        form_data(org, manager=org["employees"]["outsider"].employee_no, user="sun", job=job.pk),
    )
    employee = Employee.objects.get(employee_no="E900001")
    assert response.status_code == 302
    assert response["Location"] == f"/org/employees/{employee.pk}/"
    assert (employee.name, employee.id_number, employee.birth_date, employee.user, employee.job) == (
        "孙新人", VALID_ID, BIRTH, login_user, job,
    )
    assert employee.manager == org["employees"]["outsider"]
    assert (employee.status, employee.department) == ("probation", org["departments"]["rd"])
    assert list(employee.events.values_list("kind", "occurred_on")) == [("joined", dt.date(2024, 7, 1))]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": BAD_CHECKSUM_ID}, "id_number", BAD_ID_MESSAGE),
        ({"employee_no": "DUPLICATE"}, "employee_no", "Employee number DUPLICATE is already in use."),
        ({"birth_date": "1992-05-18"}, "birth_date",
         "The birth date does not match the one in the ID number (1992-05-17)."),
        ({"manager": "NOBODY"}, "manager", "No employee has the number NOBODY."),
        ({"user": "ghost"}, "user", "There is no login named ghost."),
        ({"user": "employee"}, "user", "This login already belongs to another employee."),
        ({"phone": "call me"}, "phone", "Enter a phone number of digits, optionally starting with +."),
        ({"gender": "female"}, "gender", "The gender does not match the one encoded in the ID number."),
    ],
)
def test_create_errors_are_shown_on_the_field_and_nothing_is_saved(
    login: Login, org: dict[str, Any], overrides: dict[str, str], field: str, message: str
) -> None:
    Employee.objects.filter(pk=org["employees"]["outsider"].pk).update(employee_no="DUPLICATE")
    before = Employee.objects.count()
    response = login(org["users"]["hr"]).post(reverse("org:employee_create"), form_data(org, **overrides))
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Employee.objects.count() == before
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("role", ["recruiter", "manager", "employee"])
def test_only_hr_may_create(login: Login, org: dict[str, Any], role: str) -> None:
    client = login(org["users"][role])
    assert client.get(reverse("org:employee_create")).status_code == 403
    assert client.post(reverse("org:employee_create"), form_data(org)).status_code == 403
    assert not Employee.objects.filter(employee_no="E900001").exists()


# Edit --------------------------------------------------------------------------------------------------


def test_hr_edit_form_never_shows_the_id_number_in_clear(
    login: Login, org: dict[str, Any]
) -> None:
    report = org["employees"]["report"]
    response = login(org["users"]["hr"]).get(reverse("org:employee_edit", args=[report.pk]))
    html = response.content.decode()
    form = response.context["form"]
    assert report.id_number not in html
    assert "id_number" not in form.initial
    assert (form.initial["manager"], form.initial["user"], form.initial["department"]) == (
        org["employees"]["manager"].employee_no, "employee", report.department_id,
    )
    assert form.fields["id_number"].help_text == (
        f"Currently {mask_id_number(report.id_number)}. "
        "Leave empty to keep it; type all 18 characters to replace it."
    )
    assert (
        '<input type="text" name="id_number" autocomplete="off" spellcheck="false" class="mono" '
        'maxlength="18" aria-describedby="id_id_number_helptext" id="id_id_number">'
    ) in html


def _edit_data(org: dict[str, Any], employee: Employee, **overrides: Any) -> dict[str, Any]:
    data = form_data(
        org, employee_no=employee.employee_no, name=employee.name, english_name=employee.english_name,
        gender=employee.gender, birth_date=employee.birth_date.isoformat() if employee.birth_date else "",
        id_number="", phone=employee.phone, email=employee.email, department=employee.department_id,
        manager=employee.manager.employee_no if employee.manager else "",
        user=employee.user.username if employee.user else "",
        hire_date=employee.hire_date.isoformat() if employee.hire_date else "", status=employee.status,
    )
    data.update(overrides)
    return data


def test_hr_edit_keeps_the_id_number_when_left_empty(
    login: Login, org: dict[str, Any]
) -> None:
    report = org["employees"]["report"]
    original = report.id_number
    response = login(org["users"]["hr"]).post(
        reverse("org:employee_edit", args=[report.pk]),
        _edit_data(org, report, department=org["departments"]["rd"].pk, status="on_leave"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.id_number, report.department_id, report.status) == (
        original, org["departments"]["rd"].pk, "on_leave",
    )
    assert sorted(report.events.values_list("kind", flat=True)) == ["department_changed", "status_changed"]


def test_hr_edit_replaces_the_id_number(login: Login, org: dict[str, Any]) -> None:
    report = org["employees"]["report"]
    new_id = make_id_number("110101", dt.date(1990, 1, 1), 321, "female")
    response = login(org["users"]["hr"]).post(
        reverse("org:employee_edit", args=[report.pk]), _edit_data(org, report, id_number=new_id)
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.id_number == new_id
    entry = AuditEntry.objects.get(object_id=str(report.pk), field="id_number")
    assert entry.new_value == mask_id_number(new_id)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": BAD_CHECKSUM_ID}, "id_number", BAD_ID_MESSAGE),
        ({"employee_no": "TAKEN"}, "employee_no", "Employee number TAKEN is already in use."),
        ({"birth_date": "1991-01-01"}, "birth_date",
         "The birth date does not match the one in the ID number (1990-01-01)."),
    ],
)
def test_hr_edit_errors_are_shown_and_nothing_is_saved(
    login: Login, org: dict[str, Any], overrides: dict[str, str], field: str, message: str
) -> None:
    Employee.objects.filter(pk=org["employees"]["outsider"].pk).update(employee_no="TAKEN")
    report = org["employees"]["report"]
    response = login(org["users"]["hr"]).post(
        reverse("org:employee_edit", args=[report.pk]), _edit_data(org, report, name="改了名", **overrides)
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    report.refresh_from_db()
    assert report.name == "李员工"
    assert AuditEntry.objects.count() == 0


def test_manager_loop_is_shown_on_the_manager_field(
    login: Login, org: dict[str, Any]
) -> None:
    manager, indirect = org["employees"]["manager"], org["employees"]["indirect"]
    response = login(org["users"]["hr"]).post(
        reverse("org:employee_edit", args=[manager.pk]),
        _edit_data(org, manager, manager=indirect.employee_no),
    )
    message = "This would create a reporting loop: 赵实习 already reports to 王经理."
    assert response.status_code == 400
    assert response.context["form"].errors == {"manager": [message]}
    assert (
        f'<ul class="errorlist field-error" id="id_manager_error"><li>{message}</li></ul>'
        in response.content.decode()
    )
    manager.refresh_from_db()
    assert manager.manager is None


def test_employee_edits_own_contact_details_only(login: Login, org: dict[str, Any]) -> None:
    report = org["employees"]["report"]
    client = login(org["users"]["employee"])
    form = client.get(reverse("org:employee_edit", args=[report.pk])).context["form"]
    assert set(form.fields) == SELF_SERVICE_FIELDS
    response = client.post(
        reverse("org:employee_edit", args=[report.pk]),
        {"english_name": "Li", "phone": "+86 139 0000 0002", "email": "li@example.com", "name": "想改名",
         "status": "terminated"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.english_name, report.phone, report.email, report.name, report.status) == (
        "Li", "+86 139 0000 0002", "li@example.com", "李员工", "active",
    )


def test_employee_self_edit_errors(login: Login, org: dict[str, Any]) -> None:
    report = org["employees"]["report"]
    response = login(org["users"]["employee"]).post(
        reverse("org:employee_edit", args=[report.pk]), {"english_name": "", "phone": "abc", "email": "nope"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    response = login(org["users"]["employee"]).post(
        reverse("org:employee_edit", args=[report.pk]), {"english_name": "", "phone": "abc", "email": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "phone": ["Enter a phone number of digits, optionally starting with +."]
    }
    report.refresh_from_db()
    assert report.phone == ""


@pytest.mark.parametrize(
    ("role", "target"), [("manager", "report"), ("employee", "outsider"), ("recruiter", "report")]
)
def test_others_may_not_edit(
    login: Login, org: dict[str, Any], role: str, target: str
) -> None:
    employee = org["employees"][target]
    client = login(org["users"][role])
    assert client.get(reverse("org:employee_edit", args=[employee.pk])).status_code == 403
    assert (
        client.post(reverse("org:employee_edit", args=[employee.pk]), {"phone": "13000000000"}).status_code
        == 403
    )
    employee.refresh_from_db()
    assert employee.phone == ""


def test_timeline_changes_read_in_the_readers_language(login: Login, org: dict[str, Any]) -> None:
    report = org["employees"]["report"]
    with translation.override("en"):
        employee_update(actor=org["users"]["hr"], employee=report, changes={"department": org["departments"]["rd"]})
    client = login(org["users"]["hr"])
    url = reverse("org:employee_detail", args=[report.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    zh = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(url).content.decode()
    assert '<p class="timeline-summary">销售部 → 研发部</p>' in zh
    assert '<p class="timeline-summary">Sales → R&amp;D</p>' in en
