"""The public JSON shapes of the recruiting API (candidates, applications, screening, notes). Related
objects are read as integer ids, except the candidate of an application, which is shown inline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Application, ApplicationNote, Candidate, Degree, ScreeningRules, Stage, StageChange
from .services.notes import MAX_NOTE_CHARS

# Ids are 64-bit: a larger number in a filter is a 400, not a database overflow.
MAX_ID = 2**63 - 1
MAX_REASON_CHARS = 500  # services.pipeline refuses longer reasons
MAX_RANKING = 1000
SCREENING_KEYS = ("score", "passed", "matched", "missing", "knocked_out_by", "subscores", "engine")


class CandidateSerializer(serializers.ModelSerializer[Candidate]):
    applications: serializers.PrimaryKeyRelatedField[Application] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)

    class Meta:
        model = Candidate
        fields = ["id", "name", "email", "phone", "location", "source", "consent_given_at", "language", "applications"]
        read_only_fields = ["consent_given_at"]


class CandidateBriefSerializer(serializers.ModelSerializer[Candidate]):
    class Meta:
        model = Candidate
        fields = ["id", "name", "email", "phone"]
        read_only_fields = fields


@extend_schema_field({"$ref": "#/components/schemas/StageEnum"})
class StageField(serializers.ChoiceField):
    """A pipeline stage under another name ("from", "to"): documented as the one StageEnum of the schema
    rather than as a second enum with the same values."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Stage.choices, **kwargs)


class StageChangeSerializer(serializers.Serializer[StageChange]):
    """One move of the application; `actor` is null when the system moved it (auto-advance)."""

    to = StageField(source="to_stage", read_only=True)
    actor = serializers.IntegerField(source="actor_id", allow_null=True, read_only=True)
    reason = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        fields = super().get_fields()
        return {
            "from": StageField(source="from_stage", read_only=True),
            **fields,
        }


class ScreeningEngineSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField()
    version = serializers.CharField()


class ScreeningSerializer(serializers.Serializer[dict[str, Any]]):
    """The match of a resume with its job, with the reasons (see docs/scoring.md)."""

    score = serializers.FloatField(help_text=_("0-100, one decimal."))
    passed = serializers.BooleanField(help_text=_("No knock-out rule failed and the score reached the pass score."))
    matched = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
    knocked_out_by = serializers.ListField(child=serializers.CharField())
    subscores = serializers.DictField(child=serializers.FloatField(allow_null=True))
    engine = ScreeningEngineSerializer()


def screening_json(application: Application) -> dict[str, Any] | None:
    """The stored screening result in its public shape, or None when the resume was not screened."""
    stored = application.screening or {}
    if not stored:
        return None
    return {key: stored.get(key) for key in SCREENING_KEYS}


def parsed_json(application: Application) -> dict[str, Any] | None:
    """The facts read from the resume. The term counts kept for screening are internal and left out."""
    parsed = application.parsed or {}
    if not parsed:
        return None
    return {key: value for key, value in parsed.items() if key != "terms"}


class ApplicationSerializer(serializers.ModelSerializer[Application]):
    candidate = CandidateBriefSerializer(read_only=True)
    resume_url = serializers.SerializerMethodField(help_text=_("Download link for the stored resume file."))
    parsed = serializers.SerializerMethodField()
    screening = serializers.SerializerMethodField()
    stage_history = StageChangeSerializer(source="stage_changes", many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "candidate", "job", "stage", "stage_changed_at", "resume_name", "resume_status", "resume_error",
            "resume_url", "parsed", "screening", "written_test_score", "stage_history", "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_resume_url(self, application: Application) -> str | None:
        if not application.resume:
            return None
        path = reverse("application-resume", kwargs={"pk": application.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_parsed(self, application: Application) -> dict[str, Any] | None:
        return parsed_json(application)

    @extend_schema_field(ScreeningSerializer(allow_null=True))
    def get_screening(self, application: Application) -> dict[str, Any] | None:
        return screening_json(application)


class RankingItemSerializer(serializers.ModelSerializer[Application]):
    """One line of a job's ranking: the application, its candidate, and why it scored what it did."""

    application = serializers.IntegerField(source="pk", read_only=True)
    candidate = CandidateBriefSerializer(read_only=True)
    score = serializers.FloatField(source="screening_score", read_only=True, allow_null=True)
    passed = serializers.BooleanField(source="screening_passed", read_only=True, allow_null=True)
    screening = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["application", "candidate", "stage", "resume_status", "score", "passed", "screening"]
        read_only_fields = fields

    @extend_schema_field(ScreeningSerializer(allow_null=True))
    def get_screening(self, application: Application) -> dict[str, Any] | None:
        return screening_json(application)


class RankingSerializer(serializers.Serializer[dict[str, Any]]):
    job = serializers.IntegerField()
    results = RankingItemSerializer(many=True)


class NoteSerializer(serializers.ModelSerializer[ApplicationNote]):
    author = serializers.IntegerField(source="author_id", read_only=True, allow_null=True)
    text = serializers.CharField(max_length=MAX_NOTE_CHARS)

    class Meta:
        model = ApplicationNote
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class TransitionSerializer(serializers.Serializer[dict[str, Any]]):
    to = StageField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_REASON_CHARS)


class ApplicationCreateSerializer(serializers.Serializer[dict[str, Any]]):
    """An application added by HR, a recruiter or an integration. The resume's problems (empty, damaged,
    too large...) are judged by the service, so an empty file is accepted here."""

    resume = serializers.FileField(required=False, allow_empty_file=True, use_url=False)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    consent = serializers.BooleanField(
        required=False, default=False, help_text=_("The candidate agreed to the processing of their data.")
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, allow_blank=True, default="",
        help_text=_("The language of the emails the candidate gets."),
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # A field called "source" cannot be a class attribute: it would shadow Field.source.
        fields = super().get_fields()
        fields["source"] = serializers.ChoiceField(
            choices=Candidate.Source.choices, required=False, default=Candidate.Source.API
        )
        return fields


class ScreeningRulesSerializer(serializers.Serializer[ScreeningRules]):
    min_degree = serializers.IntegerField(min_value=0, max_value=max(Degree.values), help_text=_(
        "0 no requirement, 1 high school, 2 associate, 3 bachelor, 4 master, 5 doctorate."
    ))
    min_years = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=60, coerce_to_string=False
    )
    required_skills = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=100,
        help_text=_("A resume missing any of these does not pass (a person still decides)."),
    )
    preferred_skills = serializers.ListField(child=serializers.CharField(max_length=100), max_length=100)
    locations = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=100,
        help_text=_("Accepted cities; empty or 不限/any accepts everyone."),
    )
    pass_score = serializers.IntegerField(min_value=0, max_value=100)
    auto_advance = serializers.BooleanField(
        help_text=_("Move passing resumes to the AI interview by themselves; nobody is rejected automatically.")
    )


class ApplicationListParams(serializers.Serializer[dict[str, Any]]):
    """Query parameters of the application list; a bad value is a 400 naming the parameter."""

    job = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Matches the candidate's name, email or phone.")
    )


class CandidateListParams(serializers.Serializer[dict[str, Any]]):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Matches name, email or phone.")
    )


class RankingParams(serializers.Serializer[dict[str, Any]]):
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_RANKING, default=100,
        help_text=_("How many of the best applications to return."),
    )
