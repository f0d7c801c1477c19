"""Writes of 360° feedback: requesting it about an employee with a set of raters, emailing each rater their
secret link, answering (as the logged-in rater or through the link) and closing.

Who may request and close: HR any employee; a manager their team (direct and indirect reports) and themself.
Employees, recruiters and candidates do not. Raters default to the subject (self), their manager, their peers
(same manager) and their direct reports. A rater answers once, before the deadline, while the request is open:
a rating per competency of the subject's job model they can judge (at least one), on the request's scale.
Reads, and the anonymity of peer and report answers, are in feedback_selectors."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from talentloop.assessment.feedback import rating_score
from talentloop.core.access import role_of
from talentloop.core.errors import Conflict, NotFound, PermissionDenied
from talentloop.core.models import AuditEntry, Role, User
from talentloop.core.services import audit_record
from talentloop.org.models import Competency, Employee, JobCompetency

from .models import FeedbackAnswer, FeedbackInvitation, FeedbackRequest, PerformanceCycle
from .selectors import employee_in_team, employee_of
from .services import _Errors

Relation = FeedbackInvitation.Relation
MAX_RATERS = 50
MAX_COMMENT = 4000


@dataclass(frozen=True)
class RaterChoice:
    employee: Employee
    relation: str


@dataclass(frozen=True)
class AnswerInput:
    competency: str  # the competency's code
    rating: Decimal | int | float | str
    comment: str = ""


# --- who may request --------------------------------------------------------------------------------------


def feedback_may_manage(*, user: User, subject: Employee) -> bool:
    """HR, or a manager about themself or their team."""
    role = role_of(user)
    if role == Role.HR_ADMIN:
        return True
    if role != Role.HIRING_MANAGER:
        return False
    me = employee_of(user)
    return me is not None and (me.pk == subject.pk or employee_in_team(manager=me, employee=subject))


def _require_manage(actor: User, subject: Employee) -> None:
    if not feedback_may_manage(user=actor, subject=subject):
        if role_of(actor) == Role.HIRING_MANAGER:
            raise PermissionDenied(_("You can only request 360° feedback about yourself and your own team."))
        raise PermissionDenied(_("Only HR and managers can request or close 360° feedback."))


# --- raters -----------------------------------------------------------------------------------------------


def feedback_raters_suggest(*, subject: Employee) -> list[RaterChoice]:
    """The usual raters: the subject, their manager, peers (same manager) and direct reports, current staff only."""
    current = Employee.objects.exclude(status=Employee.Status.TERMINATED)
    choices = [RaterChoice(subject, Relation.SELF)]
    if subject.manager_id is not None:
        manager = current.filter(pk=subject.manager_id).first()
        if manager is not None:
            choices.append(RaterChoice(manager, Relation.MANAGER))
        peers = current.filter(manager_id=subject.manager_id).exclude(pk=subject.pk).order_by("employee_no")
        choices += [RaterChoice(peer, Relation.PEER) for peer in peers]
    reports = current.filter(manager_id=subject.pk).order_by("employee_no")
    choices += [RaterChoice(report, Relation.REPORT) for report in reports]
    return choices


def _raters(
    raters: Sequence[tuple[Employee | int, str]], subject: Employee, errors: _Errors
) -> list[RaterChoice]:
    ids = [r if isinstance(r, int) else r.pk for r, _relation in raters]
    found = Employee.objects.in_bulk(ids)
    chosen: list[RaterChoice] = []
    seen: set[int] = set()
    for pk, relation in zip(ids, (rel for _r, rel in raters), strict=True):
        employee = found.get(pk)
        if employee is None:
            errors.add("raters", _("No employee has the id %(id)s.") % {"id": pk})
            continue
        if relation not in Relation.values:
            errors.add("raters", _("“%(relation)s” is not a rater relation.") % {"relation": relation})
            continue
        if pk in seen:
            errors.add("raters", _("%(name)s is listed twice; each rater answers once.") % {"name": employee.name})
            continue
        seen.add(pk)
        if employee.status == Employee.Status.TERMINATED:
            errors.add("raters", _("%(name)s has left the company.") % {"name": employee.name})
        elif (relation == Relation.SELF) != (pk == subject.pk):
            errors.add("raters", _("Only the subject rates as “self”, and the subject only as “self”."))
        else:
            chosen.append(RaterChoice(employee, relation))
    if not raters:
        errors.add("raters", _("A 360° request needs at least one rater."))
    if len(raters) > MAX_RATERS:
        errors.add("raters", _("At most %(max)d raters per request.") % {"max": MAX_RATERS})
    return chosen


def feedback_competencies(subject: Employee) -> list[Competency]:
    """The competencies raters rate: the subject's job model, in its order."""
    if subject.job_id is None:
        return []
    rows = JobCompetency.objects.filter(job_id=subject.job_id).select_related("competency").order_by("position", "id")
    return [row.competency for row in rows]


# --- requests ---------------------------------------------------------------------------------------------


