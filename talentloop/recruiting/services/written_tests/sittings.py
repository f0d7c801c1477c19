"""Sittings of written tests: HR assigns a test to an application, which gives the candidate a secret link;
the candidate opens it, starts the timer, saves drafts and submits (see the time rules in the package's
docstring)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record

from ...access import require_application_access, require_recruiter
from ...models import Application, Stage, WrittenTest, WrittenTestSitting
from ..pipeline import CLOSED, application_transition
from .grading import _clean_answers, _finalise, _questions
from .rules import (
    BEFORE_TEST,
    EXPIRY_DAYS_MAX,
    EXPIRY_DAYS_MIN,
    SittingExpired,
    SittingSubmitted,
    SittingTimeUp,
    Status,
    SubmitResult,
    _expired_message,
    _submitted_message,
    sitting_deadline,
    sitting_overdue,
)

# --- Assigning ---------------------------------------------------------------------------------------------


def candidate_path(sitting: WrittenTestSitting) -> str:
    """The candidate's page, relative to the site (the token is the only key)."""
    return reverse("careers:written_test", kwargs={"token": sitting.token})


@transaction.atomic
def written_test_assign(
    *, actor: User, application: Application, test: WrittenTest, expires_in_days: int, site_url: str = "",
) -> WrittenTestSitting:
    """Give the candidate a secret link to the test, valid for `expires_in_days`. An application in a stage
    before the written test moves to it (which sends that stage's email). With `site_url` (the site's address,
    e.g. https://hr.example.com) the candidate is also emailed the link after commit."""
    require_recruiter(actor)
    require_application_access(actor, application)
    if isinstance(expires_in_days, bool) or not isinstance(expires_in_days, int) or not (
        EXPIRY_DAYS_MIN <= expires_in_days <= EXPIRY_DAYS_MAX
    ):
        raise ValidationFailed(
            _("The link is valid for %(min)d to %(max)d days.") % {"min": EXPIRY_DAYS_MIN, "max": EXPIRY_DAYS_MAX},
            field="expires_in_days",
        )
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.stage in CLOSED:
        raise Conflict(
            _("The application is closed (%(stage)s); it cannot be given a test.")
            % {"stage": Stage(application.stage).label}
        )
    if not test.questions.exists():
        raise ValidationFailed(_("This test has no questions yet."), field="test")
    now = timezone.now()
    open_sitting = (
        WrittenTestSitting.objects.filter(test=test, application=application, submitted_at__isnull=True)
        .filter(Q(started_at__isnull=False) | Q(expires_at__gt=now))
        .first()
    )
    if open_sitting is not None:
        raise Conflict(
            _("This candidate already has an open link to this test (valid until %(date)s).")
            % {"date": formats.date_format(timezone.localtime(open_sitting.expires_at), "Y-m-d H:i")}
        )
    sitting = WrittenTestSitting.objects.create(
        test=test, application=application, token=secrets.token_urlsafe(32),
        expires_at=now + timedelta(days=expires_in_days),
    )
    audit_record(actor=actor, obj=sitting, action=AuditEntry.Action.CREATE, changes={
        "test": ("", test), "application": ("", application), "expires_at": ("", sitting.expires_at),
    })
    if application.stage in BEFORE_TEST:
        application_transition(
            actor=actor, application=application, to=Stage.WRITTEN_TEST,
            reason=_("Written test “%(title)s” assigned.") % {"title": test.title},
        )
    if site_url:
        url = site_url.rstrip("/") + candidate_path(sitting)
        sitting_id = sitting.pk
        transaction.on_commit(lambda: sitting_link_email_send(sitting_id=sitting_id, url=url))
    return sitting


