"""The public JSON shapes of the organisation API. Related objects are written and read as integer ids."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .identity import mask_id_number
from .models import Competency, Department, Employee, Job, JobCompetency, JobLevel

# Ids are 64-bit: a larger number in a filter is a 400, not a database overflow.
MAX_ID = 2**63 - 1


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    class Meta:
        model = Department
        fields = ["id", "name", "code", "parent", "name_en"]
        extra_kwargs: dict[str, dict[str, Any]] = {"code": {"validators": []}}


class JobLevelSerializer(serializers.ModelSerializer[JobLevel]):
    class Meta:
        model = JobLevel
        fields = ["id", "code", "name", "name_en", "rank", "fit_min", "fit_max"]


class IndicatorSerializer(serializers.Serializer[dict[str, Any]]):
    level = serializers.IntegerField(min_value=1, max_value=3)
    zh = serializers.CharField(allow_blank=True, required=False, default="")
    en = serializers.CharField(allow_blank=True, required=False, default="")


class CompetencySerializer(serializers.ModelSerializer[Competency]):
    indicators = IndicatorSerializer(many=True, required=False)

    class Meta:
        model = Competency
        fields = [
            "id", "code", "name", "name_en", "definition", "indicators",
            "definition_en", "category", "is_active", "is_builtin",
        ]
        read_only_fields = ["is_builtin"]
        extra_kwargs: dict[str, dict[str, Any]] = {"code": {"validators": []}}


class CompetencyModelLineSerializer(serializers.ModelSerializer[JobCompetency]):
    competency = serializers.PrimaryKeyRelatedField(queryset=Competency.objects.all())
    weight = serializers.DecimalField(max_digits=6, decimal_places=3, coerce_to_string=False)
    required_score = serializers.IntegerField(min_value=0, max_value=100, default=70)

    class Meta:
        model = JobCompetency
        fields = ["competency", "weight", "required_score"]


class JobSerializer(serializers.ModelSerializer[Job]):
    competency_model = CompetencyModelLineSerializer(many=True, required=False)
    headcount = serializers.IntegerField(min_value=1, max_value=100_000, default=1)
    # Values are checked by services.jobs (a 400 naming the unknown mode), like the job form's.
    interview_modalities = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, max_length=10,
        help_text=_('How candidates may answer the AI interview: "text" (always added), "audio", "video".'),
    )
    delivery_in_score = serializers.BooleanField(
        required=False,
        help_text=_("Whether delivery signals (pace, pauses, presence on camera) count in recorded answers' scores; "
                    "default false: shown to HR, not scored."),
    )
    allow_rerecord = serializers.BooleanField(
        required=False, help_text=_("Whether candidates may record an answer again before submitting it (default "
                                    "true)."),
    )

    class Meta:
        model = Job
        fields = [
            "id", "title", "department", "level", "description", "requirements", "headcount", "status",
            "competency_model", "interview_modalities", "delivery_in_score", "allow_rerecord", "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class EmployeeSerializer(serializers.ModelSerializer[Employee]):
    id_number = serializers.CharField(
        required=False, allow_blank=True, max_length=18,
        help_text=_("Written in full; always returned masked (first 6 and last 4 characters)."),
    )

    class Meta:
        model = Employee
        fields = [
            "id", "employee_no", "name", "gender", "birth_date", "id_number", "phone", "email",
            "department", "job", "manager", "hire_date", "left_on", "status", "english_name", "level",
        ]
        extra_kwargs: dict[str, dict[str, Any]] = {"employee_no": {"validators": []}}
        validators: list[Any] = []

    def to_representation(self, instance: Employee) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["id_number"] = mask_id_number(instance.id_number)
        return data


class CompetencyListParams(serializers.Serializer[dict[str, Any]]):
    """Query parameters of the competency list."""

    search = serializers.CharField(
        required=False, allow_blank=True, max_length=100,
        help_text=_("Matches code, Chinese and English name."),
    )
    active = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Only active (true) or retired (false).")
    )


class JobListParams(serializers.Serializer[dict[str, Any]]):
    """Query parameters of the job list."""

    status = serializers.ChoiceField(choices=Job.Status.choices, required=False, allow_blank=True)
    department = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class EmployeeListParams(serializers.Serializer[dict[str, Any]]):
    """Query parameters of the employee list; bad values are a 400 naming the parameter."""

    department = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    include_subdepartments = serializers.BooleanField(required=False, default=False)
    status = serializers.ChoiceField(choices=Employee.Status.choices, required=False)
    manager = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)
