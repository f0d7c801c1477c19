"""The insights API: the fairness audit and the talent demand forecast (HR only).

`GET /api/v1/insights/fairness/?job=ID&attribute=NAME` (`&format=xlsx`: the audit report as a workbook) and
`GET /api/v1/insights/forecast/?department=ID&quarters=2..4`. Bad input answers 400 with a message."""

from __future__ import annotations

from typing import Any, cast

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.access import HR
from talentloop.core.api import RolePermission
from talentloop.core.models import User

from .. import fairness, forecast
from ..fairness_export import XLSX, XlsxRenderer, audit_workbook, export_filename


class FairnessGroupSerializer(serializers.Serializer[Any]):
    value = serializers.CharField(help_text="The attribute value as stored (e.g. female, 25_34).")
    # (mypy ignore on the next line: the contract's field name)
    label = serializers.CharField(help_text="In the request's language.")  # type: ignore[assignment]
    n = serializers.IntegerField(help_text="People in the group.")
    count = serializers.IntegerField(
        allow_null=True, help_text="Passed screening, or scored above the median; null when the group is too small."
    )
    rate = serializers.FloatField(allow_null=True, help_text="count / n; null when the group is too small.")
    impact_ratio = serializers.FloatField(
        allow_null=True, help_text="rate / the highest rate among groups large enough; null if not defined."
    )
    four_fifths_flag = serializers.BooleanField(allow_null=True, help_text="impact_ratio < 0.8.")
    too_small = serializers.BooleanField(help_text="Fewer people than min_group: counted only.")
    highest = serializers.BooleanField(help_text="The reference group (the highest rate).")


class FairnessPartSerializer(serializers.Serializer[Any]):
    n = serializers.IntegerField(help_text="Everyone counted, unknown included.")
    unknown = serializers.IntegerField(help_text="People who did not give the attribute.")
    reference_rate = serializers.FloatField(allow_null=True, help_text="The highest group's rate.")
    threshold = serializers.FloatField(
        allow_null=True, help_text="AI interview: the overall median score; screening: null."
    )
    flagged = serializers.ListField(child=serializers.CharField(), help_text="Values with the four-fifths flag.")
    groups = FairnessGroupSerializer(many=True)


class FairnessAuditSerializer(serializers.Serializer[Any]):
    job = serializers.IntegerField(allow_null=True, help_text="null: every job.")
    job_title = serializers.CharField(allow_null=True)
    attribute = serializers.CharField()
    attribute_label = serializers.CharField()
    min_group = serializers.IntegerField(help_text="TALENTLOOP_FAIRNESS_MIN_GROUP.")
    four_fifths = serializers.FloatField(help_text="0.8")
    method = serializers.CharField()
    screening = FairnessPartSerializer(help_text="Screening decisions: selection rates.")
    ai_interview = FairnessPartSerializer(help_text="AI interview overall scores: scoring rates.")
    definitions = serializers.DictField(child=serializers.CharField(), help_text="Each term's definition.")


class ForecastHistorySerializer(serializers.Serializer[Any]):
    quarter = serializers.CharField(help_text="e.g. 2024Q3")
    start = serializers.IntegerField()
    hires = serializers.IntegerField()
    leavers = serializers.IntegerField()
    headcount = serializers.IntegerField(help_text="On the quarter's last day.")


def _band(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, help_text=help_text
    )


class ForecastQuarterSerializer(serializers.Serializer[Any]):
    quarter = serializers.CharField()
    horizon = serializers.IntegerField(help_text="Quarters after the last completed one (1 = in progress).")
    headcount = serializers.FloatField()
    headcount_80 = _band("[low, high] 80% band.")
    headcount_95 = _band("[low, high] 95% band.")
    start_headcount = serializers.FloatField()
    expected_leavers = serializers.FloatField()
    hiring_need = serializers.FloatField()
    hiring_need_80 = _band("[low, high] 80% band.")
    hiring_need_95 = _band("[low, high] 95% band.")


class ForecastSerializer(serializers.Serializer[Any]):
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    method = serializers.ChoiceField(choices=["holt_linear", "mean_growth"])
    method_label = serializers.CharField()
    parameters = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="holt_linear: alpha, beta, level, trend, sse, sigma; mean_growth: drift, sigma.",
    )
    attrition_rate = serializers.FloatField(allow_null=True, help_text="Per quarter.")
    as_of = serializers.DateField(help_text="The last day of the history.")
    history = ForecastHistorySerializer(many=True)
    forecast = ForecastQuarterSerializer(many=True)
    definitions = serializers.DictField(child=serializers.CharField())


class _HRInsightView(APIView):
    permission_classes = [RolePermission]
    read_roles = HR
    write_roles: frozenset[str] = frozenset()


class FairnessAuditView(_HRInsightView):
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, XlsxRenderer]

    @extend_schema(
        operation_id="insights_fairness",
        parameters=[
            OpenApiParameter("job", OpenApiTypes.INT, description="A job's id; omitted: every job."),
            OpenApiParameter(
                "attribute", OpenApiTypes.STR, required=True, enum=["gender", "age_band"],
                description="The consented attribute to audit.",
            ),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "xlsx"], description="xlsx: the audit report."),
        ],
        responses={(200, "application/json"): FairnessAuditSerializer, (200, XLSX): OpenApiTypes.BINARY},
        description=(
            "The fairness audit of screening decisions and AI interview scores for an attribute candidates gave "
            "with separate consent: per group the selection rate (passed screening) and the scoring rate (share "
            "above the overall median), the impact ratio against the highest group, the four-fifths flag "
            "(ratio < 0.8), the unknown count, and groups under the minimum size reported as too small. HR only."
        ),
    )
    def get(self, request: Request) -> Response:
        attribute = fairness.parse_attribute(request.query_params.get("attribute"))
        job = fairness.parse_job(request.query_params.get("job"))
        audit = fairness.fairness_audit(user=cast(User, request.user), job=job, attribute=attribute)
        if getattr(request.accepted_renderer, "format", "") == "xlsx":
            return Response(audit_workbook(audit), headers={
                "Content-Disposition": f'attachment; filename="{export_filename(audit)}"'
            })
        return Response(fairness.audit_document(audit))

    def handle_exception(self, exc: Exception) -> Response:
        # Errors are JSON even when the workbook was asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)


class ForecastView(_HRInsightView):
    @extend_schema(
        operation_id="insights_forecast",
        parameters=[
            OpenApiParameter("department", OpenApiTypes.INT, required=True, description="A department's id."),
            OpenApiParameter("quarters", OpenApiTypes.INT, description="2 to 4 (default 4)."),
        ],
        responses={200: ForecastSerializer},
        description=(
            "Headcount and hiring-need forecast of a department (with its sub-departments) for the next 2–4 "
            "quarters from its hiring and leaving history, with 80% and 95% bands; `method` names the method "
            "(Holt's linear trend, or mean growth with fewer than 6 quarters) and `parameters` its fitted values. "
            "HR only."
        ),
    )
    def get(self, request: Request) -> Response:
        department = forecast.parse_department(request.query_params.get("department"))
        quarters = forecast.parse_quarters(request.query_params.get("quarters"))
        result = forecast.department_forecast(user=cast(User, request.user), department=department, quarters=quarters)
        return Response(forecast.forecast_document(department=department, result=result))


def register(router: BaseRouter) -> None:
    pass


urlpatterns: list[URLPattern | URLResolver] = [
    path("insights/fairness/", FairnessAuditView.as_view(), name="insights-fairness"),
    path("insights/forecast/", ForecastView.as_view(), name="insights-forecast"),
]
