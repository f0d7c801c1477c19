"""Written tests (笔试): HR builds them; a candidate takes one through a secret link."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel
from talentloop.org.models import Job

from .pipeline import Application


class WrittenTest(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="written_tests")
    instructions = models.TextField(_("instructions"), blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), default=30)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("written test")
        verbose_name_plural = _("written tests")

    def __str__(self) -> str:
        return self.title


class WrittenTestQuestion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Multiple choice (one answer)")
        MULTIPLE = "multiple", _("Multiple answers")
        SHORT = "short", _("Short answer")

    test = models.ForeignKey(WrittenTest, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    correct = models.JSONField(_("correct options"), default=list, blank=True)  # indices into options
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["test", "position", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class WrittenTestSitting(TimeStampedModel):
    """One candidate's sitting of one test. The token is the candidate's only key to it."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted, awaiting review")
        GRADED = "graded", _("Graded")

    test = models.ForeignKey(WrittenTest, on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="test_assignments")
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    expires_at = models.DateTimeField(_("link expires at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # {question_id: [option indices] | "text"}; drafts are saved here before submission.
    answers = models.JSONField(default=dict, blank=True)
    # {question_id: points} for short answers, filled by a reviewer.
    manual_points = models.JSONField(default=dict, blank=True)
    auto_points = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    score = models.FloatField(_("score (0-100)"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("test assignment")
        verbose_name_plural = _("test assignments")

    def __str__(self) -> str:
        return f"{self.test_id} for {self.application_id}"
