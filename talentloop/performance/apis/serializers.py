"""Shapes of cycles, objectives, key results and check-ins on the wire. Input is only parsed here; the
services check every business rule and name each bad field."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from talentloop.org.models import Competency, Department, Employee

from ..models import VALUE_MAX_DIGITS, VALUE_PLACES, CheckIn, KeyResult, KRRule, Objective, PerformanceCycle

_NUMBER = {"coerce_to_string": False}  # metric values and weights are JSON numbers, not strings


class PhaseDeadlineSerializer(serializers.Serializer[Any]):
    # A plain choice of strings: a second component using the cycle's phase enum would make drf-spectacular
    # rename it.
    phase = serializers.CharField(help_text="goal_setting, self_review, manager_review, feedback_360 or calibration.")
    due = serializers.DateField(help_text="The last day of the phase.")


class CycleSerializer(serializers.ModelSerializer[PerformanceCycle]):
    employees = serializers.ListField(
        child=serializers.IntegerField(min_value=1), write_only=True, required=False, max_length=100_000,
        help_text="Ids of the participating employees; on update the list replaces the participants.",
    )
    employee_count = serializers.IntegerField(read_only=True, help_text="How many employees take part.")
    deadlines = PhaseDeadlineSerializer(
        many=True, required=False,
        help_text="One deadline per phase, earliest first; when given, the list replaces the cycle's deadlines.",
    )

    class Meta:
        model = PerformanceCycle
        fields = [
            "id", "name", "kind", "method", "start", "end", "phase", "employees", "employee_count", "deadlines",
            "weight_manager", "weight_feedback", "weight_results", "enrol_new_hires", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "weight_manager": {**_NUMBER, "help_text": "Share of the manager's rating in a review score (%)."},
            "weight_feedback": {**_NUMBER, "help_text": "Share of the 360° aggregate in a review score (%)."},
            "weight_results": {
                **_NUMBER, "help_text": "Share of KPI/OKR results in a review score (%); the three add up to 100.",
            },
            "enrol_new_hires": {
                "help_text": "New hires whose hire date falls in the cycle join it when hired (in goal setting) and "
                "get OKRs drafted from their interview.",
            },
        }

    def validate_deadlines(self, value: list[dict[str, Any]]) -> dict[str, Any]:
        """[{phase, due}] as {phase: due}; a phase named twice is refused here, the rest by the service."""
        by_phase: dict[str, Any] = {}
        for item in value:
            if item["phase"] in by_phase:
                raise serializers.ValidationError(
                    _("%(phase)s has two deadlines; give one per phase.") % {"phase": item["phase"]}
                )
            by_phase[item["phase"]] = item["due"]
        return by_phase


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


class KRRuleSerializer(serializers.ModelSerializer[KRRule]):
    competency = serializers.SlugRelatedField(
        slug_field="code", queryset=Competency.objects.all(),
        help_text="The competency's code, e.g. customer_orientation.",
    )
    competency_name = serializers.CharField(source="competency.display_name", read_only=True)

    class Meta:
        model = KRRule
        fields = [
            "id", "competency", "competency_name", "title_zh", "title_en", "metric", "unit", "direction",
            "start_value", "formula", "parameter", "cap", "floor", "weight", "is_active", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "title_zh": {"help_text": "Chinese title template; {target} and {score} are filled in when drafting."},
            "title_en": {"help_text": "English title template; {target} and {score} are filled in when drafting."},
            "start_value": {
                **_NUMBER, "help_text": "The drafted key result's start; when empty, the interview score itself.",
            },
            "parameter": {**_NUMBER, "help_text": "k for offset (target = score + k), r > 0 for ratio (score x r)."},
            "cap": {**_NUMBER, "help_text": "The highest target (default 100); targets are rounded to 1 decimal."},
            "floor": {**_NUMBER, "help_text": "The lowest target, if any; it must not be above the cap."},
            "weight": {**_NUMBER, "help_text": "The drafted key result's weight in percent (0 < weight <= 100)."},
        }


class KRRuleListParams(serializers.Serializer[dict[str, Any]]):
    competency = serializers.CharField(required=False, help_text="A competency code.")
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)


class OkrDraftRequestSerializer(serializers.Serializer[dict[str, Any]]):
    cycle = serializers.IntegerField(min_value=1, help_text="The cycle to draft the employee's OKRs in.")


class DraftedKeyResultSerializer(KeyResultSerializer):
    rule = serializers.SerializerMethodField(help_text="The id of the KR derivation rule that drafted it.")
    source_score = serializers.SerializerMethodField(help_text="The interview score the target was derived from.")
    explanation = serializers.SerializerMethodField(
        help_text='How the target was derived, e.g. "interview: customer orientation 90 → target 92".'
    )

    class Meta(KeyResultSerializer.Meta):
        fields = [*KeyResultSerializer.Meta.fields, "rule", "source_score", "explanation"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_rule(self, obj: KeyResult) -> int | None:
        return (obj.source or {}).get("rule")

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_source_score(self, obj: KeyResult) -> float | None:
        return (obj.source or {}).get("interview_score")

    def get_explanation(self, obj: KeyResult) -> str:
        return str((obj.source or {}).get("explanation", ""))


class DraftedObjectiveSerializer(ObjectiveSerializer):
    # A plain string here: a second component using Objective's status enum would make drf-spectacular rename it.
    status = serializers.CharField(read_only=True, help_text="draft until approved, then active.")
    key_results = DraftedKeyResultSerializer(many=True, read_only=True)

    class Meta(ObjectiveSerializer.Meta):
        fields = [*ObjectiveSerializer.Meta.fields, "key_results"]


class SkippedRuleSerializer(serializers.Serializer[Any]):
    rule = serializers.IntegerField()
    competency = serializers.CharField()
    reason = serializers.CharField()


class OkrDraftSerializer(serializers.Serializer[Any]):
    report = serializers.IntegerField(source="report.pk", help_text="The interview report the draft comes from.")
    objectives = DraftedObjectiveSerializer(many=True)
    skipped = SkippedRuleSerializer(many=True, help_text="Active rules that drafted nothing, and why.")