def sitting_link_email_send(*, sitting_id: int, url: str) -> bool:
    """Email the candidate their link, in their language. False when the candidate has no email address."""
    sitting = WrittenTestSitting.objects.select_related("test", "application__candidate", "application__job").get(
        pk=sitting_id
    )
    candidate = sitting.application.candidate
    if not candidate.email:
        return False
    language = candidate.language if candidate.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    company = getattr(settings, "TALENTLOOP_COMPANY_NAME", "TalentLoop")
    with translation.override(language):
        values = {
            "company": company, "job": sitting.application.job.title, "test": sitting.test.title,
            "candidate": candidate.name or candidate.email, "url": url,
            "expires": formats.date_format(timezone.localtime(sitting.expires_at), "Y-m-d H:i"),
            "minutes": sitting.test.time_limit_minutes,
        }
        subject = _("%(company)s: your written test for %(job)s") % values
        body = _(
            "Dear %(candidate)s,\n\nPlease take the written test “%(test)s” for %(job)s through this link:\n"
            "%(url)s\n\nThe link works until %(expires)s. Once you start you have %(minutes)d minutes; your "
            "answers are saved as you go.\n\nThe %(company)s recruiting team"
        ) % values
        send_mail(subject, body, None, [candidate.email])
    return True


# --- The candidate's side ---------------------------------------------------------------------------------


def _locked_sitting(token: str) -> WrittenTestSitting:
    sitting = (
        WrittenTestSitting.objects.select_for_update(of=("self",))
        .select_related("test", "application")
        .filter(token=str(token)[:64])
        .first()
    )
    if sitting is None:
        raise NotFound(_("This test link is not valid. Please check that you copied the whole link from the email."))
    return sitting


def _check_open(sitting: WrittenTestSitting, now: datetime) -> None:
    if sitting.submitted_at is not None:
        raise SittingSubmitted(_submitted_message(sitting))
    if sitting.started_at is None and sitting.expires_at <= now:
        raise SittingExpired(_expired_message(sitting))


@transaction.atomic
def sitting_open(*, token: str) -> WrittenTestSitting:
    """The sitting behind a candidate's link; one whose time ran out is first submitted with its saved draft.
    Unknown token: NotFound. (Expired and submitted sittings are returned: the page explains them.)"""
    sitting = _locked_sitting(token)
    now = timezone.now()
    if sitting_overdue(sitting, now):
        _finalise(sitting, dict(sitting.answers), now)
    return sitting


@transaction.atomic
def sitting_start(*, token: str) -> WrittenTestSitting:
    """Start the timer; starting again changes nothing (a reload must not give more time)."""
    sitting = _locked_sitting(token)
    now = timezone.now()
    _check_open(sitting, now)
    if sitting.started_at is None:
        sitting.started_at = now
        sitting.status = Status.IN_PROGRESS
        sitting.save(update_fields=["started_at", "status", "updated_at"])
    return sitting


def sitting_save_draft(*, token: str, answers: Mapping[str, Any]) -> WrittenTestSitting:
    """Autosave: keep the answers so far. Refused once the time is up (the draft saved before stays)."""
    closed = sitting_open(token=token)  # commits the closing of an overdue sitting before refusing
    with transaction.atomic():
        sitting = _locked_sitting(closed.token)
        now = timezone.now()
        _check_open(sitting, now)
        if sitting.started_at is None:
            raise ValidationFailed(_("Start the test first."))
        deadline = sitting_deadline(sitting)
        if deadline is not None and now > deadline:
            raise SittingTimeUp(
                _("The time for this test is up; answers can no longer be changed. Your saved answers are kept.")
            )
        sitting.answers = _clean_answers(_questions(sitting), answers)
        sitting.save(update_fields=["answers", "updated_at"])
    return sitting


@transaction.atomic
def sitting_submit(*, token: str, answers: Mapping[str, Any]) -> SubmitResult:
    """Hand in the answers and grade the choice questions. Within the time limit plus GRACE the answers given
    count; later, they are refused and the draft saved before the deadline is submitted instead."""
    sitting = _locked_sitting(token)
    now = timezone.now()
    _check_open(sitting, now)
    if sitting.started_at is None:
        raise ValidationFailed(_("Start the test first."))
    if sitting_overdue(sitting, now):
        _finalise(sitting, dict(sitting.answers), now)
        return SubmitResult(sitting, answers_accepted=False)
    _finalise(sitting, _clean_answers(_questions(sitting), answers), now)
    return SubmitResult(sitting, answers_accepted=True)
