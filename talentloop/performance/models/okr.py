"""Performance cycles and OKRs: objectives aligned in a tree, key results with a metric and a weight, and
the check-ins that move a key result's current value. Scores come from talentloop.assessment.okr."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from talentloop.assessment import okr
from talentloop.core.models import TimeStampedModel
from talentloop.org.models import Competency, Department, Employee

# Metric values: up to 12 digits before the point and 4 after (revenue in yuan, percentages, counts).
VALUE_MAX_DIGITS = 16
VALUE_PLACES = 4


class PerformanceCycle(TimeStampedModel):
    """A period in which a set of employees (the participants) set goals and are reviewed."""

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEAR = "half_year", _("Half-year")
        ANNUAL = "annual", _("Annual")
        PROBATION = "probation", _("Probation")

    class Method(models.TextChoices):
        OKR = "okr", _("OKR")
        KPI = "kpi", _("KPI")
        FEEDBACK_360 = "360", _("360° feedback")
        MIXED = "mixed", _("Mixed")

    class Phase(models.TextChoices):
        GOAL_SETTING = "goal_setting", _("Goal setting")
        SELF_REVIEW = "self_review", _("Self review")
        MANAGER_REVIEW = "manager_review", _("Manager review")
        FEEDBACK_360 = "feedback_360", _("360° feedback")
        CALIBRATION = "calibration", _("Calibration")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.QUARTERLY)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices, default=Method.OKR)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.GOAL_SETTING)
    employees = models.ManyToManyField(
        Employee, blank=True, related_name="performance_cycles", verbose_name=_("participants")
    )
    # A competency review's score per competency mixes the manager's rating, the 360° aggregate and the
    # results evidence (KPI/OKR) with these weights (percent; sources without data drop out and the rest are
    # re-weighted, see talentloop.assessment.review).
    weight_manager = models.DecimalField(_("manager rating weight (%)"), max_digits=5, decimal_places=2, default=50)
    weight_feedback = models.DecimalField(_("360° feedback weight (%)"), max_digits=5, decimal_places=2, default=30)
    weight_results = models.DecimalField(_("KPI/OKR results weight (%)"), max_digits=5, decimal_places=2, default=20)
    # New hires whose hire date falls inside the cycle join it when hired, and get OKRs drafted from their
    # interview report (a probation cycle is the usual case).
    enrol_new_hires = models.BooleanField(_("enrol new hires"), default=False)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("performance cycle")
        verbose_name_plural = _("performance cycles")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="cycle_end_after_start"),
            models.CheckConstraint(
                condition=Q(weight_manager__gte=0) & Q(weight_feedback__gte=0) & Q(weight_results__gte=0)
                & Q(weight_manager__lte=100) & Q(weight_feedback__lte=100) & Q(weight_results__lte=100),
                name="cycle_review_weights_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PhaseDeadline(TimeStampedModel):
    """When a phase of a cycle must be done; reminders go out before it to whoever still has work in it."""

    cycle = models.ForeignKey(
        PerformanceCycle, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("cycle")
    )
    phase = models.CharField(_("phase"), max_length=16, choices=PerformanceCycle.Phase.choices)
    due = models.DateField(_("due"))

    class Meta:
        ordering = ["cycle", "due", "id"]
        verbose_name = _("phase deadline")
        verbose_name_plural = _("phase deadlines")
        constraints = [models.UniqueConstraint(fields=["cycle", "phase"], name="phase_deadline_unique")]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.phase} {self.due}"


class Objective(TimeStampedModel):
    """What someone (or a department, or the company) wants to achieve in a cycle. Personal objectives have an
    owner, department objectives a department; `parent` aligns an objective with a broader one."""

    class Level(models.TextChoices):
        COMPANY = "company", _("Company")
        DEPARTMENT = "department", _("Department")
        PERSONAL = "personal", _("Personal")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("In progress")
        CLOSED = "closed", _("Closed")

    cycle = models.ForeignKey(
        PerformanceCycle, on_delete=models.PROTECT, related_name="objectives", verbose_name=_("cycle")
    )
    owner_employee = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="objectives",
        verbose_name=_("owner"),
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="objectives",
        verbose_name=_("department"),
    )
    level = models.CharField(_("objective level"), max_length=10, choices=Level.choices, default=Level.PERSONAL)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("objective description"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("aligned with"),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["cycle", "level", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        indexes = [models.Index(fields=["owner_employee", "cycle"], name="objective_owner_cycle")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level="personal") | Q(owner_employee__isnull=False), name="objective_personal_has_owner"
            ),
            models.CheckConstraint(
                condition=~Q(level="department") | Q(department__isnull=False),
                name="objective_department_has_department",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="objective_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.title

    def score(self) -> float | None:
        """Weighted mean of the key results' scores (uses prefetched key results when there are any)."""
        return okr.objective_score((kr.weight, kr.score()) for kr in self.key_results.all())


