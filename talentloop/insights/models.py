"""What the loop's analytics need beyond the other apps' records: the candidates' answer to the one-question
satisfaction survey, hiring costs, and the attributes a candidate chose to give for the fairness audit."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel
from talentloop.interviews.models import InterviewSession
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate


class CandidateSatisfaction(models.Model):
    """The candidate's answer to "How was your interview experience?" (1–5), asked once after the feedback."""

    session = models.OneToOneField(
        InterviewSession, on_delete=models.CASCADE, related_name="satisfaction", verbose_name=_("interview")
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("candidate satisfaction answer")
        verbose_name_plural = _("candidate satisfaction answers")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="satisfaction_rating_range")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.rating}"


class HiringCost(TimeStampedModel):
    """Money spent to hire for a job (job ads, agency fees, assessments…), optionally for one application."""

    class Category(models.TextChoices):
        ADVERTISING = "advertising", _("Job advertising")
        AGENCY = "agency", _("Agency fee")
        REFERRAL = "referral", _("Referral bonus")
        ASSESSMENT = "assessment", _("Assessment")
        EVENTS = "events", _("Events")
        OTHER = "other", _("Other")

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="hiring_costs", verbose_name=_("job"))
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("application"),
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, default=Category.OTHER)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    incurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-incurred_on", "-id"]
        verbose_name = _("hiring cost")
        verbose_name_plural = _("hiring costs")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=Decimal("0")), name="hiring_cost_positive")]

    def __str__(self) -> str:
        return f"{self.job_id} {self.amount}"


class CandidateAttribute(models.Model):
    """An attribute a candidate gave, with separate consent, for the fairness audit only (never shown to the
    people deciding, never used in scores). Names: "gender", "age_band"; values as the form offers them."""

    class Name(models.TextChoices):
        GENDER = "gender", _("Gender")
        AGE_BAND = "age_band", _("Age band")

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="fairness_attributes", verbose_name=_("candidate")
    )
    name = models.CharField(_("attribute"), max_length=20, choices=Name.choices)
    value = models.CharField(_("value"), max_length=40)
    consent_at = models.DateTimeField(_("consent given at"))

    class Meta:
        ordering = ["candidate", "name"]
        verbose_name = _("fairness attribute")
        verbose_name_plural = _("fairness attributes")
        constraints = [models.UniqueConstraint(fields=["candidate", "name"], name="candidate_attribute_unique")]
        indexes = [models.Index(fields=["name", "value"], name="candidate_attribute_value")]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.name}={self.value}"
