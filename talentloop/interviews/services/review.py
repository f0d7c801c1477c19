"""What people do with a report: rate answers (the ratings calibrate the scorer), decide, and resolve the
candidates' requests for a human review.

Rating and deciding are open to whoever may see the application (a hiring manager of the job too); resolving a
review request, which answers the candidate, is for HR and recruiters."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.access import HR_AND_RECRUITING, require_role
from talentloop.core.errors import Conflict, NotFound, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.recruiting.access import RECRUITING_ROLES

from ..models import HumanReviewRequest, InterviewAnswer, InterviewReport
from ..selectors.reports import review_request_get, session_for_hr

MAX_COMMENT = 2000
MAX_RESOLUTION = 2000
DECISIONS = (InterviewReport.Decision.ADVANCE, InterviewReport.Decision.HOLD, InterviewReport.Decision.REJECT)


def rating_clean(value: Any, *, field: str = "rating") -> int:
    """A whole number from 0 to 100, or ValidationFailed naming the field."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 3:
        number = int(value.strip())
    if number is None or not 0 <= number <= 100:
        raise ValidationFailed(_("A rating is a whole number from 0 to 100."), field=field)
    return number


@transaction.atomic
def answer_rate(*, actor: User, session_id: int, position: int, rating: Any) -> InterviewAnswer:
    """HR's own 0-100 rating of one submitted answer; rating again replaces it."""
    require_role(actor, RECRUITING_ROLES)
    session = session_for_hr(actor=actor, session_id=session_id)
    value = rating_clean(rating)
    answer = (
        InterviewAnswer.objects.select_for_update()
        .filter(session_question__session=session, session_question__position=position).first()
    )
    if answer is None or answer.submitted_at is None or not answer.text.strip():
        if not session.questions.filter(position=position).exists():
            raise NotFound(_("This interview has no question %(n)d.") % {"n": position})
        raise Conflict(_("Question %(n)d was not answered, so there is nothing to rate.") % {"n": position})
    old = answer.hr_rating
    answer.hr_rating, answer.rated_by, answer.rated_at = value, actor, timezone.now()
    answer.save(update_fields=["hr_rating", "rated_by", "rated_at", "updated_at"])
    if old != value:
        audit_record(actor=actor, obj=answer, action=AuditEntry.Action.UPDATE, changes={"hr_rating": (old, value)})
    return answer


@transaction.atomic
def report_decide(
    *, actor: User, session_id: int, decision: str, comment: str = "", rating: Any = None
) -> InterviewReport:
    """Record the decision on a ready report (advance, hold or reject), a comment and an optional overall
    rating. The application's stage is moved separately, through the pipeline."""
    require_role(actor, RECRUITING_ROLES)
    session = session_for_hr(actor=actor, session_id=session_id)
    errors: dict[str, list[str]] = {}
    if decision not in DECISIONS:
        errors["decision"] = [_("Choose a decision: advance, hold or reject.")]
    comment = comment.strip() if isinstance(comment, str) else ""
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [_("The comment is longer than %(n)d characters.") % {"n": MAX_COMMENT}]
    value: int | None = None
    if rating not in (None, ""):
        try:
            value = rating_clean(rating)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    report = InterviewReport.objects.select_for_update().filter(session=session).first()
    if report is None or report.status != InterviewReport.Status.READY:
        raise Conflict(_("The report is not ready yet; decide once it is."))
    changes = {
        name: (getattr(report, name), new)
        for name, new in (("decision", decision), ("decision_comment", comment), ("hr_rating", value))
        if getattr(report, name) != new
    }
    report.decision, report.decision_comment, report.hr_rating = decision, comment, value
    report.decided_by, report.decided_at = actor, timezone.now()
    report.save(update_fields=["decision", "decision_comment", "hr_rating", "decided_by", "decided_at", "updated_at"])
    if changes:
        audit_record(actor=actor, obj=report, action=AuditEntry.Action.UPDATE, changes=changes)
    return report


@transaction.atomic
def review_request_resolve(*, actor: User, request_id: int, resolution: str = "") -> HumanReviewRequest:
    """Close a candidate's request, saying what was done (HR and recruiters)."""
    require_role(actor, HR_AND_RECRUITING)
    found = review_request_get(actor=actor, pk=request_id)
    request = HumanReviewRequest.objects.select_for_update().get(pk=found.pk)
    if request.status == HumanReviewRequest.Status.RESOLVED:
        raise Conflict(_("This review request was already resolved."))
    resolution = resolution.strip() if isinstance(resolution, str) else ""
    if not resolution:
        raise ValidationFailed(_("Say what was done about the request."), field="resolution")
    if len(resolution) > MAX_RESOLUTION:
        raise ValidationFailed(
            _("The resolution is longer than %(n)d characters.") % {"n": MAX_RESOLUTION}, field="resolution"
        )
    request.status, request.resolution = HumanReviewRequest.Status.RESOLVED, resolution
    request.resolved_by, request.resolved_at = actor, timezone.now()
    request.save(update_fields=["status", "resolution", "resolved_by", "resolved_at", "updated_at"])
    audit_record(
        actor=actor, obj=request, action=AuditEntry.Action.UPDATE,
        changes={"status": (HumanReviewRequest.Status.OPEN, request.status), "resolution": ("", resolution)},
    )
    return request
