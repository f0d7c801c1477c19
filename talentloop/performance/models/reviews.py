"""Competency reviews: per employee and cycle, a score 0–100 per competency of the job model (from the
manager's rating, the 360° aggregate and KPI/OKR evidence, weighted per cycle), an overall score and a band.
These are the performance competency scores the loop compares with interview scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel
from talentloop.org.models import Competency, Employee

from .okr import PerformanceCycle


class Review(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    cycle = models.ForeignKey(
        PerformanceCycle, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("cycle"),
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("employee"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("reviewer"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    overall_score = models.DecimalField(_("overall score"), max_digits=5, decimal_places=2, null=True, blank=True)
    band = models.CharField(_("rating band"), max_length=2, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # When the review was submitted: the date the profile timeline and the loop's comparisons use.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["-cycle__start", "employee_id", "id"]
        verbose_name = _("competency review")
        verbose_name_plural = _("competency reviews")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="review_unique_per_cycle"),
            models.CheckConstraint(
                condition=Q(overall_score__isnull=True) | (Q(overall_score__gte=0) & Q(overall_score__lte=100)),
                name="review_overall_range",
            ),
        ]
        indexes = [models.Index(fields=["employee", "-submitted_at"], name="review_employee_submitted")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.cycle_id}"


class ReviewScore(models.Model):
    """One competency's score in a review, with the parts it was computed from (empty parts had no data)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review"))
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="review_scores", verbose_name=_("competency")
    )
    manager_rating = models.DecimalField(
        _("manager rating"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    feedback_score = models.DecimalField(_("360° score"), max_digits=5, decimal_places=2, null=True, blank=True)
    results_score = models.DecimalField(_("results score"), max_digits=5, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["review", "competency__code"]
        verbose_name = _("review competency score")
        verbose_name_plural = _("review competency scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "competency"], name="review_score_unique"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="review_score_range"),
        ]
        indexes = [models.Index(fields=["competency", "review"], name="review_score_competency")]

    def __str__(self) -> str:
        return f"{self.review_id} {self.competency_id} {self.score}"
