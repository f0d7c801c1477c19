"""Who may see and change recruiting records."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from talentloop.core.access import HR_AND_RECRUITING, has_role, role_of
from talentloop.core.errors import PermissionDenied
from talentloop.core.models import Role, User
from talentloop.org.models import Job
from talentloop.org.selectors import department_subtree_ids

from .models import Application

RECRUITING_ROLES = frozenset({Role.HR_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER})


def jobs_in_reach(user: User) -> QuerySet[Job]:
    """HR and recruiters: every job. A hiring manager: the jobs of their department and the ones below it."""
    if has_role(user, HR_AND_RECRUITING):
        return Job.objects.all()
    own = getattr(user, "employee", None) if role_of(user) == Role.HIRING_MANAGER else None
    if own is None:
        return Job.objects.none()
    return Job.objects.filter(department_id__in=department_subtree_ids(own.department_id))


def applications_in_reach(user: User) -> QuerySet[Application]:
    if not has_role(user, RECRUITING_ROLES):
        raise PermissionDenied(_("You do not have permission to see recruiting records."))
    if has_role(user, HR_AND_RECRUITING):
        return Application.objects.all()
    return Application.objects.filter(Q(job__in=jobs_in_reach(user)))


def require_application_access(user: User, application: Application) -> None:
    if not applications_in_reach(user).filter(pk=application.pk).exists():
        raise PermissionDenied(_("You do not have permission to work on this application."))


def require_recruiter(user: User) -> None:
    if not has_role(user, HR_AND_RECRUITING):
        raise PermissionDenied(_("Only HR and recruiters may do this."))
