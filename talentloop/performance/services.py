"""Writes of cycles and OKRs. Every function checks the actor's role and reach, validates, writes, audits.

Who may write an objective (and its key results and check-ins): HR any; a manager the personal objectives of
themself and their team (direct and indirect reports); an employee their own personal objectives. Company
and department objectives are HR's. Nothing changes in a closed cycle, and a closed objective's key results
take no more edits or check-ins (reopen the objective first)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from talentloop.core.access import HR, require_role, role_of
from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry, Role, User
from talentloop.core.services import audit_record
from talentloop.org.models import Department, Employee

from .models import CheckIn, KeyResult, Objective, PerformanceCycle
from .selectors import PERFORMANCE_ROLES, employee_in_team, employee_of, objective_visible

MAX_WEIGHT = Decimal("100")


class _Errors:
    """Messages per field, so one response names every problem at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: Any) -> None:
        self.by_field.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationFailed(errors=self.by_field)


def _apply(obj: Any, changes: Mapping[str, Any], fields: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    """Set the given fields that differ; return {field: (old, new)} for the audit log."""
    diff: dict[str, tuple[Any, Any]] = {}
    for field in fields:
        if field not in changes:
            continue
        old, new = getattr(obj, field), changes[field]
        if getattr(old, "pk", old) != getattr(new, "pk", new):
            diff[field] = (old, new)
            setattr(obj, field, new)
    return diff


def _number(value: Decimal) -> str:
    """A decimal as people write it: 110, 2.5 (not 110.00 or 1.1E+2)."""
    return format(Decimal(value).normalize(), "f")


# --- cycles -------------------------------------------------------------------------------------------------


def _participants(ids: Iterable[int], errors: _Errors) -> list[int]:
    wanted = sorted(set(ids))
    found = set(Employee.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        errors.add(
            "employees",
            _("No employee has the id %(ids)s.") % {"ids": ", ".join(str(pk) for pk in missing[:20])},
        )
    return wanted


def _validate_cycle(errors: _Errors, *, name: str, start: Any, end: Any) -> None:
    if not name.strip():
        errors.add("name", _("A performance cycle needs a name."))
    if start is not None and end is not None and end <= start:
        errors.add("end", _("A performance cycle must end after it starts."))


@transaction.atomic
def cycle_create(
    *,
    actor: User,
    name: str,
    start: Any,
    end: Any,
    kind: str = PerformanceCycle.Kind.QUARTERLY,
    method: str = PerformanceCycle.Method.OKR,
    phase: str = PerformanceCycle.Phase.GOAL_SETTING,
    employees: Iterable[int] = (),
) -> PerformanceCycle:
    """A new cycle (HR only) with its participants, given as employee ids."""
    require_role(actor, HR)
    errors = _Errors()
    _validate_cycle(errors, name=name, start=start, end=end)
    ids = _participants(employees, errors)
    errors.raise_if_any()
    cycle = PerformanceCycle.objects.create(
        name=name.strip(), start=start, end=end, kind=kind, method=method, phase=phase
    )
    cycle.employees.set(ids)
    audit_record(actor=actor, obj=cycle, action=AuditEntry.Action.CREATE)
    return cycle


@transaction.atomic
def cycle_update(*, actor: User, cycle: PerformanceCycle, changes: Mapping[str, Any]) -> PerformanceCycle:
    """Change a cycle (HR only). `employees`, when given, replaces the participants."""
    require_role(actor, HR)
    errors = _Errors()
    _validate_cycle(
        errors, name=str(changes.get("name", cycle.name)),
        start=changes.get("start", cycle.start), end=changes.get("end", cycle.end),
    )
    ids = _participants(changes["employees"], errors) if "employees" in changes else None
    errors.raise_if_any()
    values = {**changes, "name": str(changes.get("name", cycle.name)).strip()}
    diff = _apply(cycle, values, ("name", "kind", "method", "start", "end", "phase"))
    if diff:
        cycle.save()
    if ids is not None:
        before = set(cycle.employees.values_list("pk", flat=True))
        if before != set(ids):
            cycle.employees.set(ids)
            # The count, not the ids: a company-wide cycle has thousands of participants.
            diff["employees"] = (len(before), len(ids))
    if diff:
        audit_record(actor=actor, obj=cycle, action=AuditEntry.Action.UPDATE, changes=diff)
    return cycle


# --- who may write an objective -----------------------------------------------------------------------------


def _require_objective_write(*, actor: User, level: str, owner: Employee | None) -> None:
    """Refuse, with the reason, unless the actor may write an objective of this level and owner."""
    role = role_of(actor)
    if role == Role.HR_ADMIN:
        return
    require_role(actor, PERFORMANCE_ROLES)
    if level != Objective.Level.PERSONAL:
        raise PermissionDenied(_("Only HR can set company and department objectives."))
    me = employee_of(actor)
    if me is None:
        raise PermissionDenied(_("Your login is not linked to an employee record, so it has no OKRs to manage."))
    if owner is None or owner.pk == me.pk:
        return
    if role == Role.HIRING_MANAGER:
        if employee_in_team(manager=me, employee=owner):
            return
        raise PermissionDenied(_("You can only manage the OKRs of your own team."))
    raise PermissionDenied(_("You can only edit your own personal objectives."))


def _require_open_cycle(cycle: PerformanceCycle) -> None:
    if cycle.phase == PerformanceCycle.Phase.CLOSED:
        raise Conflict(_("The cycle “%(name)s” is closed; its OKRs can no longer change.") % {"name": cycle.name})


def _require_open_objective(objective: Objective) -> None:
    _require_open_cycle(objective.cycle)
    if objective.status == Objective.Status.CLOSED:
        raise Conflict(_("This objective is closed; reopen it before changing its key results."))


# --- objectives ---------------------------------------------------------------------------------------------


def _validate_objective(
    errors: _Errors, *, actor: User, objective: Objective | None, cycle: PerformanceCycle, level: str,
    title: str, owner: Employee | None, department: Department | None, parent: Objective | None,
) -> None:
    if not title.strip():
        errors.add("title", _("An objective needs a title."))
    if level == Objective.Level.PERSONAL:
        if owner is None:
            errors.add("owner_employee", _("A personal objective needs an owner."))
        elif not cycle.employees.filter(pk=owner.pk).exists():
            errors.add(
                "owner_employee",
                _("%(name)s does not take part in the cycle “%(cycle)s”.") % {"name": owner.name, "cycle": cycle.name},
            )
        if department is not None:
            errors.add("department", _("A personal objective belongs to its owner, not to a department."))
    else:
        if owner is not None:
            errors.add("owner_employee", _("Only personal objectives have an owner."))
        if level == Objective.Level.DEPARTMENT and department is None:
            errors.add("department", _("A department objective needs a department."))
        if level == Objective.Level.COMPANY and department is not None:
            errors.add("department", _("A company objective belongs to no department."))
    if parent is not None:
        if not objective_visible(user=actor).filter(pk=parent.pk).exists():
            errors.add("parent", _("You cannot align with an objective you cannot see."))
        elif parent.cycle_id != cycle.pk:
            errors.add("parent", _("An objective can only align with an objective of the same cycle."))
        elif objective is not None and objective.pk in _ancestors(parent):
            errors.add("parent", _("An objective cannot align with itself or one of the objectives aligned with it."))


def _ancestors(objective: Objective, limit: int = 1000) -> list[int]:
    """Ids from this objective up to the top of its alignment tree."""
    seen: list[int] = []
    current: int | None = objective.pk
    while current is not None and current not in seen and len(seen) < limit:
        seen.append(current)
        current = Objective.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return seen


@transaction.atomic
def objective_create(
    *,
    actor: User,
    cycle: PerformanceCycle,
    level: str,
    title: str,
    description: str = "",
    owner_employee: Employee | None = None,
    department: Department | None = None,
    parent: Objective | None = None,
    status: str = Objective.Status.DRAFT,
) -> Objective:
    _require_objective_write(actor=actor, level=level, owner=owner_employee)
    _require_open_cycle(cycle)
    errors = _Errors()
    _validate_objective(
        errors, actor=actor, objective=None, cycle=cycle, level=level, title=title,
        owner=owner_employee, department=department, parent=parent,
    )
    errors.raise_if_any()
    objective = Objective.objects.create(
        cycle=cycle, level=level, title=title.strip(), description=description, owner_employee=owner_employee,
        department=department, parent=parent, status=status,
    )
    audit_record(actor=actor, obj=objective, action=AuditEntry.Action.CREATE)
    return objective


@transaction.atomic
def objective_update(*, actor: User, objective: Objective, changes: Mapping[str, Any]) -> Objective:
    """Change an objective. The actor must be allowed to write it as it is and as it would become."""
    _require_objective_write(actor=actor, level=objective.level, owner=objective.owner_employee)
    if "cycle" in changes and getattr(changes["cycle"], "pk", changes["cycle"]) != objective.cycle_id:
        raise ValidationFailed(_("An objective cannot move to another cycle."), field="cycle")
    level = str(changes.get("level", objective.level))
    owner = changes.get("owner_employee", objective.owner_employee)
    _require_objective_write(actor=actor, level=level, owner=owner)
    _require_open_cycle(objective.cycle)
    errors = _Errors()
    _validate_objective(
        errors, actor=actor, objective=objective, cycle=objective.cycle, level=level,
        title=str(changes.get("title", objective.title)), owner=owner,
        department=changes.get("department", objective.department), parent=changes.get("parent", objective.parent),
    )
    errors.raise_if_any()
    values = {**changes, "title": str(changes.get("title", objective.title)).strip()}
    diff = _apply(
        objective, values, ("level", "title", "description", "owner_employee", "department", "parent", "status")
    )
    if diff:
        objective.save()
        audit_record(actor=actor, obj=objective, action=AuditEntry.Action.UPDATE, changes=diff)
    return objective


# --- key results --------------------------------------------------------------------------------------------


def _locked_objective(objective: Objective) -> Objective:
    """The objective row, locked until the transaction ends, so concurrent weight changes add up correctly."""
    return (
        Objective.objects.select_for_update(of=("self",)).select_related("cycle", "owner_employee").get(pk=objective.pk)
    )


def _validate_key_result(
    errors: _Errors, *, objective: Objective, key_result: KeyResult | None, title: str, metric: str,
    start_value: Decimal, target_value: Decimal, direction: str, weight: Decimal,
) -> None:
    if not title.strip():
        errors.add("title", _("A key result needs a title."))
    if not metric.strip():
        errors.add("metric", _("A key result needs a metric: what is measured."))
    if direction == KeyResult.Direction.INCREASE and target_value <= start_value:
        errors.add(
            "target_value",
            _("The target (%(target)s) must be above the start value (%(start)s) for a metric that should increase.")
            % {"target": _number(target_value), "start": _number(start_value)},
        )
    elif direction == KeyResult.Direction.DECREASE and target_value >= start_value:
        errors.add(
            "target_value",
            _("The target (%(target)s) must be below the start value (%(start)s) for a metric that should decrease.")
            % {"target": _number(target_value), "start": _number(start_value)},
        )
    if not Decimal(0) < weight <= MAX_WEIGHT:
        errors.add("weight", _("A weight is a percentage above 0 and at most 100."))
        return
    others = objective.key_results.all()
    if key_result is not None:
        others = others.exclude(pk=key_result.pk)
    total = (others.aggregate(total=Sum("weight"))["total"] or Decimal(0)) + weight
    if total > MAX_WEIGHT:
        errors.add(
            "weight",
            _("The key results of this objective would weigh %(total)s%% together; at most 100%% is allowed.")
            % {"total": _number(total)},
        )


@transaction.atomic
def key_result_create(
    *,
    actor: User,
    objective: Objective,
    title: str,
    metric: str,
    start_value: Decimal,
    target_value: Decimal,
    weight: Decimal,
    direction: str = KeyResult.Direction.INCREASE,
    unit: str = "",
    current_value: Decimal | None = None,
    source: dict[str, Any] | None = None,
) -> KeyResult:
    """A new key result; its current value starts at the start value unless given."""
    objective = _locked_objective(objective)
    _require_objective_write(actor=actor, level=objective.level, owner=objective.owner_employee)
    _require_open_objective(objective)
    errors = _Errors()
    _validate_key_result(
        errors, objective=objective, key_result=None, title=title, metric=metric, start_value=start_value,
        target_value=target_value, direction=direction, weight=weight,
    )
    errors.raise_if_any()
    key_result = KeyResult.objects.create(
        objective=objective, title=title.strip(), metric=metric.strip(), unit=unit.strip(),
        start_value=start_value, target_value=target_value,
        current_value=start_value if current_value is None else current_value,
        direction=direction, weight=weight, source=source,
    )
    audit_record(actor=actor, obj=key_result, action=AuditEntry.Action.CREATE)
    return key_result


def _title_following_target(key_result: KeyResult, values: Mapping[str, Any]) -> str:
    """A drafted key result's title names its target ("Customer satisfaction ≥ 92"); when the manager changes
    the target and leaves the title as it was, the number in the title follows, so the two never disagree."""
    title = str(values.get("title", key_result.title))
    target = values.get("target_value")
    if key_result.source is None or target is None or title != key_result.title:
        return title
    old, new = _number(key_result.target_value), _number(target)
    if old == new or title.count(old) != 1:
        return title
    return title.replace(old, new)


@transaction.atomic
def key_result_update(*, actor: User, key_result: KeyResult, changes: Mapping[str, Any]) -> KeyResult:
    """Change a key result's definition. Its current value moves only by check-ins (check_in_add)."""
    objective = _locked_objective(key_result.objective)
    _require_objective_write(actor=actor, level=objective.level, owner=objective.owner_employee)
    _require_open_objective(objective)
    if "objective" in changes and getattr(changes["objective"], "pk", changes["objective"]) != objective.pk:
        raise ValidationFailed(_("A key result cannot move to another objective."), field="objective")
    if "current_value" in changes and changes["current_value"] != key_result.current_value:
        raise ValidationFailed(
            _("Record a check-in to change the current value, so its history is kept."), field="current_value"
        )
    key_result = KeyResult.objects.select_for_update().get(pk=key_result.pk)
    errors = _Errors()
    _validate_key_result(
        errors, objective=objective, key_result=key_result,
        title=str(changes.get("title", key_result.title)), metric=str(changes.get("metric", key_result.metric)),
        start_value=changes.get("start_value", key_result.start_value),
        target_value=changes.get("target_value", key_result.target_value),
        direction=str(changes.get("direction", key_result.direction)),
        weight=changes.get("weight", key_result.weight),
    )
    errors.raise_if_any()
    values = dict(changes)
    for field in ("title", "metric", "unit"):
        if field in values:
            values[field] = str(values[field]).strip()
    values["title"] = _title_following_target(key_result, values)
    diff = _apply(
        key_result, values, ("title", "metric", "unit", "start_value", "target_value", "direction", "weight")
    )
    if diff:
        key_result.save()
        audit_record(actor=actor, obj=key_result, action=AuditEntry.Action.UPDATE, changes=diff)
    return key_result


@transaction.atomic
def check_in_add(*, actor: User, key_result: KeyResult, value: Decimal, comment: str = "") -> CheckIn:
    """Record a new value of a key result with a comment; the key result's current value becomes it."""
    objective = Objective.objects.select_related("cycle", "owner_employee").get(pk=key_result.objective_id)
    _require_objective_write(actor=actor, level=objective.level, owner=objective.owner_employee)
    _require_open_objective(objective)
    locked = KeyResult.objects.select_for_update().get(pk=key_result.pk)
    check_in = CheckIn.objects.create(key_result=locked, value=value, comment=comment.strip(), author=actor)
    old = locked.current_value
    locked.current_value = value
    locked.save(update_fields=["current_value", "updated_at"])
    audit_record(actor=actor, obj=check_in, action=AuditEntry.Action.CREATE)
    if old != value:
        audit_record(actor=actor, obj=locked, action=AuditEntry.Action.UPDATE, changes={"current_value": (old, value)})
    key_result.current_value = value
    return check_in
