"""The KPI library and each employee's KPI targets and actuals in a cycle. Scores come from
talentloop.assessment.kpi: piecewise linear through the thresholds (floor → 0, threshold → 60, target → 100)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentloop.core.models import TimeStampedModel
from talentloop.org.models import Competency, Employee

from .okr import VALUE_MAX_DIGITS, VALUE_PLACES, KeyResult, PerformanceCycle


class Kpi(TimeStampedModel):
    """An indicator in the library: what is measured, how (the formula, described for people), in which unit
    and direction, and the default thresholds: at or beyond `floor_value` the score is 0, at `threshold_value`
    (the minimum acceptable) 60, at `target_value` 100. A competency, when set, lets reviews use the KPI as
    evidence for that competency."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    formula = models.TextField(_("formula"), blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=KeyResult.Direction.choices, default=KeyResult.Direction.INCREASE
    )
    floor_value = models.DecimalField(_("floor (scores 0)"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES)
    threshold_value = models.DecimalField(
        _("threshold (scores 60)"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES,
    )
    target_value = models.DecimalField(
        _("target (scores 100)"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES,
    )
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.SET_NULL, related_name="kpis",
        verbose_name=_("competency"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self) -> str:
        return self.name


class KpiTarget(TimeStampedModel):
    """One KPI of one employee in one cycle: the target (the library's by default), the actual once known,
    and the weight (percent; an employee's weights in a cycle add up to 100 at most)."""

    cycle = models.ForeignKey(
        PerformanceCycle, on_delete=models.PROTECT, related_name="kpi_targets", verbose_name=_("cycle")
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="kpi_targets", verbose_name=_("employee")
    )
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="targets", verbose_name=_("KPI"))
    target_value = models.DecimalField(_("target value"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES)
    actual_value = models.DecimalField(
        _("actual value"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True,
    )
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["cycle", "employee", "kpi__code"]
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee", "kpi"], name="kpi_target_unique"),
            models.CheckConstraint(
                condition=Q(weight__gt=Decimal("0")) & Q(weight__lte=Decimal("100")), name="kpi_target_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kpi_id} {self.cycle_id}"
