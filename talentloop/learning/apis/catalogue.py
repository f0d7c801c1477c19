"""`/api/v1/courses/`: the course catalogue. Everyone in learning (HR, managers, employees) reads the active
courses; HR also reads inactive ones (`?active=false`), creates and edits courses (deactivate with
`is_active: false`; courses are never deleted, enrolments keep them)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.routers import BaseRouter

from talentloop.core.access import HR
from talentloop.org.models import Competency
from talentloop.performance.apis.views import _ServiceViewSet, _user

from .. import selectors, services
from ..models import Course


@extend_schema_field({"type": "string", "enum": list(Course.Level.values)}, component_name="CourseLevel")
class CourseLevelField(serializers.ChoiceField):
    """The course level; its schema is inline, so it does not collide with other "level" enums."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Course.Level.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": list(Course.Format.values)}, component_name="CourseFormat")
class CourseFormatField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Course.Format.choices, **kwargs)


class CourseCompetencySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")


class CourseSerializer(serializers.ModelSerializer[Course]):
    competencies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Competency.objects.all(),
        help_text="Ids of the competencies the course builds (at least one).",
    )
    competency_details = serializers.SerializerMethodField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, coerce_to_string=False)
    level = CourseLevelField(
        required=False,
        help_text="beginner suits gaps above 20 points, intermediate 10-20, advanced up to 10.",
    )
    format = CourseFormatField(required=False)

    class Meta:
        model = Course
        fields = [
            "id", "title", "provider", "format", "hours", "competencies", "competency_details", "level", "description",
            "url", "is_active", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "provider": {"required": False, "allow_blank": True},
            "description": {"required": False, "allow_blank": True},
            "url": {"required": False, "allow_blank": True},
            "is_active": {"required": False},
        }

    @extend_schema_field(CourseCompetencySerializer(many=True))
    def get_competency_details(self, obj: Course) -> list[dict[str, Any]]:
        return [{"id": c.pk, "code": c.code, "name": c.display_name} for c in obj.competencies.all()]


class CourseListParams(serializers.Serializer[dict[str, Any]]):
    competency = serializers.IntegerField(required=False, min_value=1, help_text="Courses building this competency.")
    level = CourseLevelField(required=False)
    format = CourseFormatField(required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="HR only.")
    search = serializers.CharField(required=False, allow_blank=True, help_text="In the title or the provider.")


@extend_schema_view(list=extend_schema(parameters=[CourseListParams]))
class CourseViewSet(_ServiceViewSet):
    """Courses: title, provider, format, hours, the competencies they build and their level."""

    serializer_class = CourseSerializer
    queryset = Course.objects.none()  # for the schema generator; get_queryset() is what runs
    read_roles = selectors.LEARNING_ROLES
    write_roles = HR
    list_params = CourseListParams

    def get_queryset(self) -> QuerySet[Course]:
        return selectors.course_list(user=_user(self.request), **self._params())

    def _get(self, pk: int) -> Course:
        return selectors.course_get(user=_user(self.request), pk=pk)

    def _create(self, data: dict[str, Any]) -> Course:
        return services.course_create(actor=_user(self.request), **data)

    def _update(self, obj: Course, data: dict[str, Any]) -> Course:
        return services.course_update(actor=_user(self.request), course=obj, changes=data)


def register(router: BaseRouter) -> None:
    router.register("courses", CourseViewSet, basename="course")


urlpatterns: list[URLPattern | URLResolver] = []
