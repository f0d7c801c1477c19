"""Reads of the course catalogue and enrolments, narrowed to what the asking user may see, and who may do what.

HR sees and changes everything. A manager reads and enrols their team (direct and indirect reports), and reads
their own records; an employee reads their own recommendations, enrolments and (no longer draft) development
plans, and marks their own enrolment completed. Everyone in learning reads the active courses; HR also the
inactive ones. Recruiters and candidates see none of it."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from talentloop.core.access import require_role, role_of
from talentloop.core.errors import NotFound, PermissionDenied
from talentloop.core.models import Role, User
from talentloop.org.models import Employee
from talentloop.org.selectors import team_ids_sql
from talentloop.performance.selectors import MAX_ID, employee_in_team, employee_of

from .models import Course, Enrollment

LEARNING_ROLES = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER, Role.EMPLOYEE})
ENROLLER_ROLES = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER})


# --- who ----------------------------------------------------------------------------------------------------


def employee_for(*, user: User, pk: int) -> Employee:
    """An employee whose learning records the user may read (HR: anyone; a manager: themself and their team;
    an employee: themself). One out of reach is "not allowed"; one that does not exist "not found"."""
    require_role(user, LEARNING_ROLES)
    employee = (
        Employee.objects.select_related("job", "department").filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    )
    if employee is None:
        raise NotFound(_("No such employee."))
    role = role_of(user)
    if role == Role.HR_ADMIN:
        return employee
    me = employee_of(user)
    if me is not None and me.pk == employee.pk:
        return employee
    if role == Role.HIRING_MANAGER and me is not None and employee_in_team(manager=me, employee=employee):
        return employee
    raise PermissionDenied(_("You can only see the training of yourself and, as a manager, of your team."))


def require_enroller(*, actor: User, employee: Employee) -> None:
    """Refuse, with the reason, unless the actor may plan this employee's training (HR; their manager)."""
    role = role_of(actor)
    if role == Role.HR_ADMIN:
        return
    me = employee_of(actor)
    if role == Role.HIRING_MANAGER and me is not None and me.pk == employee.pk:
        raise PermissionDenied(_("You cannot plan your own training; your manager or HR does."))
    if role == Role.HIRING_MANAGER and me is not None and employee_in_team(manager=me, employee=employee):
        return
    if role == Role.HIRING_MANAGER:
        raise PermissionDenied(_("%(name)s is not in your team; only HR or their manager can plan their training.")
                               % {"name": employee.name})
    raise PermissionDenied(_("Only HR or %(name)s's manager can plan %(name)s's training.") % {"name": employee.name})


def may_enrol(*, user: User, employee: Employee) -> bool:
    try:
        require_enroller(actor=user, employee=employee)
    except PermissionDenied:
        return False
    return True


def _reach(user: User, field: str) -> Q | None:
    """None: everything (HR); otherwise the condition on `field` (an employee id) for the user's reach."""
    require_role(user, LEARNING_ROLES)
    role = role_of(user)
    if role == Role.HR_ADMIN:
        return None
    me = employee_of(user)
    if me is None:
        return Q(pk__in=[])
    seen = Q(**{field: me.pk})
    if role == Role.HIRING_MANAGER:
        seen |= Q(**{f"{field}__in": team_ids_sql(me.pk)})
    return seen


# --- courses ------------------------------------------------------------------------------------------------


def course_list(
    *, user: User, competency: int | None = None, level: str | None = None, format: str | None = None,
    active: bool | None = None, search: str | None = None,
) -> QuerySet[Course]:
    """The catalogue with each course's competencies loaded: two queries a page."""
    require_role(user, LEARNING_ROLES)
    qs = Course.objects.prefetch_related("competencies")
    if role_of(user) != Role.HR_ADMIN:
        qs = qs.filter(is_active=True)
    elif active is not None:
        qs = qs.filter(is_active=active)
    if competency is not None:
        qs = qs.filter(competencies=competency)
    if level:
        qs = qs.filter(level=level)
    if format:
        qs = qs.filter(format=format)
    if search and search.strip():
        term = search.strip()
        qs = qs.filter(Q(title__icontains=term) | Q(provider__icontains=term))
    return qs.order_by("title", "id")


def course_get(*, user: User, pk: int) -> Course:
    course = course_list(user=user).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if course is None:
        raise NotFound(_("No such course."))
    return course


# --- enrolments ---------------------------------------------------------------------------------------------


def enrollment_visible(*, user: User) -> QuerySet[Enrollment]:
    seen = _reach(user, "employee_id")
    base = Enrollment.objects.all()
    return base if seen is None else base.filter(seen)


def enrollment_list(
    *, user: User, employee: int | None = None, status: str | None = None, course: int | None = None,
) -> QuerySet[Enrollment]:
    """Visible enrolments with the employee, course, competency and follow-up review loaded: one query a page."""
    qs = enrollment_visible(user=user).select_related(
        "employee", "course", "competency", "enrolled_by", "follow_up_review__cycle"
    )
    if employee is not None:
        qs = qs.filter(employee_id=employee)
    if status:
        qs = qs.filter(status=status)
    if course is not None:
        qs = qs.filter(course_id=course)
    return qs.order_by("-start_date", "-id")


def enrollment_get(*, user: User, pk: int) -> Enrollment:
    enrollment = enrollment_list(user=user).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if enrollment is not None:
        return enrollment
    if 0 < pk <= MAX_ID and Enrollment.objects.filter(pk=pk).exists():
        raise PermissionDenied(_("You do not have permission to see this enrolment."))
    raise NotFound(_("No such enrolment."))
