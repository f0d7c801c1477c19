"""Personal development plans: generated from a submitted review's gaps, then edited by HR or the manager.

Generating takes each competency of the review whose score is more than TALENTLOOP_TRAINING_GAP_MARGIN points
below the interview score or the job's required score (gaps.py), and writes one item per gap: the goal (raise
the competency to the missed bar), the reason with the numbers as the first action, the best-ranked course
(not one the employee completed) and a due date PLAN_ITEM_DAYS days ahead. One plan per review. The plan
starts as a draft; HR or the manager edits its note, status and items (add, change, remove) until it is done.
Employees read their own plans once they are no longer drafts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.access import require_role, role_of
from talentloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry, Role, User
from talentloop.core.services import audit_record
from talentloop.org.models import Competency
from talentloop.org.selectors import team_ids_sql
from talentloop.performance.models import Review
from talentloop.performance.profile import number_text
from talentloop.performance.selectors import MAX_ID, employee_of
from talentloop.performance.services import _apply, _Errors

from . import gaps
from .models import Course, DevelopmentItem, DevelopmentPlan, Enrollment
from .selectors import LEARNING_ROLES, require_enroller

PLAN_ITEM_DAYS = 90
ITEM_FIELDS = ("competency", "goal", "actions", "course", "due_date", "status")


# --- reads --------------------------------------------------------------------------------------------------


def plan_visible(*, user: User) -> QuerySet[DevelopmentPlan]:
    """HR: all plans; a manager: their team's and their own (not drafts); an employee: their own, not drafts."""
    require_role(user, LEARNING_ROLES)
    base = DevelopmentPlan.objects.all()
    role = role_of(user)
    if role == Role.HR_ADMIN:
        return base
    me = employee_of(user)
    if me is None:
        return base.none()
    seen = Q(employee_id=me.pk) & ~Q(status=DevelopmentPlan.Status.DRAFT)
    if role == Role.HIRING_MANAGER:
        seen |= Q(employee_id__in=team_ids_sql(me.pk))
    return base.filter(seen)


def plan_list(*, user: User, employee: int | None = None, status: str | None = None) -> QuerySet[DevelopmentPlan]:
    """Visible plans with their items loaded: two queries a page."""
    qs = plan_visible(user=user).select_related("employee", "cycle", "review", "created_by").prefetch_related(
        Prefetch("items", queryset=DevelopmentItem.objects.select_related("competency", "course").order_by("id"))
    )
    if employee is not None:
        qs = qs.filter(employee_id=employee)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def plan_get(*, user: User, pk: int) -> DevelopmentPlan:
    plan = plan_list(user=user).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if plan is not None:
        return plan
    if 0 < pk <= MAX_ID and DevelopmentPlan.objects.filter(pk=pk).exists():
        raise PermissionDenied(_("You do not have permission to see this development plan."))
    raise NotFound(_("No such development plan."))


def item_get(*, user: User, pk: int) -> DevelopmentItem:
    item = DevelopmentItem.objects.filter(pk=pk).select_related("plan").first() if 0 < pk <= MAX_ID else None
    if item is None:
        raise NotFound(_("No such development plan item."))
    plan_get(user=user, pk=item.plan_id)
    return item


# --- generate -----------------------------------------------------------------------------------------------


@transaction.atomic
def plan_generate(*, actor: User, review: Review) -> DevelopmentPlan:
    employee = review.employee
    require_enroller(actor=actor, employee=employee)
    if review.status != Review.Status.SUBMITTED:
        raise Conflict(_("A plan is generated from a submitted review; this one is still a draft."))
    existing = DevelopmentPlan.objects.filter(review=review).first()
    if existing is not None:
        raise Conflict(_("This review already has a development plan (#%(id)s); edit that one.") % {"id": existing.pk})
    found = gaps.find_gaps(
        gaps.review_performance(review), interview=gaps.interview_scores_of(employee),
        required=gaps.required_scores_of(employee),
    )
    catalogue = gaps.catalogue_for(g.competency.pk for g in found)
    completed = set(
        Enrollment.objects.filter(employee=employee, status=Enrollment.Status.COMPLETED)
        .values_list("course_id", flat=True)
    ) if found else set()
    note = "" if found else _(
        "No competency in this review is more than %(margin)s points below the interview score or the job's "
        "required score."
    ) % {"margin": number_text(gaps.gap_margin())}
    plan = DevelopmentPlan.objects.create(
        employee=employee, cycle=review.cycle, review=review, status=DevelopmentPlan.Status.DRAFT, note=note,
        created_by=actor,
    )
    due = timezone.localdate() + dt.timedelta(days=PLAN_ITEM_DAYS)
    items = []
    for g in found:
        best = catalogue.ranked(competency=g.competency, gap=g.gap.gap, exclude=completed, limit=1)
        actions = [gaps.reason_text(g)]
        course = None
        if best:
            match, course = best[0]
            actions.append(_("Course: “%(title)s”. %(why)s") % {
                "title": course.title, "why": gaps.why_text(match=match, course=course, competency=g.competency,
                                                            gap=g.gap.gap),
            })
        else:
            actions.append(_("No active course builds %(competency)s yet: agree on practice or coaching.")
                           % {"competency": g.competency.display_name})
        items.append(DevelopmentItem(
            plan=plan, competency=g.competency, course=course, due_date=due, actions="\n".join(actions),
            goal=_("Raise %(competency)s from %(performance)s to at least %(target)s.") % {
                "competency": g.competency.display_name, "performance": number_text(g.gap.performance_score),
                "target": number_text(g.gap.target),
            },
        ))
    DevelopmentItem.objects.bulk_create(items)
    audit_record(actor=actor, obj=plan, action=AuditEntry.Action.CREATE)
    return plan


