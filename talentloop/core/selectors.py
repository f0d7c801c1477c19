"""Reads for the shared pages: the home dashboard, the audit history as people read it, department options.
Each function runs a fixed number of queries, whatever the size of the company."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from talentloop.org import selectors as org_selectors
from talentloop.org.models import Department, Employee, Job

from .access import role_of
from .errors import NotFound
from .models import AuditEntry, Notification, Role, User

HOME_AUDIT_ENTRIES = 10
HOME_DEPARTMENT_BARS = 12
HOME_OPEN_JOBS = 10


def home_dashboard(*, user: User) -> dict[str, Any]:
    """What the home page shows; `kind` names the role's variant (hr, recruiter, manager, employee, none)."""
    role = role_of(user)
    if role == Role.HR_ADMIN:
        return _hr_dashboard(user)
    if role == Role.RECRUITER:
        jobs = org_selectors.job_list(user=user, status=Job.Status.OPEN).order_by("-created_at", "-id")
        return {
            "kind": "recruiter",
            "open_jobs": jobs.count(),
            # The home page lists titles only: the competency models job_list prefetches are not needed.
            "jobs": list(jobs.prefetch_related(None)[:HOME_OPEN_JOBS]),
        }
    if role in (Role.HIRING_MANAGER, Role.EMPLOYEE):
        own: Employee | None = getattr(user, "employee", None)
        kind = "manager" if role == Role.HIRING_MANAGER else "employee"
        if own is None:
            return {"kind": kind, "employee": None}
        data: dict[str, Any] = {"kind": kind, "employee": own}
        if kind == "manager":
            data["team_size"] = org_selectors.employee_visible(user=user).exclude(pk=own.pk).count()
            data["direct_reports"] = own.reports.count()
        return data
    return {"kind": "none"}


def _hr_dashboard(user: User) -> dict[str, Any]:
    counts = Employee.objects.aggregate(
        in_service=Count("id", filter=~Q(status=Employee.Status.TERMINATED)),
        probation=Count("id", filter=Q(status=Employee.Status.PROBATION)),
    )
    departments = list(org_selectors.department_list(user=user))
    largest = sorted(departments, key=lambda d: (-_head_count(d), d.code))[:HOME_DEPARTMENT_BARS]
    top = max((_head_count(d) for d in largest), default=0)
    bars = [
        {
            "department": d,
            "count": _head_count(d),
            # Bars are relative to the largest department so the biggest one fills the row.
            "percent": round(_head_count(d) * 100 / top) if top else 0,
        }
        for d in largest
    ]
    entries = AuditEntry.objects.select_related("actor")[:HOME_AUDIT_ENTRIES]
    return {
        "kind": "hr",
        "in_service": counts["in_service"],
        "probation": counts["probation"],
        "departments": len(departments),
        "open_jobs": org_selectors.job_list(user=user, status=Job.Status.OPEN).count(),
        "bars": bars,
        "audit": audit_rows(entries),
    }


def _head_count(department: Department) -> int:
    """The `employee_count` that org.selectors.department_list annotates (people who have not left)."""
    return int(getattr(department, "employee_count", 0))


def audit_rows(entries: Iterable[AuditEntry]) -> list[dict[str, Any]]:
    """Audit entries with the field's translated name and related ids turned back into names.
    One query per related model appearing in the entries, not one per entry."""
    entries = list(entries)
    fields: list[models.Field[Any, Any] | None] = [_model_field(e) for e in entries]
    wanted: dict[type[models.Model], set[str]] = {}
    for entry, field in zip(entries, fields, strict=True):
        related = _related_model(field)
        if related is not None:
            ids = wanted.setdefault(related, set())
            ids.update(v for v in (entry.old_value, entry.new_value) if v.isdigit())
    names: dict[type[models.Model], dict[str, str]] = {
        model: {
            str(pk): str(obj) for pk, obj in model._default_manager.in_bulk([int(i) for i in ids]).items()
        }
        for model, ids in wanted.items()
    }
    rows = []
    for entry, field in zip(entries, fields, strict=True):
        rows.append(
            {
                "entry": entry,
                "field_label": str(field.verbose_name) if field is not None else _other_label(entry),
                "old": _display_value(field, entry.old_value, names),
                "new": _display_value(field, entry.new_value, names),
                "employee_id": int(entry.object_id)
                if entry.object_type == "org.employee" and entry.object_id.isdigit()
                else None,
            }
        )
    return rows


