"""The course catalogue, enrolments (with why they were made and what closes them) and development plans."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel
from talentloop.org.models import Competency, Employee
from talentloop.performance.models import PerformanceCycle, Review


class Course(TimeStampedModel):
    class Format(models.TextChoices):
        ONLINE = "online", _("Online")
        CLASSROOM = "classroom", _("Classroom")
        BLENDED = "blended", _("Blended")
        ON_THE_JOB = "on_the_job", _("On the job")

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=120, blank=True)
    format = models.CharField(_("format"), max_length=12, choices=Format.choices, default=Format.ONLINE)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    competencies = models.ManyToManyField(
        Competency, related_name="courses", verbose_name=_("competencies it builds")
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.BEGINNER)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=Decimal("0")) & Q(hours__lte=Decimal("10000")), name="course_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Enrollment(TimeStampedModel):
    """An employee enrolled in a course, usually to close a gap in one competency. `reason` keeps the
    recommendation's explanation; a completed enrolment is closed by the next submitted review
    (`follow_up_review`), which shows whether the gap closed."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("employee")
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("course"))
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("competency to build"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # {"review", "cycle", "interview_score", "performance_score", "required_score", "gap", "margin"} when the
    # enrolment came from a recommendation; empty when made by hand.
    source = models.JSONField(_("source"), default=dict, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("enrolled by"),
    )
    follow_up_review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("follow-up review"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "course"], condition=~Q(status="cancelled"), name="enrollment_open_unique"
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")), name="enrollment_due_after_start"
            ),
        ]
        indexes = [models.Index(fields=["employee", "status"], name="enrollment_employee_status")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.course_id} {self.status}"


class DevelopmentPlan(TimeStampedModel):
    """A personal development plan generated from a review's gaps, then edited by the manager or HR."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        DONE = "done", _("Done")

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="development_plans", verbose_name=_("employee")
    )
    cycle = models.ForeignKey(
        PerformanceCycle, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("cycle")
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("review")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.pk}"


class DevelopmentItem(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("competency")
    )
    goal = models.CharField(_("goal"), max_length=300)
    actions = models.TextField(_("actions"), blank=True)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("course")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("development item")
        verbose_name_plural = _("development items")

    def __str__(self) -> str:
        return self.goal
