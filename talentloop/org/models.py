"""The organisation: departments, position levels, the competency library, jobs with their competency
models, and employees with the timeline of their profile."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel


def _english() -> bool:
    return (get_language() or "").startswith("en")


class Department(TimeStampedModel):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return (self.name_en or self.name) if _english() else self.name


class JobLevel(TimeStampedModel):
    """A position level (junior, mid, senior, ...). Its score band says which overall interview score suits it."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text=_("Higher is more senior."))
    fit_min = models.PositiveSmallIntegerField(_("fit band from"), default=0)
    fit_max = models.PositiveSmallIntegerField(_("fit band to"), default=100)

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("position level")
        verbose_name_plural = _("position levels")
        constraints = [
            models.CheckConstraint(condition=Q(fit_min__lte=models.F("fit_max")), name="joblevel_band_ordered"),
            models.CheckConstraint(condition=Q(fit_max__lte=100), name="joblevel_band_max_100"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return (self.name_en or self.name) if _english() else self.name


class Competency(TimeStampedModel):
    class Category(models.TextChoices):
        CORE = "core", _("Core")
        INTERPERSONAL = "interpersonal", _("Interpersonal")
        LEADERSHIP = "leadership", _("Leadership")
        COGNITIVE = "cognitive", _("Cognitive")
        PROFESSIONAL = "professional", _("Professional")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.CORE)
    definition = models.TextField(_("definition"), blank=True)
    definition_en = models.TextField(_("English definition"), blank=True)
    # [{"level": 1|2|3, "zh": "...", "en": "..."}]: one observable behaviour per level.
    indicators = models.JSONField(_("behavioural indicators"), default=list, blank=True)
    is_builtin = models.BooleanField(_("shipped with TalentLoop"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if _english() and self.name_en else self.name

    @property
    def display_definition(self) -> str:
        return self.definition_en if _english() and self.definition_en else self.definition

    def indicators_for_display(self) -> list[dict[str, object]]:
        key = "en" if _english() else "zh"
        return [{"level": i.get("level"), "text": i.get(key) or i.get("zh") or ""} for i in self.indicators]


INTERVIEW_MODALITIES: tuple[str, ...] = ("text", "audio", "video")


def default_interview_modalities() -> list[str]:
    return ["text"]


class Job(TimeStampedModel):
    """A job requisition: what the company is hiring for, and the competency model that interviews measure."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        ON_HOLD = "on_hold", _("On hold")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=120)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("department")
    )
    level = models.ForeignKey(
        JobLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("level")
    )
    description = models.TextField(_("description"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    competencies: models.ManyToManyField[Competency, JobCompetency] = models.ManyToManyField(
        Competency, through="JobCompetency", related_name="jobs", verbose_name=_("competency model")
    )
    # How candidates may answer the AI interview: "text" always; "audio" and "video" when HR offers them.
    interview_modalities = models.JSONField(_("interview answer modes"), default=default_interview_modalities)
    # Delivery signals (pace, pauses, presence on camera) are shown to HR; they count in scores only when on.
    delivery_in_score = models.BooleanField(_("delivery signals count in scores"), default=False)
    # Whether a candidate may record an answer again before submitting it.
    allow_rerecord = models.BooleanField(_("candidates may re-record"), default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [models.CheckConstraint(condition=Q(headcount__gte=1), name="job_headcount_positive")]

    def __str__(self) -> str:
        return self.title


class JobCompetency(models.Model):
    """One line of a job's competency model: weights of a job sum to 1."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="competency_model", verbose_name=_("job"))
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+", verbose_name=_("competency"))
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=3)
    required_score = models.PositiveSmallIntegerField(_("required score"), default=70)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["job", "position", "id"]
        verbose_name = _("competency model item")
        verbose_name_plural = _("competency model items")
        constraints = [
            models.UniqueConstraint(fields=["job", "competency"], name="jobcompetency_unique"),
            models.CheckConstraint(
                condition=Q(weight__gt=Decimal("0")) & Q(weight__lte=Decimal("1")), name="jobcompetency_weight_range"
            ),
            models.CheckConstraint(condition=Q(required_score__lte=100), name="jobcompetency_required_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.competency_id}={self.weight}"


class Employee(TimeStampedModel):
    """The employee profile (员工档案). Later capabilities add recruiting, review and training records to it."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        OTHER = "other", _("Other")
        UNDISCLOSED = "undisclosed", _("Undisclosed")

    class Status(models.TextChoices):
        PROBATION = "probation", _("On probation")
        ACTIVE = "active", _("Active")
        ON_LEAVE = "on_leave", _("On leave")
        TERMINATED = "terminated", _("Left the company")

    employee_no = models.CharField(_("employee number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    english_name = models.CharField(_("English name"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="employees", verbose_name=_("department")
    )
    level = models.ForeignKey(
        JobLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="employees",
        verbose_name=_("position level"),
    )
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="employees", verbose_name=_("job")
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports", verbose_name=_("manager")
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    # The last working day of someone who left (status "terminated"); retention and forecasts count from it.
    left_on = models.DateField(_("left on"), null=True, blank=True)
    status = models.CharField(_("employment status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="employee",
        verbose_name=_("login"),
    )

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        indexes = [
            models.Index(fields=["department", "employee_no"], name="employee_dept_no"),
            models.Index(fields=["manager", "employee_no"], name="employee_manager_no"),
            models.Index(fields=["status", "employee_no"], name="employee_status_no"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="employee_id_number_unique"
            ),
            models.CheckConstraint(condition=~Q(manager=models.F("id")), name="employee_not_own_manager"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"

    @property
    def masked_id_number(self) -> str:
        from .identity import mask_id_number

        return mask_id_number(self.id_number)


class EmployeeEvent(models.Model):
    """One entry of the profile timeline. Recruiting, performance and learning add their own kinds."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined")
        PROFILE_CREATED = "profile_created", _("Profile created")
        DEPARTMENT_CHANGED = "department_changed", _("Department changed")
        JOB_CHANGED = "job_changed", _("Job changed")
        MANAGER_CHANGED = "manager_changed", _("Manager changed")
        STATUS_CHANGED = "status_changed", _("Status changed")
        RECRUITING = "recruiting", _("Recruiting record")
        INTERVIEW = "interview", _("Interview")
        REVIEW = "review", _("Review")
        TRAINING = "training", _("Training")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="events", verbose_name=_("employee"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("profile event")
        verbose_name_plural = _("profile events")
        indexes = [models.Index(fields=["employee", "-occurred_on"], name="event_employee_date")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.occurred_on}"
