"""Hiring: an application with an accepted offer becomes an employee, and the employee profile shows the whole
recruiting record (resume, parsed data, screening, written test, background checks, offer, stage history).

The profile section is read here, beside the hire that links the two records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import BigIntegerField, Max, Prefetch
from django.db.models.functions import Cast, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.assessment.resume.parsed import DEGREE_RANK
from talentloop.core.access import HR, has_role
from talentloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from talentloop.core.models import User
from talentloop.org import services as org_services
from talentloop.org.models import Department, Employee, EmployeeEvent
from talentloop.org.profile import ProfileSection
from talentloop.org.selectors import team_ids_sql

from ..access import require_application_access
from ..models import Application, BackgroundCheck, BackgroundCheckItem, Degree, Offer, Stage, StageChange
from .offers import accepted_offer
from .pipeline import application_transition


@dataclass(frozen=True)
class HireResult:
    employee: Employee
    created: bool  # False: an existing employee with the candidate's email was linked


def next_employee_no() -> str:
    """"E" and the number after the highest existing E-number, six digits at least ("E000124")."""
    numbered = Employee.objects.filter(employee_no__regex=r"^E[0-9]{1,18}$")
    highest = numbered.aggregate(n=Max(Cast(Substr("employee_no", 2), BigIntegerField())))["n"] or 0
    number = highest + 1
    while Employee.objects.filter(employee_no=f"E{number:06d}").exists():
        number += 1
    return f"E{number:06d}"


def existing_employee(application: Application) -> Employee | None:
    """The employee a hire would link instead of creating one: the same email, case aside."""
    email = application.candidate.email.strip()
    if not email:
        return None
    return Employee.objects.filter(email__iexact=email).order_by("pk").first()


@transaction.atomic
def application_hire(
    *, actor: User, application: Application, hire_date: dt.date | None, employee_no: str | None = None,
    department: Department | None = None, manager: Employee | None = None,
) -> HireResult:
    """Hire the candidate of an application whose offer was accepted: create the employee (on probation, in the
    job's department unless another is given, at the offer's level) or link the existing employee with the
    candidate's email (left as it is; `employee_no`, `department` and `manager` then do not apply), move the application
    to hired and note it on the employee's timeline. Only HR admins hire: it creates an employee record."""
    if not has_role(actor, HR):
        raise PermissionDenied(_("Only HR admins may hire: hiring creates the employee record."))
    require_application_access(actor, application)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("candidate", "job__department")
        .get(pk=application.pk)
    )
    if application.stage == Stage.HIRED or application.employee_id is not None:
        raise Conflict(_("This candidate has already been hired."))
    offer = accepted_offer(application)
    if offer is None:
        raise Conflict(_("Only a candidate who accepted an offer can be hired."))
    if hire_date is None:
        raise ValidationFailed(_("Give the hire date."), field="hire_date")
    employee = existing_employee(application)
    created = employee is None
    if employee is not None:
        if Application.objects.filter(employee=employee).exists():
            raise Conflict(
                _("%(name)s (%(no)s) is already linked to another application.")
                % {"name": employee.name, "no": employee.employee_no}
            )
    else:
        candidate = application.candidate
        if not candidate.name.strip():
            raise ValidationFailed(_("The candidate has no name; add it before hiring."), field="name")
        employee = org_services.employee_create(actor=actor, data={
            "employee_no": (employee_no or "").strip() or next_employee_no(),
            "name": candidate.name, "email": candidate.email, "phone": candidate.phone,
            "department": department or application.job.department, "job": application.job, "level": offer.level,
            "hire_date": hire_date, "status": Employee.Status.PROBATION, "manager": manager,
        })
    application.employee = employee
    application.save(update_fields=["employee", "updated_at"])
    application_transition(actor=actor, application=application, to=Stage.HIRED, hiring=True)
    EmployeeEvent.objects.create(
        employee=employee, kind=EmployeeEvent.Kind.RECRUITING, occurred_on=hire_date, actor=actor,
        summary=_("Hired as %(title)s through recruiting (application %(id)d)")
        % {"title": offer.title, "id": application.pk},
        data={"application": application.pk, "job": application.job_id, "offer": offer.pk, "linked": not created},
    )
    _queue_cycle_enrolment(employee.pk)
    return HireResult(employee=employee, created=created)


def _queue_cycle_enrolment(employee_id: int) -> None:
    """After the hire commits, the new hire joins the performance cycles that enrol new hires and gets OKRs
    drafted from the interview. Imported here: performance builds on recruiting, not the other way round."""
    from talentloop.performance.tasks import hire_join_cycles_task

    transaction.on_commit(lambda: hire_join_cycles_task.delay(employee_id))


def may_hire(user: User) -> bool:
    return has_role(user, HR)


# The recruiting record on the employee profile --------------------------------------------------------


