"""Writes of the course catalogue and enrolments, and the follow-up that closes completed enrolments.

Courses: HR creates and edits them (a course no longer offered is deactivated, not deleted: enrolments keep it).
Enrolments: HR or the employee's manager enrols an employee in an active course with a schedule (start and due
date), optionally to build one competency the course covers; when that competency has a gap now, the enrolment
keeps the recommendation's reason and numbers (`source`). One open or completed enrolment per employee and
course. The employee (or HR, or the manager) marks it started and completed; HR or the manager cancels it.
A completed enrolment is closed by the employee's next submitted review after the completion date
(`enrollments_follow_up`): it records that review and whether the gap closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from talentloop.assessment.insights import training
from talentloop.core.access import HR, require_role
from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record, notification_send
from talentloop.org.models import Competency, Employee
from talentloop.performance.models import Review, ReviewScore
from talentloop.performance.selectors import employee_of
from talentloop.performance.services import _apply, _Errors

from . import gaps
from .models import Course, Enrollment
from .selectors import ENROLLER_ROLES, require_enroller

COURSE_FIELDS = ("title", "provider", "format", "hours", "level", "description", "url", "is_active")
MAX_HOURS = Decimal("10000")
OPEN = (Enrollment.Status.PLANNED, Enrollment.Status.IN_PROGRESS)


def _day(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# --- courses ------------------------------------------------------------------------------------------------


def _validate_course(errors: _Errors, values: Mapping[str, Any]) -> None:
    if "title" in values and not str(values["title"] or "").strip():
        errors.add("title", _("A course needs a title."))
    if "hours" in values:
        hours = values["hours"]
        if hours is None or not Decimal(0) < Decimal(hours) <= MAX_HOURS:
            errors.add("hours", _("Hours must be above 0 and at most 10000."))
    if "format" in values and values["format"] not in Course.Format.values:
        errors.add("format", _("Choose a format: online, classroom, blended or on the job."))
    if "level" in values and values["level"] not in Course.Level.values:
        errors.add("level", _("Choose a level: beginner, intermediate or advanced."))
    if "competencies" in values and not values["competencies"]:
        errors.add("competencies", _("Name at least one competency the course builds."))


@transaction.atomic
def course_create(
    *, actor: User, title: str, hours: Decimal, competencies: Sequence[Competency], provider: str = "",
    format: str = Course.Format.ONLINE, level: str = Course.Level.BEGINNER, description: str = "", url: str = "",
    is_active: bool = True,
) -> Course:
    require_role(actor, HR)
    values = {"title": title, "hours": hours, "format": format, "level": level, "competencies": competencies}
    errors = _Errors()
    _validate_course(errors, values)
    errors.raise_if_any()
    course = Course.objects.create(
        title=title.strip(), provider=provider.strip(), format=format, hours=hours, level=level,
        description=description, url=url, is_active=is_active,
    )
    course.competencies.set(competencies)
    audit_record(actor=actor, obj=course, action=AuditEntry.Action.CREATE)
    return course


@transaction.atomic
def course_update(*, actor: User, course: Course, changes: Mapping[str, Any]) -> Course:
    require_role(actor, HR)
    errors = _Errors()
    _validate_course(errors, changes)
    errors.raise_if_any()
    values = dict(changes)
    for field in ("title", "provider"):
        if field in values:
            values[field] = str(values[field] or "").strip()
    diff = _apply(course, values, COURSE_FIELDS)
    if diff:
        course.save()
    if "competencies" in changes:
        old = sorted(course.competencies.values_list("code", flat=True))
        course.competencies.set(changes["competencies"])
        new = sorted(c.code for c in changes["competencies"])
        if old != new:
            diff["competencies"] = (", ".join(old), ", ".join(new))
    if diff:
        audit_record(actor=actor, obj=course, action=AuditEntry.Action.UPDATE, changes=diff)
    return course


# --- enrolments ---------------------------------------------------------------------------------------------


def _schedule(errors: _Errors, start: dt.date | None, due: dt.date | None) -> None:
    if start is None:
        errors.add("start_date", _("Give the date the training starts."))
    if due is None:
        errors.add("due_date", _("Give the date the training is due."))
    if start is not None and due is not None and due < start:
        errors.add("due_date", _("The due date (%(due)s) is before the start date (%(start)s).")
                   % {"due": _day(due), "start": _day(start)})


def _already(employee: Employee, course: Course) -> None:
    existing = Enrollment.objects.filter(employee=employee, course=course).exclude(
        status=Enrollment.Status.CANCELLED
    ).first()
    if existing is None:
        return
    values = {"name": employee.name, "course": course.title}
    if existing.status == Enrollment.Status.COMPLETED:
        values["date"] = _day(existing.completed_on) if existing.completed_on else ""
        raise Conflict(_("%(name)s already completed “%(course)s” (%(date)s).") % values)
    values.update(start=_day(existing.start_date), due=_day(existing.due_date))
    raise Conflict(_("%(name)s is already enrolled in “%(course)s” (%(start)s to %(due)s).") % values)


@transaction.atomic
def enrollment_create(
    *, actor: User, employee: Employee, course: Course, start_date: dt.date | None, due_date: dt.date | None,
    competency: Competency | None = None, reason: str = "",
) -> Enrollment:
    """Enrol an employee (HR or their manager). With a competency that has a gap now, the reason and the
    numbers of the recommendation are kept; a given reason replaces the generated one."""
    if not require_role_soft(actor):
        raise PermissionDenied(_("Only HR or a manager can enrol employees in training."))
    require_enroller(actor=actor, employee=employee)
    errors = _Errors()
    if employee.status == Employee.Status.TERMINATED:
        errors.add("employee", _("%(name)s has left the company.") % {"name": employee.name})
    if not course.is_active:
        errors.add("course", _("“%(course)s” is no longer offered (inactive).") % {"course": course.title})
    _schedule(errors, start_date, due_date)
    if competency is not None and not course.competencies.filter(pk=competency.pk).exists():
        errors.add("competency", _("“%(course)s” does not build %(competency)s.")
                   % {"course": course.title, "competency": competency.display_name})
    errors.raise_if_any()
    assert start_date is not None
    assert due_date is not None
    _already(employee, course)
    source: dict[str, Any] = {}
    generated = ""
    if competency is not None:
        found = next((g for g in _current_gaps(employee) if g.competency.pk == competency.pk), None)
        if found is not None:
            source = gaps.gap_source(found)
            generated = gaps.reason_text(found)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                employee=employee, course=course, competency=competency, start_date=start_date, due_date=due_date,
                reason=reason.strip() or generated, source=source, enrolled_by=actor,
            )
    except IntegrityError:
        _already(employee, course)
        raise
    audit_record(actor=actor, obj=enrollment, action=AuditEntry.Action.CREATE)
    if employee.user_id is not None and employee.user is not None:
        notification_send(
            user=employee.user,
            subject=_("You are enrolled in “%(course)s”, %(start)s to %(due)s.")
            % {"course": course.title, "start": _day(start_date), "due": _day(due_date)},
            body=enrollment.reason, link=f"/learning/enrollments/{enrollment.pk}/",
        )
    return enrollment


def require_role_soft(actor: User) -> bool:
    try:
        require_role(actor, ENROLLER_ROLES)
    except PermissionDenied:
        return False
    return True


def _current_gaps(employee: Employee) -> list[gaps.FoundGap]:
    return gaps.find_gaps(
        gaps.latest_performance_of(employee), interview=gaps.interview_scores_of(employee),
        required=gaps.required_scores_of(employee),
    )


def _require_open(enrollment: Enrollment) -> None:
    if enrollment.status == Enrollment.Status.COMPLETED:
        raise Conflict(_("This enrolment was completed; it can no longer change."))
    if enrollment.status == Enrollment.Status.CANCELLED:
        raise Conflict(_("This enrolment was cancelled; it can no longer change."))


def _require_participant(actor: User, enrollment: Enrollment) -> None:
    """The employee themself, HR or their manager."""
    me = employee_of(actor)
    if me is not None and me.pk == enrollment.employee_id:
        return
    require_enroller(actor=actor, employee=enrollment.employee)


@transaction.atomic
def enrollment_update(*, actor: User, enrollment: Enrollment, changes: Mapping[str, Any]) -> Enrollment:
    """Reschedule or re-explain an open enrolment (HR or the manager)."""
    require_enroller(actor=actor, employee=enrollment.employee)
    _require_open(enrollment)
    errors = _Errors()
    _schedule(errors, changes.get("start_date", enrollment.start_date), changes.get("due_date", enrollment.due_date))
    errors.raise_if_any()
    diff = _apply(enrollment, changes, ("start_date", "due_date", "reason"))
    if diff:
        enrollment.save()
        audit_record(actor=actor, obj=enrollment, action=AuditEntry.Action.UPDATE, changes=diff)
    return enrollment


def _set_status(actor: User, enrollment: Enrollment, status: str, **fields: Any) -> Enrollment:
    diff = {"status": (enrollment.status, status), **{k: (getattr(enrollment, k), v) for k, v in fields.items()}}
    enrollment.status = status
    for key, value in fields.items():
        setattr(enrollment, key, value)
    enrollment.save()
    audit_record(actor=actor, obj=enrollment, action=AuditEntry.Action.UPDATE, changes=diff)
    return enrollment


@transaction.atomic
def enrollment_start(*, actor: User, enrollment: Enrollment) -> Enrollment:
    _require_participant(actor, enrollment)
    _require_open(enrollment)
    if enrollment.status == Enrollment.Status.IN_PROGRESS:
        raise Conflict(_("This enrolment is already in progress."))
    return _set_status(actor, enrollment, Enrollment.Status.IN_PROGRESS)


@transaction.atomic
def enrollment_complete(*, actor: User, enrollment: Enrollment, completed_on: dt.date | None = None) -> Enrollment:
    """Mark the training done (the employee, HR or the manager); the next submitted review closes it."""
    _require_participant(actor, enrollment)
    _require_open(enrollment)
    today = timezone.localdate()
    completed_on = completed_on or today
    if completed_on > today:
        raise ValidationFailed(_("The completion date cannot be in the future."), field="completed_on")
    if completed_on < enrollment.start_date:
        raise ValidationFailed(
            _("The completion date is before the start date (%(start)s).") % {"start": _day(enrollment.start_date)},
            field="completed_on",
        )
    _set_status(actor, enrollment, Enrollment.Status.COMPLETED, completed_on=completed_on)
    enrollments_follow_up(employee_id=enrollment.employee_id)
    enrollment.refresh_from_db()
    return enrollment


@transaction.atomic
def enrollment_cancel(*, actor: User, enrollment: Enrollment) -> Enrollment:
    me = employee_of(actor)
    if me is not None and me.pk == enrollment.employee_id and not require_role_soft(actor):
        raise PermissionDenied(_("Only HR or your manager can cancel your enrolment."))
    require_enroller(actor=actor, employee=enrollment.employee)
    _require_open(enrollment)
    return _set_status(actor, enrollment, Enrollment.Status.CANCELLED)


# --- follow-up ----------------------------------------------------------------------------------------------


def _outcome(enrollment: Enrollment, review: Review, scores: dict[int, float]) -> dict[str, Any]:
    outcome: dict[str, Any] = {"review": review.pk, "score": None, "closed": None}
    if enrollment.competency_id is None:
        return outcome
    score = scores.get(enrollment.competency_id)
    outcome["score"] = score
    if score is None:
        return outcome
    source = enrollment.source or {}
    if "interview_score" in source or "required_score" in source:
        interview, required = source.get("interview_score"), source.get("required_score")
    else:
        code = enrollment.competency.code if enrollment.competency else ""
        interview = gaps.interview_scores_of(enrollment.employee).get(code)
        required = gaps.required_scores_of(enrollment.employee).get(code)
    margin = float(source.get("margin", gaps.gap_margin()))
    outcome["closed"] = training.gap_of(
        performance=score, interview=interview, required=required, margin=margin
    ) is None
    return outcome


@transaction.atomic
def enrollments_follow_up(*, employee_id: int | None = None) -> int:
    """Close completed enrolments with the employee's next submitted review after the completion date; record
    that review and whether the gap closed (the review's score in the competency is no longer more than the
    margin below the interview and required scores the enrolment was made for). Returns how many closed.
    Idempotent; one query when nothing is pending."""
    pending_qs = Enrollment.objects.filter(
        status=Enrollment.Status.COMPLETED, closed_at__isnull=True, completed_on__isnull=False
    ).select_related("competency", "employee")
    if employee_id is not None:
        pending_qs = pending_qs.filter(employee_id=employee_id)
    pending = list(pending_qs)
    if not pending:
        return 0
    earliest = min(e.completed_on for e in pending if e.completed_on is not None)
    since = timezone.make_aware(dt.datetime.combine(earliest + dt.timedelta(days=1), dt.time.min))
    reviews = (
        Review.objects.filter(
            employee_id__in={e.employee_id for e in pending}, status=Review.Status.SUBMITTED, submitted_at__gte=since,
        )
        .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.only("review_id", "competency_id", "score")))
        .order_by("submitted_at", "id")
    )
    by_employee: dict[int, list[Review]] = {}
    for review in reviews:
        by_employee.setdefault(review.employee_id, []).append(review)
    closed = 0
    now = timezone.now()
    for enrollment in pending:
        assert enrollment.completed_on is not None
        follow = next(
            (r for r in by_employee.get(enrollment.employee_id, [])
             if r.submitted_at and timezone.localdate(r.submitted_at) > enrollment.completed_on),
            None,
        )
        if follow is None:
            continue
        scores = {s.competency_id: float(s.score) for s in follow.scores.all()}
        source = {**(enrollment.source or {}), "outcome": _outcome(enrollment, follow, scores)}
        updated = Enrollment.objects.filter(pk=enrollment.pk, closed_at__isnull=True).update(
            follow_up_review=follow, closed_at=now, source=source, updated_at=now,
        )
        if updated:
            closed += 1
            audit_record(actor=None, obj=enrollment, action=AuditEntry.Action.UPDATE,
                         changes={"follow_up_review": (None, follow.pk), "closed_at": (None, now)})
    return closed
