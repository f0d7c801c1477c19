"""Candidates, applications moving through the hiring pipeline, and what each stage records:
resume and screening, written tests, background checks, offers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel
from talentloop.org.models import Employee, Job


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCREENING = "screening", _("Screening")
    AI_INTERVIEW = "ai_interview", _("AI interview")
    WRITTEN_TEST = "written_test", _("Written test")
    INTERVIEW = "interview", _("Interviews")
    BACKGROUND_CHECK = "background_check", _("Background check")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Degree(models.IntegerChoices):
    """Ordered so that 'at least a bachelor' is a comparison."""

    NONE = 0, _("No requirement")
    HIGH_SCHOOL = 1, _("High school")
    ASSOCIATE = 2, _("Associate (大专)")
    BACHELOR = 3, _("Bachelor")
    MASTER = 4, _("Master")
    DOCTORATE = 5, _("Doctorate")


class Candidate(TimeStampedModel):
    class Source(models.TextChoices):
        CAREERS_PAGE = "careers_page", _("Careers page")
        REFERRAL = "referral", _("Referral")
        JOB_BOARD = "job_board", _("Job board")
        AGENCY = "agency", _("Agency")
        IMPORT = "import", _("Bulk import")
        API = "api", _("API")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, db_index=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.OTHER)
    consent_given_at = models.DateTimeField(_("consent to data processing given at"), null=True, blank=True)
    consent_text = models.TextField(_("consent wording"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return self.name or self.email or self.phone or f"#{self.pk}"


class Application(TimeStampedModel):
    class ResumeStatus(models.TextChoices):
        OK = "ok", _("Parsed")
        UNREADABLE = "unreadable", _("Unreadable")
        MISSING = "missing", _("No resume")

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="applications", verbose_name=_("candidate")
    )
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="applications", verbose_name=_("job"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    stage_changed_at = models.DateTimeField(_("in this stage since"), auto_now_add=True)
    resume = models.FileField(_("resume"), upload_to="resumes/%Y/%m/", blank=True, max_length=300)
    resume_name = models.CharField(_("resume file name"), max_length=255, blank=True)
    resume_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    resume_status = models.CharField(
        _("resume status"), max_length=12, choices=ResumeStatus.choices, default=ResumeStatus.MISSING
    )
    resume_error = models.CharField(_("resume problem"), max_length=300, blank=True)
    resume_text = models.TextField(_("resume text"), blank=True)
    parsed = models.JSONField(_("parsed resume"), default=dict, blank=True)
    screening = models.JSONField(_("screening result"), default=dict, blank=True)
    screening_score = models.FloatField(_("match score"), null=True, blank=True)
    screening_passed = models.BooleanField(_("passed screening"), null=True, blank=True)
    written_test_score = models.FloatField(_("written test score"), null=True, blank=True)
    employee = models.OneToOneField(
        Employee,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
        verbose_name=_("employee"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [models.UniqueConstraint(fields=["candidate", "job"], name="application_candidate_job_unique")]
        indexes = [
            models.Index(fields=["job", "stage"], name="application_job_stage"),
            models.Index(fields=["job", "-screening_score"], name="application_job_score"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.job}"


class StageChange(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    email_sent = models.BooleanField(_("email sent"), default=False)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_stage} → {self.to_stage}"


class ApplicationNote(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/", max_length=300)
    name = models.CharField(_("name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ScreeningRules(TimeStampedModel):
    """HR's knock-out rules and weights for one job. No rule rejects anyone by itself: a person decides."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="screening_rules")
    min_degree = models.PositiveSmallIntegerField(_("minimum degree"), choices=Degree.choices, default=Degree.NONE)
    min_years = models.DecimalField(_("minimum years of experience"), max_digits=4, decimal_places=1, default=0)
    required_skills = models.JSONField(_("required skills"), default=list, blank=True)
    preferred_skills = models.JSONField(_("preferred skills"), default=list, blank=True)
    locations = models.JSONField(_("accepted locations"), default=list, blank=True)
    pass_score = models.PositiveSmallIntegerField(_("pass score"), default=60)
    auto_advance = models.BooleanField(_("move passing candidates to the AI interview automatically"), default=False)

    class Meta:
        verbose_name = _("screening rules")
        verbose_name_plural = _("screening rules")
        constraints = [models.CheckConstraint(condition=Q(pass_score__lte=100), name="screening_pass_score_max_100")]

    def __str__(self) -> str:
        return f"rules for job {self.job_id}"


class EmailTemplate(TimeStampedModel):
    """The email a candidate gets when an application enters a stage, per language. Editable by HR."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    is_active = models.BooleanField(_("send this email"), default=True)

    class Meta:
        ordering = ["stage", "language"]
        constraints = [models.UniqueConstraint(fields=["stage", "language"], name="emailtemplate_stage_language")]

    def __str__(self) -> str:
        return f"{self.stage}/{self.language}"