@transaction.atomic
def feedback_request_create(
    *,
    actor: User,
    cycle: PerformanceCycle,
    subject: Employee,
    deadline: datetime,
    scale: str = FeedbackRequest.Scale.FIVE,
    raters: Sequence[tuple[Employee | int, str]] | None = None,
) -> FeedbackRequest:
    """A 360° round about `subject` in `cycle`; every rater gets a secret link by email (after commit).
    `raters` as (employee or id, relation); None: the suggested raters."""
    _require_manage(actor, subject)
    if cycle.phase == PerformanceCycle.Phase.CLOSED:
        raise Conflict(_("The cycle “%(name)s” is closed; it takes no new 360° feedback.") % {"name": cycle.name})
    errors = _Errors()
    if scale not in FeedbackRequest.Scale.values:
        errors.add("scale", _("The rating scale is “0_100” or “1_5”."))
    if deadline <= timezone.now():
        errors.add("deadline", _("The deadline must be in the future."))
    if not cycle.employees.filter(pk=subject.pk).exists():
        errors.add("subject", _("%(name)s does not take part in the cycle “%(cycle)s”.")
                   % {"name": subject.name, "cycle": cycle.name})
    elif not feedback_competencies(subject):
        errors.add("subject", _("%(name)s has no job with a competency model, so there is nothing to rate.")
                   % {"name": subject.name})
    chosen = feedback_raters_suggest(subject=subject) if raters is None else _raters(raters, subject, errors)
    errors.raise_if_any()
    if FeedbackRequest.objects.filter(cycle=cycle, subject=subject).exists():
        raise Conflict(_("%(name)s already has a 360° request in the cycle “%(cycle)s”.")
                       % {"name": subject.name, "cycle": cycle.name})
    request = FeedbackRequest.objects.create(
        cycle=cycle, subject=subject, deadline=deadline, scale=scale, created_by=actor,
    )
    FeedbackInvitation.objects.bulk_create([
        FeedbackInvitation(request=request, rater=c.employee, relation=c.relation, token=secrets.token_urlsafe(32))
        for c in chosen
    ])
    audit_record(actor=actor, obj=request, action=AuditEntry.Action.CREATE, changes={
        "subject": ("", subject), "deadline": ("", deadline), "scale": ("", scale), "raters": ("", len(chosen)),
    })
    request_id = request.pk
    transaction.on_commit(lambda: feedback_invitations_email(request_id=request_id))
    return request


@transaction.atomic
def feedback_request_close(*, actor: User, request: FeedbackRequest) -> FeedbackRequest:
    """Stop taking answers (HR, or the subject's manager)."""
    _require_manage(actor, request.subject)
    request = FeedbackRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == FeedbackRequest.Status.CLOSED:
        raise Conflict(_("This 360° request is already closed."))
    request.status = FeedbackRequest.Status.CLOSED
    request.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, obj=request, action=AuditEntry.Action.UPDATE,
                 changes={"status": (FeedbackRequest.Status.OPEN, FeedbackRequest.Status.CLOSED)})
    return request


# --- invitations by email ---------------------------------------------------------------------------------


def feedback_path(invitation: FeedbackInvitation) -> str:
    """The rater's page, relative to the site: /feedback/<token>/."""
    return reverse("feedback:answer", kwargs={"token": invitation.token})


def feedback_url(invitation: FeedbackInvitation) -> str:
    return str(getattr(settings, "TALENTLOOP_SITE_URL", "")).rstrip("/") + feedback_path(invitation)


def _rater_email(employee: Employee) -> str:
    return employee.email or (employee.user.email if employee.user is not None else "")


def feedback_invitations_email(*, request_id: int) -> int:
    """Email every rater who has not answered their link; the number of emails sent."""
    invitations = (
        FeedbackInvitation.objects.filter(request_id=request_id, submitted_at__isnull=True)
        .select_related("request__subject", "rater__user")
    )
    sent = 0
    company = getattr(settings, "TALENTLOOP_COMPANY_NAME", "TalentLoop")
    for invitation in invitations:
        address = _rater_email(invitation.rater)
        if not address:
            continue
        request = invitation.request
        with translation.override(settings.LANGUAGE_CODE):
            values = {
                "company": company, "rater": invitation.rater.name, "subject": request.subject.name,
                "url": feedback_url(invitation),
                "deadline": formats.date_format(timezone.localtime(request.deadline), "Y-m-d H:i"),
            }
            if invitation.relation == Relation.SELF:
                subject_line = _("%(company)s: your 360° self-assessment") % values
            else:
                subject_line = _("%(company)s: 360° feedback for %(subject)s") % values
            body = _(
                "Dear %(rater)s,\n\n"
                "You are asked for 360° feedback about %(subject)s: a rating for each competency of their job, "
                "with a comment if you like. It takes a few minutes.\n\n"
                "Answer here (the link is personal; please do not share it):\n%(url)s\n\n"
                "Please answer by %(deadline)s. Peers' and reports' answers are only shown to %(subject)s "
                "and their manager as group averages, never with names.\n\n"
                "%(company)s HR"
            ) % values
        send_mail(subject_line, body, None, [address])
        sent += 1
    return sent


