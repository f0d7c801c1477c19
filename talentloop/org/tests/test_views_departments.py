"""Department pages: the tree for every staff role, create and edit for HR with the service's errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from talentloop.core.models import AuditEntry, Role
from talentloop.core.testing.factories import DepartmentFactory, EmployeeFactory, UserFactory
from talentloop.org.models import Department, Employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client: Client) -> Callable[[Any], Client]:
    """A client logged in as the user, reading English so assertions can use the source strings."""

    def as_user(user: Any) -> Client:
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return as_user


def test_tree_shows_departments_with_head_counts_and_links(
    login: Callable[[Any], Client], org: dict[str, Any]
) -> None:
    root, sales, rd = (org["departments"][k] for k in ("root", "sales", "rd"))
    EmployeeFactory.create(department=rd, status=Employee.Status.TERMINATED)
    response = login(org["users"]["employee"]).get(reverse("org:department_list"))
    html = response.content.decode()
    assert response.status_code == 200
    tree = response.context["tree"]
    assert [
        (n["department"], n["total"], [(c["department"], c["total"]) for c in n["children"]]) for n in tree
    ] == [
        (root, 4, [(rd, 1), (sales, 3)]),
    ]
    assert f'<a class="tree-name" href="/org/employees/?department={sales.pk}&amp;sub=1">Sales</a>' in html
    assert (
        f'href="/org/employees/?department={sales.pk}" title="People in this department itself">3 people</a>'
        in html
    )
    assert (
        f'href="/org/employees/?department={rd.pk}" title="People in this department itself">1 person</a>'
        in html
    )
    assert '<span class="badge" title="Including all sub-departments">4 in total</span>' in html
    assert "New department" not in html
    assert "/edit/" not in html


def test_hr_sees_create_and_edit_links(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    html = login(org["users"]["hr"]).get(reverse("org:department_list")).content.decode()
    assert '<a class="btn btn-primary" href="/org/departments/new/">New department</a>' in html
    for dept in org["departments"].values():
        assert f'href="/org/departments/{dept.pk}/edit/"' in html


def test_empty_tree(login: Callable[[Any], Client], db: Any) -> None:
    html = (
        login(UserFactory.create(username="boss", role=Role.HR_ADMIN))
        .get(reverse("org:department_list"))
        .content.decode()
    )
    assert '<p class="empty">No departments yet.</p>' in html


def test_candidate_may_not_see_departments(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    response = login(org["users"]["candidate"]).get(reverse("org:department_list"))
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client: Client, db: Any) -> None:
    response = client.get(reverse("org:department_list"))
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/org/departments/"


def test_hr_creates_a_department(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    client = login(org["users"]["hr"])
    form_page = client.get(reverse("org:department_create"))
    assert form_page.status_code == 200
    assert [label for _value, label in form_page.context["form"].fields["parent"].choices] == [
        "— None (top level) —",
        "Headquarters",
        "— R&D",
        "— Sales",
    ]
    response = client.post(
        reverse("org:department_create"),
        {
            "code": "SALES-E",
            "name": "华东销售",
            "name_en": "Sales East",
            "parent": org["departments"]["sales"].pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/org/departments/"
    dept = Department.objects.get(code="SALES-E")
    assert (dept.name, dept.name_en, dept.parent) == ("华东销售", "Sales East", org["departments"]["sales"])
    assert list(
        AuditEntry.objects.filter(object_type="org.department").values_list("object_id", "action")
    ) == [
        (str(dept.pk), "create"),
    ]


def test_duplicate_code_is_shown_on_the_field(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    response = login(org["users"]["hr"]).post(
        reverse("org:department_create"), {"code": "RD", "name": "另一个"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"code": ["Another department already uses the code “RD”."]}
    assert (
        '<ul class="errorlist field-error" id="id_code_error">'
        "<li>Another department already uses the code “RD”.</li></ul>" in response.content.decode()
    )
    assert Department.objects.count() == 3


def test_missing_name_is_refused_by_the_form(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    response = login(org["users"]["hr"]).post(reverse("org:department_create"), {"code": "X", "name": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert Department.objects.count() == 3


@pytest.mark.parametrize("role", ["recruiter", "manager", "employee"])
def test_only_hr_may_create(login: Callable[[Any], Client], org: dict[str, Any], role: str) -> None:
    client = login(org["users"][role])
    assert client.get(reverse("org:department_create")).status_code == 403
    response = client.post(reverse("org:department_create"), {"code": "NEW", "name": "新部门"})
    assert response.status_code == 403
    assert not Department.objects.filter(code="NEW").exists()


def test_hr_edits_a_department(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    rd = org["departments"]["rd"]
    client = login(org["users"]["hr"])
    form = client.get(reverse("org:department_edit", args=[rd.pk])).context["form"]
    assert form.initial == {
        "code": "RD",
        "name": "研发部",
        "name_en": "R&D",
        "parent": org["departments"]["root"].pk,
    }
    response = client.post(
        reverse("org:department_edit", args=[rd.pk]),
        {
            "code": "RD",
            "name": "研究开发部",
            "name_en": "R&D",
            "parent": org["departments"]["sales"].pk,
        },
    )
    assert response.status_code == 302
    rd.refresh_from_db()
    assert (rd.name, rd.parent) == ("研究开发部", org["departments"]["sales"])
    changes = AuditEntry.objects.filter(object_type="org.department", object_id=str(rd.pk))
    assert sorted(changes.values_list("field", "old_value", "new_value")) == [
        ("name", "研发部", "研究开发部"),
        ("parent", str(org["departments"]["root"].pk), str(org["departments"]["sales"].pk)),
    ]


def test_parent_loop_is_shown_on_the_parent_field(
    login: Callable[[Any], Client], org: dict[str, Any]
) -> None:
    root, sales = org["departments"]["root"], org["departments"]["sales"]
    east = DepartmentFactory.create(code="SALES-E", name="华东销售", parent=sales)
    response = login(org["users"]["hr"]).post(
        reverse("org:department_edit", args=[root.pk]),
        {
            "code": "HQ",
            "name": "集团总部",
            "parent": east.pk,
        },
    )
    message = "A department cannot sit below itself or one of its own sub-departments."
    assert response.status_code == 400
    assert response.context["form"].errors == {"parent": [message]}
    assert (
        f'<ul class="errorlist field-error" id="id_parent_error"><li>{message}</li></ul>'
        in response.content.decode()
    )
    root.refresh_from_db()
    assert (root.name, root.parent) == ("总部", None)


def test_unknown_parent_is_refused(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    rd = org["departments"]["rd"]
    response = login(org["users"]["hr"]).post(
        reverse("org:department_edit", args=[rd.pk]),
        {
            "code": "RD",
            "name": "研发部",
            "parent": 999999,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "parent": ["Select a valid choice. 999999 is not one of the available choices."]
    }


def test_editing_a_missing_department_is_404(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    response = login(org["users"]["hr"]).get(reverse("org:department_edit", args=[999999]))
    assert response.status_code == 404
    assert "No such department." in response.content.decode()


def test_only_hr_may_edit(login: Callable[[Any], Client], org: dict[str, Any]) -> None:
    rd = org["departments"]["rd"]
    client = login(org["users"]["manager"])
    assert client.get(reverse("org:department_edit", args=[rd.pk])).status_code == 403
    response = client.post(reverse("org:department_edit", args=[rd.pk]), {"code": "RD", "name": "改名"})
    assert response.status_code == 403
    rd.refresh_from_db()
    assert rd.name == "研发部"
