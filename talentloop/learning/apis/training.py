"""`GET /api/v1/employees/{id}/training-recommendations/` and `/api/v1/enrollments/`.

Recommendations: per competency with a gap, the scores, the gap, the reason and the courses ranked with why
(HR, the employee's managers, the employee). Enrolments: HR or the manager enrols (with a schedule) and
reschedules or cancels; the employee, HR or the manager marks it started and completed. The services
(learning/services.py) check every rule; refusals come back as 400/403/409 with a readable `detail`."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from talentloop.assessment.insights.training import target_level
from talentloop.core.api import RolePermission
from talentloop.core.models import User
from talentloop.org.models import Competency, Employee
from talentloop.performance.apis.views import _ServiceViewSet, _user

from .. import selectors, services
from ..models import Course, Enrollment
from ..recommendations import Recommendation, training_recommendations

# --- recommendations ----------------------------------------------------------------------------------------


class SuggestedCourseSerializer(serializers.Serializer[Any]):
    course = serializers.IntegerField(help_text="The course's id.")
    title = serializers.CharField()
    provider = serializers.CharField()
    format = serializers.CharField()
    hours = serializers.FloatField()
    level = serializers.CharField()
    rank = serializers.IntegerField(help_text="1 = the best match.")
    why = serializers.CharField(help_text="Why it ranks here: the competency, the level the gap calls for, hours.")
    enrollment = serializers.IntegerField(
        allow_null=True, help_text="The employee's open enrolment in this course, if any (then no new one is needed)."
    )


class TrainingGapSerializer(serializers.Serializer[Any]):
    competency = serializers.IntegerField(help_text="The competency's id.")
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")
    interview_score = serializers.FloatField(allow_null=True, help_text="From the latest ready interview report.")
    performance_score = serializers.FloatField(help_text="From the latest submitted review that scored it.")
    required_score = serializers.FloatField(allow_null=True, help_text="The job's competency model.")
    below_interview = serializers.FloatField(allow_null=True, help_text="interview_score − performance_score.")
    below_required = serializers.FloatField(allow_null=True, help_text="required_score − performance_score.")
    triggers = serializers.ListField(
        child=serializers.CharField(), help_text="Which bars were missed by more than the margin: interview, required."
    )
    gap = serializers.FloatField(help_text="The larger shortfall among the triggers, in points.")
    target = serializers.FloatField(help_text="The bar to reach: the higher of the missed ones.")
    target_level = serializers.CharField(help_text="The course level the gap calls for.")
    review = serializers.IntegerField(help_text="The review the performance score comes from.")
    cycle_name = serializers.CharField()
    reason = serializers.CharField()
    courses = SuggestedCourseSerializer(many=True)
    enrollments = serializers.ListField(
        child=serializers.IntegerField(), help_text="The employee's enrolments (not cancelled) for this competency."
    )


class TrainingRecommendationsSerializer(serializers.Serializer[Any]):
    employee = serializers.IntegerField()
    employee_name = serializers.CharField()
    margin = serializers.FloatField(help_text="TALENTLOOP_TRAINING_GAP_MARGIN: a gap must exceed it, in points.")
    can_enrol = serializers.BooleanField(help_text="Whether the caller may enrol this employee.")
    recommendations = TrainingGapSerializer(many=True, help_text="Largest gap first.")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _gap(item: Recommendation) -> dict[str, Any]:
    gap = item.gap
    return {
        "competency": item.competency.pk, "code": item.competency.code, "name": item.competency.display_name,
        "interview_score": gap.interview_score, "performance_score": gap.performance_score,
        "required_score": gap.required_score, "below_interview": _round(gap.below_interview),
        "below_required": _round(gap.below_required), "triggers": list(gap.triggers), "gap": round(gap.gap, 2),
        "target": gap.target, "target_level": target_level(gap.gap), "review": item.review.pk,
        "cycle_name": item.review.cycle.name, "reason": item.reason,
        "courses": [
            {
                "course": s.course.pk, "title": s.course.title, "provider": s.course.provider,
                "format": s.course.format, "hours": float(s.course.hours), "level": s.course.level, "rank": s.rank,
                "why": s.why, "enrollment": s.enrollment.pk if s.enrollment else None,
            }
            for s in item.courses
        ],
        "enrollments": [e.pk for e in item.enrollments],
    }


class TrainingRecommendationsView(APIView):
    permission_classes = [RolePermission]
    read_roles = selectors.LEARNING_ROLES
    write_roles: frozenset[str] = frozenset()

    @extend_schema(
        operation_id="employee_training_recommendations",
        responses={200: TrainingRecommendationsSerializer},
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The employee's id.")],
        description=(
            "Training recommendations: per competency where the employee's latest submitted review score is more "
            "than TALENTLOOP_TRAINING_GAP_MARGIN points below their interview score or the job's required score, "
            "the scores, the gap, the reason, and up to three active courses building it, ranked by how well "
            "their level fits the gap (above 20 points: beginner; above 10: intermediate; else advanced), shorter "
            "first on ties, each with why. Courses the employee completed are left out. HR, the employee's "
            "managers and the employee may read it."
        ),
    )
    def get(self, request: Request, id: int) -> Response:
        result = training_recommendations(user=cast(User, request.user), employee_id=int(id))
        return Response({
            "employee": result.employee.pk, "employee_name": result.employee.name, "margin": result.margin,
            "can_enrol": result.can_enrol, "recommendations": [_gap(item) for item in result.recommendations],
        })


# --- enrolments ---------------------------------------------------------------------------------------------


class EnrollmentSerializer(serializers.ModelSerializer[Enrollment]):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    course_title = serializers.CharField(source="course.title", read_only=True)
    competency = serializers.PrimaryKeyRelatedField(
        queryset=Competency.objects.all(), required=False, allow_null=True,
        help_text="The competency to build (one the course builds). With a current gap, the reason and numbers "
        "of the recommendation are kept in `source`.",
    )
    competency_code = serializers.CharField(source="competency.code", read_only=True, allow_null=True)
    start_date = serializers.DateField(required=True)
    due_date = serializers.DateField(required=True)
    outcome = serializers.SerializerMethodField(
        help_text="Set once the follow-up review closed the enrolment: {review, score, closed} (closed: whether "
        "the gap closed; null when the review did not score the competency)."
    )

    class Meta:
        model = Enrollment
        fields = [
            "id", "employee", "employee_name", "course", "course_title", "competency", "competency_code", "status",
            "start_date", "due_date", "completed_on", "reason", "source", "enrolled_by", "follow_up_review",
            "closed_at", "outcome", "created_at", "updated_at",
        ]
        read_only_fields = [
            "id", "status", "completed_on", "source", "enrolled_by", "follow_up_review", "closed_at", "created_at",
            "updated_at",
        ]
        extra_kwargs = {"reason": {"required": False, "allow_blank": True}}
        validators: list[Any] = []  # one open enrolment per employee and course: the service answers 409

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_outcome(self, obj: Enrollment) -> dict[str, Any] | None:
        outcome = (obj.source or {}).get("outcome")
        return outcome if isinstance(outcome, dict) else None


class EnrollmentUpdateSerializer(serializers.Serializer[Any]):
    start_date = serializers.DateField(required=False)
    due_date = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True)


class CompleteSerializer(serializers.Serializer[Any]):
    completed_on = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")


class EnrollmentListParams(serializers.Serializer[dict[str, Any]]):
    employee = serializers.IntegerField(required=False, min_value=1)
    course = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=Enrollment.Status.choices, required=False)


@extend_schema_view(
    list=extend_schema(parameters=[EnrollmentListParams]),
    partial_update=extend_schema(request=EnrollmentUpdateSerializer, responses=EnrollmentSerializer),
)
class EnrollmentViewSet(_ServiceViewSet):
    """Enrolments of employees in courses, with a schedule and, when made from a recommendation, its reason."""

    serializer_class = EnrollmentSerializer
    queryset = Enrollment.objects.none()  # for the schema generator; get_queryset() is what runs
    read_roles = selectors.LEARNING_ROLES
    write_roles = selectors.LEARNING_ROLES  # employees complete their own; the services decide the rest
    list_params = EnrollmentListParams
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Enrollment]:
        params = self._params()
        if self.action == "list":
            services.enrollments_follow_up(employee_id=params.get("employee"))
        return selectors.enrollment_list(user=_user(self.request), **params)

    def _get(self, pk: int) -> Enrollment:
        return selectors.enrollment_get(user=_user(self.request), pk=pk)

    def _create(self, data: dict[str, Any]) -> Enrollment:
        data["reason"] = data.get("reason") or ""
        return services.enrollment_create(actor=_user(self.request), **data)

    def _update(self, obj: Enrollment, data: dict[str, Any]) -> Enrollment:
        return services.enrollment_update(actor=_user(self.request), enrollment=obj, changes=data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        parsed = EnrollmentUpdateSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        self._update(obj, dict(parsed.validated_data))
        return Response(self.get_serializer(self._get(obj.pk)).data)

    @extend_schema(request=None, responses=EnrollmentSerializer,
                   description="Mark a planned enrolment in progress (the employee, HR or the manager).")
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        obj = services.enrollment_start(actor=_user(request), enrollment=self.get_object())
        return Response(self.get_serializer(self._get(obj.pk)).data)

    @extend_schema(
        request=CompleteSerializer, responses=EnrollmentSerializer,
        description="Mark the training completed (the employee, HR or the manager); `completed_on` defaults to "
        "today, not in the future nor before the start. The next submitted review after it closes the enrolment.",
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        parsed = CompleteSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        obj = services.enrollment_complete(
            actor=_user(request), enrollment=self.get_object(), completed_on=parsed.validated_data.get("completed_on"),
        )
        return Response(self.get_serializer(self._get(obj.pk)).data)

    @extend_schema(request=None, responses=EnrollmentSerializer,
                   description="Cancel an open enrolment (HR or the manager).")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        obj = services.enrollment_cancel(actor=_user(request), enrollment=self.get_object())
        return Response(self.get_serializer(self._get(obj.pk)).data)


def register(router: BaseRouter) -> None:
    router.register("enrollments", EnrollmentViewSet, basename="enrollment")


urlpatterns: list[URLPattern | URLResolver] = [
    path("employees/<int:id>/training-recommendations/", TrainingRecommendationsView.as_view(),
         name="employee-training-recommendations"),
]