class KeyResult(TimeStampedModel):
    """A measurable result of an objective: from `start_value` towards `target_value`, now at
    `current_value`; `weight` is its share of the objective in percent (the shares add up to 100 at most)."""

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="key_results", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=200)
    metric = models.CharField(_("metric"), max_length=120)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    start_value = models.DecimalField(
        _("start value"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES
    )
    current_value = models.DecimalField(
        _("current value"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.INCREASE)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    # Where a drafted key result came from (a derivation rule and the interview score it used); empty when
    # the key result was written by hand. Filled by the OKR drafting that later work adds.
    source = models.JSONField(_("source"), null=True, blank=True)

    class Meta:
        ordering = ["objective", "id"]
        verbose_name = _("key result")
        verbose_name_plural = _("key results")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=Decimal("0")) & Q(weight__lte=Decimal("100")), name="keyresult_weight_range"
            ),
            models.CheckConstraint(
                condition=(Q(direction="increase") & Q(target_value__gt=F("start_value")))
                | (Q(direction="decrease") & Q(target_value__lt=F("start_value"))),
                name="keyresult_target_beyond_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def progress(self) -> float:
        return okr.kr_progress(
            start=self.start_value, target=self.target_value, current=self.current_value,
            direction=okr.INCREASE if self.direction == self.Direction.INCREASE else okr.DECREASE,
        )

    def score(self) -> float:
        return okr.kr_score(
            start=self.start_value, target=self.target_value, current=self.current_value,
            direction=okr.INCREASE if self.direction == self.Direction.INCREASE else okr.DECREASE,
        )


class CheckIn(TimeStampedModel):
    """A new current value of a key result, with a comment; the latest check-in is the key result's value."""

    key_result = models.ForeignKey(
        KeyResult, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("key result")
    )
    value = models.DecimalField(_("value"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES)
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("author"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [models.Index(fields=["key_result", "-created_at"], name="checkin_kr_created")]

    def __str__(self) -> str:
        return f"{self.key_result_id}: {self.value}"


class KRRule(TimeStampedModel):
    """How HR turns one competency's interview score into a new hire's key result (see
    talentloop.assessment.kr_rules for the arithmetic): target = score + k ("offset") or score x r ("ratio"),
    rounded to one decimal, capped and optionally floored. The title templates take {target} and {score}."""

    class Formula(models.TextChoices):
        OFFSET = "offset", _("Interview score plus a fixed amount")
        RATIO = "ratio", _("Interview score times a ratio")

    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="kr_rules", verbose_name=_("competency")
    )
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)
    metric = models.CharField(_("metric"), max_length=120)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=KeyResult.Direction.choices, default=KeyResult.Direction.INCREASE
    )
    start_value = models.DecimalField(
        _("start value"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    formula = models.CharField(_("formula"), max_length=8, choices=Formula.choices, default=Formula.OFFSET)
    parameter = models.DecimalField(_("formula parameter"), max_digits=10, decimal_places=4)
    cap = models.DecimalField(
        _("cap"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES, default=Decimal("100")
    )
    floor = models.DecimalField(
        _("floor"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["competency__code", "id"]
        verbose_name = _("KR derivation rule")
        verbose_name_plural = _("KR derivation rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=Decimal("0")) & Q(weight__lte=Decimal("100")), name="krrule_weight_range"
            ),
            models.CheckConstraint(
                condition=Q(formula="offset") | Q(parameter__gt=Decimal("0")), name="krrule_ratio_positive"
            ),
            models.CheckConstraint(
                condition=Q(floor__isnull=True) | Q(cap__gte=F("floor")), name="krrule_cap_not_below_floor"
            ),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_zh
