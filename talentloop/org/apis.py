"""REST endpoints for the organisation: parse, call one service or selector, render."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from talentloop.core.access import HR, HR_AND_RECRUITING, STAFF_ROLES
from talentloop.core.api import RolePermission
from talentloop.core.models import Role

from . import selectors, services
from .models import Competency, Department, Employee, Job, JobLevel
from .serializers import (
    CompetencySerializer,
    DepartmentSerializer,
    EmployeeListParams,
    EmployeeSerializer,
    JobLevelSerializer,
    JobSerializer,
)


class _ServiceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
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
        return selectors.department_list(user=self.request.user)  # type: ignore[arg-type]

    def _create(self, data: dict[str, Any]) -> Department:
        return services.department_create(actor=self.request.user, **data)  # type: ignore[arg-type]

    def _update(self, obj: Department, data: dict[str, Any]) -> Department:
        return services.department_update(actor=self.request.user, department=obj, changes=data)  # type: ignore[arg-type]


class JobLevelViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = JobLevelSerializer
    queryset = JobLevel.objects.none()  # for the schema generator; get_queryset() is what runs
    permission_classes = [RolePermission]
    read_roles = STAFF_ROLES

    def get_queryset(self) -> QuerySet[JobLevel]:
        return selectors.level_list()


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("search", OpenApiTypes.STR, description="Matches code, Chinese and English name."),
    OpenApiParameter("active", OpenApiTypes.BOOL, description="Only active (true) or retired (false)."),
]))
class CompetencyViewSet(_ServiceViewSet):
    serializer_class = CompetencySerializer
    queryset = Competency.objects.none()  # for the schema generator; get_queryset() is what runs
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Competency]:
        params = self.request.query_params
        qs = selectors.competency_list(user=self.request.user, search=params.get("search"))  # type: ignore[arg-type]
        if params.get("active") in ("true", "false"):
            qs = qs.filter(is_active=params["active"] == "true")
        return qs

    def _create(self, data: dict[str, Any]) -> Competency:
        return services.competency_create(actor=self.request.user, data=_plain_indicators(data))  # type: ignore[arg-type]

    def _update(self, obj: Competency, data: dict[str, Any]) -> Competency:
        return services.competency_update(actor=self.request.user, competency=obj, changes=_plain_indicators(data))  # type: ignore[arg-type]


def _plain_indicators(data: dict[str, Any]) -> dict[str, Any]:
    if "indicators" in data:
        data["indicators"] = [dict(i) for i in data["indicators"]]
    return data


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("status", OpenApiTypes.STR, enum=Job.Status.values),
    OpenApiParameter("department", OpenApiTypes.INT),
]))
class JobViewSet(_ServiceViewSet):
    serializer_class = JobSerializer
    queryset = Job.objects.none()  # for the schema generator; get_queryset() is what runs
    write_roles = HR_AND_RECRUITING
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Job]:
        params = self.request.query_params
        department = params.get("department")
        return selectors.job_list(
            user=self.request.user,  # type: ignore[arg-type]
            status=params.get("status") or None,
            department=int(department) if department and department.isdigit() else None,
        )

    def _create(self, data: dict[str, Any]) -> Job:
        model = data.pop("competency_model", [])
        return services.job_create(actor=self.request.user, data=data, competency_model=model)  # type: ignore[arg-type]

    def _update(self, obj: Job, data: dict[str, Any]) -> Job:
        model = data.pop("competency_model", None)
        return services.job_update(actor=self.request.user, job=obj, changes=data, competency_model=model)  # type: ignore[arg-type]


@extend_schema_view(list=extend_schema(parameters=[EmployeeListParams]))
class EmployeeViewSet(_ServiceViewSet):
    """Employees visible to the caller: HR all, a manager their team, an employee only themself."""

    serializer_class = EmployeeSerializer
    queryset = Employee.objects.none()  # for the schema generator; get_queryset() is what runs
    read_roles = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER, Role.EMPLOYEE})
    write_roles = frozenset({Role.HR_ADMIN, Role.HIRING_MANAGER, Role.EMPLOYEE})
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Employee]:
        params = EmployeeListParams(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.employee_list(user=self.request.user, **params.validated_data)  # type: ignore[arg-type]

    def get_object(self) -> Employee:
        # Unlike get_queryset's filtering, an existing but invisible employee is a 403, not a 404.
        employee = get_object_or_404(Employee, pk=self.kwargs["pk"])
        if not selectors.employee_visible(user=self.request.user).filter(pk=employee.pk).exists():  # type: ignore[arg-type]
            self.permission_denied(self.request, message=_no_access())
        return employee

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.is_superuser and getattr(request.user, "role", None) != Role.HR_ADMIN:
            self.permission_denied(request, message=_no_access())
        return super().create(request, *args, **kwargs)

    def _create(self, data: dict[str, Any]) -> Employee:
        return services.employee_create(actor=self.request.user, data=data)  # type: ignore[arg-type]

    def _update(self, obj: Employee, data: dict[str, Any]) -> Employee:
        return services.employee_update(actor=self.request.user, employee=obj, changes=data)  # type: ignore[arg-type]

    def _reload(self, obj: Any) -> Any:
        return obj


def _no_access() -> str:
    return gettext("You do not have permission to see or change this employee.")
