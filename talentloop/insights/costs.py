"""Hiring costs (what was spent to hire for a job: advertising, agency fees, referral bonuses...), which the
dashboard's cost per hire divides by the hires. HR reads and writes them; nobody else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.access import HR, require_role
from talentloop.core.errors import NotFound, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.org.models import Job

from .metrics import metrics_cache_bump
from .models import HiringCost

FIELDS = ("job", "application", "category", "amount", "incurred_on", "note")
MAX_AMOUNT = Decimal("9999999999.99")
_MAX_ID = 2**63 - 1


def hiring_cost_list(
    *, user: User, job: int | None = None, category: str | None = None, date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[HiringCost]:
    require_role(user, HR)
    qs = HiringCost.objects.select_related("job", "job__department", "application__candidate", "created_by")
    if job is not None:
        qs = qs.filter(job_id=job)
    if category:
        qs = qs.filter(category=category)
    if date_from is not None:
        qs = qs.filter(incurred_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(incurred_on__lte=date_to)
    return qs.order_by("-incurred_on", "-id")


def hiring_cost_get(*, user: User, pk: int) -> HiringCost:
    cost = hiring_cost_list(user=user).filter(pk=pk).first() if 0 < pk <= _MAX_ID else None
    if cost is None:
        raise NotFound(_("No such hiring cost."))
    return cost


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    job = data.get("job")
    if not isinstance(job, Job):
        errors.setdefault("job", []).append(_("Choose the job the money was spent on."))
    application = data.get("application")
    if application is not None and isinstance(job, Job) and application.job_id != job.pk:
        errors.setdefault("application", []).append(_("This application is for another job."))
    if data.get("category", HiringCost.Category.OTHER) not in HiringCost.Category.values:
        errors.setdefault("category", []).append(_("Unknown cost category."))
    try:
        amount = Decimal(str(data.get("amount")))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        errors.setdefault("amount", []).append(_("Enter the amount in yuan."))
    elif amount <= 0:
        errors.setdefault("amount", []).append(_("The amount must be more than zero."))
    elif amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        errors.setdefault("amount", []).append(_("Enter an amount up to 9,999,999,999.99 with at most two decimals."))
    else:
        data["amount"] = amount
    day = data.get("incurred_on")
    if not isinstance(day, dt.date):
        errors.setdefault("incurred_on", []).append(_("Enter the date the cost was incurred."))
    elif day > timezone.localdate():
        errors.setdefault("incurred_on", []).append(_("The date is in the future."))
    if len(str(data.get("note") or "")) > 300:
        errors.setdefault("note", []).append(_("Keep the note under 300 characters."))
    if errors:
        raise ValidationFailed(errors=errors)
    return data


@transaction.atomic
def hiring_cost_create(*, actor: User, data: Mapping[str, Any]) -> HiringCost:
    require_role(actor, HR)
    clean = _clean({k: v for k, v in data.items() if k in FIELDS})
    cost = HiringCost.objects.create(created_by=actor, **clean)
    audit_record(actor=actor, obj=cost, action=AuditEntry.Action.CREATE)
    metrics_cache_bump()
    return cost


@transaction.atomic
def hiring_cost_update(*, actor: User, cost: HiringCost, changes: Mapping[str, Any]) -> HiringCost:
    require_role(actor, HR)
    merged = {f: getattr(cost, f) for f in FIELDS} | {k: v for k, v in changes.items() if k in FIELDS}
    clean = _clean(merged)
    diff = {f: (getattr(cost, f), clean[f]) for f in FIELDS if getattr(cost, f) != clean[f]}
    if not diff:
        return cost
    for name, (_old, new) in diff.items():
        setattr(cost, name, new)
    cost.save()
    audit_record(actor=actor, obj=cost, action=AuditEntry.Action.UPDATE,
                 changes={k: (getattr(o, "pk", o), getattr(n, "pk", n)) for k, (o, n) in diff.items()})
    metrics_cache_bump()
    return cost


@transaction.atomic
def hiring_cost_delete(*, actor: User, cost: HiringCost) -> None:
    require_role(actor, HR)
    audit_record(actor=actor, obj=cost, action=AuditEntry.Action.DELETE)
    cost.delete()
    metrics_cache_bump()

