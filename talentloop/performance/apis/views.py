"""REST endpoints for cycles and OKRs: parse, call one selector or service, render.

`/api/v1/performance/cycles/` (HR writes), `/api/v1/objectives/`, `/api/v1/key-results/` and
`/api/v1/key-results/{id}/check-ins/` (HR, managers and employees write within their reach; the services
decide); `/api/v1/kr-rules/` (HR writes, managers read), `POST /api/v1/employees/{id}/okr-draft/` and
`POST /api/v1/objectives/{id}/approve/` (HR or the employee's manager)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, cast

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from talentloop.core.access import HR
from talentloop.core.api import RolePermission
from talentloop.core.errors import NotFound, ValidationFailed
from talentloop.core.models import Role, User
from talentloop.org.models import Employee

from .. import drafting, phases, selectors, services
from ..models import CheckIn, KeyResult, KRRule, Objective, PerformanceCycle
from .serializers import (
    CheckInSerializer,
    CycleListParams,
    CycleSerializer,
    KeyResultListParams,
    KeyResultSerializer,
    KRRuleListParams,
    KRRuleSerializer,
    ObjectiveListParams,
    ObjectiveSerializer,
    OkrDraftRequestSerializer,
    OkrDraftSerializer,
)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _pk(value: Any) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < pk <= selectors.MAX_ID:
        raise NotFound()
    return pk


class _ServiceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
    ABC,
):
    """List/create/retrieve/update where reads go through a selector and writes through a service."""

    permission_classes = [RolePermission]
    read_roles: frozenset[str] = selectors.PERFORMANCE_ROLES
    write_roles: frozenset[str] = selectors.PERFORMANCE_ROLES
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"
    list_params: type[serializers.Serializer[Any]]

    @abstractmethod
    def _get(self, pk: int) -> Any: ...

    @abstractmethod
    def _create(self, data: dict[str, Any]) -> Any: ...

    @abstractmethod
    def _update(self, obj: Any, data: dict[str, Any]) -> Any: ...

    def _params(self) -> dict[str, Any]:
        """The list's filters from the query string (a 400 naming the parameter when one is bad)."""
        if self.action != "list":
            return {}
        parsed = self.list_params(data=self.request.query_params)
        parsed.is_valid(raise_exception=True)
        return {k: v for k, v in parsed.validated_data.items() if v not in (None, "")}

    def get_object(self) -> Any:
        return self._get(_pk(self.kwargs[self.lookup_field]))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self._create(dict(serializer.validated_data))
        return Response(self.get_serializer(self._get(obj.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        obj = self._update(obj, dict(serializer.validated_data))
        return Response(self.get_serializer(self._get(obj.pk)).data)


@extend_schema_view(list=extend_schema(parameters=[CycleListParams]))
class CycleViewSet(_ServiceViewSet):
    """Performance cycles. Everyone in performance reads the cycles they (or their team) take part in;
    HR creates and changes them."""

    serializer_class = CycleSerializer
    queryset = PerformanceCycle.objects.none()  # for the schema generator; get_queryset() is what runs
    write_roles = HR
    list_params = CycleListParams

    def get_queryset(self) -> QuerySet[PerformanceCycle]:
        return selectors.cycle_list(user=_user(self.request), **self._params()).prefetch_related("deadlines")

    def _get(self, pk: int) -> PerformanceCycle:
        return selectors.cycle_get(user=_user(self.request), pk=pk)

    # phases.py wraps the services' cycle functions with the review weights, enrol_new_hires and deadlines.
    def _create(self, data: dict[str, Any]) -> PerformanceCycle:
        return phases.cycle_create(actor=_user(self.request), **data)

    def _update(self, obj: PerformanceCycle, data: dict[str, Any]) -> PerformanceCycle:
        return phases.cycle_update(actor=_user(self.request), cycle=obj, changes=data)


@extend_schema_view(list=extend_schema(parameters=[ObjectiveListParams]))
class ObjectiveViewSet(_ServiceViewSet):
    """Objectives (company, department, personal) with their score."""

    serializer_class = ObjectiveSerializer
    queryset = Objective.objects.none()  # for the schema generator; get_queryset() is what runs
    list_params = ObjectiveListParams

    def get_queryset(self) -> QuerySet[Objective]:
        return selectors.objective_list(user=_user(self.request), **self._params())

    def _get(self, pk: int) -> Objective:
        return selectors.objective_get(user=_user(self.request), pk=pk)

    def _create(self, data: dict[str, Any]) -> Objective:
        return services.objective_create(actor=_user(self.request), **data)

    def _update(self, obj: Objective, data: dict[str, Any]) -> Objective:
        return services.objective_update(actor=_user(self.request), objective=obj, changes=data)

    @extend_schema(
        request=None, responses=ObjectiveSerializer,
        description="Approve a drafted personal objective (the owner's manager, or HR): its status becomes active.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        objective = drafting.okr_draft_approve(actor=_user(request), objective=self.get_object())
        return Response(self.get_serializer(self._get(objective.pk)).data)


@extend_schema_view(list=extend_schema(parameters=[KeyResultListParams]))
class KeyResultViewSet(_ServiceViewSet):
    """Key results with their computed progress (0-1) and score (0-100)."""

    serializer_class = KeyResultSerializer
    queryset = KeyResult.objects.none()  # for the schema generator; get_queryset() is what runs
    list_params = KeyResultListParams

    def get_queryset(self) -> QuerySet[KeyResult]:
        return selectors.key_result_list(user=_user(self.request), **self._params())

    def _get(self, pk: int) -> KeyResult:
        return selectors.key_result_get(user=_user(self.request), pk=pk)

    def _create(self, data: dict[str, Any]) -> KeyResult:
        return services.key_result_create(actor=_user(self.request), **data)

    def _update(self, obj: KeyResult, data: dict[str, Any]) -> KeyResult:
        return services.key_result_update(actor=_user(self.request), key_result=obj, changes=data)


_KR_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The key result's id.")


@extend_schema_view(
    get=extend_schema(parameters=[_KR_ID], description="The key result's check-ins, newest first."),
    post=extend_schema(
        parameters=[_KR_ID],
        description="Record a new value with a comment; the key result's current value becomes it.",
    ),
)
class CheckInListView(generics.ListCreateAPIView[CheckIn]):
    serializer_class = CheckInSerializer
    queryset = CheckIn.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = selectors.PERFORMANCE_ROLES
    write_roles = selectors.PERFORMANCE_ROLES
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[CheckIn]:
        return selectors.check_in_list(user=_user(self.request), key_result=_pk(self.kwargs["id"]))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key_result = selectors.key_result_get(user=_user(request), pk=_pk(kwargs["id"]))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        check_in = services.check_in_add(actor=_user(request), key_result=key_result, **serializer.validated_data)
        return Response(self.get_serializer(check_in).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=[KRRuleListParams]))
class KRRuleViewSet(mixins.DestroyModelMixin, _ServiceViewSet):
    """Rules that draft a new hire's key results from their interview scores. HR writes, managers read."""

    serializer_class = KRRuleSerializer
    queryset = KRRule.objects.none()  # for the schema generator; get_queryset() is what runs
    read_roles = selectors.KR_RULE_READERS
    write_roles = HR
    list_params = KRRuleListParams

    def get_queryset(self) -> QuerySet[KRRule]:
        return selectors.kr_rule_list(user=_user(self.request), **self._params())

    def _get(self, pk: int) -> KRRule:
        return selectors.kr_rule_get(user=_user(self.request), pk=pk)

    def _create(self, data: dict[str, Any]) -> KRRule:
        return drafting.kr_rule_create(actor=_user(self.request), **data)

    def _update(self, obj: KRRule, data: dict[str, Any]) -> KRRule:
        return drafting.kr_rule_update(actor=_user(self.request), rule=obj, changes=data)

    def perform_destroy(self, instance: KRRule) -> None:
        drafting.kr_rule_delete(actor=_user(self.request), rule=instance)


class OkrDraftView(APIView):
    """Draft an employee's OKRs for a cycle from their interview report and the active KR rules."""

    permission_classes = [RolePermission]
    read_roles: frozenset[str] = frozenset()
    write_roles = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER})

    @extend_schema(
        request=OkrDraftRequestSerializer, responses={201: OkrDraftSerializer},
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The employee's id.")],
        description=(
            "Draft the employee's first OKRs in the cycle from their most recent ready interview report: one "
            "objective in status draft, a key result per active rule whose competency was scored, each citing the "
            "rule and the interview score. One draft per employee and cycle (409 for a second)."
        ),
    )
    def post(self, request: Request, id: int) -> Response:
        employee = Employee.objects.filter(pk=_pk(id)).first()
        if employee is None:
            raise NotFound(_("No such employee."))
        parsed = OkrDraftRequestSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        cycle = PerformanceCycle.objects.filter(pk=parsed.validated_data["cycle"]).first()
        if cycle is None:
            raise ValidationFailed(_("No such performance cycle."), field="cycle")
        draft = drafting.okr_draft(actor=_user(request), employee=employee, cycle=cycle)
        objectives = selectors.objective_list(user=_user(request)).filter(pk__in=[o.pk for o in draft.objectives])
        data = OkrDraftSerializer(
            {"report": draft.report, "objectives": list(objectives), "skipped": draft.skipped},
            context={"request": request},
        ).data
        return Response(data, status=status.HTTP_201_CREATED)


urlpatterns: list[URLPattern | URLResolver] = [
    path("key-results/<int:id>/check-ins/", CheckInListView.as_view(), name="key-result-check-ins"),
    path("employees/<int:id>/okr-draft/", OkrDraftView.as_view(), name="employee-okr-draft"),
]
