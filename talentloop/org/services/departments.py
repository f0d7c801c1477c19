from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from talentloop.core.access import HR, require_role
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record

from ..models import Department
from ._common import Errors, apply_changes, others, walk_up

_FIELDS = {"code", "name", "name_en", "parent"}


def _parent_id(dept_id: int) -> int | None:
    return Department.objects.filter(pk=dept_id).values_list("parent_id", flat=True).first()


def _validate(
    errors: Errors, *, code: str, name: str, dept: Department | None, parent: Department | None
) -> None:
    if not code.strip():
        errors.add("code", _("A department needs a code."))
    elif others(Department.objects.filter(code=code), dept.pk if dept else None).exists():
        errors.add("code", _("Another department already uses the code “%(code)s”.") % {"code": code})
    if not name.strip():
        errors.add("name", _("A department needs a name."))
    if dept is not None and parent is not None and dept.pk in walk_up(parent.pk, _parent_id):
        errors.add("parent", _("A department cannot sit below itself or one of its own sub-departments."))


@transaction.atomic
def department_create(
    *, actor: User, code: str, name: str, name_en: str = "", parent: Department | None = None
) -> Department:
    require_role(actor, HR)
    code, name, name_en = code.strip(), name.strip(), name_en.strip()
    errors = Errors()
    _validate(errors, code=code, name=name, dept=None, parent=parent)
    errors.raise_if_any()
    dept = Department.objects.create(code=code, name=name, name_en=name_en, parent=parent)
    audit_record(actor=actor, obj=dept, action=AuditEntry.Action.CREATE)
    return dept


@transaction.atomic
def department_update(*, actor: User, department: Department, changes: Mapping[str, Any]) -> Department:
    require_role(actor, HR)
    errors = Errors()
    _validate(
        errors,
        code=str(changes.get("code", department.code)),
        name=str(changes.get("name", department.name)),
        dept=department,
        parent=changes.get("parent", department.parent),
    )
    errors.raise_if_any()
    diff = apply_changes(department, changes, _FIELDS)
    if diff:
        department.save()
        audit_record(actor=actor, obj=department, action=AuditEntry.Action.UPDATE, changes=diff)
    return department
