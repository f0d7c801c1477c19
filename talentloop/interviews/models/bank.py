"""The interview question bank: questions shipped with the product and custom ones HR writes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel
from talentloop.org.models import Competency


class QuestionLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", _("Chinese")
    EN = "en", _("English")


class QuestionType(models.TextChoices):
    BEHAVIORAL = "behavioral", _("Behavioural")
    SITUATIONAL = "situational", _("Situational")
    TECHNICAL = "technical", _("Technical")


class QuestionSource(models.TextChoices):
    SHIPPED = "shipped", _("Shipped with TalentLoop")
    CUSTOM = "custom", _("Written by HR")
    GENERATED = "generated", _("Drafted by a language model")


class QuestionReview(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PENDING = "pending", _("Waiting for HR approval")
    REJECTED = "rejected", _("Rejected")


class InterviewQuestion(TimeStampedModel):
    """One question. Retired questions stay (past sessions point at them) but are never generated again."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="interview_questions", verbose_name=_("competency")
    )
    language = models.CharField(_("language"), max_length=10, choices=QuestionLanguage.choices)
    type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), default=2)  # 1 junior, 2 mid, 3 senior
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"), default=180)
    text = models.TextField(_("question"))
    # {product}, {customer_type}, {team_size}: filled from the job description when a session is generated.
    placeholders = models.JSONField(_("placeholders"), default=list, blank=True)
    # [{"point": str, "synonyms": [str, ...]}, ...], 3 to 6 of them.
    key_points = models.JSONField(_("key points"), default=list)
    reference_answer = models.TextField(_("reference answer"), blank=True)
    # {"1": str, "2": str, "3": str}: what distinguishes an answer at each level.
    levels = models.JSONField(_("level descriptions"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=QuestionSource.choices, default=QuestionSource.CUSTOM)
    is_active = models.BooleanField(_("in use"), default=True)
    # Drafts from a generative backend wait (inactive) for HR's approval before they can be used.
    review_status = models.CharField(
        _("review"), max_length=10, choices=QuestionReview.choices, default=QuestionReview.APPROVED
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["competency__code", "language", "code"]
        verbose_name = _("interview question")
        verbose_name_plural = _("interview questions")
        indexes = [models.Index(fields=["competency", "language", "is_active"], name="question_pick_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(difficulty__gte=1, difficulty__lte=3), name="question_difficulty_1_3"),
            models.CheckConstraint(
                condition=Q(time_limit_seconds__gte=30, time_limit_seconds__lte=1800), name="question_time_limit_range"
            ),
            models.CheckConstraint(condition=Q(language__in=["zh-hans", "en"]), name="question_language_known"),
        ]

    def __str__(self) -> str:
        return self.code
