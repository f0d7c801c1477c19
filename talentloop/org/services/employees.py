from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.access import HR, has_role, require_role
from talentloop.core.errors import PermissionDenied
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record

from ..identity import InvalidIdNumber, mask_id_number, parse_id_number
from ..models import Employee, EmployeeEvent
from ._common import Errors, apply_changes, comparable, others, walk_up

FIELDS = {
    "employee_no", "name", "english_name", "gender", "birth_date", "id_number", "phone", "email",
    "department", "level", "job", "manager", "hire_date", "left_on", "status", "user",
}
SELF_SERVICE_FIELDS = {"phone", "email", "english_name"}
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
_TRACKED = {
    "department": EmployeeEvent.Kind.DEPARTMENT_CHANGED,
    "job": EmployeeEvent.Kind.JOB_CHANGED,
    "manager": EmployeeEvent.Kind.MANAGER_CHANGED,
    "status": EmployeeEvent.Kind.STATUS_CHANGED,
}


def _manager_id(employee_id: int) -> int | None:
    return Employee.objects.filter(pk=employee_id).values_list("manager_id", flat=True).first()


def _normalise(data: Mapping[str, Any]) -> dict[str, Any]:
    clean = dict(data)
    for key in ("employee_no", "name", "english_name", "phone", "email", "id_number"):
        if isinstance(clean.get(key), str):
            clean[key] = clean[key].strip()
    if clean.get("id_number"):
        clean["id_number"] = clean["id_number"].upper()
    return clean


def _validate(errors: Errors, data: dict[str, Any], employee: Employee | None) -> None:
    own_pk = employee.pk if employee else None
    number = data.get("employee_no") or ""
    if not number:
        errors.add("employee_no", _("An employee needs an employee number."))
    elif others(Employee.objects.filter(employee_no=number), own_pk).exists():
        errors.add("employee_no", _("Employee number %(no)s is already in use.") % {"no": number})
    if not data.get("name"):
        errors.add("name", _("An employee needs a name."))
    if data.get("department") is None:
        errors.add("department", _("An employee belongs to a department."))
    if data.get("gender", Employee.Gender.UNDISCLOSED) not in Employee.Gender.values:
        errors.add("gender", _("Unknown gender value."))
    if data.get("status", Employee.Status.ACTIVE) not in Employee.Status.values:
        errors.add("status", _("Unknown employment status."))
    phone = data.get("phone") or ""
    if phone and not _PHONE.match(phone):
        errors.add("phone", _("Enter a phone number of digits, optionally starting with +."))
    email = data.get("email") or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("email", _("Enter a valid email address."))
    login = data.get("user")
    if login is not None and others(Employee.objects.filter(user=login), own_pk).exists():
        errors.add("user", _("This login already belongs to another employee."))
    _validate_identity(errors, data, own_pk)
    _validate_dates(errors, data)
    _validate_manager(errors, data, employee)


def _validate_identity(errors: Errors, data: dict[str, Any], own_pk: int | None) -> None:
    id_number = data.get("id_number") or ""
    if not id_number:
        return
    try:
        info = parse_id_number(id_number)
    except InvalidIdNumber:
        errors.add("id_number", _(
            "This is not a valid resident ID number (check the 18 characters and the last check digit)."
        ))
        return
    data["id_number"] = info.number
    if data.get("birth_date") and data["birth_date"] != info.birth_date:
        message = _("The birth date does not match the one in the ID number (%(date)s).")
        errors.add("birth_date", message % {"date": info.birth_date})
    elif not data.get("birth_date"):
        data["birth_date"] = info.birth_date
    if data.get("gender") in (Employee.Gender.MALE, Employee.Gender.FEMALE) and data["gender"] != info.gender:
        errors.add("gender", _("The gender does not match the one encoded in the ID number."))
    if others(Employee.objects.filter(id_number=info.number), own_pk).exists():
        errors.add("id_number", _("Another employee already has this ID number."))


def _validate_dates(errors: Errors, data: dict[str, Any]) -> None:
    birth: dt.date | None = data.get("birth_date")
    hire: dt.date | None = data.get("hire_date")
    today = timezone.localdate()
    if birth and birth > today:
        errors.add("birth_date", _("The birth date is in the future."))
    if birth and hire and hire < birth:
        errors.add("hire_date", _("The hire date is before the birth date."))
    left: dt.date | None = data.get("left_on")
    if left and data.get("status", Employee.Status.ACTIVE) != Employee.Status.TERMINATED:
        errors.add("left_on", _("Only an employee who has left has a leaving date."))
    elif left and hire and left < hire:
        errors.add("left_on", _("The leaving date is before the hire date."))
    elif left and left > today:
        errors.add("left_on", _("The leaving date is in the future."))


