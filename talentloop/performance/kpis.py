"""Writes of the KPI library and of employees' KPI targets and actuals. Reads are in kpi_selectors.py.

The library is HR's. A target (one KPI of one employee in one cycle) is written by HR, or by a manager for
their team (direct and indirect reports); a manager's own targets are set by their manager or HR, and an
employee only reads theirs. An employee's weights in a cycle add up to 100% at most. A target's value must
lie beyond the KPI's threshold in its direction, so floor → threshold → target is a scale the score can run
along (talentloop.assessment.kpi). Nothing changes in a closed cycle."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from talentloop.core.access import HR, require_role, role_of
from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry, Role, User
from talentloop.core.services import audit_record
from talentloop.org.models import Competency, Employee

from .kpi_selectors import KPI_TARGET_WRITERS
from .models import KeyResult, Kpi, KpiTarget, PerformanceCycle
from .selectors import employee_in_team, employee_of
from .services import MAX_WEIGHT, _apply, _Errors, _number

_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_INCREASE = KeyResult.Direction.INCREASE
_DECREASE = KeyResult.Direction.DECREASE
KPI_FIELDS = (
    "code", "name", "name_en", "formula", "unit", "direction", "floor_value", "threshold_value", "target_value",
    "competency", "is_active",
)


def _beyond(a: Decimal, b: Decimal, direction: str) -> bool:
    """Whether `a` is strictly further than `b` in the direction (above for increase, below for decrease)."""
    return a > b if direction == _INCREASE else a < b


# --- the library ----------------------------------------------------------------------------------------------


def _validate_kpi(errors: _Errors, values: Mapping[str, Any], *, kpi: Kpi | None) -> None:
    code = str(values.get("code", "")).strip()
    if not _CODE.match(code) or len(code) > 40:
        errors.add("code", _("Use up to 40 lower-case English letters, digits, hyphens and underscores, e.g. "
                             "sales_revenue."))
    elif Kpi.objects.filter(code=code).exclude(pk__in=[kpi.pk] if kpi else []).exists():
        errors.add("code", _("Another KPI already has the code “%(code)s”.") % {"code": code})
    if not str(values.get("name", "")).strip():
        errors.add("name", _("A KPI needs a name."))
    direction = values.get("direction")
    if direction not in (_INCREASE, _DECREASE):
        errors.add("direction", _("The direction is “increase” or “decrease”."))
        return
    floor, threshold, target = values["floor_value"], values["threshold_value"], values["target_value"]
    if not _beyond(threshold, floor, direction):
        errors.add("threshold_value", (
            _("For a KPI that should increase, the threshold (%(threshold)s) must be above the floor (%(floor)s).")
            if direction == _INCREASE else
            _("For a KPI that should decrease, the threshold (%(threshold)s) must be below the floor (%(floor)s).")
        ) % {"threshold": _number(threshold), "floor": _number(floor)})
    if not _beyond(target, threshold, direction):
        errors.add("target_value", _target_message(direction, target=target, threshold=threshold))
    if kpi is not None and kpi.pk is not None:
        _validate_against_targets(errors, kpi, direction=direction, threshold=threshold)


def _target_message(direction: str, *, target: Decimal, threshold: Decimal) -> str:
    return (
        _("For a KPI that should increase, the target (%(target)s) must be above the threshold (%(threshold)s).")
        if direction == _INCREASE else
        _("For a KPI that should decrease, the target (%(target)s) must be below the threshold (%(threshold)s).")
    ) % {"target": _number(target), "threshold": _number(threshold)}


def _validate_against_targets(errors: _Errors, kpi: Kpi, *, direction: str, threshold: Decimal) -> None:
    """Employees' targets must stay beyond the threshold, or their scores would have no scale."""
    targets = kpi.targets.all()
    if direction != kpi.direction and targets.exists():
        errors.add("direction", _("Employees already have targets for this KPI, so its direction cannot change."))
        return
    stranded = targets.filter(
        Q(target_value__lte=threshold) if direction == _INCREASE else Q(target_value__gte=threshold)
    ).count()
    if stranded:
        errors.add("threshold_value", ngettext(
            "%(count)d employee target of this KPI is not beyond the threshold %(threshold)s; change it first.",
            "%(count)d employee targets of this KPI are not beyond the threshold %(threshold)s; change them first.",
            stranded,
        ) % {"count": stranded, "threshold": _number(threshold)})


