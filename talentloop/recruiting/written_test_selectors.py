"""Reads of written tests and their sittings, narrowed to what the user may see. (The writes are in
services.written_tests, which re-exports these for older imports.)"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from talentloop.core.access import HR_AND_RECRUITING, has_role, require_role
from talentloop.core.errors import NotFound
from talentloop.core.models import User

from .access import RECRUITING_ROLES, applications_in_reach, jobs_in_reach
from .models import Application, WrittenTest, WrittenTestQuestion, WrittenTestSitting


def written_test_list(*, user: User, job: int | None = None) -> QuerySet[WrittenTest]:
    """HR and recruiters: every test. A hiring manager (read only): tests of their jobs and general ones."""
    require_role(user, RECRUITING_ROLES)
    qs = WrittenTest.objects.select_related("job").prefetch_related(
        Prefetch("questions", queryset=WrittenTestQuestion.objects.order_by("position", "pk"))
    )
    if not has_role(user, HR_AND_RECRUITING):
        qs = qs.filter(Q(job__isnull=True) | Q(job__in=jobs_in_reach(user)))
    if job is not None:
        qs = qs.filter(job_id=job)
    return qs.annotate(sitting_count=Count("assignments", distinct=True)).order_by("-created_at", "-id")


def written_test_get(*, user: User, pk: int) -> WrittenTest:
    test = written_test_list(user=user).filter(pk=pk).first()
    if test is None:
        raise NotFound(_("No such written test, or you may not see it."))
    return test


def sitting_list(
    *, user: User, test: WrittenTest | None = None, application: Application | None = None
) -> QuerySet[WrittenTestSitting]:
    qs = WrittenTestSitting.objects.filter(application__in=applications_in_reach(user)).select_related(
        "test", "application__candidate", "application__job", "reviewed_by"
    )
    if test is not None:
        qs = qs.filter(test=test)
    if application is not None:
        qs = qs.filter(application=application)
    return qs.order_by("-created_at", "-id")


def sitting_get(*, user: User, pk: int) -> WrittenTestSitting:
    sitting = sitting_list(user=user).filter(pk=pk).first()
    if sitting is None:
        raise NotFound(_("No such test sitting, or you may not see it."))
    return sitting
