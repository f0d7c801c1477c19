"""The one-question candidate satisfaction survey shown under the interview feedback: "How was your interview
experience?" (1–5, an optional comment), answered once, through the interview's secret link only."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import AuditEntry
from talentloop.core.services import audit_record
from talentloop.interviews.models import InterviewSession
from talentloop.interviews.services.feedback import feedback_for_candidate

from .metrics import metrics_cache_bump
from .models import CandidateSatisfaction

MAX_COMMENT = 1000
RATINGS = (1, 2, 3, 4, 5)


def satisfaction_of(session: InterviewSession) -> CandidateSatisfaction | None:
    return CandidateSatisfaction.objects.filter(session=session).first()


def _rating(value: Any) -> int:
    try:
        rating = int(str(value).strip())
    except (TypeError, ValueError):
        rating = 0
    if rating not in RATINGS:
        raise ValidationFailed(_("Choose a rating from 1 to 5."), field="rating")
    return rating


@transaction.atomic
def satisfaction_submit(*, token: str, rating: Any, comment: str = "") -> CandidateSatisfaction:
    """Record the candidate's answer. The link must show released feedback (NotFound otherwise, saying why);
    a second answer is a Conflict."""
    session, _report = feedback_for_candidate(token=token)
    InterviewSession.objects.select_for_update().filter(pk=session.pk).first()
    value = _rating(rating)
    text = comment.strip() if isinstance(comment, str) else ""
    if len(text) > MAX_COMMENT:
        raise ValidationFailed(_("Please keep the comment under %(n)d characters.") % {"n": MAX_COMMENT},
                               field="comment")
    if CandidateSatisfaction.objects.filter(session=session).exists():
        raise Conflict(_("You have already answered this question. Thank you!"))
    try:
        with transaction.atomic():
            answer = CandidateSatisfaction.objects.create(session=session, rating=value, comment=text)
    except IntegrityError:
        raise Conflict(_("You have already answered this question. Thank you!")) from None
    audit_record(actor=None, obj=answer, action=AuditEntry.Action.CREATE)
    metrics_cache_bump()
    return answer
