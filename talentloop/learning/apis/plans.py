"""`/api/v1/development-plans/` and `/api/v1/development-items/{id}/`: personal development plans.

`POST /api/v1/development-plans/` with `{"review": id}` generates a draft plan from that submitted review's gaps
(one item per gap with the goal, the reason, the best course and a due date); `PATCH` changes its status
(draft, active, done) and note; `POST /api/v1/development-plans/{id}/items/` adds an item; `PATCH`/`DELETE
/api/v1/development-items/{id}/` edit or remove one. HR or the employee's manager write; the employee reads
their own plans once they are no longer drafts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from talentloop.core.api import RolePermission
from talentloop.core.errors import NotFound, ValidationFailed
from talentloop.org.models import Competency
from talentloop.performance.apis.views import _pk, _ServiceViewSet, _user
from talentloop.performance.reviews import review_get

from .. import plans, selectors
from ..models import Course, DevelopmentItem, DevelopmentPlan


class DevelopmentItemSerializer(serializers.ModelSerializer[DevelopmentItem]):
    competency = serializers.PrimaryKeyRelatedField(queryset=Competency.objects.all(), required=False, allow_null=True)
    competency_code = serializers.CharField(source="competency.code", read_only=True, allow_null=True)
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all(), required=False, allow_null=True)
    course_title = serializers.CharField(source="course.title", read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=DevelopmentItem.Status.choices, required=False)

    class Meta:
        model = DevelopmentItem
        fields = [
            "id", "plan", "competency", "competency_code", "goal", "actions", "course", "course_title", "due_date",
            "status", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "plan", "created_at", "updated_at"]
        extra_kwargs = {"actions": {"required": False, "allow_blank": True}, "due_date": {"required": False}}


class DevelopmentPlanSerializer(serializers.ModelSerializer[DevelopmentPlan]):
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    cycle_name = serializers.CharField(source="cycle.name", read_only=True, allow_null=True)
    items = DevelopmentItemSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(choices=DevelopmentPlan.Status.choices, required=False)

    class Meta:
        model = DevelopmentPlan
        fields = [
            "id", "employee", "employee_name", "cycle", "cycle_name", "review", "status", "note", "created_by",
            "items", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "employee", "cycle", "review", "created_by", "created_at", "updated_at"]
        extra_kwargs = {"note": {"required": False, "allow_blank": True}}


class PlanGenerateSerializer(serializers.Serializer[Any]):
    review = serializers.IntegerField(min_value=1, help_text="A submitted review of the employee.")


class PlanListParams(serializers.Serializer[dict[str, Any]]):
    employee = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=DevelopmentPlan.Status.choices, required=False)


@extend_schema_view(
    list=extend_schema(parameters=[PlanListParams]),
    create=extend_schema(
        request=PlanGenerateSerializer, responses={201: DevelopmentPlanSerializer},
        description="Generate a draft plan from a submitted review's gaps (409 if the review already has one).",
    ),
)
class DevelopmentPlanViewSet(_ServiceViewSet):
    """Personal development plans generated from review gaps and edited by HR or the manager."""

    serializer_class = DevelopmentPlanSerializer
    queryset = DevelopmentPlan.objects.none()  # for the schema generator; get_queryset() is what runs
    read_roles = selectors.LEARNING_ROLES
    write_roles = selectors.ENROLLER_ROLES
    list_params = PlanListParams
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[DevelopmentPlan]:
        return plans.plan_list(user=_user(self.request), **self._params())

    def _get(self, pk: int) -> DevelopmentPlan:
        return plans.plan_get(user=_user(self.request), pk=pk)

    def _create(self, data: dict[str, Any]) -> DevelopmentPlan:
        """A plan is generated from a review's gaps (never written field by field)."""
        try:
            review = review_get(user=_user(self.request), pk=data["review"])
        except NotFound as exc:  # a review out of sight or missing: name the field
            raise ValidationFailed(str(exc.message), field="review") from None
        return plans.plan_generate(actor=_user(self.request), review=review)

    def _update(self, obj: DevelopmentPlan, data: dict[str, Any]) -> DevelopmentPlan:
        return plans.plan_update(actor=_user(self.request), plan=obj, changes=data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        parsed = PlanGenerateSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        plan = self._create({"review": parsed.validated_data["review"]})
        return Response(self.get_serializer(self._get(plan.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DevelopmentItemSerializer, responses={201: DevelopmentItemSerializer},
                   description="Add an item to the plan (not once the plan is done).")
    @action(detail=True, methods=["post"])
    def items(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        parsed = DevelopmentItemSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = dict(parsed.validated_data)
        data.pop("status", None)
        item = plans.plan_item_add(actor=_user(request), plan=plan, **data)
        return Response(DevelopmentItemSerializer(item).data, status=status.HTTP_201_CREATED)


class DevelopmentItemViewSet(mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Change or remove one item of a development plan (HR or the employee's manager)."""

    serializer_class = DevelopmentItemSerializer
    queryset = DevelopmentItem.objects.none()  # for the schema generator
    permission_classes = [RolePermission]
    read_roles = selectors.LEARNING_ROLES
    write_roles = selectors.ENROLLER_ROLES
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"
    http_method_names = ["patch", "delete", "options"]

    def get_object(self) -> DevelopmentItem:
        return plans.item_get(user=_user(self.request), pk=_pk(self.kwargs[self.lookup_field]))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        parsed = DevelopmentItemSerializer(item, data=request.data, partial=True)
        parsed.is_valid(raise_exception=True)
        item = plans.plan_item_update(actor=_user(request), item=item, changes=dict(parsed.validated_data))
        return Response(DevelopmentItemSerializer(item).data)

    def perform_destroy(self, instance: DevelopmentItem) -> None:
        plans.plan_item_delete(actor=_user(self.request), item=instance)


def register(router: BaseRouter) -> None:
    router.register("development-plans", DevelopmentPlanViewSet, basename="development-plan")
    router.register("development-items", DevelopmentItemViewSet, basename="development-item")


urlpatterns: list[URLPattern | URLResolver] = []
