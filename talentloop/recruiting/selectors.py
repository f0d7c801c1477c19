"""Reads of recruiting records, narrowed to what the user may see."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from talentloop.core.errors import NotFound, PermissionDenied
from talentloop.core.models import User
from talentloop.org.models import Job

from .access import applications_in_reach, jobs_in_reach, require_recruiter
from .models import Application, ApplicationNote, Candidate, Stage
from .services.intake import normalise_phone
from .services.pipeline import PIPELINE

_PHONE_LIKE = re.compile(r"[\d\s+()\-]+")


def _contact_search(term: str, prefix: str = "") -> Q:
    """Name or email containing the term; a term that looks like a phone number also matches the stored
    digits, so "138-1234" finds 13812345678."""
    term = term.strip()
    condition = Q(**{f"{prefix}name__icontains": term}) | Q(**{f"{prefix}email__icontains": term})
    digits = normalise_phone(term) if _PHONE_LIKE.fullmatch(term) else ""
    if digits:
        condition |= Q(**{f"{prefix}phone__contains": digits})
    return condition


def application_list(
    *, user: User, job: int | None = None, stage: str | None = None, search: str | None = None
) -> QuerySet[Application]:
    qs = applications_in_reach(user).select_related("candidate", "job")
    if job is not None:
        qs = qs.filter(job_id=job)
    if stage:
        qs = qs.filter(stage=stage)
    if search and search.strip():
        qs = qs.filter(_contact_search(search, "candidate__"))
    return qs.order_by("-created_at", "-id")


def application_get(*, user: User, pk: int) -> Application:
    """One application the user may see. One that exists outside their reach is "not allowed" rather than
    "not found" (as org.selectors.employee_get does), so people know to ask instead of assuming a typo."""
    application = application_list(user=user).filter(pk=pk).first()
    if application is None:
        if Application.objects.filter(pk=pk).exists():
            raise PermissionDenied(_("You do not have permission to see this application."))
        raise NotFound(_("No such application."))
    return application


def application_get_for_recruiter(*, user: User, pk: int) -> Application:
    """An application HR or a recruiter works on (checks, offers); hiring managers may not work on these."""
    application = application_get(user=user, pk=pk)
    require_recruiter(user)
    return application


def job_for_recruiting(*, user: User, pk: int) -> Job:
    job = jobs_in_reach(user).select_related("department", "level").filter(pk=pk).first()
    if job is None:
        raise NotFound(_("No such job, or you may not see its candidates."))
    return job


def job_ranking(*, user: User, job: Job, limit: int | None = None, passed_only: bool = False) -> QuerySet[Application]:
    """Applications of a job by match score, best first; unreadable resumes (no score) last."""
    qs = application_list(user=user, job=job.pk).exclude(stage__in=(Stage.WITHDRAWN,))
    if passed_only:
        qs = qs.filter(screening_passed=True)
    # NULLS LAST spelled out: PostgreSQL puts NULLs first in a descending sort, SQLite last.
    qs = qs.order_by(F("screening_score").desc(nulls_last=True), "pk")
    return qs[:limit] if limit else qs


def application_note_list(*, user: User, pk: int) -> QuerySet[ApplicationNote]:
    """The notes of one application the user may see, newest first."""
    application = application_get(user=user, pk=pk)
    return ApplicationNote.objects.filter(application=application).order_by("-created_at", "-id")


def candidate_list(*, user: User, search: str | None = None) -> QuerySet[Candidate]:
    """Candidates with their application ids (one query for all of them). HR and recruiters only."""
    require_recruiter(user)
    qs = Candidate.objects.prefetch_related(
        Prefetch("applications", queryset=Application.objects.only("pk", "candidate_id").order_by("pk"))
    )
    if search and search.strip():
        qs = qs.filter(_contact_search(search))
    return qs.order_by("-created_at", "-id")


def candidate_get(*, user: User, pk: int) -> Candidate:
    candidate = candidate_list(user=user).filter(pk=pk).first()
    if candidate is None:
        raise NotFound(_("No such candidate."))
    return candidate


def job_board(*, user: User, job: Job, per_stage: int = 200) -> dict[str, Any]:
    """The kanban: every stage with its count and its first cards, in two queries whatever the size."""
    base = application_list(user=user, job=job.pk)
    counts = dict(base.order_by().values_list("stage").annotate(n=Count("pk")))
    columns = [*PIPELINE, Stage.REJECTED, Stage.WITHDRAWN]
    cards: dict[str, list[Application]] = {stage: [] for stage in columns}
    # Best match first in each column, unscored (unreadable) last on PostgreSQL too. The database numbers the
    # rows within each stage and returns only the first `per_stage`, so a job with thousands of candidates
    # sends no more rows than the board shows.
    ranked = base.annotate(
        place=Window(
            RowNumber(), partition_by=[F("stage")],
            order_by=[F("screening_score").desc(nulls_last=True), F("pk").asc()],
        )
    ).filter(place__lte=per_stage)
    for application in ranked.order_by("stage", "place").only(
        "pk", "stage", "screening_score", "screening_passed", "resume_status", "stage_changed_at",
        "candidate__name", "candidate__email", "job_id",
    ):
        cards[application.stage].append(application)
    return {
        "job": job,
        "columns": [
            {"stage": stage, "label": Stage(stage).label, "count": counts.get(stage, 0), "cards": cards[stage]}
            for stage in columns
        ],
    }