def may_see_recruiting_record(user: User, employee: Employee) -> bool:
    """HR admins, and the people above the employee in the reporting line; not the employee themself."""
    if has_role(user, HR):
        return True
    own = getattr(user, "employee", None)
    if own is None or own.pk == employee.pk:
        return False
    return Employee.objects.filter(pk__in=team_ids_sql(own.pk)).filter(pk=employee.pk).exists()


def _when(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _checks_json(checks: list[BackgroundCheck]) -> list[dict[str, Any]]:
    return [
        {
            "id": check.pk, "status": check.status, "provider": check.provider.slug if check.provider else None,
            "consent_given_at": _when(check.consent_given_at), "completed_at": _when(check.completed_at),
            "items": [{"kind": i.kind, "status": i.status, "result": i.result} for i in check.items.all()],
        }
        for check in checks
    ]


def _offer_json(offer: Offer | None) -> dict[str, Any] | None:
    if offer is None:
        return None
    return {
        "id": offer.pk, "title": offer.title, "level": offer.level_id, "salary": float(offer.salary),
        "start_date": offer.start_date.isoformat(), "status": offer.status,
        "responded_at": _when(offer.responded_at),
    }


@dataclass(frozen=True)
class _Record:
    changes: list[StageChange]
    checks: list[BackgroundCheck]
    offer: Offer | None


def _load(application: Application) -> _Record:
    changes = list(StageChange.objects.filter(application=application).select_related("actor").order_by("at", "id"))
    checks = list(
        BackgroundCheck.objects.filter(application=application).select_related("provider")
        .prefetch_related(Prefetch("items", queryset=BackgroundCheckItem.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    offer = accepted_offer(application) or (
        Offer.objects.filter(application=application).select_related("level").order_by("-id").first()
    )
    return _Record(changes=changes, checks=checks, offer=offer)


def _record_json(application: Application, record: _Record) -> dict[str, Any]:
    return {
        "application": application.pk,
        "job": {"id": application.job_id, "title": application.job.title},
        "applied_at": _when(application.created_at),
        "resume_url": reverse("application-resume", args=[application.pk]) if application.resume else None,
        "resume_name": application.resume_name,
        "parsed": {k: v for k, v in (application.parsed or {}).items() if k != "terms"},
        "screening": application.screening or {},
        "written_test_score": application.written_test_score,
        "written_tests": [
            {"test": s.test.title, "status": s.status, "score": s.score,
             "submitted_at": _when(s.submitted_at) if s.submitted_at else None}
            for s in application.test_assignments.select_related("test").order_by("created_at", "id")
        ],
        "stage_history": [
            {"from": c.from_stage, "to": c.to_stage, "at": _when(c.at), "by": str(c.actor) if c.actor else None,
             "reason": c.reason}
            for c in record.changes
        ],
        "background_checks": _checks_json(record.checks),
        "offer": _offer_json(record.offer),
        "interview_reports": _interview_reports(application),
    }


def _interview_reports(application: Application) -> list[dict[str, Any]]:
    """The application's AI interviews (id, round, status, overall score, fit, decision, link to the report).
    Imported here: the interviews app builds on recruiting, so recruiting may not import it at module load."""
    from talentloop.interviews.selectors.reports import interview_report_summaries

    return interview_report_summaries(application=application)


def recruiting_record(*, application: Application) -> dict[str, Any]:
    """The plain JSON of the profile's "recruiting" section. Interview reports come with the interview app."""
    return _record_json(application, _load(application))


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value)) if value else ""


def _display(application: Application, record: _Record) -> dict[str, Any]:
    """What the template shows, with labels in the reader's language."""
    degree = (application.parsed or {}).get("highest_degree")
    return {
        "application": application,
        "degree": Degree(DEGREE_RANK[degree]).label if degree in DEGREE_RANK else None,
        "stage_rows": [
            {"from": _label(Stage, c.from_stage), "to": _label(Stage, c.to_stage), "at": c.at, "by": c.actor,
             "reason": c.reason}
            for c in record.changes
        ],
        "checks": [
            {
                "check": check,
                "items": [
                    {"kind": _label(BackgroundCheckItem.Kind, i.kind), "status": i.status,
                     "status_label": _label(BackgroundCheckItem.Status, i.status), "result": i.result}
                    for i in check.items.all()
                ],
            }
            for check in record.checks
        ],
        "offer": record.offer,
    }


def recruiting_profile_section(user: User, employee: Employee) -> ProfileSection | None:
    """The provider registered by RecruitingConfig.ready(): nothing for an employee not hired through
    recruiting, or for a viewer who may not see the record."""
    if not may_see_recruiting_record(user, employee):
        return None
    application = Application.objects.filter(employee=employee).select_related("candidate", "job").first()
    if application is None:
        return None
    record = _load(application)
    return ProfileSection(
        key="recruiting", title=_("Recruiting record"), template="recruiting/profile_section.html",
        data=_record_json(application, record), context=_display(application, record),
    )
