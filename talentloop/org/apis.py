"""REST endpoints for the organisation: parse, call one service or selector, render."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from talentloop.core.access import HR, HR_AND_RECRUITING, STAFF_ROLES
from talentloop.core.api import LargeTablePagination, RolePermission
from talentloop.core.models import Role, User

from . import selectors, services
from .identity import mask_id_number
from .models import Competency, Department, Employee, Job, JobLevel
from .serializers import (
    CompetencyListParams,
    CompetencySerializer,
    DepartmentSerializer,
    EmployeeListParams,
    EmployeeSerializer,
    JobLevelSerializer,
    JobListParams,
    JobSerializer,
)


class _ServiceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
    ABC,
):
    """List/create/retrieve/update where writes go through a service instead of serializer.save()."""

    permission_classes = [RolePermission]
    read_roles: frozenset[str] = STAFF_ROLES
    write_roles: frozenset[str] = HR

    @abstractmethod
    def _create(self, data: dict[str, Any]) -> Any: ...

    @abstractmethod
    def _update(self, obj: Any, data: dict[str, Any]) -> Any: ...

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self._create(dict(serializer.validated_data))
        return Response(self.get_serializer(self._reload(obj)).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        obj = self._update(obj, dict(serializer.validated_data))
        return Response(self.get_serializer(self._reload(obj)).data)

    def _reload(self, obj: Any) -> Any:
        return self.get_queryset().get(pk=obj.pk)


class DepartmentViewSet(_ServiceViewSet):
    serializer_class = DepartmentSerializer
    queryset = Department.objects.none()  # for the schema generator; get_queryset() is what runs

    def get_queryset(self) -> QuerySet[Department]:
        return selectors.department_list(user=_actor(self.request))

    def _create(self, data: dict[str, Any]) -> Department:
        return services.department_create(actor=_actor(self.request), **data)

    def _update(self, obj: Department, data: dict[str, Any]) -> Department:
        return services.department_update(actor=_actor(self.request), department=obj, changes=data)


class JobLevelViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = JobLevelSerializer
    queryset = JobLevel.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = STAFF_ROLES

    def get_queryset(self) -> QuerySet[JobLevel]:
        return selectors.level_list()


@extend_schema_view(list=extend_schema(parameters=[CompetencyListParams]))
class CompetencyViewSet(_ServiceViewSet):
    serializer_class = CompetencySerializer
    queryset = Competency.objects.none()  # for the schema generator; get_queryset() is what runs
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Competency]:
        params = _list_params(self, CompetencyListParams)
        qs = selectors.competency_list(user=_actor(self.request), search=params.get("search"))
        if params.get("active") is not None:
            qs = qs.filter(is_active=params["active"])
        return qs

    def _create(self, data: dict[str, Any]) -> Competency:
        return services.competency_create(actor=_actor(self.request), data=_plain_indicators(data))

    def _update(self, obj: Competency, data: dict[str, Any]) -> Competency:
        changes = _plain_indicators(data)
        return services.competency_update(actor=_actor(self.request), competency=obj, changes=changes)


def _list_params(view: viewsets.GenericViewSet, params: type[serializers.Serializer[Any]]) -> dict[str, Any]:
    """The list's filters from the query string (a 400 naming the parameter when one is bad). Only the list
    reads them: a create or update with a query string must still find the object it just wrote."""
    if view.action != "list":
        return {}
    parsed = params(data=view.request.query_params)
    parsed.is_valid(raise_exception=True)
    return dict(parsed.validated_data)


def _plain_indicators(data: dict[str, Any]) -> dict[str, Any]:
    if "indicators" in data:
        data["indicators"] = [dict(i) for i in data["indicators"]]
    return data


@extend_schema_view(list=extend_schema(parameters=[JobListParams]))
class JobViewSet(_ServiceViewSet):
    serializer_class = JobSerializer
    queryset = Job.objects.none()  # for the schema generator; get_queryset() is what runs
    write_roles = HR_AND_RECRUITING
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Job]:
        return selectors.job_list(user=_actor(self.request), **_list_params(self, JobListParams))

    def _create(self, data: dict[str, Any]) -> Job:
        model = data.pop("competency_model", [])
        return services.job_create(actor=_actor(self.request), data=data, competency_model=model)

    def _update(self, obj: Job, data: dict[str, Any]) -> Job:
        model = data.pop("competency_model", None)
        return services.job_update(actor=_actor(self.request), job=obj, changes=data, competency_model=model)


@extend_schema_view(list=extend_schema(parameters=[EmployeeListParams]))
class EmployeeViewSet(_ServiceViewSet):
    """Employees visible to the caller: HR all, a manager their team, an employee only themself."""

    serializer_class = EmployeeSerializer
    pagination_class = LargeTablePagination
    queryset = Employee.objects.none()  # for the schema generator; get_queryset() is what runs
    read_roles = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER, Role.EMPLOYEE})
    write_roles = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER, Role.EMPLOYEE})
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Employee]:
        params = _list_params(self, EmployeeListParams)
        return selectors.employee_list(user=_actor(self.request), **params)

    def get_object(self) -> Employee:
        # An existing but invisible employee is a 403 (from the selector), not a 404.
        return selectors.employee_get(user=_actor(self.request), pk=int(self.kwargs["pk"]))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.is_superuser and getattr(request.user, "role", None) != Role.HR_ADMIN:
            self.permission_denied(request, message=_no_access())
        return super().create(request, *args, **kwargs)

    def _create(self, data: dict[str, Any]) -> Employee:
        return services.employee_create(actor=_actor(self.request), data=data)

    def _update(self, obj: Employee, data: dict[str, Any]) -> Employee:
        if "id_number" in data and data["id_number"] == mask_id_number(obj.id_number):
            del data["id_number"]  # the masked value a GET returned, sent back unchanged
        return services.employee_update(actor=_actor(self.request), employee=obj, changes=data)

    def _reload(self, obj: Any) -> Any:
        return obj


def _actor(request: Request) -> User:
    """The authenticated caller (RolePermission has already refused anonymous requests)."""
    return cast(User, request.user)


def _no_access() -> str:
    return gettext("You do not have permission to see or change this employee.")
