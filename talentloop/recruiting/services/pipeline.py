"""The hiring pipeline's transitions: allowed moves are decided here and nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import User

from ..access import require_application_access
from ..models import Application, EmailTemplate, Offer, Stage, StageChange

# The order applications move in. A job that skips a stage (no written test) simply moves past it.
PIPELINE: tuple[str, ...] = (
    Stage.APPLIED, Stage.SCREENING, Stage.AI_INTERVIEW, Stage.WRITTEN_TEST, Stage.INTERVIEW,
    Stage.BACKGROUND_CHECK, Stage.OFFER, Stage.HIRED,
)
CLOSED: frozenset[str] = frozenset({Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN})
OPEN: tuple[str, ...] = tuple(s for s in PIPELINE if s not in CLOSED)


def transition_allowed(
    current: str, target: str, *, has_accepted_offer: bool = False, hiring: bool = False
) -> tuple[bool, str]:
    """(allowed, reason). Open stages move forward (skipping is fine) or back; any open stage may end in
    rejected or withdrawn; hired needs an accepted offer and happens through the hire action (which creates
    the employee); nothing leaves hired, rejected or withdrawn."""
    if target not in Stage.values:
        return False, _("“%(stage)s” is not a pipeline stage.") % {"stage": target}
    if current in CLOSED:
        return False, _("The application is closed (%(stage)s); it cannot move any more.") % {
            "stage": Stage(current).label
        }
    if target == current:
        return False, _("The application is already in this stage.")
    if target in (Stage.REJECTED, Stage.WITHDRAWN):
        return True, ""
    if target == Stage.HIRED and not has_accepted_offer:
        return False, _("Only a candidate who accepted an offer can be hired.")
    if target == Stage.HIRED and not hiring:
        return False, _("Use “Hire” to hire the candidate: it also creates the employee record.")
    return True, ""


def allowed_targets(application: Application) -> list[str]:
    accepted = application.offers.filter(status=Offer.Status.ACCEPTED).exists()
    return [
        s for s in Stage.values
        if transition_allowed(application.stage, s, has_accepted_offer=accepted, hiring=True)[0]
    ]


@transaction.atomic
def application_transition(
    *, actor: User | None, application: Application, to: str, reason: str = "", send_email: bool = True,
    check_access: bool = True, hiring: bool = False,
) -> StageChange:
    """Move an application; record who, when and why; send the stage's email to the candidate after commit.
    `actor=None` is the system itself (auto-advance after screening)."""
    if actor is not None and check_access:
        require_application_access(actor, application)
    application = Application.objects.select_for_update().select_related("candidate", "job").get(pk=application.pk)
    if len(reason) > 500:
        raise ValidationFailed(_("Keep the reason under 500 characters."), field="reason")
    accepted = application.offers.filter(status=Offer.Status.ACCEPTED).exists()
    allowed, why = transition_allowed(application.stage, to, has_accepted_offer=accepted, hiring=hiring)
    if not allowed:
        raise Conflict(why)
    change = StageChange.objects.create(
        application=application, from_stage=application.stage, to_stage=to, actor=actor, reason=reason
    )
    application.stage = to
    application.stage_changed_at = timezone.now()
    application.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    if send_email:
        transaction.on_commit(lambda: stage_email_send(change_id=change.pk))
    return change


def render_template(text: str, context: Mapping[str, Any]) -> str:
    """`{name}` placeholders filled from context; unknown placeholders are left as they are, so an HR typo
    shows up in the email rather than failing the transition."""

    class _Keep(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return text.format_map(_Keep(context))
    except (ValueError, IndexError):
        return text


def stage_email_send(*, change_id: int) -> bool:
    """Send the email of the stage an application entered, in the candidate's language. Idempotent."""
    change = StageChange.objects.select_related("application__candidate", "application__job").get(pk=change_id)
    if change.email_sent:
        return True
    candidate = change.application.candidate
    if not candidate.email:
        return False
    language = candidate.language if candidate.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    template = EmailTemplate.objects.filter(stage=change.to_stage, language=language, is_active=True).first()
    if template is None:
        return False
    with translation.override(language):
        context = {
            "candidate": candidate.name or candidate.email,
            "job": change.application.job.title,
            "stage": Stage(change.to_stage).label,
            "company": getattr(settings, "TALENTLOOP_COMPANY_NAME", "TalentLoop"),
            "reason": change.reason,
        }
        send_mail(
            render_template(template.subject, context), render_template(template.body, context),
            None, [candidate.email],
        )
    StageChange.objects.filter(pk=change.pk).update(email_sent=True)
    return True
