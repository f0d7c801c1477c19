"""Recordings on their way in: a resumable upload the browser sends in chunks, so a dropped connection loses
nothing; it becomes the answer's media once complete and submitted."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel

from .sessions import InterviewSession, SessionQuestion


def upload_path(instance: MediaUpload, filename: str) -> str:
    return f"interviews/uploads/{instance.session_id}/{instance.id}.part"


class MediaUpload(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Receiving")
        USED = "used", _("Submitted as an answer")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="uploads")
    session_question = models.ForeignKey(SessionQuestion, on_delete=models.CASCADE, related_name="uploads")
    modality = models.CharField(max_length=5)  # audio | video
    content_type = models.CharField(max_length=100, blank=True)  # what the browser declared; sniffed on submit
    file = models.FileField(upload_to=upload_path, max_length=300, blank=True)
    received_bytes = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=5, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recording upload")
        verbose_name_plural = _("recording uploads")

    def __str__(self) -> str:
        return str(self.id)
