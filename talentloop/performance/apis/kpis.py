"""REST endpoints for the KPI library and employees' KPI targets: parse, call one selector or service, render.

`/api/v1/kpis/`: everyone in performance reads the library; HR writes it. `/api/v1/kpi-targets/`: HR and
managers (for their team) write targets and actuals, employees read their own; each target carries its
`score`, and `GET /api/v1/kpi-targets/summary/?cycle=&employee=` gives an employee's weighted KPI score."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from talentloop.core.access import HR
from talentloop.org.models import Competency, Employee

from .. import kpi_selectors as selectors
from .. import kpis as services
from ..models import VALUE_MAX_DIGITS, VALUE_PLACES, Kpi, KpiTarget, PerformanceCycle
from .views import _ServiceViewSet, _user

_NUMBER = {"coerce_to_string": False}


def _english() -> bool:
    return (get_language() or "").startswith("en")


class KpiSerializer(serializers.ModelSerializer[Kpi]):
    competency = serializers.SlugRelatedField(
        slug_field="code", queryset=Competency.objects.all(), required=False, allow_null=True,
        help_text="The competency the KPI is evidence for in reviews (its code), or null.",
    )
    display_name = serializers.SerializerMethodField(help_text="The name in the request's language.")
    competency_name = serializers.SerializerMethodField()

    class Meta:
        model = Kpi
        fields = [
            "id", "code", "name", "name_en", "display_name", "formula", "unit", "direction", "floor_value",
            "threshold_value", "target_value", "competency", "competency_name", "is_active", "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            # The service checks the code (format and uniqueness) with a message naming the rule.
            "code": {"validators": [], "help_text": "A unique slug, e.g. sales_revenue."},
            "formula": {"help_text": "How the value is computed, for people."},
            "floor_value": {**_NUMBER, "help_text": "At or beyond this value (the wrong way) the score is 0."},
            "threshold_value": {**_NUMBER, "help_text": "The minimum acceptable value: scores 60."},
            "target_value": {**_NUMBER, "help_text": "The default target: scores 100."},
        }

    def get_display_name(self, obj: Kpi) -> str:
        return selectors.kpi_display_name(obj, english=_english())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_competency_name(self, obj: Kpi) -> str | None:
        return obj.competency.display_name if obj.competency else None


class KpiListParams(serializers.Serializer[dict[str, Any]]):
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)
    competency = serializers.CharField(required=False, help_text="A competency code.")
    q = serializers.CharField(required=False, help_text="Part of the code or name.")


class KpiTargetSerializer(serializers.ModelSerializer[KpiTarget]):
    cycle = serializers.PrimaryKeyRelatedField(queryset=PerformanceCycle.objects.all())
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    kpi = serializers.PrimaryKeyRelatedField(queryset=Kpi.objects.all())
    target_value = serializers.DecimalField(
        max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES, coerce_to_string=False, required=False,
        help_text="Scores 100; defaults to the KPI's target. Must lie beyond the KPI's threshold.",
    )
    actual_value = serializers.DecimalField(
        max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES, coerce_to_string=False, required=False,
        allow_null=True, help_text="The result once known; null until then.",
    )
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    kpi_code = serializers.CharField(source="kpi.code", read_only=True)
    kpi_name = serializers.SerializerMethodField()
    unit = serializers.CharField(source="kpi.unit", read_only=True)
    direction = serializers.CharField(source="kpi.direction", read_only=True, help_text="increase or decrease.")
    floor_value = serializers.DecimalField(
        source="kpi.floor_value", max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES, coerce_to_string=False,
        read_only=True, help_text="The KPI's floor: scores 0.",
    )
    threshold_value = serializers.DecimalField(
        source="kpi.threshold_value", max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES,
        coerce_to_string=False, read_only=True, help_text="The KPI's threshold: scores 60.",
    )
    score = serializers.SerializerMethodField(help_text="0-100 from the actual value; null until it is entered.")

    class Meta:
        model = KpiTarget
        fields = [
            "id", "cycle", "employee", "employee_name", "kpi", "kpi_code", "kpi_name", "unit", "direction",
            "floor_value", "threshold_value", "target_value", "actual_value", "weight", "comment", "score",
            "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "weight": {**_NUMBER, "help_text": "Share in percent; an employee's weights in a cycle total 100 at most."},
        }
        # The service reports a second target of the same KPI with a message; no generic uniqueness error first.
        validators: list[Any] = []

    def get_kpi_name(self, obj: KpiTarget) -> str:
        return selectors.kpi_display_name(obj.kpi, english=_english())

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_score(self, obj: KpiTarget) -> float | None:
        return selectors.kpi_target_score(obj)


class KpiTargetListParams(serializers.Serializer[dict[str, Any]]):
    cycle = serializers.IntegerField(required=False, min_value=1)
    employee = serializers.IntegerField(required=False, min_value=1)
    kpi = serializers.IntegerField(required=False, min_value=1)


class KpiSummaryParams(serializers.Serializer[dict[str, Any]]):
    cycle = serializers.IntegerField(min_value=1)
    employee = serializers.IntegerField(min_value=1)


class KpiSummarySerializer(serializers.Serializer[dict[str, Any]]):
    cycle = serializers.IntegerField()
    employee = serializers.IntegerField()
    targets = serializers.IntegerField(help_text="How many KPI targets the employee has in the cycle.")
    weight_total = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False)
    scored_weight = serializers.DecimalField(
        max_digits=7, decimal_places=2, coerce_to_string=False, help_text="The weight of targets with an actual."
    )
    score = serializers.FloatField(
        allow_null=True, help_text="Weighted mean of the scored targets, 0-100; null until an actual is entered."
    )


@extend_schema_view(list=extend_schema(parameters=[KpiListParams]))
class KpiViewSet(mixins.DestroyModelMixin, _ServiceViewSet):
    """The KPI library: indicators with their formula, unit, direction and floor/threshold/target."""

    serializer_class = KpiSerializer
    queryset = Kpi.objects.none()  # for the schema generator; get_queryset() is what runs
    write_roles = HR
    list_params = KpiListParams

    def get_queryset(self) -> QuerySet[Kpi]:
        return selectors.kpi_list(user=_user(self.request), **self._params())

    def _get(self, pk: int) -> Kpi:
        return selectors.kpi_get(user=_user(self.request), pk=pk)

    def _create(self, data: dict[str, Any]) -> Kpi:
        return services.kpi_create(actor=_user(self.request), **data)

    def _update(self, obj: Kpi, data: dict[str, Any]) -> Kpi:
        return services.kpi_update(actor=_user(self.request), kpi=obj, changes=data)

    def perform_destroy(self, instance: Kpi) -> None:
        services.kpi_delete(actor=_user(self.request), kpi=instance)


@extend_schema_view(list=extend_schema(parameters=[KpiTargetListParams]))
class KpiTargetViewSet(mixins.DestroyModelMixin, _ServiceViewSet):
    """One KPI of one employee in one cycle: target, actual, weight and the resulting score."""

    serializer_class = KpiTargetSerializer
    queryset = KpiTarget.objects.none()  # for the schema generator; get_queryset() is what runs
    write_roles = selectors.KPI_TARGET_WRITERS
    list_params = KpiTargetListParams

    def get_queryset(self) -> QuerySet[KpiTarget]:
        return selectors.kpi_target_list(user=_user(self.request), **self._params())

    def _get(self, pk: int) -> KpiTarget:
        return selectors.kpi_target_get(user=_user(self.request), pk=pk)

    def _create(self, data: dict[str, Any]) -> KpiTarget:
        return services.kpi_target_create(actor=_user(self.request), **data)

    def _update(self, obj: KpiTarget, data: dict[str, Any]) -> KpiTarget:
        return services.kpi_target_update(actor=_user(self.request), target=obj, changes=data)

    def perform_destroy(self, instance: KpiTarget) -> None:
        services.kpi_target_delete(actor=_user(self.request), target=instance)

    @extend_schema(
        parameters=[KpiSummaryParams], responses=KpiSummarySerializer,
        description="An employee's weighted KPI score in a cycle: targets without an actual are left out.",
    )
    @action(detail=False, methods=["get"])
    def summary(self, request: Request) -> Response:
        parsed = KpiSummaryParams(data=request.query_params)
        parsed.is_valid(raise_exception=True)
        cycle, employee = parsed.validated_data["cycle"], parsed.validated_data["employee"]
        selectors.kpi_employee_get(user=_user(request), pk=employee)
        targets = list(selectors.kpi_target_list(user=_user(request), cycle=cycle, employee=employee))
        scored = [t for t in targets if selectors.kpi_target_score(t) is not None]
        return Response(KpiSummarySerializer({
            "cycle": cycle, "employee": employee, "targets": len(targets),
            "weight_total": selectors.kpi_weight_total(targets), "scored_weight": selectors.kpi_weight_total(scored),
            "score": selectors.kpi_weighted_score(targets),
        }).data)


def register(router: BaseRouter) -> None:
    router.register("kpis", KpiViewSet, basename="kpi")
    router.register("kpi-targets", KpiTargetViewSet, basename="kpi-target")


urlpatterns: list[URLPattern | URLResolver] = []