def _clean_kpi_values(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for field in ("code", "name", "name_en", "unit"):
        if field in cleaned:
            cleaned[field] = str(cleaned[field] or "").strip()
    return cleaned


@transaction.atomic
def kpi_create(
    *,
    actor: User,
    code: str,
    name: str,
    floor_value: Decimal,
    threshold_value: Decimal,
    target_value: Decimal,
    direction: str = _INCREASE,
    name_en: str = "",
    formula: str = "",
    unit: str = "",
    competency: Competency | None = None,
    is_active: bool = True,
) -> Kpi:
    """A new indicator in the library (HR only)."""
    require_role(actor, HR)
    values = _clean_kpi_values({
        "code": code, "name": name, "name_en": name_en, "formula": formula, "unit": unit, "direction": direction,
        "floor_value": floor_value, "threshold_value": threshold_value, "target_value": target_value,
        "competency": competency, "is_active": is_active,
    })
    errors = _Errors()
    _validate_kpi(errors, values, kpi=None)
    errors.raise_if_any()
    kpi = Kpi.objects.create(**values)
    audit_record(actor=actor, obj=kpi, action=AuditEntry.Action.CREATE)
    return kpi


@transaction.atomic
def kpi_update(*, actor: User, kpi: Kpi, changes: Mapping[str, Any]) -> Kpi:
    """Change an indicator (HR only). Employees' targets keep their own target values; the floor and threshold
    they are scored against are the library's, so a change moves their scores."""
    require_role(actor, HR)
    kpi = Kpi.objects.select_for_update().get(pk=kpi.pk)
    values = _clean_kpi_values({**{f: getattr(kpi, f) for f in KPI_FIELDS}, **changes})
    errors = _Errors()
    _validate_kpi(errors, values, kpi=kpi)
    errors.raise_if_any()
    diff = _apply(kpi, values, KPI_FIELDS)
    if diff:
        kpi.save()
        audit_record(actor=actor, obj=kpi, action=AuditEntry.Action.UPDATE, changes=diff)
    return kpi


@transaction.atomic
def kpi_delete(*, actor: User, kpi: Kpi) -> None:
    """Remove an indicator nobody has a target for (HR only); one in use is retired instead."""
    require_role(actor, HR)
    if kpi.targets.exists():
        raise Conflict(_("Employees have targets for this KPI; retire it (untick “active”) instead of deleting it."))
    audit_record(actor=actor, obj=kpi, action=AuditEntry.Action.DELETE)
    kpi.delete()


# --- targets --------------------------------------------------------------------------------------------------


def _require_target_write(*, actor: User, employee: Employee) -> None:
    """Refuse, with the reason, unless the actor may set this employee's KPI targets."""
    role = role_of(actor)
    if role == Role.HR_ADMIN:
        return
    if role not in KPI_TARGET_WRITERS:
        if role == Role.EMPLOYEE:
            raise PermissionDenied(_("Your manager or HR sets KPI targets and actuals; you can read your own."))
        require_role(actor, KPI_TARGET_WRITERS)
    me = employee_of(actor)
    if me is None:
        raise PermissionDenied(_("Your login is not linked to an employee record, so it has no team to manage."))
    if me.pk == employee.pk:
        raise PermissionDenied(_("Your own KPI targets are set by your manager or HR."))
    if not employee_in_team(manager=me, employee=employee):
        raise PermissionDenied(_("You can only set the KPI targets of your own team."))


def _require_open(cycle: PerformanceCycle) -> None:
    if cycle.phase == PerformanceCycle.Phase.CLOSED:
        raise Conflict(
            _("The cycle “%(name)s” is closed; its KPI targets can no longer change.") % {"name": cycle.name}
        )


def kpi_target_require_write(*, actor: User, employee: Employee, cycle: PerformanceCycle | None = None) -> None:
    """Refuse (PermissionDenied, or Conflict for a closed cycle) unless the actor may write these targets now."""
    _require_target_write(actor=actor, employee=employee)
    if cycle is not None:
        _require_open(cycle)


def _lock_employee(employee: Employee) -> None:
    """Lock the employee's row until the transaction ends, so concurrent writes of their weights add up."""
    Employee.objects.select_for_update().filter(pk=employee.pk).values_list("pk", flat=True).first()


def _validate_weight(
    errors: _Errors, *, cycle: PerformanceCycle, employee: Employee, weight: Decimal, target: KpiTarget | None
) -> None:
    if not Decimal(0) < weight <= MAX_WEIGHT:
        errors.add("weight", _("A weight is a percentage above 0 and at most 100."))
        return
    others = KpiTarget.objects.filter(cycle=cycle, employee=employee)
    if target is not None:
        others = others.exclude(pk=target.pk)
    total = (others.aggregate(total=Sum("weight"))["total"] or Decimal(0)) + weight
    if total > MAX_WEIGHT:
        errors.add("weight", _(
            "The KPI targets of %(name)s in this cycle would weigh %(total)s%% together; at most 100%% is allowed."
        ) % {"name": employee.name, "total": _number(total)})


@transaction.atomic
def kpi_target_create(
    *,
    actor: User,
    cycle: PerformanceCycle,
    employee: Employee,
    kpi: Kpi,
    weight: Decimal,
    target_value: Decimal | None = None,
    actual_value: Decimal | None = None,
    comment: str = "",
) -> KpiTarget:
    """Give an employee a KPI in a cycle; the target defaults to the library's."""
    _require_target_write(actor=actor, employee=employee)
    _require_open(cycle)
    _lock_employee(employee)
    target_value = kpi.target_value if target_value is None else target_value
    errors = _Errors()
    if not cycle.employees.filter(pk=employee.pk).exists():
        errors.add(
            "employee",
            _("%(name)s does not take part in the cycle “%(cycle)s”.") % {"name": employee.name, "cycle": cycle.name},
        )
    if not kpi.is_active:
        errors.add("kpi", _("The KPI “%(name)s” is retired; choose an active one.") % {"name": kpi.name})
    elif KpiTarget.objects.filter(cycle=cycle, employee=employee, kpi=kpi).exists():
        errors.add("kpi", _("%(name)s already has the KPI “%(kpi)s” in this cycle.") % {
            "name": employee.name, "kpi": kpi.name,
        })
    if not _beyond(target_value, kpi.threshold_value, kpi.direction):
        errors.add("target_value", _target_message(kpi.direction, target=target_value, threshold=kpi.threshold_value))
    _validate_weight(errors, cycle=cycle, employee=employee, weight=weight, target=None)
    errors.raise_if_any()
    target = KpiTarget.objects.create(
        cycle=cycle, employee=employee, kpi=kpi, target_value=target_value, actual_value=actual_value,
        weight=weight, comment=comment.strip(),
    )
    audit_record(actor=actor, obj=target, action=AuditEntry.Action.CREATE)
    return target


@transaction.atomic
def kpi_target_update(*, actor: User, target: KpiTarget, changes: Mapping[str, Any]) -> KpiTarget:
    """Change a target's value, actual, weight or comment. Its cycle, employee and KPI are fixed."""
    _require_target_write(actor=actor, employee=target.employee)
    _require_open(target.cycle)
    for field in ("cycle", "employee", "kpi"):
        if field in changes and getattr(changes[field], "pk", changes[field]) != getattr(target, f"{field}_id"):
            raise ValidationFailed(
                _("A KPI target keeps its cycle, employee and KPI; delete it and add another instead."), field=field
            )
    _lock_employee(target.employee)
    target = KpiTarget.objects.select_related("kpi", "cycle", "employee").get(pk=target.pk)
    errors = _Errors()
    target_value = changes.get("target_value", target.target_value)
    if target_value is None:
        errors.add("target_value", _("A KPI target needs a target value."))
    elif not _beyond(target_value, target.kpi.threshold_value, target.kpi.direction):
        message = _target_message(target.kpi.direction, target=target_value, threshold=target.kpi.threshold_value)
        errors.add("target_value", message)
    _validate_weight(
        errors, cycle=target.cycle, employee=target.employee, weight=changes.get("weight", target.weight), target=target
    )
    errors.raise_if_any()
    values = dict(changes)
    if "comment" in values:
        values["comment"] = str(values["comment"] or "").strip()
    diff = _apply(target, values, ("target_value", "actual_value", "weight", "comment"))
    if diff:
        target.save()
        audit_record(actor=actor, obj=target, action=AuditEntry.Action.UPDATE, changes=diff)
    return target


@transaction.atomic
def kpi_target_delete(*, actor: User, target: KpiTarget) -> None:
    _require_target_write(actor=actor, employee=target.employee)
    _require_open(target.cycle)
    audit_record(actor=actor, obj=target, action=AuditEntry.Action.DELETE)
    target.delete()


@transaction.atomic
def kpi_actuals_set(
    *, actor: User, cycle: PerformanceCycle, employee: Employee, actuals: Mapping[int, Decimal | None]
) -> list[KpiTarget]:
    """Enter several actuals of one employee in a cycle at once ({target id: value or None}); all or nothing."""
    _require_target_write(actor=actor, employee=employee)
    _require_open(cycle)
    targets = {t.pk: t for t in KpiTarget.objects.filter(cycle=cycle, employee=employee).select_related("kpi")}
    unknown = sorted(pk for pk in actuals if pk not in targets)
    if unknown:
        raise ValidationFailed(
            _("No KPI target of %(name)s in this cycle has the id %(ids)s.")
            % {"name": employee.name, "ids": ", ".join(str(pk) for pk in unknown[:20])},
            field="actuals",
        )
    changed: list[KpiTarget] = []
    for pk, value in actuals.items():
        target = targets[pk]
        old = target.actual_value
        if old == value:
            continue
        target.actual_value = value
        target.save(update_fields=["actual_value", "updated_at"])
        audit_record(actor=actor, obj=target, action=AuditEntry.Action.UPDATE, changes={"actual_value": (old, value)})
        changed.append(target)
    return changed
