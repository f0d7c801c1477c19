"""The public JSON shapes of the written-test API. They parse and render; the rules (option counts, correct
answers, time limits, points) are checked by services.written_tests so the API and the pages agree."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from talentloop.org.models import Job

from .models import WrittenTest, WrittenTestQuestion, WrittenTestSitting
from .services import written_tests as services

MAX_ID = 2**63 - 1


class WrittenTestQuestionSerializer(serializers.ModelSerializer[WrittenTestQuestion]):
    id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID,
        help_text=_("Send it back to keep and edit an existing question; leave it out for a new one."),
    )
    kind = serializers.ChoiceField(choices=WrittenTestQuestion.Kind.choices)
    text = serializers.CharField(allow_blank=True)
    options = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False), required=False, default=list,
        help_text=_("2 to 10 options for choice questions; none for short answers."),
    )
    correct = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=1000), required=False, default=list,
        help_text=_("Indices (from 0) of the correct options: exactly one for `single`, at least one for "
                    "`multiple`, none for `short`."),
    )
    points = serializers.DecimalField(max_digits=6, decimal_places=1, coerce_to_string=False, default=Decimal("1"))

    class Meta:
        model = WrittenTestQuestion
        fields = ["id", "kind", "text", "options", "correct", "points"]


class WrittenTestSerializer(serializers.ModelSerializer[WrittenTest]):
    job = serializers.PrimaryKeyRelatedField(queryset=Job.objects.all(), allow_null=True, required=False)
    instructions = serializers.CharField(allow_blank=True, required=False, default="")
    time_limit_minutes = serializers.IntegerField(help_text=_("1 to 300 minutes."))
    questions = WrittenTestQuestionSerializer(many=True)

    class Meta:
        model = WrittenTest
        fields = ["id", "title", "job", "instructions", "time_limit_minutes", "questions"]
        extra_kwargs: dict[str, dict[str, Any]] = {"title": {"allow_blank": True}}


class WrittenTestAssignSerializer(serializers.Serializer[dict[str, Any]]):
    application = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    expires_in_days = serializers.IntegerField(help_text=_("How long the link may be used to start: 1 to 90 days."))
    send_email = serializers.BooleanField(
        default=True, help_text=_("Email the link to the candidate (when they have an email address).")
    )


class WrittenTestAssignmentSerializer(serializers.ModelSerializer[WrittenTestSitting]):
    candidate_url = serializers.SerializerMethodField()

    class Meta:
        model = WrittenTestSitting
        fields = ["id", "token", "candidate_url", "expires_at"]

    def get_candidate_url(self, sitting: WrittenTestSitting) -> str:
        return _absolute(self.context, services.candidate_path(sitting))


class WrittenTestSittingSerializer(serializers.ModelSerializer[WrittenTestSitting]):
    """A sitting as staff see it. The candidate's link is shown to HR and recruiters only."""

    candidate = serializers.SerializerMethodField(help_text=_("The candidate's name (or contact)."))
    deadline = serializers.SerializerMethodField()
    timed_out = serializers.SerializerMethodField(
        help_text=_("True when the time ran out and the draft saved before the deadline was submitted.")
    )
    answers = serializers.JSONField(read_only=True, help_text=_("{question id: [option indices] or text}"))
    manual_points = serializers.JSONField(read_only=True, help_text=_("{question id: points} for short answers"))
    auto_points = serializers.DecimalField(max_digits=6, decimal_places=1, coerce_to_string=False, read_only=True)
    candidate_url = serializers.SerializerMethodField()

    class Meta:
        model = WrittenTestSitting
        fields = [
            "id", "test", "application", "candidate", "status", "expires_at", "started_at", "deadline",
            "submitted_at", "timed_out", "answers", "auto_points", "manual_points", "score", "reviewed_by",
            "candidate_url",
        ]
        read_only_fields = fields

    def get_candidate(self, sitting: WrittenTestSitting) -> str:
        return str(sitting.application.candidate)

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_deadline(self, sitting: WrittenTestSitting) -> str | None:
        deadline = services.sitting_deadline(sitting)
        return serializers.DateTimeField().to_representation(deadline) if deadline else None

    def get_timed_out(self, sitting: WrittenTestSitting) -> bool:
        return services.sitting_timed_out(sitting)

    def get_candidate_url(self, sitting: WrittenTestSitting) -> str | None:
        if not self.context.get("show_links"):
            return None
        return _absolute(self.context, services.candidate_path(sitting))


class WrittenTestReviewSerializer(serializers.Serializer[dict[str, Any]]):
    points = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=1, coerce_to_string=False),
        allow_empty=False, help_text=_("{question id: points} for short-answer questions, 0 to the question's points."),
    )


def _absolute(context: Mapping[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
