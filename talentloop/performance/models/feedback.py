"""360° feedback: a request about one employee (the subject) in a cycle, invitations to raters (self, manager,
peers, direct reports) each with a secret link, and each rater's answers per competency of the subject's
job model. Peer and report answers are only ever shown aggregated, per group, once enough raters answered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentloop.core.models import TimeStampedModel
from talentloop.org.models import Competency, Employee

from .okr import PerformanceCycle


class FeedbackRequest(TimeStampedModel):
    """A 360° round about one employee. Ratings are on a 0–100 scale or 1–5 (mapped to 0–100: 1 → 0,
    2 → 25, 3 → 50, 4 → 75, 5 → 100)."""

    class Scale(models.TextChoices):
        PERCENT = "0_100", _("0–100")
        FIVE = "1_5", _("1–5")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("request status", "Open")
        CLOSED = "closed", _("Closed")

    cycle = models.ForeignKey(
        PerformanceCycle, on_delete=models.PROTECT, related_name="feedback_requests", verbose_name=_("cycle")
    )
    subject = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="feedback_requests", verbose_name=_("about")
    )
    scale = models.CharField(_("rating scale"), max_length=5, choices=Scale.choices, default=Scale.FIVE)
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("360° feedback request")
        verbose_name_plural = _("360° feedback requests")
        constraints = [models.UniqueConstraint(fields=["cycle", "subject"], name="feedback_request_unique")]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.cycle_id}"


class FeedbackInvitation(TimeStampedModel):
    """One rater asked to give feedback, reached by a secret link (`token`). `submitted_at` is set once,
    when the rater answers; a second answer is refused."""

    class Relation(models.TextChoices):
        SELF = "self", _("Self")
        MANAGER = "manager", _("Manager")
        PEER = "peer", _("Peer")
        REPORT = "report", _("Direct report")

    request = models.ForeignKey(
        FeedbackRequest, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("request")
    )
    rater = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="feedback_invitations", verbose_name=_("rater")
    )
    relation = models.CharField(_("relation"), max_length=8, choices=Relation.choices)
    token = models.CharField(_("link token"), max_length=64, unique=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)

    class Meta:
        ordering = ["request", "relation", "id"]
        verbose_name = _("360° feedback invitation")
        verbose_name_plural = _("360° feedback invitations")
        constraints = [
            models.UniqueConstraint(fields=["request", "rater"], name="feedback_invitation_unique"),
            models.UniqueConstraint(
                fields=["request"], condition=Q(relation="self"), name="feedback_one_self_rater"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.relation} {self.rater_id}"


class FeedbackAnswer(models.Model):
    """A rater's rating of one competency: `rating` as given on the request's scale, `score` on 0–100."""

    invitation = models.ForeignKey(
        FeedbackInvitation, on_delete=models.CASCADE, related_name="answers", verbose_name=_("invitation")
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="+", verbose_name=_("competency")
    )
    rating = models.DecimalField(_("rating"), max_digits=6, decimal_places=2)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["invitation", "competency_id"]
        verbose_name = _("360° feedback answer")
        verbose_name_plural = _("360° feedback answers")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "competency"], name="feedback_answer_unique"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="feedback_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.competency_id} {self.score}"
