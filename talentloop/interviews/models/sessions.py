"""A candidate's interview: the session (secret link), its generated questions and the answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentloop.core.models import TimeStampedModel
from talentloop.org.models import Competency
from talentloop.recruiting.models import Application

from .bank import InterviewQuestion, QuestionLanguage
from .providers import InterviewProvider


def default_modalities() -> list[str]:
    return ["text"]


def answer_media_path(instance: InterviewAnswer, filename: str) -> str:
    session_id = instance.session_question.session_id
    return f"interviews/media/{session_id}/{instance.session_question_id}-{filename}"


class InterviewSession(TimeStampedModel):
    """One round of AI interview for one application. The token is the candidate's only key to it."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONSENTED = "consented", _("Consented")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        HUMAN_REVIEW = "human_review", _("Asked for a human interviewer instead")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="interviews")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    token = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=10, choices=QuestionLanguage.choices)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.INVITED)
    expires_at = models.DateTimeField(_("link expires at"))
    # Whether answers after a question's time limit are accepted (and marked late) or refused.
    accept_late_answers = models.BooleanField(_("accept late answers"), default=True)
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    # What the candidate agreed to: {"version": str, "text": str, "analyses": ["text"]}.
    consent = models.JSONField(_("consent"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # {"name", "version", "seed", "parameters"}: how the questions were chosen, to reproduce it.
    generator = models.JSONField(_("question generator"), default=dict, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the candidate may answer with: a subset of ["text", "audio", "video"] ("text" always in it).
    modalities = models.JSONField(_("answer modes"), default=default_modalities)
    # An interview run by an external vendor: its report arrives through the provider's webhook.
    provider = models.ForeignKey(
        InterviewProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions",
        verbose_name=_("interview provider"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("AI interview")
        verbose_name_plural = _("AI interviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="interview_round_unique"),
        ]

    def __str__(self) -> str:
        return f"interview {self.pk} (application {self.application_id}, round {self.round})"


class SessionQuestion(models.Model):
    """A question as this candidate sees it: a snapshot of the bank question with the job context filled in,
    so later edits to the bank never change a past interview."""

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(InterviewQuestion, on_delete=models.PROTECT, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    type = models.CharField(max_length=12)
    difficulty = models.PositiveSmallIntegerField()
    time_limit_seconds = models.PositiveIntegerField()
    key_points = models.JSONField(default=list)
    reference_answer = models.TextField(blank=True)
    levels = models.JSONField(default=dict, blank=True)
    # When the candidate first saw it: the time limit runs from here (and survives a dropped connection).
    shown_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="sessionquestion_position_unique"),
            models.UniqueConstraint(fields=["session", "question"], name="sessionquestion_question_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.position}"


class InterviewAnswer(TimeStampedModel):
    """The candidate's answer to one session question: the draft while typing, then the submitted text and,
    once scored, the engine's result with the engine name, version and parameters that produced it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, being scored")
        SCORED = "scored", _("Scored")
        FAILED = "failed", _("Scoring failed")
        # Recorded answers: analysed by a worker, then scored from the transcript like a typed answer.
        PROCESSING = "processing", _("Recording being analysed")
        NO_SPEECH = "no_speech", _("No speech detected")
        UNREADABLE = "unreadable", _("Recording unreadable")
        TOO_LONG = "too_long", _("Recording too long")

    class Modality(models.TextChoices):
        TEXT = "text", pgettext_lazy("answer mode", "Text")
        AUDIO = "audio", _("Voice")
        VIDEO = "video", _("Video")

    session_question = models.OneToOneField(SessionQuestion, on_delete=models.CASCADE, related_name="answer")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    draft_text = models.TextField(blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    language_mismatch = models.BooleanField(_("answered in another language"), default=False)
    score = models.FloatField(_("score"), null=True, blank=True)
    subscores = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    missing_key_points = models.JSONField(default=list, blank=True)
    matched_key_points = models.JSONField(default=list, blank=True)
    flags = models.JSONField(default=list, blank=True)
    # {"name", "version", "parameters", "calibration"}.
    engine = models.JSONField(default=dict, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    # HR's own rating of this answer (0-100), used to calibrate the scorer.
    hr_rating = models.PositiveSmallIntegerField(_("HR rating"), null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_at = models.DateTimeField(null=True, blank=True)
    # Recorded answers (issue #5). The transcript is scored like typed text (it is copied to `text`).
    modality = models.CharField(_("answer mode"), max_length=5, choices=Modality.choices, default=Modality.TEXT)
    media = models.FileField(_("recording"), upload_to=answer_media_path, max_length=300, blank=True)
    media_format = models.CharField(max_length=60, blank=True)  # sniffed container/codecs, e.g. "webm/opus"
    media_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    media_sha256 = models.CharField(max_length=64, blank=True)
    media_seconds = models.FloatField(null=True, blank=True)
    media_deleted_at = models.DateTimeField(_("recording deleted at"), null=True, blank=True)
    # A sentence for HR and the candidate when a recording could not be used ("recording unreadable: ...").
    status_detail = models.CharField(max_length=300, blank=True)
    transcript = models.TextField(_("transcript"), blank=True)
    transcript_original = models.TextField(blank=True)  # the recogniser's, kept when HR corrects it
    transcript_corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transcript_corrected_at = models.DateTimeField(null=True, blank=True)
    asr_backend = models.CharField(_("speech recogniser"), max_length=60, blank=True)
    # {"audio": {...metrics}, "video": {...metrics}, "flags": [...], "timeline": [...], "engine": {...}}
    delivery = models.JSONField(_("delivery"), default=dict, blank=True)
    delivery_used_in_score = models.BooleanField(default=False)
    analysis_attempts = models.PositiveSmallIntegerField(default=0)
    analysed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session_question"]
        verbose_name = _("interview answer")
        verbose_name_plural = _("interview answers")
        constraints = [
            models.CheckConstraint(condition=Q(hr_rating__lte=100), name="answer_hr_rating_max_100"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="answer_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"answer to {self.session_question_id}"
