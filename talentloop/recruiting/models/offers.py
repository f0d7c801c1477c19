"""Offers: generated from a template, sent, and accepted or declined through the candidate's link."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel
from talentloop.org.models import JobLevel

from .pipeline import Application


class Offer(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="offers")
    title = models.CharField(_("position title"), max_length=120)
    level = models.ForeignKey(JobLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    salary = models.DecimalField(_("monthly salary (CNY)"), max_digits=10, decimal_places=2)
    start_date = models.DateField(_("start date"))
    letter = models.TextField(_("offer letter"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    token = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("respond by"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    response_note = models.CharField(_("answer recorded by"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [models.CheckConstraint(condition=Q(salary__gt=0), name="offer_salary_positive")]

    def __str__(self) -> str:
        return f"{self.title} for {self.application_id}"


class OfferTemplate(TimeStampedModel):
    language = models.CharField(_("language"), max_length=10, unique=True)
    body = models.TextField(
        _("letter template"),
        help_text=_("Placeholders: {candidate}, {title}, {level}, {salary}, {start_date}, {company}, {respond_by}."),
    )

    class Meta:
        ordering = ["language"]

    def __str__(self) -> str:
        return self.language
