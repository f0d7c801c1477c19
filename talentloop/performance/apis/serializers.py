"""Shapes of cycles, objectives, key results and check-ins on the wire. Input is only parsed here; the
services check every business rule and name each bad field."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from talentloop.org.models import Department, Employee

from ..models import VALUE_MAX_DIGITS, VALUE_PLACES, CheckIn, KeyResult, Objective, PerformanceCycle

_NUMBER = {"coerce_to_string": False}  # metric values and weights are JSON numbers, not strings


class CycleSerializer(serializers.ModelSerializer[PerformanceCycle]):
    employees = serializers.ListField(
        child=serializers.IntegerField(min_value=1), write_only=True, required=False, max_length=100_000,
        help_text="Ids of the participating employees; on update the list replaces the participants.",
    )
    employee_count = serializers.IntegerField(read_only=True, help_text="How many employees take part.")

    class Meta:
        model = PerformanceCycle
        fields = [
            "id", "name", "kind", "method", "start", "end", "phase", "employees", "employee_count",
            "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class CycleListParams(serializers.Serializer[dict[str, Any]]):
    employee = serializers.IntegerField(required=False, min_value=1, help_text="Cycles this employee takes part in.")
    phase = serializers.ChoiceField(choices=PerformanceCycle.Phase.choices, required=False)


class ObjectiveSerializer(serializers.ModelSerializer[Objective]):
    cycle = serializers.PrimaryKeyRelatedField(queryset=PerformanceCycle.objects.all())
    owner_employee = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.all(), required=False, allow_null=True,
        help_text="The employee a personal objective belongs to (personal objectives only).",
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True,
        help_text="The department of a department objective (department objectives only).",
    )
    # (Named like DRF's Field.parent: the serializer's metaclass moves declared fields out of the class.)
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Objective.objects.all(), required=False, allow_null=True,
        help_text="The broader objective of the same cycle this one is aligned with.",
    )
    score = serializers.SerializerMethodField(help_text="Weighted mean of the key results' scores, 0-100.")

    class Meta:
        model = Objective
        fields = [
            "id", "cycle", "level", "owner_employee", "department", "parent", "title", "description", "status",
            "score", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_score(self, obj: Objective) -> float | None:
        return obj.score()


class ObjectiveListParams(serializers.Serializer[dict[str, Any]]):
    cycle = serializers.IntegerField(required=False, min_value=1)
    level = serializers.ChoiceField(choices=Objective.Level.choices, required=False)
    owner = serializers.IntegerField(required=False, min_value=1, help_text="The owner's employee id.")
    department = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=Objective.Status.choices, required=False)


class KeyResultSerializer(serializers.ModelSerializer[KeyResult]):
    objective = serializers.PrimaryKeyRelatedField(queryset=Objective.objects.all())
    current_value = serializers.DecimalField(
        max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES, coerce_to_string=False, required=False,
        help_text="Defaults to the start value; afterwards it changes through check-ins.",
    )
    progress = serializers.SerializerMethodField(help_text="0-1: how far from start to target, clamped.")
    score = serializers.SerializerMethodField(help_text="0-100: progress x 100, one decimal.")

    class Meta:
        model = KeyResult
        fields = [
            "id", "objective", "title", "metric", "unit", "start_value", "target_value", "current_value",
            "direction", "weight", "progress", "score", "source", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "source", "created_at", "updated_at"]
        extra_kwargs = {
            "start_value": _NUMBER,
            "target_value": _NUMBER,
            "weight": {**_NUMBER, "help_text": "Share of the objective in percent (0 < weight <= 100)."},
            "source": {"help_text": "Where a drafted key result came from (rule, source score); null if typed."},
        }

    @extend_schema_field(serializers.FloatField())
    def get_progress(self, obj: KeyResult) -> float:
        return obj.progress()

    @extend_schema_field(serializers.FloatField())
    def get_score(self, obj: KeyResult) -> float:
        return obj.score()


class KeyResultListParams(serializers.Serializer[dict[str, Any]]):
    objective = serializers.IntegerField(required=False, min_value=1)
    cycle = serializers.IntegerField(required=False, min_value=1)


class CheckInSerializer(serializers.ModelSerializer[CheckIn]):
    value = serializers.DecimalField(
        max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES, coerce_to_string=False
    )
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = CheckIn
        fields = ["id", "key_result", "value", "comment", "author", "author_name", "created_at"]
        read_only_fields = ["id", "key_result", "author", "created_at"]

    def get_author_name(self, obj: CheckIn) -> str:
        return str(obj.author) if obj.author else ""