def _model_field(entry: AuditEntry) -> models.Field[Any, Any] | None:
    if not entry.field or "." not in entry.object_type:
        return None
    try:
        model = apps.get_model(entry.object_type)
        field = model._meta.get_field(entry.field)
    except (LookupError, FieldDoesNotExist):
        return None
    return field if isinstance(field, models.Field) else None


def _other_label(entry: AuditEntry) -> str:
    """A name for what is not a concrete field: a reverse relation (a job's competency model lines) is
    named after the related model; anything unknown keeps its stored name, made readable."""
    try:
        relation = apps.get_model(entry.object_type)._meta.get_field(entry.field)
    except (LookupError, FieldDoesNotExist, ValueError):
        return entry.field.replace("_", " ")
    related = relation.related_model
    if isinstance(related, type) and issubclass(related, models.Model):
        return str(related._meta.verbose_name_plural)
    return entry.field.replace("_", " ")


def _related_model(field: models.Field[Any, Any] | None) -> type[models.Model] | None:
    related = field.related_model if field is not None and field.is_relation else None
    # After app loading Django has replaced "self" and lazy names by the model class.
    return related if isinstance(related, type) and issubclass(related, models.Model) else None


def _display_value(
    field: models.Field[Any, Any] | None, value: str, names: dict[type[models.Model], dict[str, str]]
) -> str:
    if field is None or not value:
        return value
    related = _related_model(field)
    if related is not None:
        return names.get(related, {}).get(value, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return value


def department_options() -> list[tuple[int, str]]:
    """Every department as (id, label) in tree order, indented by depth, from one query."""
    departments = list(Department.objects.only("id", "code", "name", "name_en", "parent_id").order_by("code"))
    children: dict[int | None, list[Department]] = {}
    for dept in departments:
        children.setdefault(dept.parent_id, []).append(dept)
    options: list[tuple[int, str]] = []
    placed: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for dept in children.get(parent_id, []):
            if dept.pk in placed:
                continue
            placed.add(dept.pk)
            options.append((dept.pk, f"{'— ' * depth}{dept.display_name}"))
            walk(dept.pk, depth + 1)

    walk(None, 0)
    # Departments whose parent chain never reaches a root (bad imported data) still need to be selectable.
    options.extend((d.pk, d.display_name) for d in departments if d.pk not in placed)
    return options


def department_tree_with_totals(*, user: User) -> list[dict[str, Any]]:
    """org.selectors.department_tree with `total`: the head-count of a department and all below it."""
    tree = org_selectors.department_tree(user=user)

    def add_totals(nodes: list[dict[str, Any]]) -> int:
        total = 0
        for node in nodes:
            node["total"] = _head_count(node["department"]) + add_totals(node["children"])
            total += node["total"]
        return total

    add_totals(tree)
    return tree


def notification_list(*, user: User, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's own notifications, newest first (`unread`: only unread, or only read ones)."""
    qs = Notification.objects.filter(user=user)
    if unread is not None:
        qs = qs.filter(read_at__isnull=unread)
    return qs.order_by("-created_at", "-id")


def notification_get(*, user: User, pk: int) -> Notification:
    """One of the user's notifications; someone else's is "not found", as if it did not exist."""
    notification = notification_list(user=user).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if notification is None:
        raise NotFound(_("No such notification."))
    return notification


def notification_unread_count(*, user: User) -> int:
    return notification_list(user=user, unread=True).count()
