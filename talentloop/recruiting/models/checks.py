"""Background checks: consent first, then items filled in by HR or by a provider's signed webhook."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel

from .pipeline import Application


class CheckProvider(TimeStampedModel):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    secret = models.CharField(_("webhook secret"), max_length=128)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class BackgroundCheck(TimeStampedModel):
    class Status(models.TextChoices):
        AWAITING_CONSENT = "awaiting_consent", _("Awaiting the candidate's consent")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="background_checks")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_CONSENT)
    provider = models.ForeignKey(CheckProvider, null=True, blank=True, on_delete=models.SET_NULL, related_name="checks")
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_text = models.TextField(_("consent wording"), blank=True)
    consent_token = models.CharField(max_length=64, unique=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background check")
        verbose_name_plural = _("background checks")

    def __str__(self) -> str:
        return f"check {self.pk} for {self.application_id}"


class BackgroundCheckItem(TimeStampedModel):
    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity")
        EDUCATION = "education", _("Education")
        EMPLOYMENT = "employment", _("Employment history")
        CRIMINAL_RECORD = "criminal_record", _("Criminal record (where lawful)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        VERIFIED = "verified", _("Verified")
        DISCREPANCY = "discrepancy", _("Discrepancy found")
        UNABLE = "unable", _("Could not verify")

    check_request = models.ForeignKey(BackgroundCheck, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("item"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    result = models.TextField(_("result"), blank=True)

    class Meta:
        ordering = ["check_request", "id"]
        constraints = [models.UniqueConstraint(fields=["check_request", "kind"], name="checkitem_unique_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.status}"


class WebhookDelivery(models.Model):
    """Event ids already processed, so a provider's retries are applied once."""

    source = models.CharField(max_length=60)
    event_id = models.CharField(max_length=120)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "event_id"], name="webhook_delivery_unique")]

    def __str__(self) -> str:
        return f"{self.source}:{self.event_id}"
