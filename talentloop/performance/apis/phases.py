"""The performance API: a cycle's phase, its deadlines and drafting the OKRs of all its participants
(`/api/v1/performance/cycles/{id}/phase/`, `.../deadlines/`, `.../draft-okrs/`; HR), and the asking user's
notifications (`/api/v1/notifications/`, everyone with a login; the viewset lives in core)."""

from __future__ import annotations

from typing import Any, cast

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.core.access import HR
from talentloop.core.api import RolePermission
from talentloop.core.models import User
from talentloop.core.notification_apis import NotificationViewSet

from .. import phases, selectors
from ..models import PerformanceCycle
from .serializers import CycleSerializer, PhaseDeadlineSerializer
from .views import _pk

_CYCLE_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The cycle's id.")


class PhaseRequestSerializer(serializers.Serializer[dict[str, Any]]):
    phase = serializers.CharField(
        help_text="goal_setting, self_review, manager_review, feedback_360, calibration or closed."
    )


class DeadlinesSerializer(serializers.Serializer[dict[str, Any]]):
    deadlines = PhaseDeadlineSerializer(many=True, help_text="The cycle's deadlines; phases left out lose theirs.")

    def validate_deadlines(self, value: list[dict[str, Any]]) -> dict[str, Any]:
        return CycleSerializer().validate_deadlines(value)


class SkippedEmployeeSerializer(serializers.Serializer[Any]):
    employee = serializers.IntegerField(help_text="The employee's id.")
    reason = serializers.CharField()


class CycleDraftSerializer(serializers.Serializer[Any]):
    drafted = serializers.IntegerField(help_text="How many participants got a drafted objective now.")
    skipped = SkippedEmployeeSerializer(many=True, help_text="Participants who got none, and why.")


class _CycleAction(APIView):
    permission_classes = [RolePermission]
    read_roles: frozenset[str] = frozenset()
    write_roles = HR

    def _user(self) -> User:
        return cast(User, self.request.user)

    def _cycle(self, pk: Any) -> PerformanceCycle:
        return selectors.cycle_get(user=self._user(), pk=_pk(pk))

    def _render(self, cycle: PerformanceCycle) -> Response:
        fresh = selectors.cycle_list(user=self._user()).prefetch_related("deadlines").get(pk=cycle.pk)
        return Response(CycleSerializer(fresh, context={"request": self.request}).data)


class CyclePhaseView(_CycleAction):
    @extend_schema(
        request=PhaseRequestSerializer, responses=CycleSerializer, parameters=[_CYCLE_ID],
        description="Move the cycle to a phase (HR). Reminders follow the new phase's deadline.",
    )
    def post(self, request: Request, id: int) -> Response:
        cycle = self._cycle(id)
        parsed = PhaseRequestSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        phase = parsed.validated_data["phase"]
        return self._render(phases.cycle_phase_set(actor=self._user(), cycle=cycle, phase=phase))


class CycleDeadlinesView(_CycleAction):
    @extend_schema(
        request=DeadlinesSerializer, responses=CycleSerializer, parameters=[_CYCLE_ID],
        description="Replace the cycle's deadlines (HR): one date per phase, on or after the cycle's start, "
        "in phase order.",
    )
    def put(self, request: Request, id: int) -> Response:
        cycle = self._cycle(id)
        parsed = DeadlinesSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        phases.cycle_deadlines_set(actor=self._user(), cycle=cycle, deadlines=parsed.validated_data["deadlines"])
        return self._render(cycle)


class CycleDraftOkrsView(_CycleAction):
    @extend_schema(
        request=None, responses=CycleDraftSerializer, parameters=[_CYCLE_ID],
        description="Draft the OKRs of every participant with a ready interview report and no draft in this cycle "
        "yet (HR), as POST /employees/{id}/okr-draft/ would one by one; the others are listed with the reason.",
    )
    def post(self, request: Request, id: int) -> Response:
        result = phases.cycle_okrs_draft(actor=self._user(), cycle=self._cycle(id))
        return Response({
            "drafted": result.drafted,
            "skipped": [{"employee": employee, "reason": reason} for employee, reason in result.skipped],
        })


def register(router: BaseRouter) -> None:
    router.register("notifications", NotificationViewSet, basename="notification")


urlpatterns: list[URLPattern | URLResolver] = [
    path("performance/cycles/<int:id>/phase/", CyclePhaseView.as_view(), name="performance-cycle-phase"),
    path("performance/cycles/<int:id>/deadlines/", CycleDeadlinesView.as_view(), name="performance-cycle-deadlines"),
    path("performance/cycles/<int:id>/draft-okrs/", CycleDraftOkrsView.as_view(), name="performance-cycle-draft-okrs"),
]
