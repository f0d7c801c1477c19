"""What an interview produces: the report for HR (and, once released, the candidate's feedback), requests
for a human review, and the scoring calibrations learnt from HR's ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel

from .providers import InterviewProvider
from .sessions import InterviewSession


class InterviewReport(TimeStampedModel):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Interview in progress")
        SCORING = "scoring", _("Scoring")
        READY = "ready", _("Ready")

    class Decision(models.TextChoices):
        NONE = "", _("No decision yet")
        ADVANCE = "advance", _("Advance")
        HOLD = "hold", _("Hold")
        REJECT = "reject", _("Reject")

    session = models.OneToOneField(InterviewSession, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    overall_score = models.FloatField(_("overall score"), null=True, blank=True)
    fit_level = models.CharField(_("fit level"), max_length=30, blank=True)  # a JobLevel code, or "below"
    # [{"code", "score", "required_score", "weight", "answers": n, "evidence": [...]}] in model order.
    competencies = models.JSONField(default=list, blank=True)
    # [{"code", "score", "required_score", "evidence": [{"question_position", "sentence"}]}]
    strengths = models.JSONField(default=list, blank=True)
    weaknesses = models.JSONField(default=list, blank=True)
    # {"name", "version", "parameters"} of the fusion, and the answer engines it combined.
    engine = models.JSONField(default=dict, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    hr_rating = models.PositiveSmallIntegerField(_("HR overall rating"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default="", blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The candidate-facing feedback, written once at release in the candidate's language:
    # {"language", "strengths": [str], "suggestions": [str]}. No scores, no HR notes.
    feedback = models.JSONField(default=dict, blank=True)
    feedback_released_at = models.DateTimeField(_("feedback released at"), null=True, blank=True)
    feedback_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who produced the scores: TalentLoop's own engine, or an external vendor through its webhook.
    source = models.CharField(_("source"), max_length=10, default="talentloop")  # "talentloop" | "provider"
    provider = models.ForeignKey(
        InterviewProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    # The vendor's own summary and raw dimensions, shown beside the mapped scores.
    provider_summary = models.TextField(blank=True)
    provider_dimensions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("interview report")
        verbose_name_plural = _("interview reports")
        constraints = [
            models.CheckConstraint(condition=Q(hr_rating__lte=100), name="report_hr_rating_max_100"),
        ]

    def __str__(self) -> str:
        return f"report for interview {self.session_id}"


class HumanReviewRequest(TimeStampedModel):
    """A candidate asks for a person instead of (before) or in addition to (after) the AI assessment."""

    class Kind(models.TextChoices):
        INSTEAD_OF_AI = "instead_of_ai", _("A human interviewer instead of the AI interview")
        OF_RESULT = "of_result", _("A human review of the result")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="review_requests")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("human review request")
        verbose_name_plural = _("human review requests")

    def __str__(self) -> str:
        return f"{self.kind} for interview {self.session_id}"


class ScoringCalibration(TimeStampedModel):
    """A calibration of the answer scorer fitted on HR ratings. The newest active one scores new answers."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    engine = models.CharField(max_length=60)
    engine_version = models.CharField(max_length=20)
    method = models.CharField(max_length=30, default="linear")
    parameters = models.JSONField(default=dict)  # {"slope", "intercept", ...}
    n_ratings = models.PositiveIntegerField()
    pearson_r = models.FloatField(null=True, blank=True)  # cross-validated
    qwk = models.FloatField(null=True, blank=True)  # cross-validated quadratic weighted kappa
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("scoring calibration")
        verbose_name_plural = _("scoring calibrations")

    def __str__(self) -> str:
        return f"calibration v{self.version}"
