"""Reads of the KPI library and of KPI targets, narrowed to what the asking user may see, and their scores.

Everyone in performance (HR, managers, employees) reads the library. KPI targets: HR sees all; a manager
their own and their team's (direct and indirect reports); an employee their own. Recruiters and candidates
see none. Scores come from talentloop.assessment.kpi."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from talentloop.assessment import kpi as engine
from talentloop.core.access import require_role, role_of
from talentloop.core.errors import NotFound, PermissionDenied
from talentloop.core.models import Role, User
from talentloop.org.models import Employee
from talentloop.org.selectors import team_ids_sql

from .models import Kpi, KpiTarget, PerformanceCycle
from .selectors import MAX_ID, PERFORMANCE_ROLES, employee_of

KPI_TARGET_WRITERS = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER})


# --- the library ----------------------------------------------------------------------------------------------


def kpi_list(
    *, user: User, is_active: bool | None = None, competency: str | None = None, q: str | None = None
) -> QuerySet[Kpi]:
    require_role(user, PERFORMANCE_ROLES)
    qs = Kpi.objects.select_related("competency")
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    if competency:
        qs = qs.filter(competency__code=competency)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(name_en__icontains=q))
    return qs.order_by("code")


def kpi_get(*, user: User, pk: int) -> Kpi:
    kpi = kpi_list(user=user).filter(pk=pk).first() if pk <= MAX_ID else None
    if kpi is None:
        raise NotFound(_("No such KPI."))
    return kpi


def kpi_display_name(kpi: Kpi, *, english: bool) -> str:
    return kpi.name_en if english and kpi.name_en else kpi.name


# --- targets --------------------------------------------------------------------------------------------------


def _employees_seen(user: User) -> Q | None:
    """The filter on employee ids the user may see KPI targets of; None for everyone (HR)."""
    role = role_of(user)
    if role == Role.HR_ADMIN:
        return None
    me = employee_of(user)
    if me is None:
        return Q(pk__in=[])
    seen = Q(pk=me.pk)
    if role == Role.HIRING_MANAGER:
        seen |= Q(pk__in=team_ids_sql(me.pk))
    return seen


def kpi_target_visible(*, user: User) -> QuerySet[KpiTarget]:
    require_role(user, PERFORMANCE_ROLES)
    base = KpiTarget.objects.all()
    seen = _employees_seen(user)
    if seen is None:
        return base
    return base.filter(employee__in=Employee.objects.filter(seen).values("pk"))


def kpi_target_list(
    *, user: User, cycle: int | None = None, employee: int | None = None, kpi: int | None = None
) -> QuerySet[KpiTarget]:
    """Visible targets with what their score needs loaded: one query a page."""
    qs = kpi_target_visible(user=user).select_related("kpi", "employee", "cycle")
    if cycle is not None:
        qs = qs.filter(cycle_id=cycle)
    if employee is not None:
        qs = qs.filter(employee_id=employee)
    if kpi is not None:
        qs = qs.filter(kpi_id=kpi)
    return qs.order_by("cycle_id", "employee_id", "kpi__code", "id")


def kpi_employee_get(*, user: User, pk: int) -> Employee:
    """An employee whose KPI targets the user may see; one out of reach is "not allowed"."""
    require_role(user, PERFORMANCE_ROLES)
    qs = Employee.objects.select_related("department")
    seen = _employees_seen(user)
    employee = (qs if seen is None else qs.filter(seen)).filter(pk=pk).first() if pk <= MAX_ID else None
    if employee is not None:
        return employee
    if pk <= MAX_ID and Employee.objects.filter(pk=pk).exists():
        raise PermissionDenied(_("You do not have permission to see this employee's KPI targets."))
    raise NotFound(_("No such employee."))


def kpi_target_get(*, user: User, pk: int) -> KpiTarget:
    """One visible target; one that exists out of sight is "not allowed" rather than "not found"."""
    target = kpi_target_list(user=user).filter(pk=pk).first() if pk <= MAX_ID else None
    if target is not None:
        return target
    if pk <= MAX_ID and KpiTarget.objects.filter(pk=pk).exists():
        raise PermissionDenied(_("You do not have permission to see or change this KPI target."))
    raise NotFound(_("No such KPI target."))


def kpi_target_score(target: KpiTarget) -> float | None:
    """0-100 on the library's floor and threshold and this employee's target; None until an actual is entered.
    A scale out of order (only possible through the admin) has no score rather than breaking a page."""
    if target.actual_value is None:
        return None
    kpi = target.kpi
    try:
        return engine.kpi_score(
            actual=target.actual_value, floor=kpi.floor_value, threshold=kpi.threshold_value,
            target=target.target_value, direction=kpi.direction,  # type: ignore[arg-type]  # a Direction choice
        )
    except ValueError:
        return None


def kpi_weighted_score(targets: Iterable[KpiTarget]) -> float | None:
    """The weighted KPI score of one employee's targets: targets without an actual are left out."""
    return engine.weighted_score((t.weight, kpi_target_score(t)) for t in targets)


def kpi_weight_total(targets: Iterable[KpiTarget]) -> Decimal:
    return sum((t.weight for t in targets), Decimal(0))


def kpi_competency_scores(*, cycle_id: int, employee_id: int) -> dict[int, float]:
    """Per competency id, the weighted KPI score of the employee's targets in the cycle whose KPI is linked to
    that competency (evidence for reviews). Unfiltered by user: callers have checked their reach already."""
    by_competency: dict[int, list[KpiTarget]] = {}
    targets = KpiTarget.objects.filter(
        cycle_id=cycle_id, employee_id=employee_id, kpi__competency__isnull=False
    ).select_related("kpi")
    for target in targets:
        by_competency.setdefault(target.kpi.competency_id or 0, []).append(target)
    scores = {pk: kpi_weighted_score(items) for pk, items in by_competency.items()}
    return {pk: score for pk, score in scores.items() if score is not None}


# --- a cycle's page -------------------------------------------------------------------------------------------


def kpi_cycle_employees(*, user: User, cycle: PerformanceCycle, q: str | None = None) -> QuerySet[Employee]:
    """The cycle's participants whose KPI targets the user may see, each with that cycle's targets prefetched
    (`cycle_kpi_targets`): two queries a page, however many employees and targets."""
    require_role(user, PERFORMANCE_ROLES)
    qs = cycle.employees.all()
    seen = _employees_seen(user)
    if seen is not None:
        qs = qs.filter(seen)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employee_no__icontains=q))
    targets = KpiTarget.objects.filter(cycle=cycle).select_related("kpi").order_by("kpi__code", "id")
    return (
        qs.select_related("department")
        .prefetch_related(Prefetch("kpi_targets", queryset=targets, to_attr="cycle_kpi_targets"))
        .order_by("name", "id")
    )


def kpi_may_write(*, user: User, employee: Employee) -> bool:
    """Whether the user may set this employee's KPI targets and actuals (pages use it to show the forms)."""
    role = role_of(user)
    if role == Role.HR_ADMIN:
        return True
    if role != Role.HIRING_MANAGER:
        return False
    me = employee_of(user)
    if me is None or me.pk == employee.pk:
        return False
    return Employee.objects.filter(pk=employee.pk, pk__in=team_ids_sql(me.pk)).exists()


def kpi_choices(*, user: User) -> list[tuple[Any, str]]:
    """Active KPIs for a picker, as (id, "code · name")."""
    from django.utils.translation import get_language

    english = (get_language() or "").startswith("en")
    return [(k.pk, f"{k.code} · {kpi_display_name(k, english=english)}") for k in kpi_list(user=user, is_active=True)]