# --- answering --------------------------------------------------------------------------------------------


def _locked(invitation_id: int) -> FeedbackInvitation:
    return (
        FeedbackInvitation.objects.select_for_update()
        .select_related("request__subject", "request__cycle").get(pk=invitation_id)
    )


def feedback_require_open(invitation: FeedbackInvitation) -> None:
    """Refuse, with the reason, when this invitation can no longer be answered."""
    if invitation.submitted_at is not None:
        raise Conflict(_("You have already answered this 360° feedback; an answer cannot be changed."))
    request = invitation.request
    if request.status == FeedbackRequest.Status.CLOSED or request.cycle.phase == PerformanceCycle.Phase.CLOSED:
        raise Conflict(_("This 360° feedback is closed and takes no more answers."))
    if timezone.now() > request.deadline:
        raise Conflict(_("The deadline for this 360° feedback has passed (%(deadline)s).")
                       % {"deadline": formats.date_format(timezone.localtime(request.deadline), "Y-m-d H:i")})


def _answer_rows(
    invitation: FeedbackInvitation, answers: Sequence[AnswerInput], errors: _Errors
) -> list[FeedbackAnswer]:
    by_code = {c.code: c for c in feedback_competencies(invitation.request.subject)}
    scale = invitation.request.scale
    rows: list[FeedbackAnswer] = []
    seen: set[str] = set()
    for answer in answers:
        competency = by_code.get(answer.competency)
        if competency is None:
            errors.add("answers", _("“%(code)s” is not a competency of %(name)s's job.")
                       % {"code": answer.competency, "name": invitation.request.subject.name})
            continue
        if answer.competency in seen:
            errors.add("answers", _("“%(code)s” is rated twice.") % {"code": answer.competency})
            continue
        seen.add(answer.competency)
        try:
            score = rating_score(answer.rating, scale)
        except ValueError:
            if scale == FeedbackRequest.Scale.FIVE:
                message = _("The rating for “%(name)s” must be a whole number from 1 to 5.")
            else:
                message = _("The rating for “%(name)s” must be a number from 0 to 100.")
            errors.add("answers", message % {"name": competency.display_name})
            continue
        if len(answer.comment) > MAX_COMMENT:
            errors.add("answers", _("A comment can be at most %(max)d characters.") % {"max": MAX_COMMENT})
            continue
        rows.append(FeedbackAnswer(
            invitation=invitation, competency=competency, score=score,
            rating=Decimal(str(answer.rating)).quantize(Decimal("0.01")),
            comment=answer.comment.strip(),
        ))
    if not answers:
        errors.add("answers", _("Rate at least one competency."))
    return rows


def _submit(
    invitation: FeedbackInvitation, answers: Sequence[AnswerInput], comment: str, actor: User | None
) -> FeedbackInvitation:
    invitation = _locked(invitation.pk)
    feedback_require_open(invitation)
    errors = _Errors()
    rows = _answer_rows(invitation, answers, errors)
    if len(comment) > MAX_COMMENT:
        errors.add("comment", _("A comment can be at most %(max)d characters.") % {"max": MAX_COMMENT})
    errors.raise_if_any()
    FeedbackAnswer.objects.bulk_create(rows)
    invitation.submitted_at = timezone.now()
    invitation.comment = comment.strip()
    invitation.save(update_fields=["submitted_at", "comment", "updated_at"])
    # What was said stays out of the audit log: it would name the rater next to their ratings.
    audit_record(actor=actor, obj=invitation, action=AuditEntry.Action.UPDATE,
                 changes={"submitted_at": ("", invitation.submitted_at)})
    return invitation


@transaction.atomic
def feedback_respond(
    *, actor: User, request: FeedbackRequest, answers: Sequence[AnswerInput], comment: str = ""
) -> FeedbackInvitation:
    """Answer as the logged-in rater."""
    me = employee_of(actor)
    invitation = (
        FeedbackInvitation.objects.filter(request=request, rater=me).first() if me is not None else None
    )
    if invitation is None:
        raise PermissionDenied(_("You are not one of the raters of this 360° feedback."))
    return _submit(invitation, answers, comment, actor)


@transaction.atomic
def feedback_respond_by_token(
    *, token: str, answers: Sequence[AnswerInput], comment: str = "", actor: User | None = None
) -> FeedbackInvitation:
    """Answer through the secret link."""
    invitation = FeedbackInvitation.objects.filter(token=str(token)[:64]).first()
    if invitation is None:
        raise NotFound(_("This feedback link is not valid."))
    return _submit(invitation, answers, comment, actor)


def answers_from(data: Mapping[str, Any]) -> list[AnswerInput]:
    """AnswerInput rows from parsed input: [{"competency", "rating", "comment"}]."""
    return [
        AnswerInput(competency=str(row["competency"]), rating=row["rating"], comment=str(row.get("comment") or ""))
        for row in data.get("answers", [])
    ]