# --- edit ---------------------------------------------------------------------------------------------------


def _require_editable(plan: DevelopmentPlan) -> None:
    if plan.status == DevelopmentPlan.Status.DONE:
        raise Conflict(_("This plan is done; reopen it (status active) to change its items."))


@transaction.atomic
def plan_update(*, actor: User, plan: DevelopmentPlan, changes: Mapping[str, Any]) -> DevelopmentPlan:
    require_enroller(actor=actor, employee=plan.employee)
    if "status" in changes and changes["status"] not in DevelopmentPlan.Status.values:
        raise ValidationFailed(_("Choose a status: draft, active or done."), field="status")
    diff = _apply(plan, changes, ("status", "note"))
    if diff:
        plan.save()
        audit_record(actor=actor, obj=plan, action=AuditEntry.Action.UPDATE, changes=diff)
    return plan


def _validate_item(values: Mapping[str, Any], *, old_course: Course | None = None) -> None:
    errors = _Errors()
    if "goal" in values:
        goal = str(values["goal"] or "").strip()
        if not goal:
            errors.add("goal", _("An item needs a goal."))
        elif len(goal) > 300:
            errors.add("goal", _("Keep the goal within 300 characters."))
    course = values.get("course")
    if course is not None and not course.is_active and getattr(old_course, "pk", None) != course.pk:
        errors.add("course", _("“%(course)s” is no longer offered (inactive).") % {"course": course.title})
    competency = values.get("competency")
    if competency is not None and not isinstance(competency, Competency):
        errors.add("competency", _("No such competency."))
    if "status" in values and values["status"] not in DevelopmentItem.Status.values:
        errors.add("status", _("Choose a status: open or done."))
    errors.raise_if_any()


@transaction.atomic
def plan_item_add(
    *, actor: User, plan: DevelopmentPlan, goal: str, competency: Competency | None = None, actions: str = "",
    course: Course | None = None, due_date: dt.date | None = None,
) -> DevelopmentItem:
    require_enroller(actor=actor, employee=plan.employee)
    _require_editable(plan)
    _validate_item({"goal": goal, "course": course, "competency": competency})
    item = DevelopmentItem.objects.create(
        plan=plan, goal=goal.strip(), competency=competency, actions=actions, course=course, due_date=due_date,
    )
    audit_record(actor=actor, obj=item, action=AuditEntry.Action.CREATE)
    return item


@transaction.atomic
def plan_item_update(*, actor: User, item: DevelopmentItem, changes: Mapping[str, Any]) -> DevelopmentItem:
    require_enroller(actor=actor, employee=item.plan.employee)
    _require_editable(item.plan)
    _validate_item(changes, old_course=item.course)
    values = dict(changes)
    if "goal" in values:
        values["goal"] = str(values["goal"]).strip()
    diff = _apply(item, values, ITEM_FIELDS)
    if diff:
        item.save()
        audit_record(actor=actor, obj=item, action=AuditEntry.Action.UPDATE, changes=diff)
    return item


@transaction.atomic
def plan_item_delete(*, actor: User, item: DevelopmentItem) -> None:
    require_enroller(actor=actor, employee=item.plan.employee)
    _require_editable(item.plan)
    audit_record(actor=actor, obj=item, action=AuditEntry.Action.DELETE)
    item.delete()
