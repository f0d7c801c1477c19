"""Reads of cycles and OKRs, already narrowed to what the asking user may see.

HR sees everything. A manager or employee sees the cycles they (or, for a manager, their team) take part
in; their own personal objectives; the company objectives of their cycles and the department objectives of
their own department in those cycles; a manager also their team's personal objectives (direct and
indirect reports). Key results and check-ins follow their objective. Recruiters and candidates see none."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from talentloop.core.access import require_role, role_of
from talentloop.core.errors import NotFound, PermissionDenied
from talentloop.core.models import Role, User
from talentloop.org.models import Employee
from talentloop.org.selectors import team_ids_sql

from .models import CheckIn, KeyResult, KRRule, Objective, PerformanceCycle

PERFORMANCE_ROLES = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER, Role.EMPLOYEE})
KR_RULE_READERS = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER})
# Ids that fit a database integer; larger ones cannot name a row.
MAX_ID = 2**63 - 1

_Participation = PerformanceCycle.employees.through


def employee_of(user: User) -> Employee | None:
    """The employee record behind a login, if it has one."""
    return getattr(user, "employee", None)


def employee_in_team(*, manager: Employee, employee: Employee) -> bool:
    """Whether `employee` reports to `manager`, directly or through other managers."""
    return Employee.objects.filter(pk=employee.pk, pk__in=team_ids_sql(manager.pk)).exists()


def _cycles_of(me: Employee, *, with_team: bool) -> QuerySet[Any, Any]:
    who = Q(employee_id=me.pk)
    if with_team:
        who |= Q(employee_id__in=team_ids_sql(me.pk))
    return _Participation.objects.filter(who).values("performancecycle_id")


def cycle_visible(*, user: User) -> QuerySet[PerformanceCycle]:
    require_role(user, PERFORMANCE_ROLES)
    role = role_of(user)
    base = PerformanceCycle.objects.all()
    if role == Role.HR_ADMIN:
        return base
    me = employee_of(user)
    if me is None:
        return base.none()
    return base.filter(pk__in=_cycles_of(me, with_team=role == Role.HIRING_MANAGER))


def cycle_list(*, user: User, employee: int | None = None, phase: str | None = None) -> QuerySet[PerformanceCycle]:
    qs = cycle_visible(user=user)
    if employee is not None:
        qs = qs.filter(pk__in=_Participation.objects.filter(employee_id=employee).values("performancecycle_id"))
    if phase:
        qs = qs.filter(phase=phase)
    return qs.annotate(employee_count=Count("employees")).order_by("-start", "-id")


def cycle_get(*, user: User, pk: int) -> PerformanceCycle:
    cycle = cycle_list(user=user).filter(pk=pk).first() if pk <= MAX_ID else None
    if cycle is not None:
        return cycle
    if pk <= MAX_ID and PerformanceCycle.objects.filter(pk=pk).exists():
        raise PermissionDenied(_("You do not have permission to see this performance cycle."))
    raise NotFound(_("No such performance cycle."))


def objective_visible(*, user: User) -> QuerySet[Objective]:
    require_role(user, PERFORMANCE_ROLES)
    role = role_of(user)
    base = Objective.objects.all()
    if role == Role.HR_ADMIN:
        return base
    me = employee_of(user)
    if me is None:
        return base.none()
    my_cycles = _cycles_of(me, with_team=False)
    seen = (
        Q(level=Objective.Level.PERSONAL, owner_employee_id=me.pk)
        | Q(level=Objective.Level.COMPANY, cycle_id__in=my_cycles)
        | Q(level=Objective.Level.DEPARTMENT, department_id=me.department_id, cycle_id__in=my_cycles)
    )
    if role == Role.HIRING_MANAGER:
        seen |= Q(level=Objective.Level.PERSONAL, owner_employee_id__in=team_ids_sql(me.pk))
    return base.filter(seen)


def objective_list(
    *,
    user: User,
    cycle: int | None = None,
    level: str | None = None,
    owner: int | None = None,
    department: int | None = None,
    status: str | None = None,
) -> QuerySet[Objective]:
    """Visible objectives with their key results loaded (the score needs them): three queries a page."""
    qs = objective_visible(user=user).prefetch_related(
        Prefetch("key_results", queryset=KeyResult.objects.order_by("id"))
    )
    if cycle is not None:
        qs = qs.filter(cycle_id=cycle)
    if level:
        qs = qs.filter(level=level)
    if owner is not None:
        qs = qs.filter(owner_employee_id=owner)
    if department is not None:
        qs = qs.filter(department_id=department)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("cycle", "level", "id")


def objective_get(*, user: User, pk: int) -> Objective:
    """One visible objective; one that exists out of sight is "not allowed" rather than "not found"."""
    objective = objective_list(user=user).filter(pk=pk).first() if pk <= MAX_ID else None
    if objective is not None:
        return objective
    if pk <= MAX_ID and Objective.objects.filter(pk=pk).exists():
        raise PermissionDenied(_("You do not have permission to see or change this objective."))
    raise NotFound(_("No such objective."))


def key_result_list(
    *, user: User, objective: int | None = None, cycle: int | None = None
) -> QuerySet[KeyResult]:
    qs = KeyResult.objects.filter(objective__in=objective_visible(user=user)).select_related("objective")
    if objective is not None:
        qs = qs.filter(objective_id=objective)
    if cycle is not None:
        qs = qs.filter(objective__cycle_id=cycle)
    return qs.order_by("objective_id", "id")


def key_result_get(*, user: User, pk: int) -> KeyResult:
    key_result = key_result_list(user=user).filter(pk=pk).first() if pk <= MAX_ID else None
    if key_result is not None:
        return key_result
    if pk <= MAX_ID and KeyResult.objects.filter(pk=pk).exists():
        raise PermissionDenied(_("You do not have permission to see or change this key result."))
    raise NotFound(_("No such key result."))


def check_in_list(*, user: User, key_result: int) -> QuerySet[CheckIn]:
    """A visible key result's check-ins, newest first."""
    kr = key_result_get(user=user, pk=key_result)
    return CheckIn.objects.filter(key_result=kr).select_related("author").order_by("-created_at", "-id")


def kr_rule_list(*, user: User, competency: str | None = None, is_active: bool | None = None) -> QuerySet[KRRule]:
    """KR derivation rules: HR and managers read them (HR writes them); employees and others do not."""
    require_role(user, KR_RULE_READERS)
    qs = KRRule.objects.select_related("competency")
    if competency:
        qs = qs.filter(competency__code=competency)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs.order_by("competency__code", "id")


def kr_rule_get(*, user: User, pk: int) -> KRRule:
    rule = kr_rule_list(user=user).filter(pk=pk).first() if pk <= MAX_ID else None
    if rule is None:
        raise NotFound(_("No such KR derivation rule."))
    return rule
