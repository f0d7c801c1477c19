"""`GET /api/v1/employees/{id}/profile/`: the employee profile document, with the performance side added.

This path was the org app's profile action (the record, the profile events and the sections other apps
register, such as "recruiting"); it now answers here, with the same `employee` and sections, a `timeline`
that joins the events with the recruiting application, interview reports, objectives, submitted reviews,
360° rounds and KPIs, and `competencies`: per competency the interview score next to the performance review
scores over time. Who may read it is the employee API's rule (HR, the employee's managers, the employee)."""

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

from talentloop.core.api import RolePermission
from talentloop.core.models import User
from talentloop.org.profile import employee_profile_sections
from talentloop.org.serializers import EmployeeSerializer

from .. import profile as selectors
from ..selectors import PERFORMANCE_ROLES


class ProfileScoreSerializer(serializers.Serializer[Any]):
    cycle = serializers.IntegerField(help_text="The performance cycle's id.")
    cycle_name = serializers.CharField()
    date = serializers.DateField(help_text="When the review was submitted.")
    score = serializers.FloatField(help_text="The review's score of this competency, 0-100.")


class ProfileCompetencySerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")
    interview_score = serializers.FloatField(
        allow_null=True, help_text="From the most recent ready interview report of the hire; null when not scored."
    )
    performance_scores = ProfileScoreSerializer(many=True, help_text="Submitted reviews' scores, oldest first.")
    latest_performance = serializers.FloatField(allow_null=True)
    gap = serializers.FloatField(
        allow_null=True, help_text="latest_performance minus interview_score (positive: better than at hiring)."
    )


class ProfileTimelineSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    kind = serializers.CharField(
        help_text="A profile event's kind (joined, recruiting, department_changed, ...) or application, "
        "interview_report, objective, review, feedback_360, kpi."
    )
    title = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    link = serializers.CharField(allow_null=True, help_text="The page about it, where there is one.")
    data = serializers.DictField(  # type: ignore[assignment]  # a field named "data", as in the first profile
        help_text="Ids and values behind the entry (a profile event's own details)."
    )


class EmployeeProfileSerializer(serializers.Serializer[Any]):
    employee = EmployeeSerializer()
    competencies = ProfileCompetencySerializer(many=True)
    timeline = ProfileTimelineSerializer(many=True, help_text="Newest first.")


def _competency(series: selectors.CompetencySeries) -> dict[str, Any]:
    return {
        "code": series.code, "name": series.name, "interview_score": series.interview_score,
        "performance_scores": [
            {"cycle": p.cycle, "cycle_name": p.cycle_name, "date": p.date.isoformat(), "score": p.score}
            for p in series.performance_scores
        ],
        "latest_performance": series.latest_performance, "gap": series.gap,
    }


def _entry(entry: selectors.TimelineEntry) -> dict[str, Any]:
    return {
        "date": entry.date.isoformat(), "kind": entry.kind, "title": entry.title, "detail": entry.detail,
        "link": entry.link, "data": entry.data,
    }


def profile_document(*, user: User, pk: int) -> dict[str, Any]:
    profile = selectors.employee_performance_profile(user=user, pk=pk)
    body: dict[str, Any] = {
        "employee": EmployeeSerializer(profile.employee).data,
        "competencies": [_competency(s) for s in profile.competencies],
        "timeline": [_entry(e) for e in profile.timeline],
    }
    for section in employee_profile_sections(user=user, employee=profile.employee):
        body.setdefault(section.key, section.data)
    return body


class EmployeeProfileView(APIView):
    permission_classes = [RolePermission]
    read_roles = PERFORMANCE_ROLES
    write_roles: frozenset[str] = frozenset()

    @extend_schema(
        operation_id="employee_profile",
        responses={200: EmployeeProfileSerializer},
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The employee's id.")],
        description=(
            "The employee profile (员工档案): the record; `competencies`, per competency of the job model (and any "
            "other the interview or a review scored) the interview score next to the submitted reviews' scores over "
            "time; and `timeline`, newest first, joining the profile events, the recruiting application and interview "
            "reports (not shown to the employee themself), personal objectives with their score, submitted reviews, "
            "360° rounds (status only) and KPIs per cycle. Sections other capabilities add (such as `recruiting`) "
            "follow as further keys. HR, the employee's managers and the employee may read it."
        ),
    )
    def get(self, request: Request, id: int) -> Response:
        return Response(profile_document(user=cast(User, request.user), pk=int(id)))


def register(router: BaseRouter) -> None:
    pass


urlpatterns: list[URLPattern | URLResolver] = [
    path("employees/<int:id>/profile/", EmployeeProfileView.as_view(), name="employee-profile"),
]
