"""External AI-interview vendors: a company may run an interview with a vendor it already pays for and receive
the vendor's report through a signed webhook; the vendor's dimensions are mapped onto our competencies."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel


class InterviewProvider(TimeStampedModel):
    """A vendor. `secret` signs its webhook deliveries (HMAC-SHA256 of the raw body)."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    secret = models.CharField(_("webhook secret"), max_length=200)
    # [{"dimension": "Communication", "competency": "communication", "max": 10}, ...]: a vendor dimension (matched
    # case-insensitively), the competency code it measures, and the vendor's scale maximum (null: the "max" sent
    # with each score, else 100).
    mapping = models.JSONField(_("dimension mapping"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("interview provider")
        verbose_name_plural = _("interview providers")

    def __str__(self) -> str:
        return self.slug


class ProviderEvent(TimeStampedModel):
    """One webhook delivery that passed the signature check, kept once per event id (duplicates are ignored)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied to the report")
        REJECTED = "rejected", _("Rejected")

    provider = models.ForeignKey(InterviewProvider, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(_("event id"), max_length=200)
    session = models.ForeignKey(
        "interviews.InterviewSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="provider_events"
    )
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="providerevent_unique_event"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}:{self.event_id}"
