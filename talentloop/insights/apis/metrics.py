"""The dashboard API: `GET /api/v1/insights/metrics/?from=&to=&department=&job=` (HR everything; managers
their department and below; recruiters the recruiting metrics), `/api/v1/hiring-costs/` (HR), and the
candidate's `POST /api/v1/interview-sessions/{token}/satisfaction/` (public: the interview's secret link)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.access import HR
from talentloop.core.api import RolePermission
from talentloop.core.errors import NotFound
from talentloop.core.models import Role, User
from talentloop.org.models import Job
from talentloop.recruiting.models import Application

from .. import costs, survey
from ..metrics import metrics_dashboard, metrics_filters_parse
from ..models import HiringCost

METRICS_READERS = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER, Role.RECRUITER})


def _user(request: Request) -> User:
    return cast(User, request.user)


# --- the dashboard ------------------------------------------------------------------------------------------


class MetricSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="funnel, hiring_volume, time_to_hire, cost_per_hire, candidate_satisfaction, "
                                "source_quality, recruitment_accuracy, probation_pass_rate, retention_6m, "
                                "retention_12m, average_performance, time_to_target or training_completion.")
    label = serializers.CharField(  # type: ignore[assignment]  # the contract's field name
        help_text="The metric's name in the request's language."
    )
    value = serializers.FloatField(
        allow_null=True, help_text="Shares are 0-1; null when there is nothing to measure (see n)."
    )
    unit = serializers.CharField(help_text="share, days, CNY, count, points, rating or table.")
    definition = serializers.CharField(help_text="Exactly what is counted, in the request's language.")
    n = serializers.IntegerField(help_text="How many observations the value is made of.")
    group = serializers.CharField(help_text="recruiting, quality or talent.")
    detail = serializers.DictField(
        required=False, help_text="Per-metric breakdown: funnel stages, months, sources, ratings, bands..."
    )


class MetricsPeriodSerializer(serializers.Serializer[Any]):
    to = serializers.DateField()


MetricsPeriodSerializer._declared_fields["from"] = serializers.DateField()


class MetricsFiltersSerializer(serializers.Serializer[Any]):
    department = serializers.IntegerField(allow_null=True)
    job = serializers.IntegerField(allow_null=True)


class MetricsResponseSerializer(serializers.Serializer[Any]):
    period = MetricsPeriodSerializer()
    filters = MetricsFiltersSerializer()
    metrics = MetricSerializer(many=True)


def metrics_document(*, user: User, params: Any) -> dict[str, Any]:
    dashboard = metrics_dashboard(user=user, filters=metrics_filters_parse(params=params))
    f = dashboard.filters
    return {
        "period": {"from": f.start.isoformat(), "to": f.end.isoformat()},
        "filters": {"department": f.department.pk if f.department else None, "job": f.job.pk if f.job else None},
        "metrics": dashboard.metrics,
    }


class MetricsView(APIView):
    permission_classes = [RolePermission]
    read_roles = METRICS_READERS
    write_roles: frozenset[str] = frozenset()

    @extend_schema(
        operation_id="insights_metrics",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: 11 months before `to`, "
                             "from the 1st)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, inclusive (default: today)."),
            OpenApiParameter("department", OpenApiTypes.INT, description="A department; the ones below it count too."),
            OpenApiParameter("job", OpenApiTypes.INT, description="One job."),
        ],
        responses={200: MetricsResponseSerializer,
                   400: OpenApiResponse(description="A bad filter; `errors` names it."),
                   403: OpenApiResponse(description="Not HR, a manager or a recruiter, or outside the manager's "
                                        "department.")},
        description=(
            "The recruiting and talent dashboard's metrics, each with its definition and sample size. HR sees "
            "every metric; a manager every metric for their own department and the ones below it; a recruiter "
            "the recruiting metrics. Aggregates are cached for TALENTLOOP_INSIGHTS_CACHE_SECONDS."
        ),
    )
    def get(self, request: Request) -> Response:
        return Response(metrics_document(user=_user(request), params=request.query_params))


# --- hiring costs -------------------------------------------------------------------------------------------

_CATEGORY_SCHEMA = {"type": "string", "enum": list(HiringCost.Category.values),
                    "description": "advertising, agency, referral, assessment, events or other."}


@extend_schema_field(_CATEGORY_SCHEMA)
class CostCategoryField(serializers.ChoiceField):
    pass


class HiringCostSerializer(serializers.ModelSerializer[HiringCost]):
    job = serializers.PrimaryKeyRelatedField(queryset=Job.objects.all())
    application = serializers.PrimaryKeyRelatedField(
        queryset=Application.objects.all(), required=False, allow_null=True,
        help_text="The application the money was spent on, when it was for one (e.g. an agency fee).",
    )
    category = CostCategoryField(choices=HiringCost.Category.choices, required=False)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False,
                                      help_text="Yuan, more than 0.")
    job_title = serializers.CharField(source="job.title", read_only=True)
    created_by: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = HiringCost
        fields = ["id", "job", "job_title", "application", "category", "amount", "incurred_on", "note",
                  "created_by", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list[Any] = []


class HiringCostListParams(serializers.Serializer[Any]):
    job = serializers.IntegerField(required=False, min_value=1)
    category = CostCategoryField(choices=HiringCost.Category.choices, required=False)
    date_from = serializers.DateField(required=False, help_text="Incurred on or after.")
    date_to = serializers.DateField(required=False, help_text="Incurred on or before.")


class HiringCostViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, viewsets.GenericViewSet,
):
    """Money spent to hire for a job; the dashboard's cost per hire. HR only."""

    serializer_class = HiringCostSerializer
    queryset = HiringCost.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = HR
    write_roles = HR
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[HiringCost]:
        params: dict[str, Any] = {}
        if self.action == "list":
            parsed = HiringCostListParams(data=self.request.query_params)
            parsed.is_valid(raise_exception=True)
            params = {k: v for k, v in parsed.validated_data.items() if v not in (None, "")}
        return costs.hiring_cost_list(user=_user(self.request), **params)

    def get_object(self) -> HiringCost:
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise NotFound() from None
        return costs.hiring_cost_get(user=_user(self.request), pk=pk)

    @extend_schema(parameters=[HiringCostListParams])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cost = costs.hiring_cost_create(actor=_user(request), data=dict(serializer.validated_data))
        return Response(self.get_serializer(costs.hiring_cost_get(user=_user(request), pk=cost.pk)).data,
                        status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        cost = self.get_object()
        serializer = self.get_serializer(cost, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        cost = costs.hiring_cost_update(actor=_user(request), cost=cost, changes=dict(serializer.validated_data))
        return Response(self.get_serializer(costs.hiring_cost_get(user=_user(request), pk=cost.pk)).data)

    def perform_destroy(self, instance: HiringCost) -> None:
        costs.hiring_cost_delete(actor=_user(self.request), cost=instance)


# --- the candidate's survey answer --------------------------------------------------------------------------


class SatisfactionAnswerSerializer(serializers.Serializer[Any]):
    rating = serializers.IntegerField(help_text="1 (poor) to 5 (excellent).")
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    max_length=survey.MAX_COMMENT)


class SatisfactionReceiptSerializer(serializers.Serializer[Any]):
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class SatisfactionView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="interview_satisfaction",
        request=SatisfactionAnswerSerializer,
        responses={201: SatisfactionReceiptSerializer,
                   400: OpenApiResponse(description="The rating is not 1-5 or the comment is too long."),
                   404: OpenApiResponse(description="Unknown link, or the feedback is not released."),
                   409: OpenApiResponse(description="Already answered.")},
        description="The candidate's answer to \"How was your interview experience?\", once per interview, "
                    "after the feedback is released.",
    )
    def post(self, request: Request, token: str) -> Response:
        body = SatisfactionAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answer = survey.satisfaction_submit(token=token, rating=body.validated_data["rating"],
                                            comment=body.validated_data["comment"])
        return Response({"rating": answer.rating, "comment": answer.comment,
                         "created_at": answer.created_at.isoformat()}, status=status.HTTP_201_CREATED)


def register(router: BaseRouter) -> None:
    router.register("hiring-costs", HiringCostViewSet, basename="hiring-cost")


urlpatterns: list[URLPattern | URLResolver] = [
    path("insights/metrics/", MetricsView.as_view(), name="insights-metrics"),
    path("interview-sessions/<str:token>/satisfaction/", SatisfactionView.as_view(),
         name="interview-session-satisfaction"),
]
