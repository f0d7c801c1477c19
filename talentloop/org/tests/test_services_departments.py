"""The organisation's write rules for departments: permissions, validation, the audit log."""

from __future__ import annotations

from typing import Any

import pytest

from talentloop.core.errors import PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.core.testing.factories import DepartmentFactory
from talentloop.org import services
from talentloop.org.models import Department
from talentloop.org.tests._services_support import NON_HR, audit_rows, field_errors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_translation")]


# --- departments -------------------------------------------------------------------------------------------


def test_department_create_writes_the_row_and_one_audit_entry(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    dept = services.department_create(
        actor=hr, code=" OPS ", name=" 运营部 ", name_en="Operations", parent=org["departments"]["root"]
    )
    dept.refresh_from_db()
    assert (dept.code, dept.name, dept.name_en, dept.parent_id) == (
        "OPS",
        "运营部",
        "Operations",
        org["departments"]["root"].pk,
    )
    assert audit_rows(dept) == [("hr", "create", "", "", "")]


@pytest.mark.parametrize("role", NON_HR)
def test_department_writes_are_for_hr_only(org: dict[str, Any], role: str) -> None:
    actor = org["users"][role]
    sales = org["departments"]["sales"]
    with pytest.raises(PermissionDenied):
        services.department_create(actor=actor, code="OPS", name="运营部")
    with pytest.raises(PermissionDenied):
        services.department_update(actor=actor, department=sales, changes={"name": "改名"})
    sales.refresh_from_db()
    assert sales.name == "销售部"
    assert Department.objects.count() == 3
    assert AuditEntry.objects.count() == 0


def test_department_code_must_be_unique_and_name_given(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.department_create(actor=org["users"]["hr"], code="SALES", name=" ")
    assert field_errors(exc) == {
        "code": ["Another department already uses the code “SALES”."],
        "name": ["A department needs a name."],
    }
    assert Department.objects.count() == 3


def test_department_cannot_move_below_itself_or_its_subtree(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    root, sales = org["departments"]["root"], org["departments"]["sales"]
    team = DepartmentFactory(code="SALES-N", parent=sales)
    message = ["A department cannot sit below itself or one of its own sub-departments."]
    for parent in (root, sales, team):
        with pytest.raises(ValidationFailed) as exc:
            services.department_update(actor=hr, department=root, changes={"parent": parent})
        assert field_errors(exc) == {"parent": message}
    root.refresh_from_db()
    assert root.parent_id is None
    assert AuditEntry.objects.count() == 0


def test_department_update_audits_each_changed_field(org: dict[str, Any]) -> None:
    hr = org["users"]["hr"]
    sales, rd = org["departments"]["sales"], org["departments"]["rd"]
    services.department_update(
        actor=hr, department=sales, changes={"name": "销售中心", "name_en": "Sales", "parent": rd}
    )
    sales.refresh_from_db()
    assert (sales.name, sales.parent_id) == ("销售中心", rd.pk)
    assert sorted(audit_rows(sales)) == [
        ("hr", "update", "name", "销售部", "销售中心"),
        ("hr", "update", "parent", str(org["departments"]["root"].pk), str(rd.pk)),
    ]


def test_department_update_without_a_change_writes_no_audit_entry(org: dict[str, Any]) -> None:
    sales = org["departments"]["sales"]
    services.department_update(actor=org["users"]["hr"], department=sales, changes={"name": "销售部"})
    assert audit_rows(sales) == []