def _validate_manager(errors: Errors, data: dict[str, Any], employee: Employee | None) -> None:
    manager: Employee | None = data.get("manager")
    if manager is None or employee is None:
        return
    if manager.pk == employee.pk:
        errors.add("manager", _("An employee cannot be their own manager."))
    elif employee.pk in walk_up(manager.pk, _manager_id):
        errors.add(
            "manager",
            _("This would create a reporting loop: %(manager)s already reports to %(employee)s.")
            % {"manager": manager.name, "employee": employee.name},
        )


@transaction.atomic
def employee_create(*, actor: User, data: Mapping[str, Any]) -> Employee:
    require_role(actor, HR)
    clean = _normalise({k: v for k, v in data.items() if k in FIELDS})
    errors = Errors()
    _validate(errors, clean, None)
    errors.raise_if_any()
    employee = Employee.objects.create(**clean)
    audit_record(actor=actor, obj=employee, action=AuditEntry.Action.CREATE)
    EmployeeEvent.objects.create(
        employee=employee,
        kind=EmployeeEvent.Kind.JOINED if employee.hire_date else EmployeeEvent.Kind.PROFILE_CREATED,
        occurred_on=employee.hire_date or timezone.localdate(),
        summary=str(employee.department),
        data={"department": employee.department_id, "job": employee.job_id},
        actor=actor,
    )
    return employee


def _allowed_fields(actor: User, employee: Employee) -> set[str]:
    if has_role(actor, HR):
        return FIELDS
    if employee.user_id is not None and employee.user_id == actor.pk:
        return SELF_SERVICE_FIELDS
    raise PermissionDenied(_("You may not change this employee's record."))


# Any fixed number: the key of the one lock that serialises changes of reporting lines.
_REPORTING_LINE_LOCK = 7_364_201


def _serialise_reporting_line_changes() -> None:
    """Two managers changed at once (A under B, B under A) could each pass the loop check. PostgreSQL runs
    writers concurrently, so these changes take a transaction-scoped lock; SQLite already runs one writer
    at a time. Manager changes are rare, so the lock costs nothing in practice."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REPORTING_LINE_LOCK])


@transaction.atomic
def employee_update(*, actor: User, employee: Employee, changes: Mapping[str, Any]) -> Employee:
    allowed = _allowed_fields(actor, employee)
    clean = _normalise(changes)
    # A field sent with its current value is no change (an API client may send the whole record back).
    refused = sorted(
        f for f, v in clean.items()
        if f not in allowed and (f not in FIELDS or comparable(getattr(employee, f)) != comparable(v))
    )
    if refused:
        raise PermissionDenied(
            _("You may not change these fields: %(fields)s.") % {"fields": ", ".join(refused)}
        )
    clean = {f: v for f, v in clean.items() if f in allowed}
    _default_leaving_date(employee, clean)
    if "manager" in clean:
        _serialise_reporting_line_changes()
    merged = {f: getattr(employee, f) for f in FIELDS} | clean
    errors = Errors()
    _validate(errors, merged, employee)
    errors.raise_if_any()
    birth_from_id = "id_number" in clean and not clean.get("birth_date") and not employee.birth_date
    if birth_from_id and merged.get("birth_date"):
        clean["birth_date"] = merged["birth_date"]
    if clean.get("id_number"):
        clean["id_number"] = merged["id_number"]
    diff = apply_changes(employee, clean, allowed | ({"birth_date"} if "id_number" in clean else set()))
    if not diff:
        return employee
    employee.save()
    audit_record(
        actor=actor, obj=employee, action=AuditEntry.Action.UPDATE,
        changes={k: (mask_id_number(old), mask_id_number(new)) if k == "id_number" else (old, new)
                 for k, (old, new) in diff.items()},
    )
    today = timezone.localdate()
    EmployeeEvent.objects.bulk_create(
        EmployeeEvent(
            employee=employee, kind=kind, occurred_on=today, actor=actor,
            summary=f"{diff[field][0] or '—'} → {diff[field][1] or '—'}",
            data={"field": field, "from": _plain(diff[field][0]), "to": _plain(diff[field][1])},
        )
        for field, kind in _TRACKED.items() if field in diff
    )
    return employee


def _default_leaving_date(employee: Employee, clean: dict[str, Any]) -> None:
    """Leaving sets the leaving date (today unless one is given); coming back clears it (unless one is given,
    which the validation then refuses)."""
    new_status = clean.get("status", employee.status)
    if new_status == employee.status:
        return
    if new_status == Employee.Status.TERMINATED:
        if not clean.get("left_on"):
            clean["left_on"] = timezone.localdate()
    elif employee.status == Employee.Status.TERMINATED and not clean.get("left_on"):
        clean["left_on"] = None


def _plain(value: Any) -> Any:
    return getattr(value, "pk", value)
