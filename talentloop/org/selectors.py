"""Reads of the organisation, already narrowed to what the asking user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from talentloop.core.access import HR, STAFF_ROLES, has_role, require_role, role_of
from talentloop.core.errors import NotFound, PermissionDenied
from talentloop.core.models import AuditEntry, Role, User

from .models import Competency, Department, Employee, EmployeeEvent, Job, JobCompetency, JobLevel
from .profile import employee_profile_sections


def team_ids_sql(manager_id: int) -> RawSQL:
    """All direct and indirect reports of one employee, as one recursive query usable inside `id__in`."""
    table = Employee._meta.db_table
    return RawSQL(
        # The table name comes from model metadata, never from input.
        f"WITH RECURSIVE team(id) AS ("
        f" SELECT id FROM {table} WHERE manager_id = %s"
        f" UNION SELECT e.id FROM {table} e JOIN team t ON e.manager_id = t.id"
        f") SELECT id FROM team",
        [manager_id],
    )


def employee_visible(*, user: User) -> QuerySet[Employee]:
    """HR sees everyone; a manager their own record and everyone below them; an employee only themself."""
    role = role_of(user)
    base = Employee.objects.all()
    if role == Role.HR_ADMIN:
        return base
    own = getattr(user, "employee", None) if role in (Role.HIRING_MANAGER, Role.EMPLOYEE) else None
    if role == Role.HIRING_MANAGER and own is not None:
        return base.filter(Q(pk=own.pk) | Q(pk__in=team_ids_sql(own.pk)))
    if role == Role.EMPLOYEE and own is not None:
        return base.filter(pk=own.pk)
    require_role(user, HR)  # recruiters and candidates may not read employee records
    return base.none()


def employee_list(
    *,
    user: User,
    department: int | None = None,
    include_subdepartments: bool = False,
    status: str | None = None,
    manager: int | None = None,
    search: str | None = None,
) -> QuerySet[Employee]:
    qs = employee_visible(user=user).select_related("department", "job", "manager", "level")
    if department is not None:
        if include_subdepartments:
            qs = qs.filter(department_id__in=department_subtree_ids(department))
        else:
            qs = qs.filter(department_id=department)
    if status:
        qs = qs.filter(status=status)
    if manager is not None:
        qs = qs.filter(manager_id=manager)
    if search:
        term = search.strip()
        qs = qs.filter(
            Q(name__icontains=term) | Q(employee_no__icontains=term) | Q(english_name__icontains=term)
        )
    return qs.order_by("employee_no")


def employee_get(*, user: User, pk: int) -> Employee:
    """One visible employee. One that exists but is outside the user's view is "not allowed" rather than
    "not found", so people know to ask instead of assuming a typo."""
    employee = employee_list(user=user).filter(pk=pk).first()
    if employee is not None:
        return employee
    if Employee.objects.filter(pk=pk).exists():
        raise PermissionDenied(_("You do not have permission to see or change this employee."))
    raise NotFound(_("No such employee."))


def employee_profile(*, user: User, pk: int) -> dict[str, Any]:
    """Everything the profile page shows: the record, reports, the timeline and recent changes."""
    employee = employee_get(user=user, pk=pk)
    events = list(
        EmployeeEvent.objects.filter(employee=employee)
        .select_related("actor")
        .order_by("-occurred_on", "-id")[:200]
    )
    reports = list(employee.reports.select_related("department").order_by("employee_no")[:50])
    audit = []
    if has_role(user, HR):
        audit = list(
            AuditEntry.objects.filter(object_type="org.employee", object_id=str(employee.pk))
            .select_related("actor")[:50]
        )
    _describe_changes(events)
    sections = employee_profile_sections(user=user, employee=employee)
    return {"employee": employee, "events": events, "reports": reports, "audit": audit, "sections": sections}


def _describe_changes(events: list[EmployeeEvent]) -> None:
    """Give change events a summary in the reader's language ("Sales → R&D"), from the ids they store, so a
    change made by an English-speaking HR user reads in Chinese for a Chinese reader. Three queries at most."""
    wanted: dict[str, set[int]] = {"department": set(), "job": set(), "manager": set()}
    changes = [e for e in events if isinstance(e.data, dict) and e.data.get("field") in (*wanted, "status")]
    for event in changes:
        if event.data["field"] in wanted:
            ids = (event.data.get("from"), event.data.get("to"))
            wanted[event.data["field"]] |= {v for v in ids if isinstance(v, int)}
    names: dict[str, dict[Any, str]] = {
        "department": {d.pk: d.display_name for d in Department.objects.filter(pk__in=wanted["department"])},
        "job": dict(Job.objects.filter(pk__in=wanted["job"]).values_list("pk", "title")),
        "manager": dict(Employee.objects.filter(pk__in=wanted["manager"]).values_list("pk", "name")),
        "status": {value: str(label) for value, label in Employee.Status.choices},
    }
    for event in changes:
        table = names[event.data["field"]]
        before, after = (table.get(event.data.get(k), "—") for k in ("from", "to"))
        event.summary = f"{before} → {after}"


def department_list(*, user: User) -> QuerySet[Department]:
    require_role(user, STAFF_ROLES)
    # A correlated count per department is several times faster than joining every employee row.
    in_service = (
        Employee.objects.filter(department=OuterRef("pk")).exclude(status=Employee.Status.TERMINATED)
        .order_by().values("department").annotate(n=Count("pk")).values("n")
    )
    return Department.objects.select_related("parent").annotate(
        employee_count=Coalesce(Subquery(in_service, output_field=IntegerField()), 0)
    ).order_by("code")


def department_subtree_ids(root_id: int) -> list[int]:
    parents = dict(Department.objects.values_list("id", "parent_id"))
    result, frontier = [root_id], [root_id]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        result.extend(frontier)
    return result


def department_tree(*, user: User) -> list[dict[str, Any]]:
    """Departments as nested dicts, children sorted by code, each with its head-count."""
    departments = list(department_list(user=user))
    by_parent: dict[int | None, list[Department]] = {}
    for dept in departments:
        by_parent.setdefault(dept.parent_id, []).append(dept)

    def build(parent_id: int | None, depth: int) -> list[dict[str, Any]]:
        return [
            {"department": d, "depth": depth, "children": build(d.pk, depth + 1)}
            for d in by_parent.get(parent_id, [])
        ]

    return build(None, 0)


def competency_list(
    *, user: User, search: str | None = None, include_inactive: bool = True, category: str | None = None
) -> QuerySet[Competency]:
    require_role(user, STAFF_ROLES)
    qs = Competency.objects.all()
    if category:
        qs = qs.filter(category=category)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if search:
        term = search.strip()
        qs = qs.filter(Q(code__icontains=term) | Q(name__icontains=term) | Q(name_en__icontains=term))
    return qs.order_by("code")


def competency_get(*, user: User, pk: int) -> Competency:
    competency = competency_list(user=user).filter(pk=pk).first()
    if competency is None:
        raise NotFound(_("No such competency."))
    return competency


def job_list(*, user: User, status: str | None = None, department: int | None = None) -> QuerySet[Job]:
    require_role(user, STAFF_ROLES)
    qs = Job.objects.select_related("department", "level").prefetch_related(
        Prefetch("competency_model", queryset=JobCompetency.objects.select_related("competency"))
    )
    if status:
        qs = qs.filter(status=status)
    if department is not None:
        qs = qs.filter(department_id=department)
    return qs


def job_get(*, user: User, pk: int) -> Job:
    job = job_list(user=user).filter(pk=pk).first()
    if job is None:
        raise NotFound(_("No such job."))
    return job


def level_list() -> QuerySet[JobLevel]:
    return JobLevel.objects.order_by("rank", "code")


def level_for_score(score: float) -> JobLevel | None:
    """The most senior level whose fit band contains the score (used by job fit)."""
    return JobLevel.objects.filter(fit_min__lte=score, fit_max__gte=score).order_by("-rank").first()
